import type { Db } from '@/db/client';

const global = globalThis as unknown as { takedownDb?: Db };

/** Route handlers read the app's shared connection: point it at a test database. */
export function useDatabase(db: Db | undefined): void {
  if (db) global.takedownDb = db;
  else delete global.takedownDb;
}

export async function call(handler: (request: Request) => Promise<Response>, path: string): Promise<{ status: number; body: any; response: Response }> {
  const response = await handler(new Request(`http://localhost${path}`));
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, response };
}
