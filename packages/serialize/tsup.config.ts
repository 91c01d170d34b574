import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/spi.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  // Build in place (no wipe): other packages' tests load this dist while it rebuilds. prepack cleans.
  clean: false,
  target: 'node20',
  keepNames: true,
  // devalue ships ESM only: bundle it so that the CJS build never require()s an ES module.
  noExternal: ['devalue'],
  // One shared chunk for `.` and `./spi` in both formats (state also lives on globalThis, so two
  // copies would still agree, but one is smaller).
  splitting: true,
  // import.meta.url in the CJS build, per output file (entry or chunk) as in the ESM build.
  // tsup's `shims` would define it once, in a shared chunk when splitting, so every module of the
  // CJS build would report that chunk's URL (a by-value function using `currentProcess` then
  // failed in the child: the chunk has no such export).
  shims: false,
  banner: ({ format }) => (format === 'cjs' ? { js: "const __mpImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" } : {}),
  esbuildOptions(options, { format }) {
    if (format === 'cjs') options.define = { ...options.define, 'import.meta.url': '__mpImportMetaUrl' };
  },
});
