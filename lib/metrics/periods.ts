// Calendar buckets of referred_at in UTC: days, ISO weeks, calendar months.
// METRICS.md: empty buckets are shown as 0, so the series is generated
// first and then filled.
export type Bucket = 'day' | 'week' | 'month';
export const BUCKETS: readonly Bucket[] = ['day', 'week', 'month'];

const DAY = 86_400_000;

/** Start (ms, UTC) of the bucket holding `ms`. */
export function bucketStart(ms: number, bucket: Bucket): number {
  const d = new Date(ms);
  if (bucket === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const day = Math.floor(ms / DAY) * DAY;
  if (bucket === 'day') return day;
  // ISO weeks start on Monday.
  const weekday = (new Date(day).getUTCDay() + 6) % 7;
  return day - weekday * DAY;
}

export function nextBucket(start: number, bucket: Bucket): number {
  if (bucket === 'day') return start + DAY;
  if (bucket === 'week') return start + 7 * DAY;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The label of a bucket: 2026-05-11, 2026-W20 (ISO week) or 2026-05. */
export function bucketLabel(start: number, bucket: Bucket): string {
  const iso = new Date(start).toISOString();
  if (bucket === 'day') return iso.slice(0, 10);
  if (bucket === 'month') return iso.slice(0, 7);
  // The ISO year is the year of the week's Thursday.
  const thursday = new Date(start + 3 * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Every bucket start from the one holding `first` to the one holding `last`. */
export function bucketRange(first: number, last: number, bucket: Bucket): number[] {
  const out: number[] = [];
  for (let s = bucketStart(first, bucket); s <= last; s = nextBucket(s, bucket)) out.push(s);
  return out;
}

/**
 * The buckets from the one holding `first` to the one holding `last`, and
 * the bucket of an instant in that range by one table lookup per day (a
 * metric over a million rows calls it once per row); −1 outside the range.
 */
export function bucketIndexer(first: number, last: number, bucket: Bucket): { starts: number[]; indexOf: (ms: number) => number } {
  const starts = Number.isFinite(first) && Number.isFinite(last) ? bucketRange(first, last, bucket) : [];
  if (starts.length === 0) return { starts, indexOf: () => -1 };
  const firstDay = Math.floor(starts[0] / DAY);
  const lastDay = Math.floor(last / DAY);
  const ofDay = new Int32Array(lastDay - firstDay + 1);
  for (let p = 0, day = firstDay; day <= lastDay; day++) {
    while (p + 1 < starts.length && starts[p + 1] <= day * DAY) p++;
    ofDay[day - firstDay] = p;
  }
  return {
    starts,
    indexOf: (ms) => {
      const day = Math.floor(ms / DAY) - firstDay;
      // Outside the table (before the first day or after the last) a typed array reads undefined.
      return ofDay[day] ?? -1;
    },
  };
}
