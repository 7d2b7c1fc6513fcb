// npm run bench:libraries -- [--rows N] [--repeat R]: issue 16's question,
// asked on this machine in one run. For each piece of hand-written code
// that a well-kept library could replace, the two side by side on the same
// input: the CSV and JSON readers of the import against csv-parse and
// @streamparser/json (and what the difference makes of a whole import),
// CSV writing against csv-stringify (and of a whole export), and the
// least-recently-used caches against lru-cache. Each pair is also checked
// for giving the same result, and the readers for the line numbers the
// import's error reports need. README, "Libraries", records the decisions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { JSONParser } from '@streamparser/json';
import { parse as csvParse, type CsvError } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { LRUCache } from 'lru-cache';
import { openStore } from '@/db/open';
import { csvLine } from '@/lib/csv';
import { writeDemoCsv } from '@/lib/demo/write-csv';
import { parseFilters } from '@/lib/filters';
import { StructuralError } from '@/lib/import/errors';
import { importFile } from '@/lib/import/import';
import { CsvParser } from '@/lib/import/parse-csv';
import { JsonParser } from '@/lib/import/parse-json';
import { readTextChunks } from '@/lib/import/read-text';
import { referralsCsv } from '@/lib/referrals';
import { MapLru } from './bench/map-lru';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '500000' }, repeat: { type: 'string', default: '3' } } });
const rows = Number(values.rows);
const repeat = Math.max(1, Number(values.repeat));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-libraries-'));
const CHUNK = 1 << 20;

/** Median of `repeat` timings (ms) of each function, run alternately so that drift hits all alike. */
async function timeEach(fns: Record<string, () => unknown>): Promise<Record<string, number>> {
  const runs: Record<string, number[]> = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let r = 0; r < repeat; r++)
    for (const [name, fn] of Object.entries(fns)) {
      const t = performance.now();
      await fn();
      runs[name].push(performance.now() - t);
    }
  return Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)]]));
}

/** Each raw chunk of a file, as the library readers would take it. */
function eachChunk(file: string, onBytes: (bytes: Buffer) => void): void {
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(CHUNK);
  try {
    for (let n = fs.readSync(fd, buffer, 0, CHUNK, null); n > 0; n = fs.readSync(fd, buffer, 0, CHUNK, null)) onBytes(Buffer.from(buffer.subarray(0, n)));
  } finally {
    fs.closeSync(fd);
  }
}

interface Read {
  records: number;
  chars: number;
  /** The line each record starts on (the first few), and the line of the error, if any. */
  lines: number[];
  errorLine: number | null;
}

/** Counts what one of the import's own readers reads: records, characters, the first lines, the line of its error. */
async function ownRead(
  makeParser: (onRecord: (line: number, values: readonly unknown[]) => void) => { push(text: string, final: boolean): void },
  feed: (onText: (text: string, final: boolean) => void) => unknown,
): Promise<Read> {
  const out: Read = { records: 0, chars: 0, lines: [], errorLine: null };
  const parser = makeParser((line, values) => {
    out.records++;
    for (const v of values) out.chars += String(v).length;
    if (out.lines.length < 50) out.lines.push(line);
  });
  try {
    await feed((text, final) => parser.push(text, final));
  } catch (err) {
    if (!(err instanceof StructuralError)) throw err;
    out.errorLine = err.line;
  }
  return out;
}

const ownCsv = (feed: Parameters<typeof ownRead>[1]) => ownRead((onRecord) => new CsvParser(({ line, fields }) => onRecord(line, fields)), feed);
const ownJson = (feed: Parameters<typeof ownRead>[1]) =>
  ownRead((onRecord) => new JsonParser(({ line, value }) => onRecord(line, Object.values(value as Record<string, string>))), feed);

/** csv-parse with the options that read the import format; the start line of a record is worked back from its raw text. */
function libraryCsv(feed: (write: (bytes: Buffer | string) => void) => void): Promise<Read> {
  const out: Read = { records: 0, chars: 0, lines: [], errorLine: null };
  return new Promise((resolve, reject) => {
    const parser = csvParse({
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n'],
      raw: true,
      on_record: (parsed, context) => {
        // With raw: the fields and the text they came from.
        const record = parsed as unknown as { record: string[]; raw: string };
        out.records++;
        for (const f of record.record) out.chars += f.length;
        if (out.lines.length < 50) {
          const body = record.raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '');
          // context.lines is the line the record ends on.
          out.lines.push(context.lines - (body.match(/\n/g)?.length ?? 0));
        }
        return null;
      },
    });
    parser.on('error', (err: CsvError) => {
      out.errorLine = (err as CsvError & { lines?: number }).lines ?? null;
      resolve(out);
    });
    parser.on('end', () => resolve(out));
    parser.resume();
    try {
      feed((bytes) => parser.write(bytes));
      parser.end();
    } catch (err) {
      reject(err);
    }
  });
}

