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
  // import.meta.url in the CJS build, per output file (entry or chunk) as in the ESM build.
  // tsup's `shims` would define it once, in a shared chunk when splitting, so every module of the
  // CJS build would report that chunk's URL (a by-value function using `currentProcess` then
  // failed in the child: the chunk has no such export).
  shims: false,
  banner: ({ format }) => (format === 'cjs' ? { js: "const __mpImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" } : {}),
  esbuildOptions(options, { format }) {
    if (format === 'cjs') options.define = { ...options.define, 'import.meta.url': '__mpImportMetaUrl' };
  },
  // One copy of each module in ESM (shared chunks), so index and entries share state.
  splitting: true,
});
