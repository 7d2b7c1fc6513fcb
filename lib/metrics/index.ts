// The metrics API of the app: every page, route, export and briefing asks
// here, and every figure is computed once, from the fact columns.
import type { Db } from '@/db/client';
import type { Dimension, Filters } from '@/lib/filters';
import { formatInstant } from '@/lib/instant';
import { dimensionKeys, groupRows } from './dimensions';
import { getFacts } from './fact-store';
import { selectRows } from './selection';
import { summarize, DEFAULT_DEADLINES_HOURS, type Summary } from './summary';

export type { Summary } from './summary';

export function getSummary(db: Db, filters: Filters, deadlines = DEFAULT_DEADLINES_HOURS): Summary {
  const { facts } = getFacts(db);
  return summarize(facts, selectRows(facts, filters), filters.asOf, deadlines);
}

export interface BreakdownRow extends Summary {
  key: string;
  name: string;
}

export function getBreakdown(db: Db, filters: Filters, by: Dimension, deadlines = DEFAULT_DEADLINES_HOURS) {
  const { facts } = getFacts(db);
  const keys = dimensionKeys(facts, by);
  const rows: BreakdownRow[] = groupRows(selectRows(facts, filters), keys).map((g) => ({
    key: g.key,
    name: keys.nameOf(g.key),
    ...summarize(facts, g.rows, filters.asOf, deadlines),
  }));
  return { as_of: formatInstant(filters.asOf), by, rows };
}

export function getVolumes(db: Db, filters: Filters, by: Dimension) {
  const { facts } = getFacts(db);
  const keys = dimensionKeys(facts, by);
  const rows = groupRows(selectRows(facts, filters), keys).map((g) => ({ key: g.key, name: keys.nameOf(g.key), count: g.rows.length }));
  return { as_of: formatInstant(filters.asOf), by, rows };
}
