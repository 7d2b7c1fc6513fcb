// lib/filters.ts on its own (issue 23): what each query string parses to,
// and the exact words of each refusal, at a fixed "now". Expected values are
// written out by hand from API.md "Filters" and issue 14's calendar.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  describeFilters,
  describePeriod,
  FilterError,
  filterQuery,
  latestDay,
  latestTo,
  mainFilterText,
  parseDate,
  parseFilters,
  previousPeriod,
  referredRange,
  type Filters,
  type FilterIssue,
} from '@/lib/filters';

// 15 June 2026, 10:30:45.678 UTC: tomorrow is 16 June, the end of next year 31 December 2027.
const NOW = Date.UTC(2026, 5, 15, 10, 30, 45, 678);

function parse(query: string, extra: Record<string, z.ZodType<unknown, string | undefined>> = {}) {
  return parseFilters(new URLSearchParams(query), extra, NOW);
}

function refused(query: string, extra: Record<string, z.ZodType<unknown, string | undefined>> = {}): FilterIssue[] {
  try {
    parse(query, extra);
  } catch (e) {
    expect(e).toBeInstanceOf(FilterError);
    return (e as FilterError).issues;
  }
  throw new Error(`${query} was accepted`);
}

const NO_VALUES = { platform: [], platform_type: [], group: [], ideology: [], language: [], content_type: [], unit: [], campaign: [], kind: [] };

function filtersOf(over: Partial<Omit<Filters, 'values'>> & { values?: Partial<Filters['values']> }): Filters {
  return { from: null, to: null, asOf: Date.UTC(2026, 5, 15, 10, 30), ...over, values: { ...NO_VALUES, ...over.values } };
}

