import { defineConfig, mergeConfig } from 'vitest/config';
import shared from './vitest.shared.js';

/**
 * Running vitest from the repository root (e.g. `npx vitest run path/to/some.test.ts`): the same
 * settings as every package, for test files anywhere in the repository.
 */
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      include: ['**/*.test.ts', '**/*.test.mts', '**/*.test.js', '**/*.test.mjs'],
      exclude: ['**/node_modules/**', '**/dist/**'],
    },
  }),
);
