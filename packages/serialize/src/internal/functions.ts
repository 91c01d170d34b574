/**
 * Sender side of functions and classes by source: source analysis (cached), the free-variable
 * check, and the bindings the receiver must provide.
 *
 * A free variable of a by-value function must be one of, in this order of precedence:
 * a `withScope` name; a vitest import object (`__vite_ssr_import_1__.helper`: each member must be a
 * scope name, a registered library export, or the class's own base class); the identifier of a
 * class's `extends` clause (bound to `Object.getPrototypeOf(Cls)` unless it is that global);
 * a transformer helper (`__name`, `__vite_ssr_dynamic_import__`, `require`); a global of this
 * isolate (`name in globalThis`, minus test-runner globals); a registered library export.
 */
import { analyzeSource, UnparsableSource, type FreeUse, type SourceAnalysis } from './free-variables.js';
import { Failure } from './path.js';
import { registry, remember } from './registry.js';

const fnToString = Function.prototype.toString;
const bySource = new Map<string, SourceAnalysis>();
const byFunction = new WeakMap<Function, SourceAnalysis>();

const NATIVE = /\{\s*\[native code\]\s*\}\s*$/;
/** Objects through which vitest (vite SSR) reaches imported bindings. */
export const VITE_IMPORT = /^__(?:vite_ssr_import|vi_import)_\d+__$/;
/** Helpers injected by transformers, provided by the receiver. */
export const HELPERS = new Set(['__name', '__vite_ssr_dynamic_import__', 'require']);
const TEST_GLOBALS = new Set([
  'describe', 'it', 'test', 'expect', 'vi', 'vitest', 'suite', 'bench', 'beforeAll', 'afterAll',
  'beforeEach', 'afterEach', 'onTestFailed', 'onTestFinished', 'assert', 'chai', 'expectTypeOf', 'assertType',
]);

/** Exists in the receiver: approximated by "exists here", minus what only a test runner defines. */
export function isGlobal(name: string): boolean {
  if (!(name in globalThis)) return false;
  if (name.startsWith('__vi')) return false;
  if (TEST_GLOBALS.has(name) && '__vitest_worker__' in globalThis) return false;
  return true;
}

function label(fn: Function): string {
  const name = fn.name;
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : 'fn';
}

/** The parsed form of a function, or a Failure explaining why it has none. */
export function analysisOf(fn: Function): SourceAnalysis {
  const cached = byFunction.get(fn);
  if (cached) return cached;
  const src = fnToString.call(fn);
  if (NATIVE.test(src)) {
    if (fn.name.startsWith('bound ')) {
      throw new Failure(
        fn,
        (path) =>
          `Cannot serialize ${path}: bound functions cannot be serialized: \`${fn.name}\` hides its target function, \`this\` and bound arguments. Pass the unbound function and its arguments instead (e.g. a lambda that receives them through withScope).`,
      );
    }
    throw new Failure(
      fn,
      (path) =>
        `Cannot serialize ${path}: native function ${fn.name || '(anonymous)'} has no JavaScript source to send. Call it from a lambda in the child, or export a wrapper from a module and use ref().`,
    );
  }
  let analysis = bySource.get(src);
  if (!analysis) {
    try {
      analysis = remember(bySource, src, analyzeSource(src), 2000);
    } catch (error) {
      if (!(error instanceof UnparsableSource)) throw error;
      throw new Failure(
        fn,
        (path) =>
          `Cannot serialize ${path}: the source of function ${fn.name || '(anonymous)'} could not be parsed as a function (${error.message}). If its toString() was overridden, use ref() or registerReducer().`,
      );
    }
  }
  byFunction.set(fn, analysis);
  return analysis;
}

/**
 * How the receiver provides one free variable (see internal/compile.ts):
 * `['s', value]` a value sent along (withScope, implicit base class); `['l', url, export]` a module
 * export; `['h']` a transformer helper; `['v', members]` a vitest import object whose members are
 * `[member, 's', value]` or `[member, 'l', url, export]`.
 */
export type Binding = ['s', unknown] | ['l', string, string] | ['h'] | ['v', unknown[]];

function what(fn: Function, a: SourceAnalysis): string {
  if (a.isClass) return `the class \`${fn.name || '(anonymous)'}\``;
  return fn.name ? `the function \`${fn.name}\`` : 'the function';
}

