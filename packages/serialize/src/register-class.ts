import { registry } from './internal/registry.js';

/**
 * Any class (the constraint of {@link registerClass}'s type parameter).
 *
 * @example
 * ```ts
 * const classes: AnyClass[] = [Point, Vector];
 * classes.forEach((c) => registerClass(c));
 * ```
 */
export type AnyClass = abstract new (...args: never[]) => unknown;

/**
 * Send instances of `cls` by name instead of by source: they revive as
 * `Object.create(cls.prototype)` with their own enumerable properties (the constructor is not
 * run), and `cls` itself, found as a value, is sent by name too.
 *
 * The receiving process must register the same class under the same name; put the call next to
 * the class so that importing its module registers it everywhere.
 *
 * @param cls - the class.
 * @param name - the name on the wire (default `cls.name`); must be unique among registered classes.
 * @returns `cls`, for `export const Point = registerClass(class Point { ... })`.
 * @example
 * ```ts
 * import { registerClass, dumps, loads } from '@mp/serialize';
 * export class Point { constructor(public x = 0, public y = 0) {} norm() { return Math.hypot(this.x, this.y); } }
 * registerClass(Point);
 * loads<Point>(dumps(new Point(3, 4))).norm(); // 5
 * ```
 */
export function registerClass<C extends AnyClass>(cls: C, name: string = cls.name): C {
  if (typeof cls !== 'function') throw new TypeError('registerClass(cls, name?): cls must be a class');
  if (!name) throw new TypeError('registerClass(cls, name?): an anonymous class needs a name');
  const existing = registry.classesByName.get(name);
  if (existing && existing !== cls && existing.toString() !== cls.toString() && !sameShape(existing as AnyClass, cls)) {
    throw new TypeError(`registerClass: the name \`${name}\` is already registered for another class. Pass a unique name: registerClass(cls, 'my-lib:${name}').`);
  }
  registry.classesByName.set(name, cls);
  registry.namesByClass.set(cls, name);
  return cls;
}

/**
 * Two copies of one class: the same name, base class name and own members. This is what a
 * program gets when it loads both the ESM and the CommonJS build of a package (the dual-package
 * hazard): their sources differ (`extends RuntimeError` / `extends import_context.RuntimeError`),
 * but registering the second copy must not fail the import.
 */
function sameShape(a: AnyClass, b: AnyClass): boolean {
  const keys = (o: object) => Reflect.ownKeys(o).map(String).sort().join(',');
  const base = (c: AnyClass) => (Object.getPrototypeOf(c) as { name?: string } | null)?.name;
  return a.name === b.name && base(a) === base(b) && keys(a) === keys(b) && keys(a.prototype as object) === keys(b.prototype as object);
}
