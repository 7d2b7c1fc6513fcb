// The client's network address of a request. The app's server (server.js)
// puts the address it trusts into X-Forwarded-For before Next.js sees the
// request: the connection's own address, or with TRUST_PROXY_HOPS the one
// the nearest trusted reverse proxies saw. So whatever a client writes in
// that header itself, this is the address throttling and the audit use.
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get('x-forwarded-for');
  const first = forwarded?.split(',')[0]?.trim();
  return first ? first.slice(0, 100) : 'unknown';
}
