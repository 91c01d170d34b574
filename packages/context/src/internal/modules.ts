/**
 * Library modules a child should import before decoding what its parent sent: the modules that
 * registered library names (free variables of by-value functions) and shared-object kinds.
 */
import { libraryModules as serializeModules } from '@mp/serialize/spi';

const KEY = Symbol.for('@mp/context.modules');
const modules: Set<string> = ((globalThis as Record<symbol, unknown>)[KEY] ??= new Set<string>()) as Set<string>;

/** Records a module that children should import first. */
export function addLibraryModule(url: string): void {
  modules.add(url);
}

/** Modules registered here and through @mp/serialize's `registerLibraryExports`. */
export function libraryModules(): string[] {
  return [...new Set([...serializeModules(), ...modules])];
}
