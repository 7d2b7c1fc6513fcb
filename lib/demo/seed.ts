// Loads the synthetic demo set through the importer (never around it) and
// marks the database as holding synthetic data.
import type { Db } from '@/db/sqlite/client';
import { DATASET_KEY, SYNTHETIC, getMeta, setMeta } from '@/db/sqlite/queries/meta';
import { countReferrals, upsertReferenceData, type ReferenceData } from '@/db/sqlite/queries/reference';
import { runImport, sha256Of, type ImportResult } from '@/lib/import/import';
import { generateReferrals, type DemoOptions } from './generator';
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

export class SeedRefusedError extends Error {}

export function seedDemo(db: Db, options: DemoOptions & { actor?: string }): ImportResult {
  if (countReferrals(db) > 0 && getMeta(db, DATASET_KEY) !== SYNTHETIC)
    throw new SeedRefusedError(
      'This database holds real (imported) referrals: the synthetic demo set is not mixed into it. Use another DATABASE_PATH.',
    );
  const label = `synthetic demo v1 (seed ${options.seed}, ${options.rows} rows)`;
  return runImport(
    db,
    {
      fileName: label,
      format: 'generator',
      feed: (sink) => {
        generateReferrals(options, (record, line) => sink(line, record, null));
        return sha256Of(`takedown-monitor ${label}`);
      },
    },
    {
      actor: options.actor ?? 'seed:demo',
      prepare: (tx) => upsertReferenceData(tx, demoReferenceData()),
      finish: (tx) => {
        setMeta(tx, DATASET_KEY, SYNTHETIC);
        setMeta(tx, 'demo_seed', String(options.seed));
        setMeta(tx, 'demo_rows', String(options.rows));
      },
    },
  );
}
