/**
 * Free-variable analysis of a function's or class's source text (what `fn.toString()` gives).
 *
 * The source is parsed with acorn as an expression: `(src)` for arrows, `function`s and classes;
 * `({ src })` for what is only valid inside an object literal (method shorthand, getters, setters,
 * computed-name methods, class methods incl. static ones, whose `toString()` has no `static`).
 * Then the scope walk (scope-walker.ts) finds the references that no enclosing scope declares:
 * the free variables.
 */
import { createRequire } from 'node:module';
import type { Options } from 'acorn';
import { Scope, Walker, type AnyNode } from './scope-walker.js';

// acorn is loaded on first use: a child process decodes far more often than it encodes a
// function, and loading the parser costs ~20 ms of every child's start-up.
let acornParse: typeof import('acorn').parse | undefined;
function parse(code: string, options: Options): ReturnType<typeof import('acorn').parse> {
  acornParse ??= (createRequire(import.meta.url)('acorn') as typeof import('acorn')).parse;
  return acornParse(code, options);
}

/** How a free variable is used. */
export interface FreeUse {
  /** Used other than as `name.member` (called, passed, `typeof`-ed...). */
  bare: boolean;
  /** Members read as `name.member` or `name['member']` (for transformer import objects). */
  readonly members: Set<string>;
}

/** The result of analysing one source text. */
export interface SourceAnalysis {
  /** A JS expression that evaluates to the function (free variables still free). */
  readonly expr: string;
  readonly isClass: boolean;
  /** Free variable name → how it is used. */
  readonly free: ReadonlyMap<string, FreeUse>;
  /** `class X extends <superClass>`: an identifier, or `obj.prop` of an identifier. */
  readonly superClass?: { readonly name: string; readonly member?: string };
  /** The class has `#private` members (instances cannot be rebuilt without the constructor). */
  readonly hasPrivate: boolean;
}

const SCRIPT: Options = { ecmaVersion: 'latest', sourceType: 'script', allowAwaitOutsideFunction: false };
const MODULE: Options = { ecmaVersion: 'latest', sourceType: 'module' };

function tryParse(code: string): AnyNode | undefined {
  for (const options of [SCRIPT, MODULE]) {
    try {
      const program = parse(code, options) as unknown as AnyNode;
      const body = program['body'] as AnyNode[];
      if (body.length === 1 && body[0]?.type === 'ExpressionStatement') return body[0]['expression'] as AnyNode;
      return undefined;
    } catch {
      // try the next source type
    }
  }
  return undefined;
}

const FUNCTION_TYPES = new Set(['ArrowFunctionExpression', 'FunctionExpression', 'ClassExpression']);

/** Thrown when the source is not a function expression in any of the accepted forms. */
export class UnparsableSource extends Error {}

/**
 * Analyse a function's source (`fn.toString()`). Throws {@link UnparsableSource} when the text is
 * not a function, class, method, getter or setter.
 */
export function analyzeSource(src: string): SourceAnalysis {
  let expr: string;
  let root: AnyNode | undefined;
  // 1. Arrows, functions, classes: valid as a parenthesized expression.
  const asExpr = `(${src}\n)`;
  const node = tryParse(asExpr);
  if (node && FUNCTION_TYPES.has(node.type) && node.start === 1) {
    expr = asExpr;
    root = node;
  } else {
    // 2. Methods, getters, setters: valid inside an object literal. A computed key is replaced by a
    //    fixed name (the key's expression may use variables of the defining scope); the real name
    //    is restored on the revived function.
    const prop = tryObjectMember(src);
    if (!prop) throw new UnparsableSource(src.length > 80 ? `${src.slice(0, 80)}…` : src);
    expr = prop.expr;
    root = prop.value;
  }
  const walker = new Walker();
  const top = new Scope(null, true);
  walker.visit(root, top);
  const free = new Map<string, FreeUse>();
  for (const r of walker.refs) {
    if (r.scope.has(r.name)) continue;
    let use = free.get(r.name);
    if (!use) free.set(r.name, (use = { bare: false, members: new Set() }));
    if (r.member === undefined) use.bare = true;
    else use.members.add(r.member);
  }
  const isClass = root.type === 'ClassExpression';
  let superClass: SourceAnalysis['superClass'];
  let hasPrivate = false;
  if (isClass) {
    const sc = root['superClass'] as AnyNode | null;
    if (sc?.type === 'Identifier') superClass = { name: sc['name'] as string };
    else if (sc?.type === 'MemberExpression' && !sc['computed']) {
      const obj = sc['object'] as AnyNode;
      const prop = sc['property'] as AnyNode;
      if (obj.type === 'Identifier' && prop.type === 'Identifier') {
        superClass = { name: obj['name'] as string, member: prop['name'] as string };
      }
    }
    for (const el of (root['body'] as AnyNode)['body'] as AnyNode[]) {
      if ((el['key'] as AnyNode | undefined)?.type === 'PrivateIdentifier') hasPrivate = true;
    }
  }
  return { expr, isClass, free, ...(superClass ? { superClass } : {}), hasPrivate };
}

function tryObjectMember(src: string): { expr: string; value: AnyNode } | undefined {
  const wrap = (s: string) => `({${s}\n})`;
  let obj = tryParse(wrap(src));
  if (obj?.type !== 'ObjectExpression') return undefined;
  let prop = (obj['properties'] as AnyNode[])[0];
  if (!prop || (obj['properties'] as AnyNode[]).length !== 1 || prop.type !== 'Property') return undefined;
  if (!prop['method'] && prop['kind'] === 'init') return undefined;
  let key: string;
  let text = src;
  const keyNode = prop['key'] as AnyNode;
  if (prop['computed']) {
    key = 'k';
    // positions are in the wrapped text, which starts with `({`
    text = `${src.slice(0, keyNode.start - 2)}"k"${src.slice(keyNode.end - 2)}`;
    obj = tryParse(wrap(text));
    prop = obj && (obj['properties'] as AnyNode[])[0];
    if (!prop) return undefined;
  } else if (keyNode.type === 'Identifier') {
    key = keyNode['name'] as string;
  } else if (keyNode.type === 'Literal') {
    key = String(keyNode['value']);
  } else {
    return undefined; // #private methods cannot be taken out of their class
  }
  const field = prop['kind'] === 'get' ? 'get' : prop['kind'] === 'set' ? 'set' : 'value';
  return {
    expr: `Object.getOwnPropertyDescriptor(${wrap(text)}, ${JSON.stringify(key)}).${field}`,
    value: prop['value'] as AnyNode,
  };
}
