// lib/import/validate-row.ts on its own (issue 23): the typed row a record
// becomes, and the exact words of each refusal, field by field. Expected
// values are written out by hand from DATA-MODEL.md "referrals" and "Row rules".
import { describe, expect, it } from 'vitest';
import { FUTURE_SKEW_MS, isField, validateRecord, type ReferralRow, type RowError } from '@/lib/import/validate-row';
import { validRow } from '../helpers/rows';

const NOW = Date.UTC(2026, 5, 1, 12);

function accepted(values: Record<string, unknown>): ReferralRow {
  const errors: RowError[] = [];
  const row = validateRecord(7, values, NOW, errors);
  expect(errors).toEqual([]);
  return row!;
}

/** The messages of a refused record, each with its field; the line is checked once below. */
function refusals(values: Record<string, unknown>): [string, string][] {
  const errors: RowError[] = [];
  expect(validateRecord(7, values, NOW, errors)).toBeNull();
  expect(errors.every((e) => e.line === 7)).toBe(true);
  return errors.map((e) => [e.field, e.message]);
}

describe('a valid record', () => {
  it('becomes a typed row: instants in ms, codes trimmed, absent fields null', () => {
    expect(accepted(validRow())).toEqual({
      referralId: 'T-1',
      kind: 'referral',
      unit: 'eu-iru',
      campaign: null,
      platform: 'alpha',
      group: 'daesh',
      language: 'ar',
      contentType: 'video',
      url: 'https://alpha.example/item/T-1',
      contentHash: null,
      referredAt: Date.UTC(2026, 1, 1),
      receivedAt: null,
      outcome: 'removed',
      outcomeAt: Date.UTC(2026, 1, 1, 5),
      outcomeReason: null,
      clockPausedHours: null,
      viewsAtReferral: null,
      viewsAtOutcome: null,
      notes: null,
    } satisfies ReferralRow);
  });

  it('reads every optional field, lower-cases the language and keeps the notes as written', () => {
    const row = accepted(
      validRow({
        referral_id: '  R 9  ',
        kind: 'removal_order',
        campaign: ' c.2026_1 ',
        group: '',
        language: 'AR',
        content_hash: 'sha256:ab',
        received_at: '2026-02-01T00:00:00Z',
        outcome: 'disabled',
        outcome_at: '2026-02-01T01:00:00+01:00',
        outcome_reason: 'force_majeure',
        clock_paused_hours: '1.5',
        views_at_referral: '+12',
        views_at_outcome: '1e3',
        notes: '  as written  ',
      }),
    );
    expect(row).toMatchObject({
      referralId: 'R 9',
      kind: 'removal_order',
      campaign: 'c.2026_1',
      group: 'unattributed',
      language: 'ar',
      contentHash: 'sha256:ab',
      receivedAt: Date.UTC(2026, 1, 1),
      outcome: 'disabled',
      outcomeAt: Date.UTC(2026, 1, 1),
      outcomeReason: 'force_majeure',
      clockPausedHours: 1.5,
      viewsAtReferral: 12,
      viewsAtOutcome: 1000,
      notes: '  as written  ',
    });
  });

  it('takes JSON numbers for numbers and for text, and .5 and 0 as numbers', () => {
    const row = accepted({ ...validRow(), referral_id: 42, clock_paused_hours: '.5', views_at_referral: 0, views_at_outcome: 7 });
    expect(row).toMatchObject({ referralId: '42', clockPausedHours: 0.5, viewsAtReferral: 0, viewsAtOutcome: 7 });
  });

  it('takes each limit itself: 128-character ids and hashes, 2,048-character URLs, 2,000 characters of notes, 64-character codes', () => {
    const url = `https://a.example/${'x'.repeat(2048 - 18)}`;
    expect(url).toHaveLength(2048);
    const row = accepted(validRow({ referral_id: 'i'.repeat(128), content_hash: 'h'.repeat(128), url, notes: 'n'.repeat(2000), unit: 'u'.repeat(64), outcome_reason: 'r'.repeat(64) }));
    expect([row.referralId.length, row.contentHash!.length, row.url.length, row.notes!.length, row.unit.length, row.outcomeReason!.length]).toEqual([128, 128, 2048, 2000, 64, 64]);
  });

  it('accepts URLs with user, port, IPv6 host, query and fragment', () => {
    for (const url of ['http://a.example', 'HTTPS://A.EXAMPLE/x', 'https://u:p@a.example:8443/p?q=1#f', 'https://[2001:db8::1]:8080/v', 'https://a.example?x=1', 'https://a.example#top'])
      expect(accepted(validRow({ url })).url, url).toBe(url);
  });

  it('accepts referred_at up to 5 minutes in the future, and receipt or outcome at the instant of referral', () => {
    expect(FUTURE_SKEW_MS).toBe(300_000);
    const at = new Date(NOW + FUTURE_SKEW_MS).toISOString();
    expect(accepted(validRow({ referred_at: at, received_at: at, outcome_at: at })).referredAt).toBe(NOW + FUTURE_SKEW_MS);
    expect(accepted(validRow({ outcome: 'pending', outcome_at: '' })).outcomeAt).toBeNull();
  });
});

