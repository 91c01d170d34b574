/**
 * The scope walk over an acorn (ESTree) AST. Every declaration is recorded in the scope where it
 * lives (`var` and sloppy block functions in the nearest function scope, `let`/`const`/`class` in
 * their block, params incl. destructuring and defaults, catch params, the inner name of function
 * and class expressions, `arguments` in non-arrow functions); every identifier *reference* is
 * recorded with the scope it occurs in (not member names `.x`, not non-computed keys, not labels).
 * References are resolved after the walk, so hoisting order does not matter.
 */
import type { Node } from 'acorn';

export type AnyNode = Node & Record<string, unknown>;

export class Scope {
  readonly names = new Set<string>();
  constructor(
    readonly parent: Scope | null,
    readonly isFunction: boolean,
  ) {}
  functionScope(): Scope {
    let s: Scope = this;
    while (!s.isFunction && s.parent) s = s.parent;
    return s;
  }
  has(name: string): boolean {
    for (let s: Scope | null = this; s; s = s.parent) if (s.names.has(name)) return true;
    return false;
  }
}

export interface Ref {
  readonly name: string;
  readonly scope: Scope;
  readonly member: string | undefined;
}

const SKIP_KEYS = new Set(['type', 'start', 'end', 'loc', 'range', 'raw', 'value', 'regex', 'bigint']);

export class Walker {
  readonly refs: Ref[] = [];

  ref(name: string, scope: Scope, member?: string): void {
    this.refs.push({ name, scope, member });
  }

  visit(node: AnyNode | null | undefined, scope: Scope): void {
    if (!node) return;
    switch (node.type) {
      case 'Identifier':
        this.ref(node['name'] as string, scope);
        return;
      case 'MemberExpression': {
        const object = node['object'] as AnyNode;
        const property = node['property'] as AnyNode;
        if (object.type === 'Identifier') {
          let member: string | undefined;
          if (!node['computed'] && property.type === 'Identifier') member = property['name'] as string;
          else if (node['computed'] && property.type === 'Literal' && typeof property['value'] === 'string') {
            member = property['value'];
          }
          this.ref(object['name'] as string, scope, member);
        } else {
          this.visit(object, scope);
        }
        if (node['computed']) this.visit(property, scope);
        return;
      }
      case 'Property':
      case 'MethodDefinition':
      case 'PropertyDefinition':
        if (node['computed']) this.visit(node['key'] as AnyNode, scope);
        if (node.type === 'PropertyDefinition') {
          this.visit(node['value'] as AnyNode | null, new Scope(scope, true));
        } else {
          this.visit(node['value'] as AnyNode, scope);
        }
        return;
      case 'FunctionDeclaration': {
        const id = node['id'] as AnyNode | null;
        if (id) {
          scope.names.add(id['name'] as string);
          // Annex B: a block-level function in sloppy code is also var-scoped. Being lenient here
          // can only hide an error that the child would report anyway.
          scope.functionScope().names.add(id['name'] as string);
        }
        this.visitFunction(node, scope);
        return;
      }
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        this.visitFunction(node, scope);
        return;
      case 'ClassDeclaration': {
        const id = node['id'] as AnyNode | null;
        if (id) scope.names.add(id['name'] as string);
        this.visitClass(node, scope);
        return;
      }
      case 'ClassExpression':
        this.visitClass(node, scope);
        return;
      case 'BlockStatement':
      case 'StaticBlock':
        this.visitAll(node['body'] as AnyNode[], new Scope(scope, node.type === 'StaticBlock'));
        return;
      case 'VariableDeclaration': {
        const target = node['kind'] === 'var' ? scope.functionScope() : scope;
        for (const d of node['declarations'] as AnyNode[]) {
          this.declare(d['id'] as AnyNode, target, scope);
          this.visit(d['init'] as AnyNode | null, scope);
        }
        return;
      }
      case 'ForStatement': {
        const s = new Scope(scope, false);
        this.visit(node['init'] as AnyNode | null, s);
        this.visit(node['test'] as AnyNode | null, s);
        this.visit(node['update'] as AnyNode | null, s);
        this.visit(node['body'] as AnyNode, s);
        return;
      }
      case 'ForInStatement':
      case 'ForOfStatement': {
        const s = new Scope(scope, false);
        const left = node['left'] as AnyNode;
        if (left.type === 'VariableDeclaration') this.visit(left, s);
        else this.assignTarget(left, s);
        this.visit(node['right'] as AnyNode, s);
        this.visit(node['body'] as AnyNode, s);
        return;
      }
      case 'CatchClause': {
        const s = new Scope(scope, false);
        const param = node['param'] as AnyNode | null;
        if (param) this.declare(param, s, s);
        this.visit(node['body'] as AnyNode, s);
        return;
      }
      case 'SwitchStatement': {
        this.visit(node['discriminant'] as AnyNode, scope);
        const s = new Scope(scope, false);
        for (const c of node['cases'] as AnyNode[]) {
          this.visit(c['test'] as AnyNode | null, s);
          this.visitAll(c['consequent'] as AnyNode[], s);
        }
        return;
      }
      case 'LabeledStatement':
        this.visit(node['body'] as AnyNode, scope);
        return;
      case 'AssignmentExpression':
        this.assignTarget(node['left'] as AnyNode, scope);
        this.visit(node['right'] as AnyNode, scope);
        return;
      case 'BreakStatement':
      case 'ContinueStatement':
      case 'MetaProperty':
      case 'ThisExpression':
      case 'Super':
      case 'Literal':
      case 'PrivateIdentifier':
      case 'TemplateElement':
        return;
      default:
        this.visitChildren(node, scope);
    }
  }

