// Computed answers per (request key, data version). A committed import
// bumps the version, so a stale answer is never served; least recently
// used entries go first.
export class ResultCache {
  private readonly entries = new Map<string, { version: number; value: string }>();

  constructor(private readonly capacity: number) {}

  get(key: string, version: number, compute: () => string): string {
    const hit = this.entries.get(key);
    if (hit && hit.version === version) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const value = compute();
    this.entries.delete(key);
    this.entries.set(key, { version, value });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
