// State-changing requests carried by a browser's cookie must come from this
// site's own pages (CSRF): Sec-Fetch-Site says so, or else Origin equals
// the address the request was sent to. Scripts using an API token send
// `Authorization`, which no other site can make a browser add.
export function sameOrigin(request: Request): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null) return site === 'same-origin' || site === 'none';
  const origin = request.headers.get('origin');
  if (origin === null || origin === 'null') return false;
  const host = request.headers.get('host');
  try {
    return host !== null && new URL(origin).host === host;
  } catch {
    return false;
  }
}

export const CROSS_ORIGIN_REFUSED = 'Refused: this request did not come from a page of this site (cross-origin requests cannot change anything here).';

const SELF = 'http://self.invalid';

/**
 * Where to go after signing in: a path of this site only (never another
 * host), percent-encoded as URL parsing writes it, so that it is always a
 * valid Location header (non-ASCII characters such as U+3000 would make the
 * redirect fail) and means the same path as the one asked for.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f]/.test(next) || next.length > 2000) return '/';
  let url: URL;
  try {
    url = new URL(next, SELF);
  } catch {
    return '/';
  }
  if (url.origin !== SELF) return '/';
  const path = `${url.pathname}${url.search}`;
  return path.length <= 2000 && !path.startsWith('//') ? path : '/';
}
