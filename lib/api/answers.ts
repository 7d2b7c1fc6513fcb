// What each endpoint of /api/v1 answers, as zod schemas: the OpenAPI
// document (lib/api/openapi.ts) is generated from them, and the tests hold
// every real answer to them (test/integration/openapi.test.ts), so the
// description cannot drift from the answers. Field meanings: METRICS.md.
import { z } from 'zod';

const count = z.int().min(0);
const share = z.number().min(0).max(1);
const hours = z.number().min(0);
const instant = z.string().meta({ description: 'An instant in UTC, ISO 8601 (e.g. 2026-03-01T00:00:00Z).', format: 'date-time' });
const day = z.string().meta({ format: 'date' });
const orNull = <T extends z.ZodType>(schema: T) => schema.nullable();

/** Every JSON answer echoes the filters it applied (API.md). */
const filtersEcho = z
  .object({ as_of: instant, from: day.optional(), to: day.optional() })
  .catchall(z.array(z.string()))
  .meta({ description: 'The filters applied: as_of always, from and to when given, and the values of each dimension filtered on.' });

const interval = { lower: orNull(share), upper: orNull(share) };
const compliance = z.object({
  hours: hours.meta({ description: 'The deadline in hours.' }),
  eligible: count,
  on_time: count,
  rate: orNull(share),
  ...interval,
});
const kmRow = z.object({ time: hours, n_risk: count, n_event: count, n_censor: count, surv: share, lower: share, upper: share });

const summaryFields = {
  as_of: instant,
  total: count.meta({ description: 'Referrals selected (referred by as_of).' }),
  n: count.meta({ description: 'Judged: actioned, declined or open (not excluded).' }),
  actioned: count,
  declined: count,
  open: count,
  excluded: count,
  removal_rate: orNull(share),
  removal_rate_lower: orNull(share),
  removal_rate_upper: orNull(share),
  km: z.array(kmRow).meta({ description: 'Kaplan–Meier estimate of the share still online, with its 95% interval (at most km_points rows).' }),
  km_event_times: count,
  km_median: orNull(hours),
  km_median_lower: orNull(hours),
  km_median_upper: orNull(hours),
  km_p90: orNull(hours),
  max_follow_up: orNull(hours),
  compliance: z.array(compliance),
  among_removed: z.object({ median: orNull(hours), mean: orNull(hours), p90: orNull(hours) }),
  time_to_acknowledge: z.object({ n: count, median: orNull(hours), p90: orNull(hours) }),
  open_over_7_days: count,
};
const summary = z.object(summaryFields);
const keyed = { key: z.string(), name: z.string() };
/** Which data the figures are of (issue 17): during the read of a newer import, the answer is of the version before it. */
export const dataEcho = z
  .object({
    version: count.meta({ description: 'The data version the figures are computed from (it moves with every committed import).' }),
    import: orNull(count).meta({ description: 'The last committed import batch the figures include (its page: /import/{batch}).' }),
    newer_version_pending: z.boolean().meta({ description: 'True while a newer import is being read: these figures are of the version before it, and the next answers follow it within moments.' }),
  })
  .meta({ description: 'Which data these figures are of.' });
const answer = <T extends z.ZodRawShape>(shape: T) => z.object({ filters: filtersEcho, data: dataEcho, as_of: instant, ...shape });

const linkedCount = z.object({ count, records: z.string().meta({ description: 'The records view behind this count (a path on this site).' }) });
const outcomes = {
  issued: linkedCount,
  removed_or_disabled: linkedCount,
  not_executed: linkedCount,
  still_open: linkedCount,
  already_unavailable: linkedCount,
};