/** @streamparser/json, each element of the top-level array (or each top-level object of NDJSON) as a record. */
function libraryJson(feed: (write: (bytes: Buffer | string) => void) => void, ndjson: boolean, text = ''): Read {
  const out: Read = { records: 0, chars: 0, lines: [], errorLine: null };
  const parser = new JSONParser({ paths: [ndjson ? '$' : '$.*'], keepStack: false, ...(ndjson ? { separator: '' } : {}) });
  parser.onValue = ({ value }) => {
    out.records++;
    for (const v of Object.values(value as Record<string, string>)) out.chars += String(v).length;
    // The parser gives no position of a value: the line a record starts on is not known.
  };
  try {
    feed((bytes) => parser.write(bytes));
    // (A top-level array ends the parser by itself.)
    if (!parser.isEnded) parser.end();
  } catch (err) {
    // Only an absolute character position, in the message: the line is worked out from the text.
    const at = /absolute position "(\d+)"/.exec(err instanceof Error ? err.message : '');
    out.errorLine = at ? text.slice(0, Number(at[1])).split('\n').length : -1;
  }
  return out;
}

// The cases the import's error tests rely on, and what each reader says of them.
const CSV_CASES: Record<string, string> = {
  'CRLF line ends': 'a,b\r\n1,2\r\n3,4\r\n',
  'blank lines between records': 'a,b\n\n1,2\n\n\n3,4\n',
  'a quoted field over two lines': 'a,b\n1,"x\ny"\n2,3\n',
  'a quote never closed': 'a,b\n1,2\n3,"x\n4,5\n',
  'text after a closing quote': 'a,b\n1,2\n3,"x"y\n',
  'a quote inside an unquoted field': 'a,b\n1,2\n3,x"y\n',
  'no line end at the end': 'a,b\n1,2',
};
const JSON_CASES: Record<string, [string, boolean]> = {
  'an array over several lines': ['[\n{"a":"1"},\n{"a":"2"}\n]', false],
  'NDJSON': ['{"a":"1"}\n{"a":"2"}\n{"a":"3"}\n', true],
  'a value that is not JSON': ['[\n{"a":"1"},\n{"a":\n x}\n]', false],
  'a string never closed': ['[\n{"a":"1"},\n{"a":"x\n', false],
};

const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en-GB');
const ratio = (lib: number, own: number) => `${(lib / own).toFixed(2)}x`;