describe('the calendar of a request', () => {
  it('knows real dates, leap days included, and nothing else', () => {
    expect(parseDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseDate('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
    expect(parseDate('2026-12-31')).toBe(Date.UTC(2026, 11, 31));
    // Date.UTC reads years 0–99 as 1900–1999: such a year is no date of its own.
    expect(parseDate('0050-06-01')).toBeNull();
    for (const text of ['2026-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-1-05', ' 2026-01-05', '2026-01-05T00:00:00Z', '']) expect(parseDate(text), text).toBeNull();
  });

  it('ends tomorrow for from and as_of, and at the end of next year for to', () => {
    expect(latestDay(NOW)).toBe('2026-06-16');
    expect(latestDay(Date.UTC(2026, 11, 31, 23, 59, 59, 999))).toBe('2027-01-01');
    expect(latestDay(Date.UTC(2026, 11, 31))).toBe('2027-01-01');
    expect(latestTo(NOW)).toBe('2027-12-31');
    expect(latestTo(Date.UTC(2026, 11, 31, 23, 59))).toBe('2027-12-31');
  });
});

describe('parsing a query string', () => {
  it('gives every dimension an empty list and as_of the current minute when nothing is asked', () => {
    expect(parse('')).toEqual({ filters: filtersOf({}), extra: {} });
  });

  it('takes dates inclusive at both ends of the calendar, and as_of to the millisecond', () => {
    expect(parse('from=2000-01-01&to=2027-12-31').filters).toMatchObject({ from: '2000-01-01', to: '2027-12-31' });
    expect(parse('from=2000-01-01&to=2000-01-01').filters).toMatchObject({ from: '2000-01-01', to: '2000-01-01' });
    expect(parse('from=2026-06-16&to=2026-06-16').filters).toMatchObject({ from: '2026-06-16', to: '2026-06-16' });
    expect(parse('as_of=2000-01-01T00:00:00Z').filters.asOf).toBe(Date.UTC(2000, 0, 1));
    expect(parse('as_of=2026-06-16T23:59:59.999Z').filters.asOf).toBe(Date.UTC(2026, 5, 16, 23, 59, 59, 999));
    expect(parse('as_of=2026-03-01T10:00:00%2B02:00').filters.asOf).toBe(Date.UTC(2026, 2, 1, 8));
  });

  it('reads values comma-separated or repeated, trimmed, each once, in the order given', () => {
    const { values } = parse('platform=vidora, filehost&platform=vidora&language=ar,und&kind=removal_order&ideology=far_right&platform_type=file_sharing&content_type=livestream&unit=EU-IRU&campaign=c.2026_1&group=g1').filters;
    expect(values).toEqual({ ...NO_VALUES, platform: ['vidora', 'filehost'], language: ['ar', 'und'], kind: ['removal_order'], ideology: ['far_right'], platform_type: ['file_sharing'], content_type: ['livestream'], unit: ['EU-IRU'], campaign: ['c.2026_1'], group: ['g1'] });
  });

  it('takes a code of 64 characters, and 200 values of one dimension', () => {
    expect(parse(`platform=${'a'.repeat(64)}`).filters.values.platform).toEqual(['a'.repeat(64)]);
    const many = Array.from({ length: 200 }, (_, i) => `p${i}`);
    expect(parse(`platform=${many.join(',')}`).filters.values.platform).toHaveLength(200);
  });

  it('parses an endpoint’s own parameters with its schema, absent ones as undefined', () => {
    const extra = { sort: z.enum(['a', 'b']).default('a'), limit: z.string().regex(/^\d+$/).transform(Number).optional() };
    expect(parse('sort=b&limit=7', extra).extra).toEqual({ sort: 'b', limit: 7 });
    expect(parse('', extra).extra).toEqual({ sort: 'a', limit: undefined });
  });
});

describe('refusing a query string', () => {
  it.each<[string, FilterIssue[]]>([
    ['colour=red', [{ param: 'colour', message: 'unknown parameter; known: from, to, as_of, platform, platform_type, group, ideology, language, content_type, unit, campaign, kind' }]],
    ['from=2026-01-01&from=2026-02-01', [{ param: 'from', message: 'given more than once' }]],
    ['as_of=2026-01-01T00:00:00Z&as_of=2026-01-02T00:00:00Z', [{ param: 'as_of', message: 'given more than once' }]],
    ['from=yesterday', [{ param: 'from', message: "'yesterday' is not a date YYYY-MM-DD" }]],
    ['to=2026-02-30', [{ param: 'to', message: "'2026-02-30' is not a date YYYY-MM-DD" }]],
    ['from=1999-12-31', [{ param: 'from', message: '1999-12-31 must lie between 2000-01-01 and 2026-06-16 (tomorrow)' }]],
    ['from=2026-06-17', [{ param: 'from', message: '2026-06-17 must lie between 2000-01-01 and 2026-06-16 (tomorrow)' }]],
    ['to=1999-12-31', [{ param: 'to', message: '1999-12-31 must lie between 2000-01-01 and 2027-12-31 (the end of next year)' }]],
    ['to=2028-01-01', [{ param: 'to', message: '2028-01-01 must lie between 2000-01-01 and 2027-12-31 (the end of next year)' }]],
    ['from=2026-03-02&to=2026-03-01', [{ param: 'from', message: '2026-03-02 is after to=2026-03-01' }]],
    ['as_of=2026-01-01', [{ param: 'as_of', message: "'2026-01-01' is a date without a time: give an instant such as 2026-01-01T00:00:00Z" }]],
    ['as_of=1999-12-31T23:59:59.999Z', [{ param: 'as_of', message: '1999-12-31T23:59:59.999Z must lie between 2000-01-01T00:00:00Z and the end of 2026-06-16 (tomorrow)' }]],
    ['as_of=2026-06-17T00:00:00Z', [{ param: 'as_of', message: '2026-06-17T00:00:00Z must lie between 2000-01-01T00:00:00Z and the end of 2026-06-16 (tomorrow)' }]],
    ['platform=bad platform!', [{ param: 'platform', message: `'bad platform!' is not a code (letters, digits, ".", "_" or "-")` }]],
    [`group=${'a'.repeat(65)}`, [{ param: 'group', message: `'${'a'.repeat(65)}' is not a code (letters, digits, ".", "_" or "-")` }]],
    ['unit=-EU', [{ param: 'unit', message: `'-EU' is not a code (letters, digits, ".", "_" or "-")` }]],
    ['campaign=', [{ param: 'campaign', message: `'' is not a code (letters, digits, ".", "_" or "-")` }]],
    ['platform_type=tv', [{ param: 'platform_type', message: "'tv' must be one of video, social, messaging, file_sharing, paste, archive, forum, other" }]],
    ['ideology=left', [{ param: 'ideology', message: "'left' must be one of jihadist, far_right, far_left, ethno_separatist, other, unattributed" }]],
    ['content_type=gif', [{ param: 'content_type', message: "'gif' must be one of video, image, audio, text, document, account, livestream, other" }]],
    ['kind=order', [{ param: 'kind', message: "'order' must be one of referral, removal_order" }]],
    ['language=AR', [{ param: 'language', message: "'AR' is not an ISO 639-1 code (or 'und', 'zxx')" }]],
    ['language=ara', [{ param: 'language', message: "'ara' is not an ISO 639-1 code (or 'und', 'zxx')" }]],
    [`platform=${Array.from({ length: 201 }, (_, i) => `p${i}`).join(',')}`, [{ param: 'platform', message: 'names 201 values; at most 200 may be given' }]],
  ])('%s', (query, issues) => {
    expect(refused(query)).toEqual(issues);
  });

  it('lists every bad parameter at once, unknown ones first, and says them all in its message', () => {
    const issues = refused('x=1&from=nope&language=ara,en,xyz');
    expect(issues.map((i) => i.param)).toEqual(['x', 'from', 'language', 'language']);
    const error = (() => {
      try {
        parse('x=1&kind=k');
      } catch (e) {
        return e as FilterError;
      }
    })()!;
    expect(error.name).toBe('FilterError');
    expect(error.message).toBe(`x: unknown parameter; known: from, to, as_of, platform, platform_type, group, ideology, language, content_type, unit, campaign, kind; kind: 'k' must be one of referral, removal_order`);
  });

  it('names an endpoint’s own parameters among the known ones, and says what its schema refuses', () => {
    const extra = { sort: z.enum(['a', 'b'], { error: 'must be a or b' }) };
    expect(refused('sort=c', extra)).toEqual([{ param: 'sort', message: 'must be a or b' }]);
    expect(refused('sort=a&sort=b', extra)).toEqual([{ param: 'sort', message: 'given more than once' }, { param: 'sort', message: 'must be a or b' }]);
    expect(refused('y=1', extra)[0].message).toMatch(/; known: from, to, as_of, .*, kind, sort$/);
  });
});

describe('the filters in other words', () => {
  const filters = filtersOf({ from: '2026-02-01', to: '2026-02-28', asOf: Date.UTC(2026, 2, 5, 12), values: { platform: ['vidora', 'filehost'], platform_type: ['video'], language: ['ar'] } });

  it('echoes as_of, the dates and the dimensions that name something', () => {
    expect(describeFilters(filters)).toEqual({ as_of: '2026-03-05T12:00:00Z', from: '2026-02-01', to: '2026-02-28', platform: ['vidora', 'filehost'], platform_type: ['video'], language: ['ar'] });
    expect(describeFilters(filtersOf({ asOf: Date.UTC(2026, 2, 5, 12, 0, 0, 250) }))).toEqual({ as_of: '2026-03-05T12:00:00.250Z' });
  });

  it('turns the days into a half-open range of instants', () => {
    expect(referredRange(filters)).toEqual({ start: Date.UTC(2026, 1, 1), end: Date.UTC(2026, 2, 1) });
    expect(referredRange(filtersOf({ to: '2026-02-28' }))).toEqual({ start: null, end: Date.UTC(2026, 2, 1) });
    expect(referredRange(filtersOf({ from: '2026-02-01' }))).toEqual({ start: Date.UTC(2026, 1, 1), end: null });
  });

  it('finds the period of equal length just before, only when both ends are given', () => {
    // February 2026 has 28 days: the 28 days before are 4 to 31 January.
    expect(previousPeriod(filters)).toEqual({ ...filters, from: '2026-01-04', to: '2026-01-31' });
    expect(previousPeriod(filtersOf({ from: '2026-03-01', to: '2026-03-01' }))).toMatchObject({ from: '2026-02-28', to: '2026-02-28' });
    expect(previousPeriod(filtersOf({ from: '2026-02-01' }))).toBeNull();
    expect(previousPeriod(filtersOf({ to: '2026-02-01' }))).toBeNull();
  });

  it('says the period in words for subtitles', () => {
    expect(describePeriod(filters)).toBe('from 1 Feb 2026 to 28 Feb 2026');
    expect(describePeriod(filtersOf({ from: '2026-02-01' }))).toBe('from 1 Feb 2026');
    expect(describePeriod(filtersOf({ to: '2026-12-31' }))).toBe('up to 31 Dec 2026');
    expect(describePeriod(filtersOf({}))).toBe('over all dates');
  });

  it('puts the two most telling filters in a page title', () => {
    expect(mainFilterText(filters)).toBe('platform vidora, filehost; platform type video');
    expect(mainFilterText(filtersOf({ from: '2026-01-01', values: { content_type: ['video'] } }))).toBe('content type video; 2026-01-01 to …');
    expect(mainFilterText(filtersOf({ to: '2026-03-31' }))).toBe('… to 2026-03-31');
    expect(mainFilterText(filtersOf({}))).toBe('');
  });

  it('keeps only the filter parameters when linking to another view', () => {
    expect(filterQuery('platform=a&sort=rate&from=2026-01-01&page=2&as_of=2026-02-01T00%3A00%3A00Z')).toBe('platform=a&from=2026-01-01&as_of=2026-02-01T00%3A00%3A00Z');
    expect(filterQuery('sort=rate&limit=5')).toBe('');
    expect(filterQuery('kind=referral&kind=removal_order')).toBe('kind=referral&kind=removal_order');
  });
});

describe('the default as_of', () => {
  it('is now to the whole minute, so that requests within a minute share an answer', () => {
    expect(parseFilters(new URLSearchParams(''), {}, Date.UTC(2026, 5, 15, 10, 30, 59, 999)).filters.asOf).toBe(Date.UTC(2026, 5, 15, 10, 30));
    expect(parseFilters(new URLSearchParams(''), {}, Date.UTC(2026, 5, 15, 10, 31)).filters.asOf).toBe(Date.UTC(2026, 5, 15, 10, 31));
  });
});
