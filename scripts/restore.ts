// npm run restore -- <backup file>: replaces the database at DATABASE_PATH
// with a backup, after checking it (integrity_check, Takedown Monitor's
// tables); a file that fails is refused and nothing changes. Running
// servers read the restored data on their next request.
// Exit 0 done, 1 refused or failed, 2 usage.
import { storeConfig, storeLocation } from '@/db/config';
import { restoreStore } from '@/db/open';
import { BackupError, StoreOpenError } from '@/db/store';

async function main(): Promise<number> {
  const source = process.argv[2];
  if (!source || process.argv.length > 3) {
    console.error('Usage: npm run restore -- <backup file>   (replaces the database at DATABASE_PATH, default data/takedown.db)');
    return 2;
  }
  let where = 'the database';
  try {
    const config = storeConfig();
    where = `the database at ${storeLocation(config)}`;
    const check = await restoreStore(source, config);
    console.log(`Restored ${storeLocation(config)} from ${source}: ${check.referrals.toLocaleString('en-GB')} referrals, ${check.batches} import batches.`);
    return 0;
  } catch (err) {
    if (err instanceof BackupError || err instanceof StoreOpenError) {
      console.error(`Restore refused: ${err.message} ${where[0].toUpperCase()}${where.slice(1)} is unchanged.`);
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
