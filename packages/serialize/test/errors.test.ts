import { describe, expect, it } from 'vitest';
import { SerializationError, dumps, loads } from '@mp/serialize';
import { roundTrip } from './helpers.js';

class HttpError extends Error {
  status: number;
  constructor(message: string, status: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HttpError';
    this.status = status;
  }
}

class NotFound extends HttpError {
  constructor(what: string) {
    super(`${what} not found`, 404);
    this.name = 'NotFound';
  }
}

describe('errors', () => {
  it('round-trips an Error with name, message, stack, cause and own properties', () => {
    const err = Object.assign(new Error('boom', { cause: { code: 1 } }), { extra: [1, 2], when: new Date(3) });
    const back = roundTrip(err);
    expect(back).toBeInstanceOf(Error);
    expect(Object.prototype.toString.call(back)).toBe('[object Error]');
    expect(back.name).toBe('Error');
    expect(back.message).toBe('boom');
    expect(back.stack).toBe(err.stack);
    expect(back.cause).toEqual({ code: 1 });
    expect(back.extra).toEqual([1, 2]);
    expect(back.when.getTime()).toBe(3);
    expect(Object.keys(back)).toEqual(['extra', 'when']); // message, stack, cause stay non-enumerable
  });

  it.each([TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError])('round-trips a %o as its own class', (Kind) => {
    const back = roundTrip(new Kind('bad'));
    expect(back).toBeInstanceOf(Kind);
    expect(back.name).toBe(Kind.name);
    expect(back.message).toBe('bad');
  });

  it('round-trips an AggregateError with its errors and cause', () => {
    const err = new AggregateError([new TypeError('a'), new RangeError('b')], 'many', { cause: 'root' });
    const back = roundTrip(err);
    expect(back).toBeInstanceOf(AggregateError);
    expect(back.errors.map((e: Error) => e.constructor.name)).toEqual(['TypeError', 'RangeError']);
    expect(back.cause).toBe('root');
    expect(Object.getOwnPropertyDescriptor(back, 'errors')?.enumerable).toBe(false);
  });

  it('round-trips user Error subclasses defined by source, keeping instanceof', () => {
    const back = roundTrip({ a: new NotFound('page'), b: new HttpError('teapot', 418, { cause: new Error('inner') }) });
    expect(back.a).toBeInstanceOf(Error);
    expect(back.a.constructor.name).toBe('NotFound');
    expect(back.a.name).toBe('NotFound');
    expect(back.a.message).toBe('page not found');
    expect(back.a.status).toBe(404);
    expect(back.a instanceof back.b.constructor).toBe(true); // NotFound extends the revived HttpError
    expect(back.b.status).toBe(418);
    expect((back.b.cause as Error).message).toBe('inner');
  });

  it('keeps identity of an error that is its own cause, and errors shared in a graph', () => {
    const err = new Error('loop');
    (err as { cause?: unknown }).cause = err;
    const back = roundTrip({ err, again: err });
    expect(back.err.cause).toBe(back.err);
    expect(back.again).toBe(back.err);
  });

  it("falls back to the nearest built-in class when an error's class cannot be sent (Node's internal errors)", () => {
    let nodeError: Error & { code?: string } = new Error();
    try {
      Buffer.alloc(-1);
    } catch (e) {
      nodeError = e as Error & { code?: string };
    }
    expect(nodeError.code).toBe('ERR_OUT_OF_RANGE');
    const back = roundTrip(nodeError);
    expect(back).toBeInstanceOf(RangeError);
    expect(back.code).toBe('ERR_OUT_OF_RANGE');
    expect(back.message).toBe(nodeError.message);
    expect(back.name).toBe(nodeError.name);

    let helperValue = 1;
    class UsesOuter extends Error {
      override get name() {
        return `UsesOuter${helperValue}`;
      }
    }
    const back2 = roundTrip(new UsesOuter('x'));
    helperValue = 2;
    expect(back2).toBeInstanceOf(Error);
    expect(back2.name).toBe('UsesOuter1');
  });

  it('round-trips a DOMException (AbortError)', () => {
    const ac = new AbortController();
    ac.abort();
    const back = roundTrip(ac.signal.reason as DOMException);
    expect(back).toBeInstanceOf(DOMException);
    expect(back.name).toBe('AbortError');
  });

  it('round-trips a SerializationError as a SerializationError', () => {
    let err: unknown;
    try {
      dumps({ w: new WeakMap() });
    } catch (e) {
      err = e;
    }
    const back = loads<SerializationError>(dumps(err));
    expect(back).toBeInstanceOf(SerializationError);
    expect(back.path).toBe('value.w');
  });
});
