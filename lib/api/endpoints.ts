// The endpoints of /api/v1: each route parses its query with the parameters
// given here, and the OpenAPI document (lib/api/openapi.ts) describes them
// from the same schemas, so the description and the parsing cannot part.
import { z } from 'zod';
import { DIMENSIONS, type ExtraParams } from '@/lib/filters';
import type { Route } from '@/lib/auth/rules';
import { ANSWERS } from './answers';
import { bucketParam, byParam, intParam, kmPointsParam, recordSelectionParams, referralSortParam, shareParam, wholeNumberParam, yearParam } from './params';

export interface Endpoint<E extends ExtraParams = ExtraParams> {
  route: Route;
  method: 'GET' | 'POST';
  summary: string;
  description: string;
  /** Whether the filters (API.md) are accepted on top of `params`, and from and to: optional, required or refused. */
  filters: boolean;
  period?: 'optional' | 'required' | 'refused';
  /** The query parameters beyond the filters. */
  params: E;
  /** The answer: a JSON schema of the 200 body, or a CSV file. */
  answer: z.ZodType | 'csv';
}

const endpoint = <E extends ExtraParams>(e: Endpoint<E>): Endpoint<E> => e;
const figures = { method: 'GET', filters: true } as const;

// by=status (status at as_of) exists for time series only.
const byOrStatus = z
  .enum([...DIMENSIONS, 'status'], { error: `must be one of ${DIMENSIONS.join(', ')} (or status, with bucket)` })
  .optional()
  .meta({ description: 'The dimension to count by; status (at as_of) with bucket only.', example: 'platform' });

