// npm run db:migrate: applies pending migrations to the configured database
// (the SQLite file, or the PostgreSQL database of DATABASE_URL);
// one that is not a Takedown Monitor database is refused in words (exit 1).
import { storeConfig } from '@/db/config';
import { migrateStore } from '@/db/open';
import { StoreOpenError } from '@/db/store';

async function main(): Promise<number> {
  try {
    const location = await migrateStore(storeConfig());
    console.log(`Database ${location} is up to date.`);
    return 0;
  } catch (err) {
    if (!(err instanceof StoreOpenError)) throw err;
    console.error(err.message);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
