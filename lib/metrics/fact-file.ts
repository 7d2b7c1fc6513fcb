// The facts a process holds, kept in a file beside the database between
// starts (issue 17: at 10,000,000 rows reading every row again takes about
// a minute; this file takes seconds). It is a copy, never the truth: it is
// used only when it is whole (its SHA-256 checks), of this format, and of
// this database (its generation) at a batch the database has reached; the
// changes since its batch are then read as after an import. The time
// orders kept with it are checked against the columns before they are
// taken (time-orders.ts: adoptOrders), never trusted. Anything else, and
// the facts are read from the database as before.
//
// Layout: MAGIC, the column buffers (each padded to 8 bytes), the orders,
// the hashes (UTF-8, one per line), then the header (JSON) and its length
// (4 bytes) and MAGIC again, so that the file is written in one pass.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { FactsMark } from '@/db/store';
import type { Dictionary, StoredFacts } from '@/db/facts';
import { dictionary } from '@/db/facts';
import type { SavedOrders } from './time-orders';

const MAGIC = Buffer.from('takedown-monitor facts\n');
/**
 * Bump when what a column means changes (a unit, a code list's order): a
 * file of another format is read again from the database. A migration
 * that changes stored fact values must give the database a new generation.
 */
const FORMAT = 1;

type Kind = 'f64' | 'u8' | 'u16' | 'i32' | 'u32';
type Column = Exclude<{ [K in keyof StoredFacts]: StoredFacts[K] extends ArrayBufferView ? K : never }[keyof StoredFacts], undefined>;
const COLUMNS: readonly [Column, Kind][] = [
  ['rowId', 'f64'],
  ['referredAt', 'f64'],
  ['pausedMs', 'f64'],
  ['receivedAt', 'f64'],
  ['outcomeAt', 'f64'],
  ['viewsAtReferral', 'f64'],
  ['viewsAtOutcome', 'f64'],
  ['contentHash', 'i32'],
  ['platform', 'u16'],
  ['group', 'u16'],
  ['language', 'u16'],
  ['unit', 'u16'],
  ['campaign', 'u16'],
  ['outcomeReason', 'u16'],
  ['outcome', 'u8'],
  ['kind', 'u8'],
  ['contentType', 'u8'],
];
const ORDERS = ['response', 'acknowledge', 'start'] as const;
const MAKE: Record<Kind, (n: number) => Float64Array | Uint8Array | Uint16Array | Int32Array | Uint32Array> = {
  f64: (n) => new Float64Array(n),
  u8: (n) => new Uint8Array(n),
  u16: (n) => new Uint16Array(n),
  i32: (n) => new Int32Array(n),
  u32: (n) => new Uint32Array(n),
};
/** Hashes are written this many to a line block (one short string at a time, never one huge one). */
const HASH_BLOCK = 65_536;
/** Reads are done in pieces of this many bytes (a hash's text never spans more than one boundary). */
const READ_BLOCK = 16 * 1024 * 1024;

export interface KeptFacts {
  version: number;
  facts: StoredFacts;
  mark: FactsMark;
  orders: SavedOrders | null;
}

/** What a kept file gives, and when it was written. */
export interface ReadFacts extends KeptFacts {
  writtenAt: number;
}

interface Header {
  format: number;
  columns: string;
  version: number;
  mark: FactsMark;
  size: number;
  dictionaries: Record<keyof StoredFacts['dictionaries'], { codes: string[]; names: string[] }>;
  platformType: string[];
  groupIdeology: string[];
  reasons: string[];
  hashes: number;
  hashBytes: number;
  orders: [number, number, number] | null;
  sha256: string;
}

const columnList = COLUMNS.map(([name, kind]) => `${name}:${kind}`).join(',');
const pad = (n: number) => (8 - (n % 8)) % 8;
const bytesOf = (view: ArrayBufferView) => Buffer.from(view.buffer, view.byteOffset, view.byteLength);

/** Writes the facts to `file` (through a temporary file renamed into place: a reader never sees half of one). */
export async function writeKeptFacts(file: string, kept: KeptFacts): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  const out = await fs.open(temporary, 'w');
  const sha = createHash('sha256');
  let position = 0;
  const write = async (bytes: Buffer) => {
    sha.update(bytes);
    await out.write(bytes, 0, bytes.length, position);
    position += bytes.length;
  };
  try {
    await out.write(MAGIC, 0, MAGIC.length, 0);
    position = MAGIC.length;
    const { facts } = kept;
    for (const [name] of COLUMNS) {
      const column = facts[name] as ArrayBufferView;
      await write(bytesOf(column));
      await write(Buffer.alloc(pad(column.byteLength)));
    }
    if (kept.orders) for (const name of ORDERS) await write(bytesOf(kept.orders[name]));
    let hashBytes = 0;
    for (let h = 0; h < facts.hashes.length; h += HASH_BLOCK) {
      const text = Buffer.from(facts.hashes.slice(h, h + HASH_BLOCK).join('\n') + '\n');
      hashBytes += text.length;
      await write(text);
    }
    const dictionaries = Object.fromEntries(
      Object.entries(facts.dictionaries).map(([k, d]: [string, Dictionary]) => [k, { codes: d.codes, names: d.names }]),
    ) as Header['dictionaries'];
    const header: Header = {
      format: FORMAT,
      columns: columnList,
      version: kept.version,
      mark: kept.mark,
      size: facts.size,
      dictionaries,
      platformType: facts.platformType,
      groupIdeology: facts.groupIdeology,
      reasons: facts.reasons,
      hashes: facts.hashes.length,
      hashBytes,
      orders: kept.orders ? [kept.orders.response.length, kept.orders.acknowledge.length, kept.orders.start.length] : null,
      sha256: sha.digest('hex'),
    };
    const json = Buffer.from(JSON.stringify(header));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(json.length);
    const tail = Buffer.concat([json, length, MAGIC]);
    await out.write(tail, 0, tail.length, position);
    await out.sync();
    await out.close();
    await fs.rename(temporary, file);
  } catch (err) {
    await out.close().catch(() => {});
    await fs.rm(temporary, { force: true });
    throw err;
  }
}

