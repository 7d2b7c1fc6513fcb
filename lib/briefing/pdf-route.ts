// A route that answers a print page as PDF (briefings, transparency
// reports): it reads the page's parameters, pins as_of, has Chromium render
// the page and names the file; without Chromium it answers 503 in words.
import { attachment } from '@/lib/export-name';
import { audit } from '@/lib/auth/audit';
import { SESSION_COOKIE, cookieValue } from '@/lib/auth/authenticate';
import { guarded } from '@/lib/auth/guard';
import type { Route } from '@/lib/auth/rules';
import { FilterError, parseFilters, type ExtraParams, type Parsed } from '@/lib/filters';
import { formatInstant } from '@/lib/instant';
import { getSettings, selfOrigin, SettingsError } from '@/lib/settings';
import { BriefingRenderError, ChromiumMissingError, chromiumInstalled, renderPdf } from './pdf';

/** A short page in words for a person who clicked a PDF link (never a stack trace). */
function explain(status: number, title: string, paragraphs: string[], printView?: string): Response {
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} · Takedown Monitor</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;line-height:1.45"><h1>${escape(title)}</h1>${paragraphs.map((p) => `<p>${escape(p)}</p>`).join('')}${printView ? `<p><a href="${escape(printView)}">Open the printable page</a>: it works without the PDF renderer, and your browser can print it or save it as PDF.</p>` : ''}</body></html>`;
  return new Response(body, { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } });
}

/** The requester's own credential, for the renderer's request of the print page (never stored in the browser). */
function credentialHeaders(request: Request): Record<string, string> {
  const authorization = request.headers.get('authorization');
  if (authorization) return { Authorization: authorization };
  const session = cookieValue(request.headers.get('cookie'), SESSION_COOKIE);
  return session ? { Cookie: `${SESSION_COOKIE}=${session}` } : {};
}

export function pdfRoute<E extends ExtraParams>(route: Route, page: string, extra: E, fileName: (parsed: Parsed<E>) => string) {
  return guarded(route, async (request, { db, principal }) => {
    const url = new URL(request.url);
    let parsed: Parsed<E>;
    try {
      parsed = parseFilters(url.searchParams, extra);
    } catch (err) {
      if (err instanceof FilterError) return explain(400, 'These parameters cannot be read', err.issues.map((i) => `${i.param}: ${i.message}`));
      throw err;
    }
    // The page is asked for this very as_of: a default "now" must not move between the two requests.
    const query = new URLSearchParams(url.searchParams);
    query.set('as_of', formatInstant(parsed.filters.asOf));
    const printView = `${page}?${query}`;
    let settings;
    try {
      settings = getSettings();
    } catch (err) {
      if (err instanceof SettingsError) return explain(503, 'The PDF renderer is not configured correctly', [err.message], printView);
      throw err;
    }
    const missing = () =>
      explain(
        503,
        'PDFs need Chromium, which is not installed',
        [
          `No Chromium was found at ${settings.CHROMIUM_PATH}.`,
          'On Debian, as root: apt-get install -y chromium fonts-noto-core (README: set-up), or set CHROMIUM_PATH to where Chromium is; then ask for the PDF again.',
        ],
        printView,
      );
    if (!chromiumInstalled(settings.CHROMIUM_PATH)) return missing();
    const origin = selfOrigin(settings);
    try {
      const pdf = await renderPdf(`${origin}${printView}`, { chromiumPath: settings.CHROMIUM_PATH, headers: credentialHeaders(request) });
      audit(db, { actor: principal, action: 'briefing_download', outcome: 'allowed', target: url.pathname, filters: url.searchParams, detail: fileName(parsed) });
      return new Response(new Uint8Array(pdf), {
        headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': attachment(fileName(parsed)), 'Cache-Control': 'private, no-store' },
      });
    } catch (err) {
      if (err instanceof ChromiumMissingError) return missing();
      if (err instanceof BriefingRenderError) {
        console.error('PDF failed:', err.message);
        return explain(503, 'The PDF could not be produced just now', [`Chromium could not render the page: ${err.message}.`, 'Try again in a moment.'], printView);
      }
      throw err;
    }
  });
}
