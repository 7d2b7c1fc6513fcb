import { describe, expect, it } from 'vitest';
import { rowDigest } from '@/db/row-digest';

describe('rowDigest', () => {
  const base = ['referral', 'eu-iru', null, 'alpha', 'daesh', 'ar', 'video', 'https://a.example/1', null, 1770710400000, null, 'pending', null, null, null, null, null, null];

  it('is stable and a safe integer', () => {
    expect(rowDigest(base)).toBe(rowDigest([...base]));
    expect(Number.isSafeInteger(rowDigest(base))).toBe(true);
  });

  it('changes when any one value changes, including null against empty or zero', () => {
    const seen = new Set([rowDigest(base)]);
    for (let i = 0; i < base.length; i++) {
      for (const replacement of [null, '', 0, 'x', 1]) {
        if (replacement === base[i]) continue;
        const changed = [...base];
        changed[i] = replacement;
        const d = rowDigest(changed);
        expect(d, `field ${i} → ${String(replacement)}`).not.toBe(rowDigest(base));
        seen.add(d);
      }
    }
    // Moving text between adjacent fields changes it too.
    const a = [...base];
    a[1] = 'eu-iru' + 'x';
    a[2] = null;
    const b = [...base];
    b[1] = 'eu-iru';
    b[2] = 'x';
    expect(rowDigest(a)).not.toBe(rowDigest(b));
  });
});
