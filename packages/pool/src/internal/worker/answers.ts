/** What a worker sends back: answers, checked for the plain path, or repaired when they cannot be sent. */
import { decodeAsync, encode, type Sidecar } from '@mp/serialize/spi';
import { MaybeEncodingError } from '../../errors.js';
import type { TaskContext } from '../../task-context.js';
import { isPlain } from '../plain.js';
import { R_ERROR, R_OK, R_RETIRE, R_SKIPPED, R_STATS, R_UNSENDABLE } from '../protocol.js';
import { resolveTaskFunction } from './typescript-loader.js';

type Fn = (this: TaskContext, ...args: unknown[]) => unknown;

/** True if every value of these answers is plain (errors never are). */
export function plainAnswers(answers: unknown[]): boolean {
  for (let i = 0; i < answers.length; ) {
    const op = answers[i];
    if (op === R_OK) {
      if (!isPlain(answers[i + 2])) return false;
      i += 3;
    } else if (op === R_STATS) i += 3;
    else if (op === R_SKIPPED) i += 2;
    else if (op === R_RETIRE) i += 1;
    else return false;
  }
  return true;
}

/** The task function, or one that throws why it could not be revived (so its tasks fail, not the worker). */
export async function reviveFunction(bytes: Uint8Array, sidecar: Sidecar | undefined): Promise<Fn> {
  try {
    const fn = await decodeAsync<unknown>(bytes, sidecar);
    // A ref() is called through its export directly: a sync export stays sync (no Promise per item).
    if (typeof fn === 'function') return (await resolveTaskFunction(fn)) as Fn;
    throw new TypeError(`a pool task function arrived as ${typeof fn}`);
  } catch (error) {
    return () => {
      throw error;
    };
  }
}

/** An error reduced to what always serializes: name, message, stack. */
function plainError(error: unknown): Error {
  const source = error instanceof Error ? error : new Error(String(error));
  const plain = new Error(source.message);
  plain.name = source.name;
  if (source.stack !== undefined) plain.stack = source.stack;
  return plain;
}

/** The answers, each one that cannot be serialized replaced (the slow path, after a failed batch). */
export function sendable(answers: unknown[], shared: boolean): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < answers.length; ) {
    const op = answers[i];
    const width = op === R_OK || op === R_ERROR || op === R_STATS ? 3 : op === R_SKIPPED ? 2 : 1;
    if (op === R_OK || op === R_ERROR) {
      const value = answers[i + 2];
      try {
        encode(value, { sidecar: shared });
        out.push(op, answers[i + 1], value);
      } catch (error) {
        if (op === R_OK) out.push(R_UNSENDABLE, answers[i + 1], plainError(error), MaybeEncodingError.describe(value));
        else out.push(R_ERROR, answers[i + 1], plainError(value));
      }
    } else {
      for (let k = 0; k < width; k++) out.push(answers[i + k]);
    }
    i += width;
  }
  return out;
}