describe('a refused record', () => {
  it('names each required field that is missing, empty or blank, in field order', () => {
    const blank = Object.fromEntries(Object.keys(validRow()).map((k) => [k, ' ']));
    expect(refusals(blank)).toEqual([
      ['referral_id', 'referral_id is required'],
      ['kind', 'kind is required'],
      ['unit', 'unit is required'],
      ['platform', 'platform is required'],
      ['language', 'language is required'],
      ['content_type', 'content_type is required'],
      ['url', 'url is required'],
      ['referred_at', 'referred_at is required'],
      ['outcome', 'outcome is required'],
    ]);
    expect(refusals({ ...validRow(), referral_id: undefined, kind: null, unit: '' })).toEqual([
      ['referral_id', 'referral_id is required'],
      ['kind', 'kind is required'],
      ['unit', 'unit is required'],
    ]);
  });

  it('says what a value is when it is not text', () => {
    expect(refusals({ ...validRow(), referral_id: {}, unit: [], platform: true, url: Number.NaN, notes: { a: 1 } })).toEqual([
      ['referral_id', 'referral_id must be a string, not an object'],
      ['unit', 'unit must be a string, not an array'],
      ['platform', 'platform must be a string, not a boolean'],
      ['url', 'url must be a string, not a number'],
      ['notes', 'notes must be a string, not an object'],
    ]);
  });

  it('gives the length of a value over its limit', () => {
    expect(
      refusals(validRow({ referral_id: 'i'.repeat(129), unit: 'u'.repeat(65), language: 'arabic-xx', url: `https://a.example/${'x'.repeat(2031)}`, content_hash: 'h'.repeat(129), notes: 'n'.repeat(2001) })),
    ).toEqual([
      ['referral_id', 'referral_id is 129 characters long; at most 128 are allowed'],
      ['unit', 'unit is 65 characters long; at most 64 are allowed'],
      ['language', 'language is 9 characters long; at most 8 are allowed'],
      ['url', 'url is 2049 characters long; at most 2048 are allowed'],
      ['content_hash', 'content_hash is 129 characters long; at most 128 are allowed'],
      ['notes', 'notes is 2001 characters long; at most 2000 are allowed'],
    ]);
  });

  it('lists the allowed values of an enumerated field', () => {
    expect(refusals(validRow({ kind: 'order', content_type: 'gif', outcome: 'deleted' }))).toEqual([
      ['kind', "kind 'order' is not one of: referral, removal_order"],
      ['content_type', "content_type 'gif' is not one of: video, image, audio, text, document, account, livestream, other"],
      ['outcome', "outcome 'deleted' is not one of: pending, removed, disabled, rejected, unavailable"],
    ]);
  });

  it('says what a code, a language, a URL and a reason code may hold', () => {
    expect(refusals(validRow({ unit: '-eu', campaign: 'a b', platform: '.x', group: 'g/1', language: 'xx', url: 'ftp://a.example/f', outcome_reason: 'Force_majeure' }))).toEqual([
      ['unit', "unit '-eu' is not a code: use letters, digits, '.', '_' or '-', starting with a letter or digit"],
      ['campaign', "campaign 'a b' is not a code: use letters, digits, '.', '_' or '-', starting with a letter or digit"],
      ['platform', "platform '.x' is not a code: use letters, digits, '.', '_' or '-', starting with a letter or digit"],
      ['group', "group 'g/1' is not a code: use letters, digits, '.', '_' or '-', starting with a letter or digit"],
      ['language', "language 'xx' is not an ISO 639-1 code (or 'und' for undetermined, 'zxx' for no linguistic content)"],
      ['url', "url 'ftp://a.example/f' is not an absolute http(s) URL"],
      ['outcome_reason', "outcome_reason 'Force_majeure' is not a reason code (lower-case letters, digits and '_', e.g. force_majeure)"],
    ]);
    expect(refusals(validRow({ outcome_reason: 'force majeure' }))).toEqual([['outcome_reason', "outcome_reason 'force majeure' is not a reason code (lower-case letters, digits and '_', e.g. force_majeure)"]]);
    for (const url of ['/item/1', 'xhttps://a.example/', 'https://', 'https://a b.example', 'https://a.example/ x', 'https://a.example:123456', 'https://[zz::1]/'])
      expect(refusals(validRow({ url })), url).toEqual([['url', `url '${url}' is not an absolute http(s) URL`]]);
  });

  it('clips a long bad value to 60 characters in its message', () => {
    const bad = `-${'x'.repeat(62)}`;
    expect(refusals(validRow({ unit: bad }))).toEqual([['unit', `unit '${bad.slice(0, 60)}…' is not a code: use letters, digits, '.', '_' or '-', starting with a letter or digit`]]);
  });

  it('passes on the words of the instant parser, after the field', () => {
    expect(refusals(validRow({ referred_at: 'soon', received_at: '2026-02-01', outcome_at: '2026-02-30T00:00:00Z' }))).toEqual([
      ['referred_at', "referred_at: 'soon' is not an ISO 8601 instant (expected e.g. 2026-05-11T08:30:00Z)"],
      ['received_at', "received_at: '2026-02-01' is a date without a time: give an instant such as 2026-02-01T00:00:00Z"],
      ['outcome_at', "outcome_at: '2026-02-30T00:00:00Z' is not a valid date and time"],
    ]);
  });

  it('refuses numbers that are not numbers ≥ 0, and fractions of a view', () => {
    expect(refusals(validRow({ clock_paused_hours: '-1', views_at_referral: 'many', views_at_outcome: '1.5' }))).toEqual([
      ['clock_paused_hours', "clock_paused_hours '-1' is not a number ≥ 0"],
      ['views_at_referral', "views_at_referral 'many' is not a number ≥ 0"],
      ['views_at_outcome', 'views_at_outcome must be a whole number, got 1.5'],
    ]);
    expect(refusals({ ...validRow(), clock_paused_hours: -2, views_at_referral: '1e400', views_at_outcome: { n: 1 } })).toEqual([
      ['clock_paused_hours', 'clock_paused_hours must be a number ≥ 0, got -2'],
      ['views_at_referral', 'views_at_referral must be a number ≥ 0, got 1e400'],
      ['views_at_outcome', "views_at_outcome 'an object' is not a number ≥ 0"],
    ]);
    expect(refusals(validRow({ views_at_referral: '12abc', views_at_outcome: '1e' }))).toEqual([
      ['views_at_referral', "views_at_referral '12abc' is not a number ≥ 0"],
      ['views_at_outcome', "views_at_outcome '1e' is not a number ≥ 0"],
    ]);
    expect(accepted(validRow({ clock_paused_hours: '.25', views_at_referral: ' 7 ', views_at_outcome: '2e+1' }))).toMatchObject({ clockPausedHours: 0.25, viewsAtReferral: 7, viewsAtOutcome: 20 });
    expect(refusals({ ...validRow(), views_at_referral: Number.POSITIVE_INFINITY, views_at_outcome: 2.5 })).toEqual([
      ['views_at_referral', 'views_at_referral must be a number ≥ 0, got Infinity'],
      ['views_at_outcome', 'views_at_outcome must be a whole number, got 2.5'],
    ]);
  });

  it('holds the row rules: outcome_at with the outcome, nothing before the referral, nothing from the future', () => {
    expect(refusals(validRow({ outcome: 'pending' }))).toEqual([['outcome_at', 'outcome_at must be empty while the outcome is pending']]);
    expect(refusals(validRow({ outcome: 'rejected', outcome_at: '  ' }))).toEqual([['outcome_at', "outcome_at is required for outcome 'rejected'"]]);
    expect(refusals(validRow({ received_at: '2026-01-31T23:59:59.999Z', outcome_at: '2026-01-31T23:00:00Z' }))).toEqual([
      ['received_at', 'received_at is before referred_at'],
      ['outcome_at', 'outcome_at is before referred_at'],
    ]);
    const later = new Date(NOW + FUTURE_SKEW_MS + 1).toISOString();
    expect(refusals(validRow({ referred_at: ` ${later} `, outcome: 'pending', outcome_at: '' }))).toEqual([['referred_at', `referred_at ${later} is in the future`]]);
  });

  it('appends to the errors it is given and answers null, leaving earlier ones alone', () => {
    const errors: RowError[] = [{ line: 2, field: '', message: 'earlier' }];
    expect(validateRecord(3, validRow({ kind: 'x' }), NOW, errors)).toBeNull();
    expect(errors).toEqual([
      { line: 2, field: '', message: 'earlier' },
      { line: 3, field: 'kind', message: "kind 'x' is not one of: referral, removal_order" },
    ]);
    // A record without errors of its own is accepted whatever came before it.
    expect(validateRecord(4, validRow(), NOW, errors)).not.toBeNull();
  });
});

describe('field names', () => {
  it('are the columns of DATA-MODEL.md and nothing else', () => {
    expect(Object.keys(validRow()).every(isField)).toBe(true);
    expect(['id', 'Referral_ID', 'referral_id ', '', 'created_batch'].filter(isField)).toEqual([]);
  });
});
