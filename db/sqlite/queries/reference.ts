// Reference tables: platforms, groups, units, campaigns.
import { sql } from 'drizzle-orm';
import type { Db } from '../client';
import type { CampaignInfo, ReferenceData } from '../../rows';
import { campaigns, groups, platforms, units } from '../schema';

/** Inserts or renames reference rows (names and attributes win over codes created on the fly). */
export function upsertReferenceData(db: Db, data: ReferenceData): void {
  for (const row of data.platforms)
    db.insert(platforms)
      .values(row)
      .onConflictDoUpdate({ target: platforms.code, set: { name: row.name, type: row.type, jurisdiction: row.jurisdiction } })
      .run();
  for (const row of data.groups)
    db.insert(groups)
      .values(row)
      .onConflictDoUpdate({ target: groups.code, set: { name: row.name, ideology: row.ideology, aliases: row.aliases } })
      .run();
  for (const row of data.units)
    db.insert(units).values(row).onConflictDoUpdate({ target: units.code, set: { name: row.name, country: row.country } }).run();
  for (const row of data.campaigns)
    db.insert(campaigns)
      .values(row)
      .onConflictDoUpdate({
        target: campaigns.code,
        set: { name: row.name, leadUnit: row.leadUnit, startsAt: row.startsAt, endsAt: row.endsAt },
      })
      .run();
}

export function countReferrals(db: Db): number {
  return db.get<{ n: number }>(sql`SELECT count(*) AS n FROM referrals`).n;
}

export function listCampaigns(db: Db): CampaignInfo[] {
  return db
    .select({ code: campaigns.code, name: campaigns.name, leadUnit: campaigns.leadUnit, startsAt: campaigns.startsAt, endsAt: campaigns.endsAt })
    .from(campaigns)
    .orderBy(campaigns.startsAt, campaigns.code)
    .all();
}
