// npm run seed:demo -- [--rows N] [--seed S]: loads the synthetic demo set into DATABASE_PATH.
import { parseArgs } from 'node:util';
import { openStore } from '@/db/open';
import { StoreOpenError } from '@/db/store';
import { DEFAULT_DEMO_ROWS, DEFAULT_DEMO_SEED } from '@/lib/demo/generator';
import { SeedRefusedError, seedDemo } from '@/lib/demo/seed';
import { describeImport } from '@/lib/import/summary';

const USAGE = 'usage: npm run seed:demo -- [--rows N] [--seed S]';

function positiveInt(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  const cleaned = text.replaceAll('_', '');
  if (!/^\d+$/.test(cleaned) || Number(cleaned) < 1) throw new Error(`--${name} must be a whole number ≥ 1, got '${text}'`);
  return Number(cleaned);
}

async function main(): Promise<number> {
  let rows: number;
  let seed: number;
  try {
    const { values } = parseArgs({ options: { rows: { type: 'string' }, seed: { type: 'string' } } });
    rows = positiveInt(values.rows, DEFAULT_DEMO_ROWS, 'rows');
    seed = positiveInt(values.seed, DEFAULT_DEMO_SEED, 'seed');
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const store = openStore();
  const started = performance.now();
  try {
    const result = await seedDemo(store, { rows, seed });
    const seconds = (performance.now() - started) / 1000;
    console.log(describeImport(result));
    console.log(`Synthetic demo data (seed ${seed}) in ${store.location}: ${rows.toLocaleString('en-GB')} rows in ${seconds.toFixed(1)} s.`);
    return result.status === 'committed' ? 0 : 1;
  } catch (err) {
    // (a database that cannot be used, e.g. a PostgreSQL one not yet migrated, is said in words, not as a stack trace)
    if (err instanceof SeedRefusedError || err instanceof StoreOpenError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
