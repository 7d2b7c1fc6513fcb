// Deterministic synthetic referrals (DATA-MODEL.md, "Synthetic demo data").
// The same seed and row count give the same records, byte for byte; rows
// come out in order of referred_at. Records are plain field maps in the
// import format, so they go through the importer's validation like a file.
import { DEMO_CAMPAIGNS, DEMO_GROUPS, DEMO_PLATFORMS, DEMO_UNITS, type DemoPlatform } from './reference';
import { Random } from './random';

export interface DemoOptions {
  rows: number;
  seed: number;
  /** First and last instant of referrals (defaults: three years to 2026-11-01). */
  start?: number;
  end?: number;
}

export const DEMO_START = Date.UTC(2023, 10, 1);
export const DEMO_END = Date.UTC(2026, 10, 1);
export const DEFAULT_DEMO_ROWS = 50_000;
export const DEFAULT_DEMO_SEED = 20_260_511;

export type DemoRecord = Record<string, string | number | null>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const CONTENT_BY_PLATFORM_TYPE: Record<DemoPlatform['type'], [string, number][]> = {
  video: [['video', 78], ['account', 10], ['livestream', 6], ['audio', 3], ['other', 3]],
  social: [['image', 35], ['text', 30], ['video', 20], ['account', 13], ['livestream', 2]],
  messaging: [['text', 30], ['video', 30], ['image', 18], ['document', 15], ['audio', 5], ['account', 2]],
  file_sharing: [['document', 55], ['video', 28], ['audio', 12], ['other', 5]],
  paste: [['text', 88], ['document', 12]],
  archive: [['document', 50], ['text', 30], ['image', 20]],
  forum: [['text', 68], ['image', 20], ['document', 12]],
  other: [['document', 30], ['video', 30], ['text', 20], ['image', 20]],
};
const PATH_BY_PLATFORM_TYPE: Record<DemoPlatform['type'], string> = {
  video: 'watch',
  social: 'post',
  messaging: 'c',
  file_sharing: 'f',
  paste: 'p',
  archive: 'web',
  forum: 't',
  other: 'x',
};
const ORDER_REJECT_REASONS: [string, number][] = [['manifest_error', 3], ['technical_impossibility', 3], ['force_majeure', 1], ['insufficient_information', 3]];
const REFERRAL_REJECT_REASONS: [string, number][] = [['not_in_breach_of_terms', 8], ['insufficient_information', 2]];
const PAUSE_NOTES = ['Deadline clock paused: force majeure', 'Deadline clock paused: manifest error raised', 'Deadline clock paused: information requested'];
const VIEWED_CONTENT = new Set(['video', 'image', 'audio', 'text', 'livestream', 'account']);
const NATIONAL_UNITS = DEMO_UNITS.filter((u) => u.code !== 'eu-iru');
const HASH_POOL = 400;

/** Calls `emit` once per record, in order of referred_at; `line` counts from 1. */
export function generateReferrals(options: DemoOptions, emit: (record: DemoRecord, line: number) => void): void {
  let line = 0;
  for (const record of demoRecords(options)) emit(record, ++line);
}

