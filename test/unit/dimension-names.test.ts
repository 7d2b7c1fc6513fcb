// The names shown for the keys of a dimension (breakdowns, volumes, CSV
// "name" column): reference names, English language names, codes in words.
import { describe, expect, it } from 'vitest';
import { seedDemo } from '@/lib/demo/seed';
import { dimensionKeys, languageName } from '@/lib/metrics/dimensions';
import { memoryDb, factsOf } from '../helpers/db';

describe('names of dimension keys', async () => {
  const db = memoryDb();
  await seedDemo(db, { rows: 50, seed: 3 });
  const { facts } = (await factsOf(db));
  const nameOf = (dimension: Parameters<typeof dimensionKeys>[1], key: string) => dimensionKeys(facts, dimension).nameOf(key);

  it('writes codes of fixed lists in words, with the exceptions spelled out', () => {
    expect(nameOf('kind', 'removal_order')).toBe('Removal order');
    expect(nameOf('kind', 'referral')).toBe('Referral');
    expect(nameOf('platform_type', 'file_sharing')).toBe('File sharing');
    expect(nameOf('platform_type', 'video')).toBe('Video');
    expect(nameOf('ideology', 'far_right')).toBe('Far right');
    expect(nameOf('ideology', 'far_left')).toBe('Far left');
    expect(nameOf('ideology', 'ethno_separatist')).toBe('Ethno-separatist');
    expect(nameOf('content_type', 'some_new_type')).toBe('Some new type');
  });

  it('names languages in English, with the two special codes of ISO 639 in words', () => {
    expect(nameOf('language', 'ar')).toBe('Arabic');
    expect(nameOf('language', 'und')).toBe('Undetermined');
    expect(nameOf('language', 'zxx')).toBe('No linguistic content');
    expect(languageName('fr')).toBe('French');
  });

  it('takes platforms, groups and units by their reference names, and an unknown key as itself', () => {
    const [code, name] = [facts.dictionaries.platform.codes[0], facts.dictionaries.platform.names[0]];
    expect(name).not.toBe(code);
    expect(nameOf('platform', code)).toBe(name);
    expect(nameOf('platform', 'no-such-platform')).toBe('no-such-platform');
  });
});
