// A route that answers a print page as PDF (briefings, transparency
// reports): it reads the page's parameters, pins as_of, has Chromium render
// the page and names the file; without Chromium it answers 503 in words.
import { attachment } from '@/lib/export-name';
import { audit } from '@/lib/auth/audit';
import { SESSION_COOKIE, cookieValue } from '@/lib/auth/authenticate';
import { guarded } from '@/lib/auth/guard';
import type { Route } from '@/lib/auth/rules';
import { FilterError, parseFilters, type ExtraParams, type FilterIssue, type Parsed } from '@/lib/filters';
import { formatInstant } from '@/lib/instant';
import { getSettings, selfOrigin, SettingsError } from '@/lib/settings';
import { wordsPage } from '@/lib/words-page';
import { BriefingRenderError, ChromiumMissingError, chromiumInstalled, PageReportedError, renderPdf, RenderQueueFull } from './pdf';

/** A short page in words for a person who clicked a PDF link (never a stack trace). */
function explain(status: number, title: string, paragraphs: string[], printView?: string, headers: Record<string, string> = {}): Response {
  const links = printView ? [{ href: printView, text: 'Open the printable page', after: ': it works without the PDF renderer, and your browser can print it or save it as PDF.' }] : [];
  return new Response(wordsPage(title, paragraphs, links), { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...headers } });
}

/** The requester's own credential, for the renderer's request of the print page (never stored in the browser). */
function credentialHeaders(request: Request): Record<string, string> {
  const authorization = request.headers.get('authorization');
  if (authorization) return { Authorization: authorization };
  const session = cookieValue(request.headers.get('cookie'), SESSION_COOKIE);
  return session ? { Cookie: `${SESSION_COOKIE}=${session}` } : {};
}

/**
 * `problem` refuses parameters the page itself would refuse, before the
 * renderer is asked (a page that cannot be produced must not hold a tab).
 */
export function pdfRoute<E extends ExtraParams>(route: Route, page: string, extra: E, fileName: (parsed: Parsed<E>) => string, problem: (parsed: Parsed<E>) => FilterIssue | null = () => null) {
  return guarded(route, async (request, { store, principal }) => {
    const url = new URL(request.url);
    let parsed: Parsed<E>;
    try {
      parsed = parseFilters(url.searchParams, extra);
    } catch (err) {
      if (err instanceof FilterError) return explain(400, 'These parameters cannot be read', err.issues.map((i) => `${i.param}: ${i.message}`));
      throw err;
    }
    const refused = problem(parsed);
    if (refused) return explain(400, 'These parameters cannot be read', [`${refused.param}: ${refused.message}`]);
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
      const pdf = await renderPdf(`${origin}${printView}`, { chromiumPath: settings.CHROMIUM_PATH, user: String(principal.userId), headers: credentialHeaders(request) });
      audit(store, { actor: principal, action: 'briefing_download', outcome: 'allowed', target: url.pathname, filters: url.searchParams, detail: fileName(parsed) });
      return new Response(new Uint8Array(pdf), {
        headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': attachment(fileName(parsed)), 'Cache-Control': 'private, no-store' },
      });
    } catch (err) {
      if (err instanceof ChromiumMissingError) return missing();
      if (err instanceof RenderQueueFull)
        return explain(503, 'Every PDF renderer place is taken just now', ['Other PDFs are being produced. Ask again in half a minute; the printable page works meanwhile.'], printView, { 'Retry-After': '30' });
      if (err instanceof PageReportedError)
        return err.kind === 'parameters'
          ? explain(400, 'This page cannot be produced with these parameters', [err.message])
          : explain(503, 'The PDF could not be produced just now', [err.message || 'The page could not be shown.'], printView);
      if (err instanceof BriefingRenderError) {
        console.error('PDF failed:', err.message);
        return explain(503, 'The PDF could not be produced just now', [`Chromium could not render the page: ${err.message}.`, 'Try again in a moment.'], printView);
      }
      throw err;
    }
  });
}
