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
  // import.meta.url in the CJS build (used to find worker entries and remote-op modules).
  shims: true,
});
