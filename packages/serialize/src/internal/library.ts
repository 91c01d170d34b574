/**
 * Library modules in the receiver: by-value functions that use a library export (`Queue`,
 * `currentProcess`) and `ref()`s need their module loaded. A module counts as loaded when it has
 * registered itself (`registerLibraryExports`) or was imported for a ref / by `decodeAsync`.
 * Synchronous decoding can otherwise only `require()` it.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { SerializationError } from '../errors.js';
import { registry } from './registry.js';

const nodeRequire = createRequire(import.meta.url);

/** The exports of an already loaded module, or undefined. */
export function loadedModule(url: string): Record<string, unknown> | undefined {
  return registry.libraryModules.get(url) ?? registry.importedModules.get(url);
}

/** The module's exports, loading it synchronously (require) if it was not loaded yet. */
export function loadModuleSync(url: string): Record<string, unknown> {
  const loaded = loadedModule(url);
  if (loaded) return loaded;
  let ns: Record<string, unknown>;
  try {
    ns = nodeRequire(url.startsWith('file:') ? fileURLToPath(url) : url) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const esmOnly = code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE';
    throw new SerializationError(
      esmOnly
        ? `Cannot deserialize: the payload needs module ${url}, which is not loaded in this process and can only be loaded asynchronously. Use decodeAsync() (from '@mp/serialize/spi'), or import that module before calling loads().`
        : `Cannot deserialize: the payload needs module ${url}, which could not be loaded in this process (${(error as Error).message}). Make sure the module exists here, or import it before calling loads().`,
      'value',
      { cause: error },
    );
  }
  // A library module registers itself on evaluation: prefer what it registered.
  const exports = registry.libraryModules.get(url) ?? ns;
  registry.importedModules.set(url, exports);
  return exports;
}

/** The module's exports, importing it if needed. */
export async function loadModule(url: string): Promise<Record<string, unknown>> {
  const loaded = loadedModule(url);
  if (loaded) return loaded;
  const ns = (await import(url)) as Record<string, unknown>;
  const exports = registry.libraryModules.get(url) ?? ns;
  registry.importedModules.set(url, exports);
  return exports;
}

/** An export of a module, synchronously; a clear error when the module lacks it. */
export function exportOf(url: string, name: string): unknown {
  const exports = loadModuleSync(url);
  if (name === 'default' && !('default' in exports)) return exports; // a CommonJS module's exports
  if (!(name in exports)) {
    throw new SerializationError(
      `Cannot deserialize: module ${url} has no export \`${name}\` in this process. Both processes must run the same version of that module.`,
    );
  }
  return exports[name];
}
