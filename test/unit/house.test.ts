// Issue 17: the house enforces itself. db/ is the engine boundary: only
// db/sqlite/ knows SQLite, db/ imports nothing from above it, pages and
// routes reach the database through the store, and components never reach
// db/ even through lib/. Each rule is also shown failing on a deliberate
// violation added to the real tree.
import { describe, expect, it } from 'vitest';
import { houseViolations, projectSources, valueImports, type Sources } from '../helpers/house';

const tree = projectSources();

function withFile(file: string, text: string): Sources {
  return new Map([...tree, [file, text]]);
}

describe('the house', () => {
  it('holds in the code as it is', () => {
    expect(houseViolations(tree)).toEqual([]);
  });

  it('reads value imports and leaves type-only imports out', () => {
    expect(
      valueImports(`import type { A } from '@/db/sqlite/client';
import { type B, type C } from './x';
import { D, type E } from "./y";
export { F } from '../z';
const g = await import('@/lib/g');
import 'server-only';`),
    ).toEqual(['./y', '../z', 'server-only', '@/lib/g']);
  });

  it.each([
    ['lib/metrics/leak.ts', "import Database from 'better-sqlite3';", 'the SQLite engine is imported only under db/sqlite/'],
    ['lib/auth/leak.ts', "import { sqliteTable } from 'drizzle-orm/sqlite-core';", 'the SQLite engine is imported only under db/sqlite/'],
    ['lib/leak.ts', "import { getMeta } from '@/db/sqlite/queries/meta';", 'db/sqlite/ is reached only through the store'],
    ['scripts/leak.ts', "import { SqliteStore } from '@/db/sqlite/store';", 'db/sqlite/ is reached only through the store'],
    ['lib/raw.ts', "export const n = (db: { $client: { name: string } }) => db.$client.name;", 'the raw SQLite client is used only under db/sqlite/'],
    ['db/sqlite/queries/up.ts', "import { parseFilters } from '@/lib/filters';", 'db/ imports nothing from lib/, app/ or components/'],
    ['db/up.ts', "import { Headline } from '../components/layout/headline';", 'db/ imports nothing from lib/, app/ or components/'],
    ['app/leak/page.tsx', "import { countReferrals } from '@/db/sqlite/queries/reference';", 'pages and routes reach the database only through the store (db/open.ts, db/store.ts) and lib/'],
    ['app/leak/route.ts', "import { storeConfig } from '@/db/config';", 'pages and routes reach the database only through the store (db/open.ts, db/store.ts) and lib/'],
  ])('refuses %s: %s', (file, text, rule) => {
    expect(houseViolations(withFile(file, text))).toContainEqual(expect.objectContaining({ rule, file }));
  });

  it('refuses a component that reaches db/ through lib/', () => {
    const sources = withFile('lib/leaky-options.ts', "import { getStore } from '@/db/open';\nexport const options = () => getStore();");
    sources.set('components/filters/leaky.tsx', "import { options } from '@/lib/leaky-options';\nexport const Leaky = () => options();");
    expect(houseViolations(sources)).toContainEqual({
      rule: 'components never reach db/, even through lib/',
      file: 'components/filters/leaky.tsx',
      via: 'lib/leaky-options.ts → db/open.ts',
    });
  });

  it('keeps the code lists components may reach free of imports', () => {
    const codes = tree.get('db/codes.ts')!;
    expect(houseViolations(withFile('db/codes.ts', `import { getStore } from './open';\n${codes}`))).toContainEqual(
      expect.objectContaining({ rule: 'db/codes.ts imports nothing', file: 'db/codes.ts' }),
    );
  });
});
