/**
 * Python's built-in exception kinds that a JavaScript server raises for its containers
 * (`KeyError`, `AttributeError`): plain Errors whose `name` is Python's, so they keep that name
 * on arrival. (`IndexError` is a `RangeError` and `ValueError`/`RuntimeError` are @mp/context's
 * classes, which keep their class.)
 */
import { ValueError } from '@mp/context';
import { reprString } from './repr.js';

function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** Python's `KeyError: 'x'`. */
export function keyError(key: unknown, detail?: string): Error {
  return named('KeyError', detail ?? (typeof key === 'string' ? reprString(key) : String(key)));
}

/** Python's `AttributeError: 'Namespace' object has no attribute 'x'`. */
export function attributeError(owner: string, name: string): Error {
  return named('AttributeError', `'${owner}' object has no attribute ${reprString(name)}`);
}

/** Python's `IndexError`, as JavaScript's RangeError. */
export function indexError(message: string): RangeError {
  return new RangeError(message);
}

export { ValueError };
