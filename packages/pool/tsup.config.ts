import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker entry is found at run time next to the bundle (dist/entry/worker.js).
  entry: {
    index: 'src/index.ts',
    'entry/worker': 'src/entry/worker.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  // Build in place (no wipe): tests and examples may load this dist while it rebuilds. prepack cleans.
  clean: false,
  target: 'node20',
  // Class and function names as written (Pool.name is 'Pool', not '_Pool').
  keepNames: true,
  // import.meta.url in the CJS build, per output file (entry or chunk) as in the ESM build.
  // tsup's `shims` would define it once, in a shared chunk when splitting, so every module of the
  // CJS build would report that chunk's URL (a by-value function using `currentProcess` then
  // failed in the child: the chunk has no such export).
  shims: false,
  banner: ({ format }) => (format === 'cjs' ? { js: "const __mpImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" } : {}),
  esbuildOptions(options, { format }) {
    if (format === 'cjs') options.define = { ...options.define, 'import.meta.url': '__mpImportMetaUrl' };
  },
  // One copy of each module in ESM (shared chunks), so index and the worker entry share state.
  splitting: true,
});
