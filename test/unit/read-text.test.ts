import { describe, expect, it } from 'vitest';
import { locateInvalidUtf8, readTextChunks } from '@/lib/import/read-text';
import { writeTemp } from '../helpers/db';

describe('reading a file as UTF-8', () => {
  it('finds the line of the first invalid byte, even past the first megabyte', async () => {
    const lines = Array.from({ length: 40_000 }, (_, i) => `line ${i + 1} ünïcödé ${'x'.repeat(20)}`);
    lines[35_000] = 'bad \xff here';
    const file = writeTemp('big.txt', Buffer.concat([Buffer.from(lines.slice(0, 35_000).join('\n') + '\n', 'utf8'), Buffer.from([0x62, 0x61, 0x64, 0x20, 0xff]), Buffer.from('\nend\n')]));
    expect(locateInvalidUtf8(file).line).toBe(35_001);
    await expect(readTextChunks(file, () => {})).rejects.toThrow(/line 35001: the file is not valid UTF-8/);
  });

  it('refuses overlong encodings and surrogates, accepts four-byte characters', async () => {
    expect(locateInvalidUtf8(writeTemp('overlong.txt', Buffer.from([0x61, 0x0a, 0xc0, 0xaf]))).line).toBe(2);
    expect(locateInvalidUtf8(writeTemp('surrogate.txt', Buffer.from([0xed, 0xa0, 0x80]))).offset).toBe(0);
    const ok = writeTemp('emoji.txt', 'a 🙂 b\n');
    let text = '';
    await readTextChunks(ok, (t) => {
      text += t;
    });
    expect(text).toBe('a 🙂 b\n');
  });

  it('drops a leading byte-order mark', async () => {
    let text = '';
    await readTextChunks(writeTemp('bom.txt', '\uFEFFa,b\n'), (t) => {
      text += t;
    });
    expect(text).toBe('a,b\n');
  });
});