export const ANSWERS = {
  summary: answer(summaryFields),
  breakdown: answer({ by: z.string(), rows: z.array(z.object({ ...keyed, ...summaryFields })) }),
  comparison: answer({
    period: z.object({ from: day, to: day }),
    previous_period: z.object({ from: day, to: day }),
    changes: z.array(z.object({ metric: z.string(), current: orNull(z.number()), previous: orNull(z.number()), absolute: orNull(z.number()), relative: orNull(z.number()) })),
    current: summary,
    previous: summary,
  }),
  matrix: answer({
    rows_by: z.string(),
    columns_by: z.string(),
    columns: z.array(z.object({ ...keyed, total: count })),
    rows: z.array(z.object({ ...keyed, total: count, counts: z.array(count).meta({ description: 'One count per column, in the order of columns.' }) })),
  }),
  newPlatforms: answer({ rows: z.array(z.object({ ...keyed, type: z.string(), first_referred_at: instant })) }),
  orders: answer({
    orders: count,
    judged: count,
    bands: z.array(z.object({ key: z.string(), label: z.string(), count, share: orNull(share).meta({ description: 'Of the orders; null when there are none.' }) })),
    not_executed: z.array(z.object({ reason: orNull(z.string()), count })),
    paused: count.meta({ description: 'Orders whose clock was paused.' }),
  }),
  providerCompliance: answer({
    settings: z.object({ target: share, months: count, min_orders: count, hours }),
    providers: z.array(
      z.object({
        ...keyed,
        months: z.array(z.object({ month: z.string(), ...compliance.shape, judged: z.boolean(), below_target: orNull(z.boolean()) })),
        flagged: z.boolean(),
        triggering_months: z.array(z.string()),
        triggering_compliance: orNull(compliance),
      }),
    ),
    flagged: z.array(z.object({ ...keyed, triggering_months: z.array(z.string()) })),
  }),
  referrals: answer({
    page: count,
    page_size: count,
    sort: z.string(),
    total: count,
    pages: count,
    rows: z.array(
      z.object({
        referral_id: z.string(),
        kind: z.string(),
        unit: z.string(),
        campaign: orNull(z.string()),
        platform: z.string(),
        platform_name: z.string(),
        group: z.string(),
        group_name: z.string(),
        language: z.string(),
        content_type: z.string(),
        url: z.string(),
        content_hash: orNull(z.string()),
        referred_at: instant,
        received_at: orNull(instant),
        outcome: z.string(),
        outcome_at: orNull(instant),
        outcome_reason: orNull(z.string()),
        clock_paused_hours: orNull(hours),
        views_at_referral: orNull(count),
        views_at_outcome: orNull(count),
      }),
    ),
  }),
  spread: answer({
    total: count,
    rows: z.array(
      z.object({
        content_hash: orNull(z.string()).meta({ description: 'Null for a role that may not see records.' }),
        platform_count: count,
        referrals: count,
        platforms: z.array(z.object({ ...keyed, first_referred_on: day, first_referred_at: orNull(instant), referrals: count })),
      }),
    ),
  }),
  transparency: answer({
    year: z.int(),
    period: z.object({ from: day, to: day }),
    removal_orders: z.object(outcomes),
    by_unit: z.array(z.object({ ...keyed, ...outcomes })),
    not_executed_by_reason: z.array(z.object({ reason: orNull(z.string()), count, records: z.string() })),
    by_provider: z.array(
      z.object({
        ...keyed,
        ...outcomes,
        within_1h: compliance.omit({ hours: true }),
        referrals: orNull(z.object({ count, records: z.string(), removal_rate: orNull(share) })),
      }),
    ),
    referrals: z.object({ ...outcomes, removal_rate: orNull(share), removal_rate_lower: orNull(share), removal_rate_upper: orNull(share), within_24h: compliance.omit({ hours: true }) }),
    orders_within_1h: compliance.omit({ hours: true }),
  }),
  viewsBeforeAction: answer({ rows: z.array(z.object({ ...keyed, n: count, views: count, median: orNull(z.number()) })) }),
  volumes: z.union([
    answer({ by: z.string(), rows: z.array(z.object({ ...keyed, count })) }).meta({ title: 'Counts by the values of one dimension' }),
    answer({ by: z.string().optional(), bucket: z.string(), rows: z.array(z.object({ period: z.string(), key: z.string().optional(), name: z.string().optional(), count })) }).meta({ title: 'A time series' }),
  ]),
  imports: z.object({
    batches: z.array(
      z.object({
        id: z.int(),
        file_name: z.string(),
        format: z.string(),
        actor: z.string(),
        started_at: instant,
        finished_at: orNull(instant),
        status: z.string(),
        rows: count,
        inserted: count,
        updated: count,
        unchanged: count,
        rejected: count,
        error_count: count,
        message: orNull(z.string()),
      }),
    ),
  }),
  importResult: z.object({
    result: z.object({
      ok: z.boolean(),
      batchId: orNull(z.int()),
      status: z.enum(['committed', 'rejected', 'failed']),
      message: orNull(z.string()),
      rows: count,
      inserted: count,
      updated: count,
      unchanged: count,
      rejected: count,
      errorCount: count,
    }),
  }),
};

/** Every refusal (400, 401, 403, 409, 411, 413, 503): what was wrong in words, and each parameter at fault. */
export const ERROR_ANSWER = z.object({
  error: z.object({
    message: z.string(),
    issues: z.array(z.object({ param: z.string(), message: z.string() })),
  }),
});
