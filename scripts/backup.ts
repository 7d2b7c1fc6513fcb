// npm run backup -- <file>: a consistent copy of the database (DATABASE_PATH,
// or DATABASE_URL's with pg_dump) while the app runs, checked afterwards. Exit 0 done, 1 failed, 2 usage.
import { storeConfig, storeLocation } from '@/db/config';
import { openStore } from '@/db/open';
import { BackupError, StoreOpenError } from '@/db/store';

async function main(): Promise<number> {
  const target = process.argv[2];
  if (!target || process.argv.length > 3) {
    console.error('Usage: npm run backup -- <new file>   (copies the database at DATABASE_PATH, default data/takedown.db)');
    return 2;
  }
  try {
    const config = storeConfig();
    const store = openStore(config, { migrate: false });
    const started = performance.now();
    const check = await store.backup(target).finally(() => store.close());
    console.log(
      `Backed up ${storeLocation(config)} to ${target}: ${check.referrals.toLocaleString('en-GB')} referrals, ${check.batches} import batches, ${(check.bytes / 2 ** 20).toFixed(1)} MiB, ${config.engine === 'postgres' ? 'pg_restore --list' : 'integrity_check'} ok, in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
    );
    return 0;
  } catch (err) {
    if (err instanceof BackupError || err instanceof StoreOpenError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}

// An error nobody foresaw still ends the run with its stack and a failing exit code.
main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
