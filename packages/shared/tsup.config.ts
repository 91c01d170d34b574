import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  // Build in place (no wipe): other packages' tests load this dist while it rebuilds. prepack cleans.
  clean: false,
  target: 'node20',
  // Class and function names as written (Process.name is 'Process', not '_Process').
  keepNames: true,
  // import.meta.url in the CJS build (used to find worker entries and remote-op modules).
  shims: true,
});
