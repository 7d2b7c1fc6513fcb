// Removal-order oversight (Regulation 2021/784): how responses fall around
// the one-hour deadline, the grounds of orders not executed, and orders
// whose clock was paused. States and times come from state.ts, as everywhere.
import { STATUSES, type Status } from '@/db/codes';
import { NO_REASON, type FactColumns } from './facts';
import { ACTIONED, DECLINED, OPEN, referralStates, STATUS_LABELS } from './state';

const HOUR_MS = 3_600_000;

/** Response bands around the deadline (METRICS.md response time; a response of exactly 1 h is on time). */
export const RESPONSE_BANDS = [
  { key: 'within_1h', label: 'Executed within 1 hour' },
  { key: '1h_to_2h', label: 'Executed after 1 to 2 hours' },
  { key: '2h_to_24h', label: 'Executed after 2 to 24 hours' },
  { key: 'after_24h', label: 'Executed after more than 24 hours' },
  { key: 'not_executed', label: 'Not executed (rejected)' },
  { key: 'open', label: STATUS_LABELS.open },
] as const;

export type ResponseBand = (typeof RESPONSE_BANDS)[number]['key'];

function band(status: number, hours: number): number {
  if (status === ACTIONED) return hours <= 1 ? 0 : hours <= 2 ? 1 : hours <= 24 ? 2 : 3;
  if (status === DECLINED) return 4;
  if (status === OPEN) return 5;
  return -1; // excluded: already unavailable, in no response figure
}

/** Counts per band among the selected orders that are not excluded, with shares of that total. */
export function responseBands(facts: FactColumns, rows: Uint32Array, asOf: number) {
  const { status, hours } = referralStates(facts, rows, asOf);
  const counts = new Array<number>(RESPONSE_BANDS.length).fill(0);
  for (let k = 0; k < rows.length; k++) {
    const b = band(status[k], hours[k]);
    if (b >= 0) counts[b]++;
  }
  const total = counts.reduce((a, b) => a + b, 0);
  return { total, bands: RESPONSE_BANDS.map((b, i) => ({ ...b, count: counts[i], share: total ? counts[i] / total : null })) };
}

/** Orders not executed (declined at as_of) by outcome_reason, most frequent first; null: no reason given. */
export function notExecutedByReason(facts: FactColumns, rows: Uint32Array, asOf: number): { reason: string | null; count: number }[] {
  const { status } = referralStates(facts, rows, asOf);
  const counts = new Map<number, number>();
  for (let k = 0; k < rows.length; k++) {
    if (status[k] !== DECLINED) continue;
    const r = facts.outcomeReason[rows[k]];
    counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([r, count]) => ({ reason: r === NO_REASON ? null : facts.reasons[r], count }))
    // Most frequent first; then by code, with "no reason given" last.
    .sort((a, b) => b.count - a.count || (a.reason === null ? 1 : b.reason === null ? -1 : a.reason < b.reason ? -1 : 1));
}

/** Orders whose deadline clock was paused, longest pause first: row id, pause, state and response or exposure hours. */
export function pausedOrders(facts: FactColumns, rows: Uint32Array, asOf: number) {
  const { status, hours } = referralStates(facts, rows, asOf);
  const out: { rowId: number; paused_hours: number; status: Status; hours: number | null }[] = [];
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    if (facts.pausedMs[i] <= 0) continue;
    out.push({ rowId: facts.rowId[i], paused_hours: facts.pausedMs[i] / HOUR_MS, status: STATUSES[status[k]], hours: Number.isNaN(hours[k]) ? null : hours[k] });
  }
  return out.sort((a, b) => b.paused_hours - a.paused_hours || a.rowId - b.rowId);
}
