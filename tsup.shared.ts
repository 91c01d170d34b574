/**
 * The build every @mp package shares: ESM + CJS + .d.ts for Node 20, names kept, and
 * `import.meta.url` correct in every CJS output file. A package's tsup.config.ts passes only what
 * differs (its entries, splitting, bundled dependencies).
 */
import { defineConfig, type Options } from 'tsup';

export function libraryConfig(options: Pick<Options, 'entry' | 'dts' | 'splitting' | 'noExternal'>) {
  return defineConfig({
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    // Build in place (no wipe): other packages' tests load a dist while it rebuilds. prepack cleans.
    clean: false,
    target: 'node20',
    // Class and function names as written (Process.name is 'Process', not '_Process').
    keepNames: true,
    // import.meta.url in the CJS build, per output file (entry or chunk) as in the ESM build: it
    // finds worker entries and names the modules a by-value function's free names come from.
    // tsup's `shims` would define it once, in a shared chunk when splitting, so every module of
    // the CJS build would report that chunk's URL (a by-value function using `currentProcess`
    // then failed in the child: the chunk has no such export).
    shims: false,
    // ('use strict' first: a directive after the banner's statement would be inert.)
    banner: ({ format }) => (format === 'cjs' ? { js: "'use strict'; const __mpImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" } : {}),
    esbuildOptions(esbuild, { format }) {
      if (format === 'cjs') esbuild.define = { ...esbuild.define, 'import.meta.url': '__mpImportMetaUrl' };
    },
    ...options,
  });
}
