// Every page and route handler under app/, found on disk (so that a new
// route is covered by the access tests the moment it exists).
import fs from 'node:fs';
import path from 'node:path';

export interface FoundRoute {
  route: string;
  kind: 'page' | 'handler';
  /** The file, relative to the project. */
  file: string;
  methods: string[];
}

export function discoverRoutes(): FoundRoute[] {
  const found: FoundRoute[] = [];
  const walk = (folder: string, segments: string[]) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        walk(full, /^\(.*\)$/.test(entry.name) ? segments : [...segments, entry.name]);
        continue;
      }
      const route = `/${segments.join('/')}`;
      const file = path.relative(process.cwd(), full);
      if (/^page\.(tsx|ts|jsx|js)$/.test(entry.name)) found.push({ route, kind: 'page', file, methods: ['GET'] });
      if (/^route\.(ts|js)$/.test(entry.name)) {
        const source = fs.readFileSync(full, 'utf8');
        const methods = [...source.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]);
        found.push({ route, kind: 'handler', file, methods });
      }
    }
  };
  walk(path.join(process.cwd(), 'app'), []);
  return found.sort((a, b) => (a.route < b.route ? -1 : a.route > b.route ? 1 : 0));
}

/** The parameters of a dynamic route, with codes of the fixture. */
export function fixtureParams(route: string): Record<string, string> {
  if (route.startsWith('/providers/')) return { code: 'beta' };
  if (route.startsWith('/groups/')) return { code: 'daesh' };
  if (route.startsWith('/campaigns/')) return { code: 'rad-feb' };
  if (route.startsWith('/import/')) return { batch: '1' };
  return {};
}
