import { defineConfig } from 'vitest/config';

/** The vitest configuration every package uses (`export { default } from '../../vitest.shared'`). */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests spawn real processes and threads: run files one at a time on 2 cores.
    fileParallelism: false,
    // Load the built packages natively (not through vite), so that a test and the children it
    // starts run the same code, and children can import the modules the parent registered.
    server: { deps: { external: [/\/packages\/[^/]+\/dist\//] } },
  },
});