/** Why a kept file was not used (a benchmark and the logs say so). */
export class UnusableFacts extends Error {}

/**
 * The facts kept in `file`, if it is whole and of this format and of the
 * database now at `now` (its generation, and a batch it has reached);
 * null if there is no file; UnusableFacts (with the reason) otherwise.
 */
export async function readKeptFacts(file: string, now: FactsMark): Promise<ReadFacts | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const { size: fileSize, mtimeMs } = await handle.stat();
    const readAt = async (length: number, at: number, into: Buffer = Buffer.alloc(length)) => {
      for (let done = 0; done < length; ) {
        const { bytesRead } = await handle.read(into, done, Math.min(READ_BLOCK, length - done), at + done);
        if (bytesRead === 0) throw new UnusableFacts('the file ends early');
        done += bytesRead;
      }
      return into;
    };
    if (fileSize < 2 * MAGIC.length + 4) throw new UnusableFacts('the file is too short');
    if (!(await readAt(MAGIC.length, 0)).equals(MAGIC) || !(await readAt(MAGIC.length, fileSize - MAGIC.length)).equals(MAGIC))
      throw new UnusableFacts('not a facts file, or not whole');
    const headerLength = (await readAt(4, fileSize - MAGIC.length - 4)).readUInt32LE(0);
    const headerAt = fileSize - MAGIC.length - 4 - headerLength;
    if (headerAt < MAGIC.length) throw new UnusableFacts('its header is damaged');
    let header: Header;
    try {
      header = JSON.parse((await readAt(headerLength, headerAt)).toString('utf8')) as Header;
    } catch {
      throw new UnusableFacts('its header is damaged');
    }
    if (header.format !== FORMAT || header.columns !== columnList) throw new UnusableFacts(`of another format (${header.format})`);
    if (header.mark.generation !== now.generation) throw new UnusableFacts('of another database (or of this one before a restore)');
    if (header.mark.lastBatch > now.lastBatch) throw new UnusableFacts('of batches this database does not have');

    const sha = createHash('sha256');
    let at = MAGIC.length;
    const readView = async <T extends ArrayBufferView>(view: T): Promise<T> => {
      const bytes = await readAt(view.byteLength, at, bytesOf(view));
      sha.update(bytes);
      at += view.byteLength;
      return view;
    };
    const n = header.size;
    const columns: Partial<Record<Column, ArrayBufferView>> = {};
    for (const [name, kind] of COLUMNS) {
      columns[name] = await readView(MAKE[kind](n));
      const gap = pad(columns[name].byteLength);
      if (gap) await readView(new Uint8Array(gap));
    }
    let orders: SavedOrders | null = null;
    if (header.orders) {
      const [r, a, s] = header.orders;
      orders = { response: await readView(new Uint32Array(r)), acknowledge: await readView(new Uint32Array(a)), start: await readView(new Uint32Array(s)) };
    }
    const hashes: string[] = [];
    // (a character cut by a piece's end is completed by the next piece)
    const text = new StringDecoder('utf8');
    let rest = '';
    for (let left = header.hashBytes; left > 0; ) {
      const piece = await readView(new Uint8Array(Math.min(READ_BLOCK, left)));
      left -= piece.length;
      const lines = (rest + text.write(bytesOf(piece))).split('\n');
      rest = lines.pop()!;
      for (const line of lines) hashes.push(line);
    }
    if (at !== headerAt || rest + text.end() !== '' || hashes.length !== header.hashes) throw new UnusableFacts('its parts do not add up');
    if (sha.digest('hex') !== header.sha256) throw new UnusableFacts('its checksum does not match (damaged)');

    const d = header.dictionaries;
    const entries = (x: { codes: string[]; names: string[] }) => x.codes.map((code, i) => ({ code, name: x.names[i] }));
    const facts = {
      ...(columns as Pick<StoredFacts, Column>),
      size: n,
      reasons: header.reasons,
      hashes,
      platformType: header.platformType,
      groupIdeology: header.groupIdeology,
      dictionaries: {
        platform: dictionary(entries(d.platform)),
        group: dictionary(entries(d.group)),
        language: dictionary(entries(d.language)),
        unit: dictionary(entries(d.unit)),
        campaign: dictionary(entries(d.campaign)),
      },
    } satisfies StoredFacts;
    return { version: header.version, facts, mark: header.mark, orders, writtenAt: mtimeMs };
  } finally {
    await handle.close();
  }
}
