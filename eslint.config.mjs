// ESLint (issue 16): Next.js's own rules (core web vitals, TypeScript), and
// the type-aware rules that catch faults the compiler lets through: a
// promise nobody awaits, or handed where a plain value is expected, fails
// silently, and the store becomes async (issue 17). Run by `npm run lint`,
// which `npm test` runs first.
import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores(['.next*/**', 'node_modules/**', 'reports/**', '.stryker-tmp*/**', 'coverage/**', 'test-artifacts/**', 'data/**', 'next-env.d.ts']),
  // server.js and next.config.js are CommonJS: Node runs them as they are (package.json has no "type": "module").
  { files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      // A cast the compiler no longer needs would hide the next change of type (the store's reads become promises).
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
]);