function missing(fn: Function, a: SourceAnalysis, name: string, shown: string, imported = false): Failure {
  const fix = imported
    ? `Pass it explicitly: withScope(${label(fn)}, { ${name} }), register its module with registerLibraryExports(), or make the ${a.isClass ? 'class' : 'function'} a module export and use ${a.isClass ? 'registerClass()' : 'ref()'}.`
    : a.isClass
    ? `Pass it explicitly: withScope(${label(fn)}, { ${name} }), or register the class in both processes with registerClass(${label(fn)}).`
    : `Pass it explicitly: withScope(${label(fn)}, { ${name} }), or make it a module export and use ref().`;
  return new Failure(fn, (path) => `Cannot serialize ${path}: ${what(fn, a)} uses ${shown}. ${fix}`, name);
}

function viteMembers(fn: Function, a: SourceAnalysis, object: string, use: FreeUse, scope: Readonly<Record<string, unknown>>, modules: Set<string>): unknown[] {
  if (use.bare) {
    throw new Failure(
      fn,
      (path) =>
        `Cannot serialize ${path}: ${what(fn, a)} uses the module object \`${object}\` (an import that vitest rewrote) as a value, which will not exist in the child process. Use named imports and pass them with withScope(${label(fn)}, { ... }).`,
      object,
    );
  }
  const out: unknown[] = [];
  for (const member of use.members) {
    if (Object.hasOwn(scope, member)) {
      out.push([member, 's', scope[member]]);
    } else if (a.superClass?.name === object && a.superClass.member === member) {
      out.push([member, 's', Object.getPrototypeOf(fn)]);
    } else {
      const url = registry.libraryNames.get(member);
      if (!url) {
        throw missing(fn, a, member, `\`${member}\` (imported from another module; vitest rewrote it as ${object}.${member}), which will not exist in the child process`, true);
      }
      modules.add(url);
      out.push([member, 'l', url, member]);
    }
  }
  return out;
}

/** The bindings of `fn`'s free variables, or a Failure naming the first one that cannot be provided. */
export function bindingsOf(fn: Function, a: SourceAnalysis, modules: Set<string>): { names: string[]; bindings: Binding[] } {
  const scope = registry.scopes.get(fn) ?? {};
  const names: string[] = [];
  const bindings: Binding[] = [];
  const bind = (name: string, b: Binding) => {
    names.push(name);
    bindings.push(b);
  };
  for (const [name, use] of a.free) {
    if (Object.hasOwn(scope, name)) {
      bind(name, ['s', scope[name]]);
    } else if (VITE_IMPORT.test(name)) {
      bind(name, ['v', viteMembers(fn, a, name, use, scope, modules)]);
    } else if (a.superClass?.name === name && a.superClass.member === undefined) {
      const base = Object.getPrototypeOf(fn) as unknown;
      if (!(isGlobal(name) && (globalThis as Record<string, unknown>)[name] === base)) bind(name, ['s', base]);
    } else if (HELPERS.has(name)) {
      bind(name, ['h']);
    } else if (!isGlobal(name)) {
      const url = registry.libraryNames.get(name);
      if (!url) throw missing(fn, a, name, `\`${name}\`, a variable that will not exist in the child process`);
      modules.add(url);
      bind(name, ['l', url, name]);
    }
  }
  return { names, bindings };
}

/** Payload flag: revive once per isolate and reuse (classes and constructors with prototype members). */
export const CLASS_LIKE = 1;

/**
 * The payload of a by-source function: ['F', expr, name, flags, names, bindings, props, protoProps].
 * `names` (strings only) comes before `bindings` so that it is complete even when the receiver
 * revives the function from inside a cycle through its bindings.
 */
export function functionPayload(fn: Function, modules: Set<string>): unknown[] {
  const a = analysisOf(fn);
  const { names, bindings } = bindingsOf(fn, a, modules);
  const props: unknown[] = [];
  for (const k of Object.keys(fn)) props.push(k, (fn as unknown as Record<string, unknown>)[k]);
  const protoProps: unknown[] = [];
  const proto = (fn as { prototype?: unknown }).prototype;
  if (proto && typeof proto === 'object') {
    for (const k of Object.keys(proto)) protoProps.push(k, (proto as Record<string, unknown>)[k]);
  }
  const flags = a.isClass || protoProps.length > 0 ? CLASS_LIKE : 0;
  return ['F', a.expr, fn.name, flags, names, bindings, props, protoProps];
}
