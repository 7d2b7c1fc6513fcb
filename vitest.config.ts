import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(__dirname) } },
  esbuild: { jsx: 'automatic' },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // better-sqlite3 is a native addon: keep the default 'forks' pool.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
