import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests spawn real processes and threads: run files one at a time on 2 cores.
    fileParallelism: false,
    // Load the built library natively (not through vite) so a test and its children run the same code.
    server: { deps: { external: [/\/packages\/[^/]+\/dist\//, /@mp\//, /multiprocess/] } },
  },
});
