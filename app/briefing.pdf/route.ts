import { attachment, exportFileName } from '@/lib/export-name';
import { BriefingRenderError, ChromiumMissingError, chromiumInstalled, renderPdf } from '@/lib/briefing/pdf';
import { FilterError, parseFilters } from '@/lib/filters';
import { formatInstant } from '@/lib/instant';
import { getSettings, SettingsError } from '@/lib/settings';

export const dynamic = 'force-dynamic';

/** A short page in words for a person who clicked "Download briefing (PDF)" (never a stack trace). */
function explain(status: number, title: string, paragraphs: string[], printView?: string): Response {
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} · Takedown Monitor</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;line-height:1.45"><h1>${escape(title)}</h1>${paragraphs.map((p) => `<p>${escape(p)}</p>`).join('')}${printView ? `<p><a href="${escape(printView)}">Open the printable briefing</a>: it works without the PDF renderer, and your browser can print it or save it as PDF.</p>` : ''}</body></html>`;
  return new Response(body, { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } });
}

/** The briefing page for the same filters, as an A4 PDF rendered by Chromium. */
export async function GET(request: Request): Promise<Response> {
  const url = new URL(request.url);
  let filters;
  try {
    filters = parseFilters(url.searchParams).filters;
  } catch (err) {
    if (err instanceof FilterError) return explain(400, 'These filters cannot be read', err.issues.map((i) => `${i.param}: ${i.message}`));
    throw err;
  }
  // The page is asked for this very as_of: a default "now" must not move between the two requests.
  const query = new URLSearchParams(url.searchParams);
  query.set('as_of', formatInstant(filters.asOf));
  const printView = `/briefing?${query}`;
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
      'PDF briefings need Chromium, which is not installed',
      [
        `No Chromium was found at ${settings.CHROMIUM_PATH}.`,
        'On Debian, as root: apt-get install -y chromium fonts-noto-core (README: set-up), or set CHROMIUM_PATH to where Chromium is; then ask for the PDF again.',
      ],
      printView,
    );
  if (!chromiumInstalled(settings.CHROMIUM_PATH)) return missing();
  const origin = settings.BRIEFING_RENDER_ORIGIN ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  try {
    const pdf = await renderPdf(`${origin.replace(/\/$/, '')}${printView}`, { chromiumPath: settings.CHROMIUM_PATH });
    return new Response(new Uint8Array(pdf), {
      headers: {
        'Content-Type': 'application/pdf',
        'Content-Disposition': attachment(exportFileName('briefing', filters, 'pdf')),
        'Cache-Control': 'private, no-store',
      },
    });
  } catch (err) {
    if (err instanceof ChromiumMissingError) return missing();
    if (err instanceof BriefingRenderError) {
      console.error('Briefing PDF failed:', err.message);
      return explain(503, 'The PDF could not be produced just now', [`Chromium could not render the briefing: ${err.message}.`, 'Try again in a moment.'], printView);
    }
    throw err;
  }
}
