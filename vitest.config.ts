import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'scripts/**/*.test.mjs'],
    exclude: ['**/node_modules/**', 'scripts/test-fixtures/**'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
  },
});
