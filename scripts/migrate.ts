// npm run db:migrate: applies pending migrations to the configured database;
// one that is not a Takedown Monitor database is refused in words (exit 1).
import { storeConfig } from '@/db/config';
import { openStore } from '@/db/open';
import { StoreOpenError } from '@/db/store';

async function main(): Promise<number> {
  try {
    const store = openStore(storeConfig(), { migrate: true });
    await store.close();
    console.log(`Database ${store.location} is up to date.`);
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
