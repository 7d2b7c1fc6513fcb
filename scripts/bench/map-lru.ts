// The hand-written least-recently-used eviction the result and page caches
// had before lru-cache (issue 16): a Map in use order, and a byte count.
// Kept only as the baseline `npm run bench:libraries` measures lru-cache
// against, so that the decision stays checkable on the machine at hand.
export class MapLru<T> {
  private readonly entries = new Map<string, { value: T; bytes: number }>();
  private held = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxEntryBytes: number,
  ) {}

  get(key: string): T | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  set(key: string, value: T, bytes: number): void {
    this.forget(key);
    if (bytes > this.maxEntryBytes) return;
    this.entries.set(key, { value, bytes });
    this.held += bytes;
    while (this.held > this.maxBytes) this.forget(this.entries.keys().next().value!);
  }

  private forget(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.held -= old.bytes;
  }
}
