/**
 * Classes that can also be called without `new` (Python's `Value('i', 5)`), as `ctx.Process`
 * is in @mp/context. `instanceof`, statics and subclassing go through to the class.
 */
export function callable<C extends abstract new (...args: never[]) => unknown>(cls: C): unknown {
  return new Proxy(cls, {
    apply: (target, _this, args: unknown[]) => Reflect.construct(target as unknown as new (...a: unknown[]) => unknown, args),
  });
}
