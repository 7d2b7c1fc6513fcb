// The page checks (page-suite.ts) with the app on PostgreSQL.
import { describe, it } from 'vitest';
import { POSTGRES_ADMIN_URL, POSTGRES_SKIPPED } from '../helpers/postgres';
import { pageSuite } from './page-suite';

if (POSTGRES_ADMIN_URL) pageSuite('postgres');
else describe.skip(`the pages on PostgreSQL: skipped, ${POSTGRES_SKIPPED}`, () => it('needs a PostgreSQL server', () => undefined));