/** The demo records, one at a time (a generator, so that an import can wait for its engine between them). */
export function* demoRecords(options: DemoOptions): Generator<DemoRecord> {
  const rows = options.rows;
  const start = options.start ?? DEMO_START;
  const end = options.end ?? DEMO_END;
  const rnd = new Random(options.seed);
  const hours = Math.max(1, Math.floor((end - start) / HOUR));
  const scale = rows / 50_000;

  // Expected referrals per hour: a trend, a weekly rhythm, day-to-day noise,
  // and the campaigns on top. Rows are laid along its cumulative sum.
  const base = new Float64Array(hours);
  const extra = new Float64Array(hours);
  const campaignAt = new Int16Array(hours).fill(-1);
  let dayFactor = 1;
  for (let h = 0; h < hours; h++) {
    const t = start + h * HOUR;
    if (h % 24 === 0) {
      const weekday = new Date(t).getUTCDay();
      dayFactor = (weekday === 0 || weekday === 6 ? 0.55 : 1) * (0.75 + 0.5 * rnd.next());
    }
    const trend = 0.7 + (0.6 * h) / hours;
    const hourOfDay = (h % 24) + 0.5;
    const diurnal = 0.4 + Math.max(0, Math.sin(((hourOfDay - 6) / 24) * 2 * Math.PI));
    base[h] = trend * dayFactor * diurnal;
  }
  let baseTotal = 0;
  for (let h = 0; h < hours; h++) baseTotal += base[h];
  const campaignItems = DEMO_CAMPAIGNS.map((c) => Math.round(c.itemsPer50k * scale));
  const campaignTotal = campaignItems.reduce((a, b) => a + b, 0);
  // Normalise so that base sums to the non-campaign rows and extra to the campaign rows.
  const baseScale = (rows - campaignTotal) / baseTotal;
  for (let h = 0; h < hours; h++) base[h] *= baseScale;
  DEMO_CAMPAIGNS.forEach((c, ci) => {
    const first = Math.floor((Date.parse(c.startsAt) - start) / HOUR);
    for (let k = 0; k < c.hours; k++) {
      const h = first + k;
      if (h < 0 || h >= hours) continue;
      extra[h] += campaignItems[ci] / c.hours;
      campaignAt[h] = ci;
    }
  });

  const platformWeights = DEMO_PLATFORMS.map((p) => p.weight);
  const platformAvailable = DEMO_PLATFORMS.map((p) => (p.appearsOn ? Date.parse(`${p.appearsOn}T00:00:00Z`) : -Infinity));
  const hashPool: string[] = [];
  const hashPlatforms: string[] = [];
  let hashCount = 0;
  const unitPicker = rnd.picker(DEMO_UNITS.map((u) => [u.code, u.weight]));
  const nationalUnitPicker = rnd.picker(NATIONAL_UNITS.map((u) => [u.code, u.weight]));
  const groupPicker = rnd.picker(DEMO_GROUPS.map((g, i) => [String(i), g.weight]));
  const languagePickers = DEMO_GROUPS.map((g) => rnd.picker(g.languages));
  const contentPickers = Object.fromEntries(
    Object.entries(CONTENT_BY_PLATFORM_TYPE).map(([type, weights]) => [type, rnd.picker(weights)]),
  ) as Record<DemoPlatform['type'], () => string>;
  const orderReasons = rnd.picker(ORDER_REJECT_REASONS);
  const referralReasons = rnd.picker(REFERRAL_REJECT_REASONS);
  const campaignGroupPickers = DEMO_CAMPAIGNS.map((c) => {
    const ids = DEMO_GROUPS.map((g, i) => [String(i), c.ideologies.includes(g.ideology) ? g.weight : 0] as [string, number]);
    return rnd.picker(ids);
  });

  let h = 0;
  let cumulative = base[0] + extra[0];
  for (let i = 0; i < rows; i++) {
    const target = i + rnd.next();
    while (cumulative < target && h < hours - 1) {
      h++;
      cumulative += base[h] + extra[h];
    }
    const referredAt = start + h * HOUR + Math.floor(rnd.next() * HOUR / 1000) * 1000;
    const ci = campaignAt[h];
    const inCampaign = ci >= 0 && rnd.next() < extra[h] / (base[h] + extra[h]);
    const campaign = inCampaign ? DEMO_CAMPAIGNS[ci] : null;

    // Platform: only those that exist by now. The late platform carries its network's own content.
    let platform: DemoPlatform;
    let platformIndex: number;
    do {
      platformIndex = rnd.weightedIndex(platformWeights);
      platform = DEMO_PLATFORMS[platformIndex];
    } while (platformAvailable[platformIndex] > referredAt);

    const kind = !campaign && rnd.next() < 0.18 ? 'removal_order' : 'referral';
    const unit = campaign
      ? campaign.units[rnd.int(campaign.units.length)]
      : kind === 'removal_order'
        ? nationalUnitPicker()
        : unitPicker();
    const groupIndex = platform.code === 'nashir-hub' && rnd.next() < 0.85 ? 0 : Number(campaign ? campaignGroupPickers[ci]() : groupPicker());
    const group = DEMO_GROUPS[groupIndex];
    let language = languagePickers[groupIndex]();
    if (campaign && !campaign.languages.includes(language)) language = campaign.languages[rnd.int(campaign.languages.length)];
    const contentType = contentPickers[platform.type]();

    // Content spreading: a known fingerprint re-appears on another platform.
    let contentHash: string | null = null;
    const reuseShare = platform.code === 'nashir-hub' ? 0.6 : 0.15;
    if (hashPool.length > 20 && rnd.next() < reuseShare) {
      const k = rnd.int(hashPool.length);
      if (hashPlatforms[k] !== platform.code) contentHash = hashPool[k];
    }
    if (contentHash === null && rnd.next() < 0.55) {
      contentHash = `ph:${rnd.hex(16)}`;
      const slot = hashCount++ % HASH_POOL;
      hashPool[slot] = contentHash;
      hashPlatforms[slot] = platform.code;
    }

    // Clock start: orders are acknowledged (the deadline runs from receipt).
    let receivedAt: number | null = null;
    if (kind === 'removal_order' ? rnd.next() < 0.95 : rnd.next() < 0.3) {
      const ackMinutes = platform.ackMinutes * (kind === 'removal_order' ? 1 : 3) * rnd.logNormal(0.8);
      receivedAt = referredAt + Math.round(ackMinutes * 60) * 1000;
    }
    const clockStart = kind === 'removal_order' && receivedAt !== null ? receivedAt : referredAt;
    let pausedHours: number | null = null;
    let notes: string | null = null;
    if (kind === 'removal_order' && rnd.next() < 0.04) {
      pausedHours = Math.round((2 + rnd.next() * 46) * 4) / 4;
      notes = PAUSE_NOTES[rnd.int(PAUSE_NOTES.length)];
    }

    // Outcome from the provider's behaviour; providers improve a little over time.
    const yearsIn = (referredAt - start) / (365 * DAY);
    const improvement = 1.25 - 0.15 * yearsIn;
    const median = (kind === 'removal_order' ? platform.medianHours / platform.orderSpeedup : platform.medianHours) * improvement;
    const responseHours = median * rnd.logNormal(platform.sigma);
    const u = rnd.next();
    let outcome: string;
    let outcomeReason: string | null = null;
    if (u < 0.035) outcome = 'unavailable';
    else if (u < 0.035 + platform.rejectShare) {
      outcome = 'rejected';
      outcomeReason = kind === 'removal_order' ? orderReasons() : referralReasons();
    } else if (u < 0.035 + platform.rejectShare + platform.ignoreShare) outcome = 'pending';
    else outcome = rnd.next() < 0.9 ? 'removed' : 'disabled';
    let outcomeAt: number | null = null;
    if (outcome !== 'pending') {
      const hoursTo = outcome === 'unavailable' ? 0.5 + rnd.next() * 48 : responseHours + (pausedHours ?? 0);
      outcomeAt = clockStart + Math.max(60_000, Math.round(hoursTo * 3600) * 1000);
      // Not known yet at the end of the data: still pending.
      if (outcomeAt > end) {
        outcome = 'pending';
        outcomeAt = null;
        outcomeReason = null;
      }
    }

    let viewsAtReferral: number | null = null;
    let viewsAtOutcome: number | null = null;
    if (VIEWED_CONTENT.has(contentType) && rnd.next() < 0.6) {
      viewsAtReferral = Math.round(150 * rnd.logNormal(1.5));
      if (outcomeAt !== null && (outcome === 'removed' || outcome === 'disabled'))
        viewsAtOutcome = viewsAtReferral + Math.round(((outcomeAt - referredAt) / HOUR) * 4 * rnd.logNormal(1));
    }

    yield {
      referral_id: `SYN-${String(i + 1).padStart(8, '0')}`,
      kind,
      unit,
      campaign: campaign ? campaign.code : null,
      platform: platform.code,
      group: group.code,
      language,
      content_type: contentType,
      url: `https://${platform.code}.example/${PATH_BY_PLATFORM_TYPE[platform.type]}/${rnd.hex(12)}`,
      content_hash: contentHash,
      referred_at: iso(referredAt),
      received_at: receivedAt === null ? null : iso(receivedAt),
      outcome,
      outcome_at: outcomeAt === null ? null : iso(outcomeAt),
      outcome_reason: outcomeReason,
      clock_paused_hours: pausedHours,
      views_at_referral: viewsAtReferral,
      views_at_outcome: viewsAtOutcome,
      notes,
    };
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
