// Settings read from the environment, checked once per read: a bad value is
// reported in words naming the variable, never silently replaced.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export class SettingsError extends Error {}

const schema = z.object({
  /** METRICS.md "Small numbers": briefings show cells with fewer referrals as "< k". */
  BRIEFING_MIN_CELL: z.coerce.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).default(5),
  /** Debian's Chromium, which renders briefing PDFs. */
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  /** Where the PDF renderer reaches this app's own pages; by default the port `next start` listens on, on loopback. */
  BRIEFING_RENDER_ORIGIN: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:3000' }).optional(),
  /** A session ends after this many minutes without a request. */
  SESSION_IDLE_MINUTES: wholeNumber(1, 24 * 60, 30),
  /** A session ends this many hours after sign-in, however active. */
  SESSION_MAX_HOURS: wholeNumber(1, 7 * 24, 12),
  /** Sign-in attempts at one e-mail address within SIGN_IN_LOCK_MINUTES before it is held (lib/auth/throttle.ts). */
  SIGN_IN_MAX_FAILURES: wholeNumber(1, 100, 5),
  SIGN_IN_LOCK_MINUTES: wholeNumber(1, 24 * 60, 15),
  /** Failed sign-ins from one client address, over all e-mail addresses, within SIGN_IN_LOCK_MINUTES before it is refused. */
  SIGN_IN_CLIENT_MAX_FAILURES: wholeNumber(1, 10_000, 20),
  /** A held address may be tried from a client address without failures once every this many seconds. */
  SIGN_IN_HELD_INTERVAL_SECONDS: wholeNumber(1, 3600, 10),
  /** Reverse proxies in front of the app whose X-Forwarded-For is trusted for the client address (0: the connection's own address). */
  TRUST_PROXY_HOPS: wholeNumber(0, 10, 0),
  /** The largest file a steward may upload for import, in megabytes. */
  IMPORT_MAX_MB: wholeNumber(1, 2048, 100),
  /** Rendered dashboard pages kept per user, data version and settings (lib/page-cache.ts), in megabytes; 0 turns the cache off. */
  PAGE_CACHE_MB: wholeNumber(0, 4096, 64),
  /** How long a request waits for the facts to follow a committed import before the version held answers (lib/metrics/fact-store.ts), in ms. */
  FACTS_WAIT_MS: wholeNumber(0, 60_000, 50),
  /** A copy of the facts is kept beside the database between starts (lib/metrics/fact-file.ts); 0 keeps none. */
  FACTS_KEEP: z.enum(['0', '1'], { error: 'must be 0 or 1' }).default('1').transform((v) => v === '1'),
  /** Session cookies carry `Secure` (browsers accept it on http://localhost); set to 0 only for plain http on another host name. */
  COOKIE_SECURE: z.enum(['0', '1'], { error: 'must be 0 or 1' }).default('1').transform((v) => v === '1'),
});

function wholeNumber(min: number, max: number, fallback: number) {
  return z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` })
    .default(fallback);
}

export type Settings = z.infer<typeof schema>;

export function getSettings(env: Record<string, string | undefined> = process.env): Settings {
  const present = Object.fromEntries(Object.keys(schema.shape).flatMap((k) => (env[k]?.trim() ? [[k, env[k].trim()]] : [])));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
    throw new SettingsError(`Invalid setting: ${issues.join('; ')}`);
  }
  return parsed.data;
}

/**
 * Settings kept in a file beside the database (`SETTINGS_FILE`, default
 * `data/settings.json`), for what an administrator may change while the app
 * runs: the persistent-failure rule of METRICS.md. A missing file means the
 * defaults; a file that does not parse is refused in words. Read again when
 * the file changes.
 */
const fileSchema = z
  .object({
    persistent_failure: z
      .object({
        target: z.number({ error: 'must be a share from 0 to 1' }).gt(0, { error: 'must be above 0' }).lte(1, { error: 'must be at most 1' }).default(0.9),
        months: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(24, { error: 'must be at most 24' }).default(3),
        min_orders: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(10_000).default(5),
      })
      .strict()
      .default({ target: 0.9, months: 3, min_orders: 5 }),
  })
  .strict();

export type FileSettings = z.infer<typeof fileSchema>;

export function settingsFilePath(env: Record<string, string | undefined> = process.env): string {
  return env.SETTINGS_FILE?.trim() || path.join('data', 'settings.json');
}

const fileCache = new Map<string, { mtimeMs: number; settings: FileSettings }>();

/** What the settings file is now (its modification time, or 'none'): rendered pages depend on it. */
export function settingsFileStamp(file: string = settingsFilePath()): string {
  try {
    return String(fs.statSync(file).mtimeMs);
  } catch {
    return 'none';
  }
}

/** Where this app reaches itself (the PDF renderer, the page cache): by default the port `next start` listens on, on loopback. */
export function selfOrigin(settings: Settings = getSettings()): string {
  return (settings.BRIEFING_RENDER_ORIGIN ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/$/, '');
}

export function getFileSettings(file: string = settingsFilePath()): FileSettings {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return fileSchema.parse({});
  }
  const cached = fileCache.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs) return cached.settings;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SettingsError(`Invalid settings file ${file}: not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    throw new SettingsError(`Invalid settings file ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'} ${i.message}`).join('; ')}`);
  }
  fileCache.set(file, { mtimeMs: stat.mtimeMs, settings: parsed.data });
  return parsed.data;
}
