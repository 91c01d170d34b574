/**
 * The error classes of multiprocess that every package shares. They live here, at the bottom of
 * the dependency chain, so that `@mp/connection` and everything above it can raise them.
 */

/**
 * Base class of the errors raised by multiprocess (Python's `multiprocessing.ProcessError`).
 *
 * @example
 * ```ts
 * try { await conn.recv(); } catch (e) { if (e instanceof ProcessError) console.error(e.message); }
 * ```
 */
export class ProcessError extends Error {
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A message was longer than the buffer given to `recvBytesInto`. `data` holds the whole message,
 * so nothing is lost.
 *
 * @example
 * ```ts
 * try { await conn.recvBytesInto(small); } catch (e) { if (e instanceof BufferTooShort) use(e.data); }
 * ```
 */
export class BufferTooShort extends ProcessError {
  /** The complete message that did not fit. */
  readonly data: Uint8Array;
  constructor(data: Uint8Array, message?: string) {
    super(message ?? `the buffer is too short for a message of ${data.byteLength} bytes; the whole message is in error.data`);
    this.data = data;
  }
}

/**
 * The peer failed the HMAC challenge (a wrong or missing authkey), on either side.
 *
 * @example
 * ```ts
 * await expect(Client(address, 'AF_INET', Buffer.from('wrong'))).rejects.toThrow(AuthenticationError);
 * ```
 */
export class AuthenticationError extends ProcessError {}

/**
 * An operation did not finish within its timeout (Python's `multiprocessing.TimeoutError`).
 *
 * @example
 * ```ts
 * try { await result.get(100); } catch (e) { if (e instanceof TimeoutError) console.log('not yet'); }
 * ```
 */
export class TimeoutError extends ProcessError {}

/**
 * An operation on a connection or listener failed at the operating-system level, or was not
 * allowed on it (Python's built-in `OSError`): sending on a closed connection, receiving on a
 * write-only end, a message longer than `maxlength`, an address already in use. `code` is the
 * errno name when there is one (`'EADDRINUSE'`, `'ECONNREFUSED'`, `'EPIPE'`).
 *
 * @example
 * ```ts
 * const [reader, writer] = Pipe(false);
 * try { reader.send(1); } catch (e) { if (e instanceof OSError) console.log(e.message); } // connection is read-only
 * ```
 */
export class OSError extends Error {
  /** The errno name (`'EADDRINUSE'`, `'EPIPE'`...), when the cause was a system error. */
  readonly code: string | undefined;
  constructor(message: string, options?: ErrorOptions & { code?: string | undefined }) {
    super(message, options);
    this.name = 'OSError';
    this.code = options?.code;
  }
}

/**
 * Reading from a connection whose other end is closed (Python's built-in `EOFError`).
 *
 * @example
 * ```ts
 * try { for (;;) handle(await conn.recv()); } catch (e) { if (!(e instanceof EOFError)) throw e; }
 * ```
 */
export class EOFError extends Error {
  constructor(message = 'the connection was closed by the other end (EOF)', options?: ErrorOptions) {
    super(message, options);
    this.name = 'EOFError';
  }
}
