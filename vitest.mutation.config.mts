// The tests StrykerJS runs against each mutant (npm run test:mutation): the
// unit and metrics tests and two integration files, which need neither a
// build nor a browser; the 1,000,000-row bounded-work test is left out (it
// measures time, not figures). No memoised figure outlives a test
// (vitest.mutation.setup.ts). Stryker runs them in a copy of the project
// under .stryker-tmp/, so the shared fixtures are named from the real root.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));
// (any folder named .stryker-tmp…, so that two runs at once can each have one)
const root = here.split(/[\\/]\.stryker-tmp[^\\/]*[\\/]/)[0];
process.env.TAKEDOWN_SHARED_DIR = path.resolve(root, '..', 'shared');

export default defineConfig({
  resolve: {
    alias: {
      '@': here,
      'server-only': path.join(here, 'node_modules', 'server-only', 'empty.js'),
    },
  },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/metrics/**/*.test.ts', 'test/integration/import-errors.test.ts', 'test/integration/dal.test.tsx'],
    // (the linter's own test checks the lint configuration, none of the mutated code)
    exclude: ['test/metrics/api-bounded-work.test.ts', 'test/unit/lint.test.ts'],
    setupFiles: ['vitest.mutation.setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    // (as in vitest.config.mts: each test's import is seen by the next request)
    env: { FACTS_WAIT_MS: '30000' },
    hookTimeout: 300_000,
  },
});