async function main(): Promise<void> {
  const csv = path.join(dir, 'referrals.csv');
  const json = path.join(dir, 'referrals.json');
  writeDemoCsv(csv, { rows, seed: 7 });
  const mb = fs.statSync(csv).size / 1e6;

  // The same records as a JSON array, for the JSON readers.
  const fd = fs.openSync(json, 'w');
  const kept: string[][] = [];
  {
    let pending = '[\n';
    let first = true;
    let header: string[] | null = null;
    const parser = new CsvParser(({ fields }) => {
      if (!header) {
        header = fields;
        return;
      }
      if (kept.length < 200_000) kept.push(fields);
      pending += `${first ? '' : ',\n'}${JSON.stringify(Object.fromEntries(header.map((h, k) => [h, fields[k]])))}`;
      first = false;
      if (pending.length > CHUNK) {
        fs.writeSync(fd, pending);
        pending = '';
      }
    });
    await readTextChunks(csv, (text, final) => parser.push(text, final));
    fs.writeSync(fd, `${pending}\n]\n`);
    fs.closeSync(fd);
  }
  console.log(`${rows.toLocaleString('en-GB')} demo rows: ${mb.toFixed(0)} MB of CSV, ${(fs.statSync(json).size / 1e6).toFixed(0)} MB of JSON; median of ${repeat} runs each\n`);

  // 1. Reading CSV and JSON.
  let ownCsvRead: Read | undefined;
  let libCsvRead: Read | undefined;
  const csvTimes = await timeEach({
    own: async () => {
      ownCsvRead = await ownCsv((onText) => readTextChunks(csv, onText));
    },
    library: async () => {
      libCsvRead = await libraryCsv((write) => eachChunk(csv, write));
    },
  });
  let ownJsonRead: Read | undefined;
  let libJsonRead: Read | undefined;
  const jsonTimes = await timeEach({
    own: async () => {
      ownJsonRead = await ownJson((onText) => readTextChunks(json, onText));
    },
    library: () => (libJsonRead = libraryJson((write) => eachChunk(json, write), false)),
  });

  // 2. A whole import, to weigh the reading against (the importer reads, validates and writes in one pass).
  const db = openStore({ engine: 'sqlite', path: path.join(dir, 'import.db') });
  const t = performance.now();
  const imported = await importFile(db, csv, { actor: 'bench' });
  const importMs = performance.now() - t;
  if (imported.status !== 'committed') throw new Error(`import rejected: ${imported.message}`);
  const jsonDb = openStore({ engine: 'sqlite', path: path.join(dir, 'import-json.db') });
  const tj = performance.now();
  const importedJson = await importFile(jsonDb, json, { actor: 'bench' });
  const importJsonMs = performance.now() - tj;
  await jsonDb.close();
  if (importedJson.status !== 'committed') throw new Error(`JSON import rejected: ${importedJson.message}`);

  // 3. Writing CSV: the same rows both ways, then a whole export of the imported rows.
  let ownText = '';
  let libText = '';
  const writeTimes = await timeEach({
    own: () => {
      ownText = '';
      for (const row of kept) ownText += csvLine(row);
    },
    library: () => {
      libText = '';
      for (let k = 0; k < kept.length; k += 1000) libText += stringify(kept.slice(k, k + 1000), { record_delimiter: '\r\n' });
    },
    // As a streamed export would call it: one row at a time, as it comes from the database.
    libraryByRow: () => {
      let text = '';
      for (const row of kept) text += stringify([row], { record_delimiter: '\r\n' });
      if (text !== libText) throw new Error('csv-stringify wrote rows differently one at a time');
    },
  });
  const everything = parseFilters(new URLSearchParams(), {}).filters;
  const admin = { userId: 0, email: 'bench', name: 'bench', role: 'admin', via: 'token', credentialId: 0 } as const;
  let exportBytes = 0;
  const [exportMs] = Object.values(
    await timeEach({
      export: async () => {
        exportBytes = 0;
        for await (const piece of referralsCsv(db, admin, everything, { sort: '-referred_at' })) exportBytes += piece.length;
      },
    }),
  );
  await db.close();

  // 4. The caches: one sequence of gets (a miss puts), the same budget and entry limit.
  const KEYS = 20_000;
  const OPS = 2_000_000;
  const budget = 8 * 1024 * 1024;
  const keys = Array.from({ length: KEYS }, (_, i) => `/api/v1/summary?viewer?{"as_of":"2026-03-01T00:00:00Z","platform":["p${i}"]}`);
  const sizes = keys.map((k, i) => 2 * (500 + (i % 1000)) + k.length * 2);
  const sequence = new Uint32Array(OPS);
  for (let i = 0, s = 1; i < OPS; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    // Skewed: a few keys are asked often, as dashboard pages are.
    sequence[i] = Math.floor(KEYS * ((s >>> 8) / 16_777_216) ** 3);
  }
  const misses: Record<string, number> = {};
  const cacheTimes = await timeEach({
    own: () => {
      const c = new MapLru<number>(budget, budget / 8);
      let miss = 0;
      for (let i = 0; i < OPS; i++) {
        const k = sequence[i];
        if (c.get(keys[k]) === undefined) {
          miss++;
          c.set(keys[k], k, sizes[k]);
        }
      }
      misses.own = miss;
    },
    library: () => {
      const c = new LRUCache<string, number>({ maxSize: budget });
      let miss = 0;
      for (let i = 0; i < OPS; i++) {
        const k = sequence[i];
        if (c.get(keys[k]) === undefined) {
          miss++;
          c.set(keys[k], k, { size: sizes[k] });
        }
      }
      misses.library = miss;
    },
  });

  console.log('| job | hand-written | library | library / hand-written | same result |');
  console.log('|---|---:|---:|---:|---|');
  console.log(
    `| read CSV (rows/s) | ${rate(rows, csvTimes.own)} | ${rate(rows, csvTimes.library)} (csv-parse) | ${ratio(csvTimes.library, csvTimes.own)} time | ${ownCsvRead!.records === libCsvRead!.records && ownCsvRead!.chars === libCsvRead!.chars ? 'yes' : 'NO'} |`,
  );
  console.log(
    `| read JSON (rows/s) | ${rate(rows, jsonTimes.own)} | ${rate(rows, jsonTimes.library)} (@streamparser/json) | ${ratio(jsonTimes.library, jsonTimes.own)} time | ${ownJsonRead!.records === libJsonRead!.records && ownJsonRead!.chars === libJsonRead!.chars ? 'yes' : 'NO'} |`,
  );
  console.log(`| write CSV (rows/s) | ${rate(kept.length, writeTimes.own)} | ${rate(kept.length, writeTimes.library)} (csv-stringify, 1,000 rows a call) | ${ratio(writeTimes.library, writeTimes.own)} time | ${ownText === libText ? 'yes, byte for byte' : 'NO'} |`);
  console.log(`| write CSV a row at a time (rows/s) | ${rate(kept.length, writeTimes.own)} | ${rate(kept.length, writeTimes.libraryByRow)} (csv-stringify, 1 row a call) | ${ratio(writeTimes.libraryByRow, writeTimes.own)} time | yes |`);
  console.log(
    `| LRU cache (gets/s) | ${rate(OPS, cacheTimes.own)} | ${rate(OPS, cacheTimes.library)} (lru-cache) | ${ratio(cacheTimes.library, cacheTimes.own)} time | ${misses.own === misses.library ? `yes, ${misses.own.toLocaleString('en-GB')} misses each` : 'NO'} |`,
  );

  // What the difference makes of the whole job (each is one pass, so the parts add up).
  const csvDelta = csvTimes.library - csvTimes.own;
  const perRow = (ms: number) => (ms / kept.length) * imported.rows;
  const writeDelta = perRow(writeTimes.library - writeTimes.own);
  const writeByRowDelta = perRow(writeTimes.libraryByRow - writeTimes.own);
  console.log(`\nWhole import of the CSV: ${(importMs / 1000).toFixed(2)} s (${rate(imported.rows, importMs)} rows/s); with csv-parse reading it: ${((importMs + csvDelta) / 1000).toFixed(2)} s, ${(((importMs + csvDelta) / importMs - 1) * 100).toFixed(0)}% more.`);
  const jsonDelta = jsonTimes.library - jsonTimes.own;
  console.log(`Whole import of the JSON: ${(importJsonMs / 1000).toFixed(2)} s (${rate(importedJson.rows, importJsonMs)} rows/s); with @streamparser/json reading it: ${((importJsonMs + jsonDelta) / 1000).toFixed(2)} s, ${(((importJsonMs + jsonDelta) / importJsonMs - 1) * 100).toFixed(0)}% more.`);
  console.log(`Whole export of those rows (referrals.csv, ${(exportBytes / 1e6).toFixed(0)} MB): ${(exportMs / 1000).toFixed(2)} s; with csv-stringify writing it: ${((exportMs + writeDelta) / 1000).toFixed(2)} s, ${(((exportMs + writeDelta) / exportMs - 1) * 100).toFixed(0)}% more in batches of 1,000 rows, ${(((exportMs + writeByRowDelta) / exportMs - 1) * 100).toFixed(0)}% more a row at a time as the export streams them.`);

  // The line numbers the import's reports give, case by case.
  console.log('\n| input | hand-written CSV reader: record lines; error line | csv-parse | same |');
  console.log('|---|---|---|---|');
  for (const [name, text] of Object.entries(CSV_CASES)) {
    const own = await ownCsv((onText) => {
      onText(text.slice(0, 7), false);
      onText(text.slice(7), true);
    });
    const lib = await libraryCsv((write) => {
      write(text.slice(0, 7));
      write(text.slice(7));
    });
    const say = (r: Read) => `${r.lines.join(', ')}${r.errorLine !== null ? `; error on ${r.errorLine}` : ''}`;
    console.log(`| ${name} | ${say(own)} | ${say(lib)} | ${say(own) === say(lib) ? 'yes' : 'NO'} |`);
  }
  console.log('\n| input | hand-written JSON reader: record lines; error line | @streamparser/json | same |');
  console.log('|---|---|---|---|');
  for (const [name, [text, ndjson]] of Object.entries(JSON_CASES)) {
    const own = await ownJson((onText) => onText(text, true));
    const lib = libraryJson((write) => write(text), ndjson, text);
    const say = (r: Read, lines: boolean) => `${lines ? r.lines.join(', ') : `${r.records} records, no lines`}${r.errorLine !== null ? `; error on ${r.errorLine}` : ''}`;
    console.log(`| ${name} | ${say(own, true)} | ${say(lib, false)} | ${say(own, true) === say(lib, true) ? 'yes' : 'NO'} |`);
  }
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => fs.rmSync(dir, { recursive: true, force: true }));
