// DATA-MODEL.md: instants are ISO 8601 with an offset or Z; a bare date or a
// time without offset is an error. Parsed by hand so that an impossible date
// (30 February) is refused instead of rolled over.
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  if (month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1];
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (month 1–12). Not
 * Date.UTC, which reads years 0–99 as 1900–1999.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number): number {
  return ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis;
}

/** Whether the parts name a real date and time (no 30 February, no 24:00). */
function isRealDateTime(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  // NaN (a non-digit) fails every comparison.
  return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour <= 23 && minute <= 59 && second <= 59;
}

export type InstantResult = { ok: true; ms: number } | { ok: false; message: string };

const ZERO = 48;
/** The digit at `at` (0–9), or NaN where there is none. */
function digit(text: string, at: number): number {
  const d = text.charCodeAt(at) - ZERO;
  return d >= 0 && d <= 9 ? d : NaN;
}

/**
 * The form nearly every row carries, 2026-05-11T08:30:00Z, read without the
 * regular expression (an import reads three per row); null for anything
 * else, valid or not, which the general path then reads and explains.
 */
function parseCommonInstant(text: string): number | null {
  if (text.length !== 20 || text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':' || text[19] !== 'Z') return null;
  const year = digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
  const month = digit(text, 5) * 10 + digit(text, 6);
  const day = digit(text, 8) * 10 + digit(text, 9);
  const hour = digit(text, 11) * 10 + digit(text, 12);
  const minute = digit(text, 14) * 10 + digit(text, 15);
  const second = digit(text, 17) * 10 + digit(text, 18);
  if (!isRealDateTime(year, month, day, hour, minute, second)) return null;
  return utcMs(year, month, day, hour, minute, second, 0);
}

/** Milliseconds since the epoch (UTC), or why the text is not an instant. */
export function parseInstant(text: string): InstantResult {
  const common = parseCommonInstant(text);
  if (common !== null) return { ok: true, ms: common };
  const m = INSTANT.exec(text);
  if (!m) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return { ok: false, message: `'${text}' is a date without a time: give an instant such as ${text}T00:00:00Z` };
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text))
      return { ok: false, message: `'${text}' has no UTC offset: add Z or an offset such as +01:00` };
    return { ok: false, message: `'${clip(text)}' is not an ISO 8601 instant (expected e.g. 2026-05-11T08:30:00Z)` };
  }
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = +m[4];
  const minute = +m[5];
  const second = m[6] ? +m[6] : 0;
  const millis = m[7] ? Math.floor(+`0.${m[7]}` * 1000 + 1e-9) : 0;
  if (!isRealDateTime(year, month, day, hour, minute, second))
    return { ok: false, message: `'${text}' is not a valid date and time` };
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = +digits.slice(0, 2);
    const om = digits.length > 2 ? +digits.slice(2, 4) : 0;
    if (oh > 23 || om > 59) return { ok: false, message: `'${text}' has an invalid UTC offset` };
    offsetMinutes = sign * (oh * 60 + om);
  }
  const ms = utcMs(year, month, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  return { ok: true, ms };
}

/** The canonical form stored in history and shown in the API: UTC with Z. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
