// METRICS.md "Providers over time": monthly one-hour compliance on removal
// orders per provider, and the persistent-failure flag.
import type { FactColumns } from './facts';
import type { Filters } from '@/lib/filters';
import { getFileSettings, settingsFilePath, SettingsError } from '@/lib/settings';
import { dimensionKeys, groupRowsByMonth } from './dimensions';
import { bucketLabel } from './periods';
import { selectRows } from './selection';
import { referralStates } from './state';
import { wilson } from '@/lib/stats/wilson';
import { RELATIVE_TOLERANCE } from '@/lib/stats/kaplan-meier';
import { deadlineCompliance, type ComplianceRow } from './summary';

export interface FailureSettings {
  /** Compliance below this share fails a month (default 0.9). */
  target: number;
  /** Consecutive judged months below target that flag a provider (default 3). */
  months: number;
  /** A month with fewer eligible orders is not judged (default 5). */
  minOrders: number;
  /** The deadline in hours (default 1: Regulation 2021/784, Art. 3(3)). */
  hours: number;
}

export const DEFAULT_FAILURE_SETTINGS: FailureSettings = { target: 0.9, months: 3, minOrders: 5, hours: 1 };

/**
 * The rule in force: the settings file's (lib/settings.ts), or the defaults
 * with the reason in words when the file cannot be read (pages show it).
 */
export function failureSettingsInForce(): { settings: FailureSettings; file: string; problem: string | null } {
  const file = settingsFilePath();
  try {
    const { target, months, min_orders } = getFileSettings(file).persistent_failure;
    return { settings: { target, months, minOrders: min_orders, hours: DEFAULT_FAILURE_SETTINGS.hours }, file, problem: null };
  } catch (err) {
    if (err instanceof SettingsError) return { settings: DEFAULT_FAILURE_SETTINGS, file, problem: `${err.message}; the defaults are in force until it is fixed.` };
    throw err;
  }
}

export interface ProviderMonth extends ComplianceRow {
  month: string;
  judged: boolean;
  below_target: boolean | null;
}

export interface ProviderCompliance {
  key: string;
  name: string;
  months: ProviderMonth[];
  flagged: boolean;
  /** The judged months below target that make up runs of at least `months`. */
  triggering_months: string[];
  /** Compliance pooled over the orders of those months (null when not flagged): how far below target a flagged provider is. */
  triggering_compliance: ComplianceRow | null;
}

export function providerMonthlyCompliance(facts: FactColumns, filters: Filters, settings: FailureSettings): ProviderCompliance[] {
  const orders: Filters = { ...filters, values: { ...filters.values, kind: ['removal_order'] } };
  const keys = dimensionKeys(facts, 'platform');
  // Months are calendar months of referred_at in UTC.
  const cells = groupRowsByMonth(facts, selectRows(facts, orders), 'platform');
  const providers: ProviderCompliance[] = [];
  for (let start = 0; start < cells.length; ) {
    const key = cells[start].key;
    let end = start;
    while (end < cells.length && cells[end].key === key) end++;
    const months: ProviderMonth[] = cells.slice(start, end).map((cell) => {
      const { status, hours } = referralStates(facts, cell.rows, filters.asOf);
      const c = deadlineCompliance(status, hours, settings.hours);
      const judged = c.eligible >= settings.minOrders;
      return { month: bucketLabel(cell.month, 'month'), ...c, judged, below_target: judged ? belowTarget(c.on_time, c.eligible, settings.target) : null };
    });
    const triggering = failureRuns(months, settings.months);
    const triggeringSet = new Set(triggering);
    const inRuns = months.filter((m) => triggeringSet.has(m.month));
    const eligible = inRuns.reduce((a, m) => a + m.eligible, 0);
    const onTime = inRuns.reduce((a, m) => a + m.on_time, 0);
    providers.push({
      key,
      name: keys.nameOf(key),
      months,
      flagged: triggering.length > 0,
      triggering_months: triggering,
      triggering_compliance: triggering.length ? { hours: settings.hours, eligible, on_time: onTime, ...wilson(onTime, eligible) } : null,
    });
    start = end;
  }
  return providers;
}

/**
 * on_time / eligible below the target, decided exactly (METRICS.md): a month
 * at exactly the target (9 of 10 at 0.9) is not below it, whatever rounding
 * makes of the share.
 */
export function belowTarget(onTime: number, eligible: number, target: number): boolean {
  return onTime / eligible < target * (1 - RELATIVE_TOLERANCE);
}

/**
 * The months of every run of at least `length` judged months below target.
 * Months that are not judged neither extend nor break a run.
 */
export function failureRuns(months: readonly Pick<ProviderMonth, 'month' | 'judged' | 'below_target'>[], length: number): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const close = () => {
    if (run.length >= length) out.push(...run);
    run = [];
  };
  for (const m of months) {
    if (!m.judged) continue;
    if (m.below_target) run.push(m.month);
    else close();
  }
  close();
  return out;
}
