// Security headers sent with every answer. Scripts run only with this
// request's nonce (Next.js adds it to its own scripts); nothing may frame
// the app, load plugins or change the base URL.
import security from '@/security-headers.json';
export function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === 'development';
  const script = `'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`;
  return [
    "default-src 'self'",
    `script-src ${script}`,
    // Charts set style attributes (recharts); no script can run from a style.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** The headers besides the CSP; next.config.js sets the same on answers the proxy does not see. */
export const STATIC_SECURITY_HEADERS: Record<string, string> = security.headers;
