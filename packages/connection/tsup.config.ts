import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/spi.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // import.meta.url in the CJS build (used to find worker entries and remote-op modules).
  shims: true,
});