  visitAll(nodes: (AnyNode | null)[], scope: Scope): void {
    for (const n of nodes) this.visit(n, scope);
  }

  visitChildren(node: AnyNode, scope: Scope): void {
    for (const key in node) {
      if (SKIP_KEYS.has(key)) continue;
      const child = node[key];
      if (Array.isArray(child)) {
        for (const c of child) if (c && typeof c === 'object' && 'type' in c) this.visit(c as AnyNode, scope);
      } else if (child && typeof child === 'object' && 'type' in child) {
        this.visit(child as AnyNode, scope);
      }
    }
  }

  visitFunction(node: AnyNode, outer: Scope): void {
    let parent = outer;
    const id = node['id'] as AnyNode | null;
    if (node.type === 'FunctionExpression' && id) {
      parent = new Scope(outer, false);
      parent.names.add(id['name'] as string);
    }
    const s = new Scope(parent, true);
    if (node.type !== 'ArrowFunctionExpression') s.names.add('arguments');
    for (const p of node['params'] as AnyNode[]) this.declare(p, s, s);
    const body = node['body'] as AnyNode;
    if (body.type === 'BlockStatement') this.visitAll(body['body'] as AnyNode[], s);
    else this.visit(body, s);
  }

  visitClass(node: AnyNode, outer: Scope): void {
    this.visit(node['superClass'] as AnyNode | null, outer);
    const s = new Scope(outer, false);
    const id = node['id'] as AnyNode | null;
    if (id) s.names.add(id['name'] as string);
    for (const el of (node['body'] as AnyNode)['body'] as AnyNode[]) this.visit(el, s);
  }

  /** A binding pattern: identifiers are declared in `target`; defaults/computed keys are references. */
  declare(p: AnyNode, target: Scope, refScope: Scope): void {
    switch (p.type) {
      case 'Identifier':
        target.names.add(p['name'] as string);
        return;
      case 'ObjectPattern':
        for (const prop of p['properties'] as AnyNode[]) {
          if (prop.type === 'RestElement') this.declare(prop['argument'] as AnyNode, target, refScope);
          else {
            if (prop['computed']) this.visit(prop['key'] as AnyNode, refScope);
            this.declare(prop['value'] as AnyNode, target, refScope);
          }
        }
        return;
      case 'ArrayPattern':
        for (const el of p['elements'] as (AnyNode | null)[]) if (el) this.declare(el, target, refScope);
        return;
      case 'RestElement':
        this.declare(p['argument'] as AnyNode, target, refScope);
        return;
      case 'AssignmentPattern':
        this.declare(p['left'] as AnyNode, target, refScope);
        this.visit(p['right'] as AnyNode, refScope);
        return;
      default:
        this.visit(p, refScope);
    }
  }

  /** An assignment target (`x = 1`, `[a, b] = v`, `for (x of ...)`): identifiers are references. */
  assignTarget(p: AnyNode, scope: Scope): void {
    switch (p.type) {
      case 'ObjectPattern':
        for (const prop of p['properties'] as AnyNode[]) {
          if (prop.type === 'RestElement') this.assignTarget(prop['argument'] as AnyNode, scope);
          else {
            if (prop['computed']) this.visit(prop['key'] as AnyNode, scope);
            this.assignTarget(prop['value'] as AnyNode, scope);
          }
        }
        return;
      case 'ArrayPattern':
        for (const el of p['elements'] as (AnyNode | null)[]) if (el) this.assignTarget(el, scope);
        return;
      case 'RestElement':
        this.assignTarget(p['argument'] as AnyNode, scope);
        return;
      case 'AssignmentPattern':
        this.assignTarget(p['left'] as AnyNode, scope);
        this.visit(p['right'] as AnyNode, scope);
        return;
      default:
        this.visit(p, scope);
    }
  }
}
