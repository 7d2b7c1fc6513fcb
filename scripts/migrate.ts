// npm run db:migrate: applies pending migrations to DATABASE_PATH; a file
// that is not a Takedown Monitor database is refused in words (exit 1).
import { DatabaseOpenError, databasePath, openDatabase } from '@/db/sqlite/client';

try {
  const db = openDatabase(databasePath(), { migrate: true });
  db.$client.close();
  console.log(`Database ${databasePath()} is up to date.`);
} catch (err) {
  if (!(err instanceof DatabaseOpenError)) throw err;
  console.error(err.message);
  process.exit(1);
}