export const ENDPOINTS = {
  summary: endpoint({
    ...figures,
    route: '/api/v1/summary',
    summary: 'Headline figures',
    description: 'Counts by status at as_of, the removal rate with its Wilson interval, the Kaplan–Meier estimate of time online, deadline compliance and time to acknowledge.',
    params: { km_points: kmPointsParam },
    answer: ANSWERS.summary,
  }),
  breakdown: endpoint({
    ...figures,
    route: '/api/v1/breakdown',
    summary: 'Headline figures for each value of a dimension',
    description: 'The summary of each platform, group, language… under the filters.',
    params: { by: byParam, km_points: kmPointsParam },
    answer: ANSWERS.breakdown,
  }),
  breakdownCsv: endpoint({
    ...figures,
    route: '/api/v1/breakdown.csv',
    summary: 'A breakdown as CSV',
    description: 'One row per value of the dimension, the columns the README lists. Analysts and above; every export is audited.',
    params: { by: byParam },
    answer: 'csv',
  }),
  comparison: endpoint({
    ...figures,
    route: '/api/v1/comparison',
    summary: 'A period against the one before it',
    description: 'The summary of the period from–to and of the period of the same length just before, and the change of each figure.',
    period: 'required',
    params: { km_points: kmPointsParam },
    answer: ANSWERS.comparison,
  }),
  matrix: endpoint({
    ...figures,
    route: '/api/v1/matrix',
    summary: 'Referral counts for every pair of values of two dimensions',
    description: 'The heat-map tables: one row per value of `rows`, one count per value of `columns`.',
    params: { rows: byParam.meta({ description: 'The dimension of the rows.', example: 'platform' }), columns: byParam.meta({ description: 'The dimension of the columns.', example: 'language' }) },
    answer: ANSWERS.matrix,
  }),
  newPlatforms: endpoint({
    ...figures,
    route: '/api/v1/new-platforms',
    summary: 'Platforms first referred in the period',
    description: 'Platforms whose first referral (under the other filters, up to as_of) falls between from and to.',
    params: {},
    answer: ANSWERS.newPlatforms,
  }),
  orders: endpoint({
    ...figures,
    route: '/api/v1/orders',
    summary: 'Removal orders against the one-hour deadline',
    description: 'Responses in bands around the deadline, orders not executed by reason, and how many had a paused clock.',
    params: {},
    answer: ANSWERS.orders,
  }),
  providerCompliance: endpoint({
    ...figures,
    route: '/api/v1/provider-compliance',
    summary: 'Monthly compliance of each provider, and the providers flagged',
    description: 'Compliance with the removal-order deadline month by month; a provider is flagged after `months` judged months in a row below `target`. Without parameters, the rule in force (the settings).',
    params: {
      target: shareParam('The compliance a judged month must reach. Default: the setting in force.'),
      months: wholeNumberParam(1, 24, 'Judged months in a row below target that flag a provider. Default: the setting in force.'),
      min_orders: wholeNumberParam(1, 10_000, 'Orders a month needs to be judged. Default: the setting in force.'),
    },
    answer: ANSWERS.providerCompliance,
  }),
  referrals: endpoint({
    ...figures,
    route: '/api/v1/referrals',
    summary: 'The records under the filters, a page at a time',
    description: 'Each referral with its URL. Analysts and above; every answer is a record view in the audit trail.',
    params: {
      page: intParam(1, 1_000_000, 1, 'The page.'),
      page_size: intParam(1, 500, 50, 'Records per page.'),
      sort: referralSortParam,
      ...recordSelectionParams,
    },
    answer: ANSWERS.referrals,
  }),
  referralsCsv: endpoint({
    ...figures,
    route: '/api/v1/referrals.csv',
    summary: 'The records under the filters as CSV',
    description: 'Every record, streamed, the columns the README lists. Analysts and above; every export is audited.',
    params: { sort: referralSortParam, ...recordSelectionParams },
    answer: 'csv',
  }),
  spread: endpoint({
    ...figures,
    route: '/api/v1/spread',
    summary: 'Content seen on several platforms',
    description: 'Content fingerprints referred on two or more platforms, most platforms first; fingerprints and exact instants only for roles that may see records.',
    params: { limit: intParam(1, 1000, 100, 'Items to return at most.') },
    answer: ANSWERS.spread,
  }),
  transparency: endpoint({
    ...figures,
    route: '/api/v1/transparency',
    summary: 'The annual transparency report (Regulation 2021/784, Art. 8)',
    description: 'Removal orders issued and their outcomes, by unit and by provider, for the calendar year `year` (the year is the period: from and to are refused).',
    period: 'refused',
    params: { year: yearParam },
    answer: ANSWERS.transparency,
  }),
  viewsBeforeAction: endpoint({
    ...figures,
    route: '/api/v1/views-before-action',
    summary: 'Views gathered before action, by platform',
    description: 'Among actioned referrals with both view counts, the views between referral and outcome.',
    params: {},
    answer: ANSWERS.viewsBeforeAction,
  }),
  volumes: endpoint({
    ...figures,
    route: '/api/v1/volumes',
    summary: 'Referral counts by a dimension, or over time',
    description: 'With by: counts by the values of a dimension. With bucket: a time series (by day, week or month of referred_at), optionally split by a dimension or by status at as_of.',
    params: { by: byOrStatus, bucket: bucketParam },
    answer: ANSWERS.volumes,
  }),
  imports: endpoint({
    route: '/api/v1/imports',
    method: 'GET',
    filters: false,
    summary: 'The import batches, latest first',
    description: 'The last 500 batches with their counts. Stewards and above.',
    params: {},
    answer: ANSWERS.imports,
  }),
  importFile: endpoint({
    route: '/api/v1/imports',
    method: 'POST',
    filters: false,
    summary: 'Import a batch of referrals',
    description: 'A multipart form with the field `file` (CSV, JSON or NDJSON, DATA-MODEL.md) and optionally `format`. Nothing is written unless every row is good: 201 committed, 422 rejected with the errors counted. Stewards and above.',
    params: {},
    answer: ANSWERS.importResult,
  }),
  openapi: endpoint({
    route: '/api/v1/openapi.json',
    method: 'GET',
    filters: false,
    summary: 'This description of the API (OpenAPI 3.1)',
    description: 'Every endpoint under /api/v1 with its parameters, answers and errors. Any signed-in user.',
    params: {},
    answer: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }),
  }),
};
