import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': path.dirname(fileURLToPath(import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // better-sqlite3 is a native addon: keep the default 'forks' pool.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
