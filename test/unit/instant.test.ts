import { describe, expect, it } from 'vitest';
import { Random } from '@/lib/demo/random';
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

  // An oracle that shares no code with parseInstant: the engine's own ISO
  // reader, Date.parse, and the round trip that tells a real date from a
  // rolled-over one (Date.parse takes 30 February as 2 March).
  const oracle = (text: string): number | null => {
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) return null;
    const zone = /([+-])(\d{2}):(\d{2})$/.exec(text);
    const offset = zone ? (zone[1] === '-' ? -1 : 1) * (+zone[2] * 60 + +zone[3]) * 60_000 : 0;
    // The wall-clock date and time as written, unless they rolled over.
    return new Date(ms + offset).toISOString().slice(0, 19) === text.slice(0, 19) ? ms : null;
  };

  it('agrees with an independent reader on 20,000 instants near the edges of every field', () => {
    const random = new Random(20261204);
    const next = (n: number) => random.int(n);
    const pick = (values: number[], spread: number) => (next(4) === 0 ? next(spread) : values[next(values.length)]);
    const two = (n: number) => String(n).padStart(2, '0');
    let valid = 0;
    for (let k = 0; k < 20_000; k++) {
      const year = [0, 1, 50, 99, 100, 1600, 1900, 1970, 2000, 2024, 2025, 2100, 9999][next(13)];
      const month = pick([1, 2, 3, 12, 0, 13], 100);
      const day = pick([1, 28, 29, 30, 31, 0, 32], 100);
      const hour = pick([0, 23, 24], 100);
      const minute = pick([0, 59, 60], 100);
      const second = pick([0, 59, 60], 100);
      const date = `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}`;
      const form = next(3);
      const text = form === 0 ? `${date}Z` : form === 1 ? `${date}.${String(next(1000)).padStart(3, '0')}Z` : `${date}${next(2) ? '+' : '-'}${two(next(24))}:${two(next(60))}`;
      const result = parseInstant(text);
      const expected = oracle(text);
      expect(result.ok ? result.ms : null, text).toBe(expected);
      if (expected !== null) valid++;
    }
    // Both outcomes were met often enough to mean something.
    expect(valid).toBeGreaterThan(1_000);
    expect(20_000 - valid).toBeGreaterThan(1_000);
  });

  it('reads the years 0000–0099 as written (Date.UTC would take them for 1900–1999)', () => {
    expect(parseInstant('0050-03-01T00:00:00Z')).toEqual({ ok: true, ms: Date.parse('0050-03-01T00:00:00Z') });
    expect(parseInstant('0050-03-01T01:00:00+01:00')).toEqual({ ok: true, ms: Date.parse('0050-03-01T00:00:00Z') });
    expect(parseInstant('0000-02-29T12:00:00Z')).toEqual({ ok: true, ms: Date.parse('0000-02-29T12:00:00Z') });
  });

  // Twenty characters in the common form's places, but not the common form: the general reader decides.
  it.each(['2026-05-11T08:30:0xZ', '2026-05-1aT08:30:00Z', '2026-05-11t08:30:00Z', '2026/05/11T08:30:00Z', '-026-05-11T08:30:00Z'])('refuses %s', (text) => {
    expect(parseInstant(text).ok).toBe(false);
  });
  it('reads a lower-case z as Z, and a space for the T', () => {
    expect(parseInstant('2026-05-11T08:30:00z')).toEqual({ ok: true, ms: Date.UTC(2026, 4, 11, 8, 30) });
    expect(parseInstant('2026-05-11 08:30:00Z')).toEqual({ ok: true, ms: Date.UTC(2026, 4, 11, 8, 30) });
  });

  it('formats back to UTC with Z', () => {
    expect(formatInstant(Date.UTC(2026, 4, 11, 8, 30))).toBe('2026-05-11T08:30:00Z');
    expect(formatInstant(Date.UTC(2026, 4, 11, 8, 30, 0, 5))).toBe('2026-05-11T08:30:00.005Z');
  });
});
