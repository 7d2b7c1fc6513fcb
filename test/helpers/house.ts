// The house's boundaries (issue 17) as a check over the import graph of the
// source files: which file imports which module, read from the text (value
// imports; `import type` is erased and bundles nothing). The checks take a
// map of files so that tests can add a deliberate violation and see it named.
import fs from 'node:fs';
import path from 'node:path';

export type Sources = Map<string, string>;

const ROOTS = ['app', 'lib', 'components', 'db', 'scripts'];
const TOP_FILES = ['proxy.ts', 'instrumentation.ts'];

/** Every source file of the app (tests aside), by path relative to the project. */
export function projectSources(root = process.cwd()): Sources {
  const out: Sources = new Map();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (/\.(ts|tsx|js|mjs)$/.test(entry.name)) out.set(rel, fs.readFileSync(path.join(root, rel), 'utf8'));
    }
  };
  for (const dir of ROOTS) walk(dir);
  for (const file of TOP_FILES) if (fs.existsSync(path.join(root, file))) out.set(file, fs.readFileSync(path.join(root, file), 'utf8'));
  return out;
}

/** Module specifiers a file imports or re-exports as values (static and dynamic `import()`). */
export function valueImports(text: string): string[] {
  const out: string[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(statement)) {
    if (m[2]) continue;
    // `import { type A, type B } from …` imports nothing at run time either.
    const names = /^\{([^}]*)\}$/.exec(m[3].trim());
    if (names && names[1].split(',').every((n) => n.trim() === '' || n.trim().startsWith('type '))) continue;
    out.push(m[4]);
  }
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push(m[1]);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out;
}

/** The project file a specifier names, or null for a package. */
export function resolve(from: string, specifier: string, sources: Sources): string | null {
  let base: string;
  if (specifier.startsWith('@/')) base = specifier.slice(2);
  else if (specifier.startsWith('.')) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) if (sources.has(candidate)) return candidate;
  return base;
}

export interface Violation {
  rule: string;
  file: string;
  via: string;
}

const ENGINE_PACKAGES = /^(better-sqlite3|drizzle-orm\/sqlite-core|drizzle-orm\/better-sqlite3(\/.*)?)$/;

/**
 * Files outside db/sqlite/ that may still open the SQLite engine itself, each
 * for a reason: the one place the engine is chosen, and the benchmarks whose
 * baselines measure SQLite itself (raw SQL, bare inserts).
 */
export const ENGINE_EXCEPTIONS: Record<string, string> = {
  'db/open.ts': 'chooses the engine from configuration',
  'scripts/bench-metrics.ts': 'its baselines are hand-written SQL on the SQLite connection and DuckDB loaded from it',
  'scripts/bench/import-child.ts': 'its baseline is a bare prepared INSERT loop (db/sqlite/bare-insert.ts)',
};

/** Components may reach the code lists (constants, no engine, importing nothing) but nothing else of db/. */
const COMPONENTS_MAY_REACH = new Set(['db/codes.ts']);

export function houseViolations(sources: Sources): Violation[] {
  const violations: Violation[] = [];
  const imports = new Map<string, string[]>();
  for (const [file, text] of sources) imports.set(file, valueImports(text));
  const inside = (file: string, dir: string) => file.startsWith(`${dir}/`);

  for (const [file, specifiers] of imports) {
    const inSqlite = inside(file, 'db/sqlite');
    for (const specifier of specifiers) {
      const target = resolve(file, specifier, sources);
      if (!inSqlite && !ENGINE_EXCEPTIONS[file]) {
        if (ENGINE_PACKAGES.test(specifier)) violations.push({ rule: 'the SQLite engine is imported only under db/sqlite/', file, via: specifier });
        else if (target && inside(target, 'db/sqlite')) violations.push({ rule: 'db/sqlite/ is reached only through the store', file, via: target });
      }
      if (inside(file, 'db') && target && ['lib', 'app', 'components'].some((d) => inside(target, d)))
        violations.push({ rule: 'db/ imports nothing from lib/, app/ or components/', file, via: target });
      if (inside(file, 'app') && target && inside(target, 'db') && !['db/open.ts', 'db/store.ts'].includes(target))
        violations.push({ rule: 'pages and routes reach the database only through the store (db/open.ts, db/store.ts) and lib/', file, via: target });
    }
    if (!inside(file, 'db/sqlite') && !ENGINE_EXCEPTIONS[file] && /\.\$client\b/.test(sources.get(file)!))
      violations.push({ rule: 'the raw SQLite client is used only under db/sqlite/', file, via: '$client' });
  }

  // Components: everything they reach, through any number of lib/ files.
  for (const file of sources.keys()) {
    if (!inside(file, 'components')) continue;
    const seen = new Set<string>([file]);
    const queue = [file];
    while (queue.length > 0) {
      const current = queue.shift()!;
      for (const specifier of imports.get(current) ?? []) {
        const target = resolve(current, specifier, sources);
        if (!target || seen.has(target)) continue;
        seen.add(target);
        if (inside(target, 'db') && !COMPONENTS_MAY_REACH.has(target)) {
          violations.push({ rule: 'components never reach db/, even through lib/', file, via: `${current} → ${target}` });
          continue;
        }
        if (sources.has(target)) queue.push(target);
      }
    }
  }
  // What components may reach stays pure: the code lists import nothing.
  for (const allowed of COMPONENTS_MAY_REACH)
    for (const specifier of imports.get(allowed) ?? []) violations.push({ rule: 'db/codes.ts imports nothing', file: allowed, via: specifier });
  return violations;
}
