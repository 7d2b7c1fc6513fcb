// npm run db:migrate: applies pending migrations to DATABASE_PATH.
import { databasePath, openDatabase } from '@/db/client';

const db = openDatabase(databasePath(), { migrate: true });
db.$client.close();
console.log(`Database ${databasePath()} is up to date.`);
