// The access suite (access-suite.ts) with the app on PostgreSQL: sessions,
// tokens, throttling and the audit trail in the database server.
import { describe, it } from 'vitest';
import { POSTGRES_ADMIN_URL, POSTGRES_SKIPPED } from '../helpers/postgres';
import { accessSuite } from './access-suite';

if (POSTGRES_ADMIN_URL) accessSuite('postgres');
else describe.skip(`access control on PostgreSQL: skipped, ${POSTGRES_SKIPPED}`, () => it('needs a PostgreSQL server', () => undefined));
