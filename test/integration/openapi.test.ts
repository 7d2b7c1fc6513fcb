// The OpenAPI description of /api/v1 (issue 16) against the routes
// themselves: it validates as OpenAPI 3.1; every route file is described
// and every description has a route; every described parameter is accepted
// (with its example) and parsed (a bad value is refused naming it); a
// parameter not described, even one another endpoint takes, is refused;
// and every answer and refusal has the shape described.
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as openApiRoute } from '@/app/api/v1/openapi.json/route';
import { POST as importRoute } from '@/app/api/v1/imports/route';
import { importFile } from '@/lib/import/import';
import { openApiDocument } from '@/lib/api/openapi';
import { FIXTURE_CSV, memoryDb } from '../helpers/db';
import { call, request, useDatabase } from '../helpers/http';
import { csvOf, validRow } from '../helpers/rows';

interface Parameter {
  name: string;
  required: boolean;
  example: string;
}
interface Operation {
  parameters: Parameter[];
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}
type Handler = (request: Request) => Promise<Response>;

const ROOT = path.resolve(__dirname, '../..');
const API_DIR = path.join(ROOT, 'app/api/v1');
const doc = openApiDocument() as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, object> } };
const operations = Object.entries(doc.paths).flatMap(([route, methods]) => Object.entries(methods).map(([method, op]) => ({ route, method, op })));
const gets = operations.filter((o) => o.method === 'get');

/** Every route file under app/api/v1, as its URL path. */
function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === 'route.ts' ? [`/api/v1/${path.relative(API_DIR, dir).split(path.sep).join('/')}`] : [];
  });
}

async function handlerOf(route: string, method: 'GET' | 'POST'): Promise<Handler | undefined> {
  const exported = (await import(`@/app/api/v1/${route.slice('/api/v1/'.length)}/route`)) as Record<string, Handler | undefined>;
  return exported[method];
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(doc.components.schemas.Error, '#/components/schemas/Error');
const errorShape = ajv.compile(doc.components.schemas.Error);
function expectShape(schema: object, body: unknown, where: string): void {
  const check = ajv.compile(schema);
  expect(check(body), `${where}: ${ajv.errorsText(check.errors)}`).toBe(true);
}

/** A query giving every parameter of `op` (or only those `keep` picks) its example. */
function exampleQuery(op: Operation, keep: (p: Parameter) => boolean = () => true): URLSearchParams {
  return new URLSearchParams(op.parameters.filter(keep).map((p) => [p.name, p.example]));
}

describe('the OpenAPI description of /api/v1', () => {
  const db = memoryDb();
  beforeAll(async () => {
    await importFile(db, FIXTURE_CSV, { now: Date.parse('2026-03-05T00:00:00Z') });
    await useDatabase(db);
  });
  afterAll(() => useDatabase(undefined));

  it('validates as OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes exactly the routes under app/api/v1, with the methods they export', async () => {
    expect(Object.keys(doc.paths).sort()).toEqual(routeFiles(API_DIR).sort());
    for (const route of Object.keys(doc.paths)) {
      for (const method of ['GET', 'POST'] as const) {
        const described = method.toLowerCase() in doc.paths[route];
        expect(Boolean(await handlerOf(route, method)), `${method} ${route}`).toBe(described);
      }
    }
  });

  it('is served to every signed-in role, and to nobody else', async () => {
    for (const role of ['viewer', 'analyst', 'steward', 'admin'] as const) {
      const { status, body } = await call(openApiRoute, '/api/v1/openapi.json', role);
      expect(status).toBe(200);
      expect(body).toEqual(JSON.parse(JSON.stringify(doc)));
    }
    const anonymous = await call(openApiRoute, '/api/v1/openapi.json', null);
    expect(anonymous.status).toBe(401);
    expect(errorShape(anonymous.body)).toBe(true);
  });

  it.each(gets.map((o) => [o.route, o.op] as const))('GET %s accepts every parameter described, and answers as described', async (route, op) => {
    const handler = (await handlerOf(route, 'GET'))!;
    const ok = op.responses['200'].content!;
    // Every described parameter at once (the dimension filters narrow to nothing), then without the dimension filters.
    const queries = [exampleQuery(op), exampleQuery(op, (p) => !p.name.match(/^(platform|platform_type|group|ideology|language|content_type|unit|campaign|kind)$/))];
    for (const query of queries) {
      const response = await handler(request(`http://localhost${route}?${query}`, {}, 'admin'));
      const text = await response.text();
      expect(response.status, `${route}?${query}: ${text}`).toBe(200);
      if (ok['application/json']) expectShape(ok['application/json'].schema, JSON.parse(text), `${route}?${query}`);
      else expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    }
  });

  it.each(gets.map((o) => [o.route, o.op] as const))('GET %s parses every parameter described: a bad value is refused naming it', async (route, op) => {
    const handler = (await handlerOf(route, 'GET'))!;
    for (const p of op.parameters) {
      const query = exampleQuery(op, (q) => q.required && q.name !== p.name);
      query.set(p.name, '!!');
      const { status, body } = await call(handler, `${route}?${query}`);
      expect(status, `${route} ${p.name}=!!`).toBe(400);
      expect(errorShape(body), `${route} ${p.name}=!!`).toBe(true);
      expect((body as { error: { issues: { param: string }[] } }).error.issues.map((i) => i.param), `${route} ${p.name}=!!`).toContain(p.name);
    }
  });

  it.each(operations.map((o) => [o.method.toUpperCase(), o.route, o.op] as const))('%s %s refuses every parameter not described, naming it', async (method, route, op) => {
    const handler = (await handlerOf(route, method as 'GET' | 'POST'))!;
    const described = new Set(op.parameters.map((p) => p.name));
    // Parameters other endpoints take, and one nobody does.
    const others = [...new Set(gets.flatMap((o) => o.op.parameters.map((p) => [p.name, p.example] as const)))].filter(([name]) => !described.has(name));
    for (const [name, example] of [...others, ['not_described', '1'] as const]) {
      const query = exampleQuery(op);
      query.set(name, example);
      const response = await handler(request(`http://localhost${route}?${query}`, { method }, 'admin'));
      const body: unknown = await response.json();
      expect(response.status, `${method} ${route} with ${name}`).toBe(400);
      expect(errorShape(body), `${route} with ${name}`).toBe(true);
      expect((body as { error: { issues: { param: string }[] } }).error.issues.map((i) => i.param)).toContain(name);
    }
  });

  it('answers an import as described', async () => {
    const form = new FormData();
    form.set('file', new File([csvOf([validRow({ referral_id: 'OPENAPI-1' })])], 'batch.csv'));
    // A multipart body with its length, as a browser or curl sends it.
    const encoded = new Response(form);
    const body = new Uint8Array(await encoded.arrayBuffer());
    const headers = { 'content-type': encoded.headers.get('content-type')!, 'content-length': String(body.length) };
    const response = await importRoute(request('http://localhost/api/v1/imports', { method: 'POST', body, headers }, 'steward'));
    const answer: unknown = await response.json();
    expect(response.status, JSON.stringify(answer)).toBe(201);
    expectShape(doc.paths['/api/v1/imports'].post.responses['201'].content!['application/json'].schema, answer, 'POST /api/v1/imports');
  }, 60_000);
});
