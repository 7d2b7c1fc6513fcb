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

export type InstantResult = { ok: true; ms: number } | { ok: false; message: string };

/** Milliseconds since the epoch (UTC), or why the text is not an instant. */
export function parseInstant(text: string): InstantResult {
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
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59)
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
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  return { ok: true, ms };
}

/** The canonical form stored in history and shown in the API: UTC with Z. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
