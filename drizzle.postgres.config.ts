import { defineConfig } from 'drizzle-kit';

// The PostgreSQL schema and its own migrations folder (drizzle.config.ts is SQLite's).
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/postgres/schema.ts',
  out: './db/postgres/migrations',
});
