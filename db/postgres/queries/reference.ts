// Reference tables: platforms, groups, units, campaigns.
import type { CampaignInfo, ReferenceData } from '../../rows';
import { rows, value, type Queryable } from '../sql';

const COLUMNS = {
  platforms: { code: 'code', name: 'name', type: 'type', jurisdiction: 'jurisdiction' },
  groups: { code: 'code', name: 'name', ideology: 'ideology', aliases: 'aliases' },
  units: { code: 'code', name: 'name', country: 'country' },
  campaigns: { code: 'code', name: 'name', leadUnit: 'lead_unit', startsAt: 'starts_at', endsAt: 'ends_at' },
} as const;

/**
 * Inserts or renames reference rows (names and attributes win over codes
 * created on the fly). A field left out (undefined) takes its default on
 * insert and is kept on update; null clears it.
 */
export async function upsertReferenceData(q: Queryable, data: ReferenceData): Promise<void> {
  for (const table of Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]) {
    const columns = COLUMNS[table] as Record<string, string>;
    for (const row of data[table] as unknown as Record<string, unknown>[]) {
      const given = Object.keys(columns).filter((field) => row[field] !== undefined);
      const names = given.map((field) => columns[field]);
      const updates = names.filter((c) => c !== 'code').map((c) => `${c} = excluded.${c}`);
      await q.query(
        `INSERT INTO ${table} (${names.join(', ')}) VALUES (${given.map((_, i) => `$${i + 1}`).join(', ')})
         ON CONFLICT (code) DO ${updates.length ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`,
        given.map((field) => row[field]),
      );
    }
  }
}

export const countReferrals = async (q: Queryable) => (await value<number>(q, 'SELECT count(*) FROM referrals')) ?? 0;

export const listCampaigns = (q: Queryable) =>
  rows<CampaignInfo>(q, 'SELECT code, name, lead_unit AS "leadUnit", starts_at AS "startsAt", ends_at AS "endsAt" FROM campaigns ORDER BY starts_at NULLS FIRST, code');
