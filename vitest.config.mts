import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@': path.dirname(fileURLToPath(import.meta.url)),
      // Tests render server components outside Next.js: the server-only marker is the empty module it is on the server.
      'server-only': path.join(path.dirname(fileURLToPath(import.meta.url)), 'node_modules', 'server-only', 'empty.js'),
    },
  },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // better-sqlite3 is a native addon: keep the default 'forks' pool.
    pool: 'forks',
    testTimeout: 60_000,
    // A request waits this long for the facts to follow an import (lib/metrics/fact-store.ts): the tests'
    // imports are tiny, and each must be seen by the next request on a busy machine too. The short wait of
    // production is tested on its own (test/metrics/incremental.test.ts).
    env: { FACTS_WAIT_MS: '30000' },
    hookTimeout: 300_000,
    // A PostgreSQL server for the PostgreSQL engine's tests (or the reason there is none).
    globalSetup: ['test/setup/postgres.ts'],
  },
});
