// Loads the synthetic demo set through the importer (never around it) and
// marks the database as holding synthetic data.
import type { ReferenceData } from '@/db/rows';
import type { Store } from '@/db/store';
import { DATASET_KEY, SYNTHETIC } from '@/lib/database-status';
import { runImport, sha256Of, type ImportResult } from '@/lib/import/import';
import { demoRecords, type DemoOptions } from './generator';
import { DEMO_CAMPAIGNS, DEMO_GROUPS, DEMO_PLATFORMS, DEMO_UNITS } from './reference';

export function demoReferenceData(): ReferenceData {
  return {
    platforms: DEMO_PLATFORMS.map(({ code, name, type, jurisdiction }) => ({ code, name, type, jurisdiction })),
    groups: DEMO_GROUPS.map(({ code, name, ideology, aliases }) => ({ code, name, ideology, aliases })),
    units: DEMO_UNITS.map(({ code, name, country }) => ({ code, name, country })),
    campaigns: DEMO_CAMPAIGNS.map((c) => ({
      code: c.code,
      name: c.name,
      leadUnit: c.leadUnit,
      startsAt: Date.parse(c.startsAt),
      endsAt: Date.parse(c.startsAt) + c.hours * 3_600_000,
    })),
  };
}

/** How many generated records go to the engine between two waits for it to take them (about a megabyte of rows). */
const RECORDS_PER_DRAIN = 5_000;

export class SeedRefusedError extends Error {}

export async function seedDemo(store: Store, options: DemoOptions & { actor?: string }): Promise<ImportResult> {
  if ((await store.referrals.count()) > 0 && (await store.meta.get(DATASET_KEY)) !== SYNTHETIC)
    throw new SeedRefusedError(
      'This database holds real (imported) referrals: the synthetic demo set is not mixed into it. Use another DATABASE_PATH.',
    );
  const label = `synthetic demo v1 (seed ${options.seed}, ${options.rows} rows)`;
  return runImport(
    store,
    {
      fileName: label,
      format: 'generator',
      feed: async (sink, drained) => {
        let line = 0;
        for (const record of demoRecords(options)) {
          sink(++line, record, null);
          if (line % RECORDS_PER_DRAIN === 0) await drained();
        }
        return sha256Of(`takedown-monitor ${label}`);
      },
    },
    {
      actor: options.actor ?? 'seed:demo',
      prepare: (tx) => tx.reference.upsert(demoReferenceData()),
      finish: async (tx) => {
        await tx.meta.set(DATASET_KEY, SYNTHETIC);
        await tx.meta.set('demo_seed', String(options.seed));
        await tx.meta.set('demo_rows', String(options.rows));
      },
    },
  );
}
