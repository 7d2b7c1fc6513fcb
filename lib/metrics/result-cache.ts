// Computed values per (key, data version), bounded by their size in bytes
// (issue 14: bounded by count, one answer of 83 MB could stay once per
// as_of). A committed import bumps the version, so a stale value is never
// served; least recently used entries go first, and a value larger than a
// share of the budget is computed and given but not kept.
import { LRUCache } from 'lru-cache';

export class ResultCache<T> {
  // lru-cache (issue 16: measured faster than the Map this replaced, `npm run bench:libraries`) does the
  // eviction by size; the share of the budget one entry may take is checked here.
  private readonly entries: LRUCache<string, { version: number; value: T }>;
  private readonly maxEntryBytes: number;

  constructor(
    maxBytes: number,
    private readonly sizeOf: (value: T) => number,
    /** The largest share of the budget one entry may take. */
    maxShare = 1 / 8,
  ) {
    this.entries = new LRUCache({ maxSize: Math.max(1, Math.floor(maxBytes)) });
    this.maxEntryBytes = maxBytes * maxShare;
  }

  get(key: string, version: number, compute: () => T): T {
    const hit = this.peek(key, version);
    if (hit !== undefined) return hit;
    const value = compute();
    this.put(key, version, value);
    return value;
  }

  /** The value kept for (key, version), made the most recently used; undefined if none. */
  peek(key: string, version: number): T | undefined {
    const hit = this.entries.get(key);
    return hit && hit.version === version ? hit.value : undefined;
  }

  /** Keeps the value unless it is larger than its share of the budget; the least recently used go first. */
  put(key: string, version: number, value: T): void {
    // A key takes two bytes a character; lru-cache counts whole units.
    const bytes = Math.max(1, Math.ceil(this.sizeOf(value) + key.length * 2));
    if (bytes > this.maxEntryBytes) this.entries.delete(key);
    else this.entries.set(key, { version, value }, { size: bytes });
  }

  /** Entries and bytes held. */
  size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.entries.calculatedSize };
  }
}

/**
 * About how many bytes a value of plain data takes in memory: strings at two
 * bytes a character, numbers at eight, typed arrays by their buffer, objects
 * and arrays by their parts plus a little. Long arrays are measured on a
 * sample, so that measuring stays cheap beside computing the value.
 */
export function estimateBytes(value: unknown, depth = 0): number {
  if (value === null || value === undefined) return 8;
  switch (typeof value) {
    case 'string':
      return 16 + value.length * 2;
    case 'number':
    case 'boolean':
      return 8;
    case 'object':
      break;
    default:
      return 16;
  }
  if (ArrayBuffer.isView(value)) return 64 + value.byteLength;
  if (depth > 12) return 64;
  if (Array.isArray(value)) {
    const n = value.length;
    const sample = Math.min(n, 32);
    let sum = 0;
    for (let k = 0; k < sample; k++) sum += estimateBytes(value[Math.floor((k * n) / sample)], depth + 1);
    return 32 + 8 * n + (sample === 0 ? 0 : (sum / sample) * n);
  }
  let sum = 32;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) sum += 16 + k.length * 2 + estimateBytes(v, depth + 1);
  return sum;
}
