import { ProcessError } from '@mp/connection/spi';

/**
 * A value was wrong for the operation (Python's `ValueError`): an unknown start method, a closed
 * process object, `close()` of a running process.
 *
 * @example
 * ```ts
 * try { getContext('fork'); } catch (e) { if (e instanceof ValueError) console.log(e.message); }
 * ```
 */
export class ValueError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ValueError';
  }
}

/**
 * A call that is not allowed in the current state (Python's `RuntimeError`), e.g. setting the
 * start method after it was fixed.
 *
 * @example
 * ```ts
 * setStartMethod('spawn');
 * try { setStartMethod('thread'); } catch (e) { if (e instanceof RuntimeError) setStartMethod('thread', true); }
 * ```
 */
export class RuntimeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RuntimeError';
  }
}

/**
 * Misuse of a Process object, with Python's wording (Python raises AssertionError here):
 * starting twice, joining a process that was never started.
 *
 * @example
 * ```ts
 * await p.start();
 * await p.start().catch((e: ProcessStateError) => console.log(e.message)); // cannot start a process twice
 * ```
 */
export class ProcessStateError extends ProcessError {}
