import { defineConfig } from 'tsup';

export default defineConfig({
  // The child and broker entries are found at run time next to the bundle (dist/entry/*.js).
  entry: {
    index: 'src/index.ts',
    spi: 'src/spi.ts',
    'entry/child': 'src/entry/child.ts',
    'entry/broker': 'src/entry/broker.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', spi: 'src/spi.ts' } },
  sourcemap: true,
  // Build in place (no wipe): other packages' tests load this dist while it rebuilds. prepack cleans.
  clean: false,
  target: 'node20',
  // Class and function names as written (Process.name is 'Process', not '_Process').
  keepNames: true,
  // import.meta.url in the CJS build (used to find the entries).
  shims: true,
  // One copy of each module in ESM (shared chunks), so index and entries share state.
  splitting: true,
});
