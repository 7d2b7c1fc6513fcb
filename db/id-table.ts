// A number per referral_id, for an import that must know about a million
// ids in its own process (PostgreSQL's: the line each id was first seen on,
// and each stored row's digest, while its staging table is being filled by
// a COPY and cannot be asked). A Map of a million ids cost 1.4 s and 150 MB
// of heap that every garbage collection walks, and an id of 13 characters
// or more, a slice of the text the parser read, kept that whole piece of the
// file alive with it. Here the ids' bytes are copied into one growing buffer
// and found through an open-addressing table of typed arrays: exact (equal
// hashes are compared byte for byte), a few tens of megabytes for a million
// ids, nothing for the collector to walk.
const encoder = new TextEncoder();

const INITIAL_SLOTS = 1 << 12;

/** 32-bit FNV-1a over bytes [0, length) of `bytes`. */
function hashOf(bytes: Uint8Array, length: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h | 0;
}

function grown<T extends Int32Array | Float64Array | Uint8Array>(array: T, atLeast: number): T {
  let size = array.length;
  while (size < atLeast) size *= 2;
  if (size === array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array);
  return next;
}

export class IdTable {
  /** Entry number + 1 per slot; 0 is an empty slot. The table is kept at most half full. */
  private slots = new Int32Array(INITIAL_SLOTS);
  private hashes = new Int32Array(INITIAL_SLOTS / 2);
  private values = new Float64Array(INITIAL_SLOTS / 2);
  /** Entry k's bytes are bytes[starts[k], starts[k + 1]). */
  private starts = new Int32Array(INITIAL_SLOTS / 2 + 1);
  private bytes = new Uint8Array(1 << 16);
  private scratch = new Uint8Array(256);
  private count = 0;

  /** How many distinct ids are held. */
  get size(): number {
    return this.count;
  }

  /** The number held for `id`; or null, and `value` is held for it from now on. */
  firstOrRecord(id: string, value: number): number | null {
    const slot = this.find(id);
    if (slot.entry >= 0) return this.values[slot.entry];
    this.add(slot.at, slot.hash, slot.length, value);
    return null;
  }

  /** The number held for `id`, if any. */
  get(id: string): number | undefined {
    const { entry } = this.find(id);
    return entry >= 0 ? this.values[entry] : undefined;
  }

  /** Where `id` is (entry ≥ 0), or the free slot it would take (entry −1); its bytes are left in scratch. */
  private find(id: string): { entry: number; at: number; hash: number; length: number } {
    // UTF-8 takes at most three bytes per UTF-16 unit.
    if (this.scratch.length < id.length * 3) this.scratch = grown(this.scratch, id.length * 3);
    const length = encoder.encodeInto(id, this.scratch).written;
    const hash = hashOf(this.scratch, length);
    const mask = this.slots.length - 1;
    let at = hash & mask;
    for (;;) {
      const held = this.slots[at];
      if (held === 0) return { entry: -1, at, hash, length };
      const entry = held - 1;
      if (this.hashes[entry] === hash && this.holds(entry, length)) return { entry, at, hash, length };
      at = (at + 1) & mask;
    }
  }

  /** Whether entry `entry` has the `length` bytes now in scratch. */
  private holds(entry: number, length: number): boolean {
    const start = this.starts[entry];
    if (this.starts[entry + 1] - start !== length) return false;
    for (let i = 0; i < length; i++) if (this.bytes[start + i] !== this.scratch[i]) return false;
    return true;
  }

  private add(slot: number, hash: number, length: number, value: number): void {
    const entry = this.count++;
    const start = this.starts[entry];
    this.bytes = grown(this.bytes, start + length);
    this.bytes.set(this.scratch.subarray(0, length), start);
    this.hashes = grown(this.hashes, entry + 1);
    this.values = grown(this.values, entry + 1);
    this.starts = grown(this.starts, entry + 2);
    this.hashes[entry] = hash;
    this.values[entry] = value;
    this.starts[entry + 1] = start + length;
    this.slots[slot] = entry + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
  }

  /** Twice the slots, every entry placed again by its hash. */
  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.count; entry++) {
      let slot = this.hashes[entry] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.slots = slots;
  }
}
