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
  // import.meta.url in the CJS build (used to find the worker entry).
  shims: true,
  // One copy of each module in ESM (shared chunks), so index and the worker entry share state.
  splitting: true,
});
