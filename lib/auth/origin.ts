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

/** Where to go after signing in: a path of this site only (never another host). */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\u0000-\u001f]/.test(next)) return '/';
  return next.slice(0, 2000);
}
