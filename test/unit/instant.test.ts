import { describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '@/lib/instant';

describe('parseInstant', () => {
  it.each([
    ['2026-05-11T08:30:00Z', Date.UTC(2026, 4, 11, 8, 30)],
    ['2026-05-11T08:30Z', Date.UTC(2026, 4, 11, 8, 30)],
    ['2026-05-11T10:30:00+02:00', Date.UTC(2026, 4, 11, 8, 30)],
    ['2026-05-11T03:30:00-0500', Date.UTC(2026, 4, 11, 8, 30)],
    ['2026-05-11T08:30:00.250Z', Date.UTC(2026, 4, 11, 8, 30, 0, 250)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2026-01-01T00:30:00+05:30', Date.UTC(2025, 11, 31, 19, 0)],
  ])('%s', (text, ms) => {
    expect(parseInstant(text)).toEqual({ ok: true, ms });
  });

  it.each([
    ['2026-05-11', /date without a time/],
    ['2026-05-11T08:30:00', /no UTC offset/],
    ['2026-02-30T00:00:00Z', /not a valid date/],
    ['2025-02-29T00:00:00Z', /not a valid date/],
    ['2026-13-01T00:00:00Z', /not a valid date/],
    ['2026-05-11T24:00:00Z', /not a valid date/],
    ['11/05/2026 08:30', /not an ISO 8601 instant/],
  ])('refuses %s', (text, message) => {
    const result = parseInstant(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('formats back to UTC with Z', () => {
    expect(formatInstant(Date.UTC(2026, 4, 11, 8, 30))).toBe('2026-05-11T08:30:00Z');
    expect(formatInstant(Date.UTC(2026, 4, 11, 8, 30, 0, 5))).toBe('2026-05-11T08:30:00.005Z');
  });
});
