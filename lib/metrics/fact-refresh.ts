// Facts follow imports (issue 17): the columns of a new data version made
// from those of the previous one and only the rows a batch inserted or
// changed, exactly as a full read would have made them. Rows keep their
// places (id order): a changed row is written where it is, a new one is
// appended (new ids are larger than every id before). Code dictionaries
// are rebuilt the way the full read builds them (reference tables by code;
// languages present, sorted; hashes and reasons in order of first
// appearance), and columns are translated where a code moved.
import { dictionary, NO_CODE, NO_REASON, type Dictionary, type StoredFacts } from '@/db/facts';
import { rowClockStart, type FactColumns } from './facts';

export interface AppliedChanges {
  facts: FactColumns;
  /** 1 for every row (of the new columns) that was inserted or changed. */
  changed: Uint8Array;
}

type Reference = 'platform' | 'group' | 'unit' | 'campaign';
const REFERENCES: readonly Reference[] = ['platform', 'group', 'unit', 'campaign'];

/** Where a row id sits in ascending `ids`, or -1. */
function find(ids: Float64Array, size: number, id: number): number {
  let lo = 0;
  let hi = size - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = ids[mid];
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The new code of each old code by its text (null: the same codes in the same order). */
function translation(from: Dictionary, to: Dictionary): Uint16Array | null {
  if (from.codes.length === to.codes.length && from.codes.every((c, i) => c === to.codes[i])) return null;
  const out = new Uint16Array(from.codes.length);
  from.codes.forEach((code, i) => {
    const j = to.index.get(code);
    // A reference code is never deleted; should one vanish, the row keeps no code rather than another's.
    out[i] = j === undefined ? NO_CODE : j;
  });
  return out;
}

/** Renumbers a code column in order of first appearance over the rows (as the full read assigns them); the values by new code. */
function firstAppearance(column: Uint16Array | Int32Array, none: number, values: readonly string[]): string[] {
  const renumber = new Int32Array(values.length).fill(-1);
  const out: string[] = [];
  for (let i = 0; i < column.length; i++) {
    const c = column[i];
    if (c === none) continue;
    let m = renumber[c];
    if (m < 0) m = renumber[c] = out.push(values[c]) - 1;
    column[i] = m;
  }
  return out;
}

function grown<T extends Float64Array | Uint8Array | Uint16Array | Int32Array>(old: T, size: number, make: (n: number) => T): T {
  const next = make(size);
  next.set(old.subarray(0, Math.min(old.length, size)));
  return next;
}

/**
 * The facts after `changes` (the rows inserted or changed since `prev` was
 * read, in id order, with the whole reference dictionaries), or null when
 * they cannot be placed (a new row with an id below an old one: read everything).
 */
export async function applyChanges(prev: FactColumns, changes: StoredFacts, between: () => Promise<void> = async () => {}): Promise<AppliedChanges | null> {
  const n0 = prev.size;
  const place = new Int32Array(changes.size);
  let appended = 0;
  let lastId = n0 > 0 ? prev.rowId[n0 - 1] : -Infinity;
  for (let k = 0; k < changes.size; k++) {
    const id = changes.rowId[k];
    const at = find(prev.rowId, n0, id);
    if (at >= 0) place[k] = at;
    else if (id > lastId) {
      place[k] = n0 + appended++;
      lastId = id;
    } else return null;
  }
  const n = n0 + appended;
  const changed = new Uint8Array(n);
  for (let k = 0; k < changes.size; k++) changed[place[k]] = 1;

  // Each step below walks or copies every row (about a second in all at 10,000,000 rows): `between` lets
  // other work (requests, answered from `prev`) run between them.
  const f64 = (n: number) => new Float64Array(n);
  const u8 = (n: number) => new Uint8Array(n);
  const u16 = (n: number) => new Uint16Array(n);
  const i32 = (n: number) => new Int32Array(n);
  const next: StoredFacts = {
    size: n,
    rowId: grown(prev.rowId, n, f64),
    referredAt: grown(prev.referredAt, n, f64),
    pausedMs: grown(prev.pausedMs, n, f64),
    receivedAt: grown(prev.receivedAt, n, f64),
    outcomeAt: grown(prev.outcomeAt, n, f64),
    outcome: grown(prev.outcome, n, u8),
    kind: grown(prev.kind, n, u8),
    contentType: grown(prev.contentType, n, u8),
    platform: grown(prev.platform, n, u16),
    group: grown(prev.group, n, u16),
    language: grown(prev.language, n, u16),
    unit: grown(prev.unit, n, u16),
    campaign: grown(prev.campaign, n, u16),
    contentHash: grown(prev.contentHash, n, i32),
    outcomeReason: grown(prev.outcomeReason, n, u16),
    reasons: [],
    viewsAtReferral: grown(prev.viewsAtReferral, n, f64),
    viewsAtOutcome: grown(prev.viewsAtOutcome, n, f64),
    dictionaries: { ...changes.dictionaries },
    platformType: changes.platformType,
    groupIdeology: changes.groupIdeology,
    hashes: [],
  };

  await between();
  // Reference codes: the changes carry the whole tables; old rows follow where a code moved.
  for (const ref of REFERENCES) {
    const t = translation(prev.dictionaries[ref], changes.dictionaries[ref]);
    const column = next[ref];
    if (t) for (let i = 0; i < n0; i++) if (column[i] !== NO_CODE) column[i] = t[column[i]];
  }

  // Languages: the union first, then only those present (a full read lists the languages of the rows).
  const union = [...new Set([...prev.dictionaries.language.codes, ...changes.dictionaries.language.codes])].sort();
  const languages = dictionary(union.map((code) => ({ code, name: code })));
  const fromPrev = translation(prev.dictionaries.language, languages);
  if (fromPrev) for (let i = 0; i < n0; i++) next.language[i] = fromPrev[next.language[i]];
  const fromChanges = changes.dictionaries.language.codes.map((c) => languages.index.get(c)!);

  await between();
  // Hashes and reasons: old and new values together, renumbered below.
  // The old code of each hash the changes name: one pass over the old hashes (no index of them all, which
  // costs far more to build than this pass); hashes seen for the first time are appended.
  const hashes = prev.hashes.slice();
  const hashIndex = new Map<string, number>();
  const wanted = new Set(changes.hashes);
  for (let h = 0; h < prev.hashes.length && hashIndex.size < wanted.size; h++) if (wanted.has(prev.hashes[h])) hashIndex.set(prev.hashes[h], h);
  const hashOf = (h: number) => {
    if (h < 0) return -1;
    const text = changes.hashes[h];
    let code = hashIndex.get(text);
    if (code === undefined) hashIndex.set(text, (code = hashes.push(text) - 1));
    return code;
  };
  const reasons = [...prev.reasons];
  const reasonIndex = new Map(reasons.map((r, i) => [r, i]));
  const reasonOf = (r: number) => {
    if (r === NO_REASON) return NO_REASON;
    const text = changes.reasons[r];
    let code = reasonIndex.get(text);
    if (code === undefined) reasonIndex.set(text, (code = reasons.push(text) - 1));
    return code;
  };

  await between();
  for (let k = 0; k < changes.size; k++) {
    const i = place[k];
    next.rowId[i] = changes.rowId[k];
    next.referredAt[i] = changes.referredAt[k];
    next.pausedMs[i] = changes.pausedMs[k];
    next.receivedAt[i] = changes.receivedAt[k];
    next.outcomeAt[i] = changes.outcomeAt[k];
    next.outcome[i] = changes.outcome[k];
    next.kind[i] = changes.kind[k];
    next.contentType[i] = changes.contentType[k];
    for (const ref of REFERENCES) next[ref][i] = changes[ref][k];
    next.language[i] = fromChanges[changes.language[k]];
    next.contentHash[i] = hashOf(changes.contentHash[k]);
    next.outcomeReason[i] = reasonOf(changes.outcomeReason[k]);
    next.viewsAtReferral[i] = changes.viewsAtReferral[k];
    next.viewsAtOutcome[i] = changes.viewsAtOutcome[k];
  }

  await between();
  // A language no row has any more goes, as a full read would not list it.
  const present = new Uint8Array(languages.codes.length);
  for (let i = 0; i < n; i++) present[next.language[i]] = 1;
  if (present.includes(0)) {
    const kept = dictionary(languages.codes.filter((_, c) => present[c]).map((code) => ({ code, name: code })));
    const t = translation(languages, kept)!;
    for (let i = 0; i < n; i++) next.language[i] = t[next.language[i]];
    next.dictionaries.language = kept;
  } else next.dictionaries.language = languages;

  await between();
  next.hashes = firstAppearance(next.contentHash, -1, hashes);
  await between();
  next.reasons = firstAppearance(next.outcomeReason, NO_REASON, reasons);
  // The clock start of the rows that did not change stays what it was.
  const clockStart = grown(prev.clockStart, n, f64);
  for (let k = 0; k < changes.size; k++) clockStart[place[k]] = rowClockStart(next, place[k]);
  return { facts: { ...next, clockStart }, changed };
}
