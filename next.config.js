const security = require('./security-headers.json');

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Tests build into their own folder so that they never disturb a running app.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Native addons: loaded by Node at run time, never bundled.
  serverExternalPackages: ['better-sqlite3', '@node-rs/argon2'],
  poweredByHeader: false,
  // proxy.ts redirects trailing slashes itself, with the security headers.
  skipTrailingSlashRedirect: true,
  experimental: {
    // forbidden(): a 403 page when a role may not see a page (lib/auth/dal.ts).
    authInterrupts: true,
  },
  async headers() {
    const all = Object.entries(security.headers).map(([key, value]) => ({ key, value }));
    return [
      // Every answer; the proxy sets the same and a CSP with a nonce on everything it sees.
      { source: '/:path*', headers: all },
      // What the proxy does not see gets a CSP too.
      { source: '/_next/static/:path*', headers: [{ key: 'Content-Security-Policy', value: security.staticCsp }] },
      { source: '/api/v1/imports', headers: [{ key: 'Content-Security-Policy', value: security.staticCsp }] },
      { source: '/icon.svg', headers: [{ key: 'Content-Security-Policy', value: security.staticCsp }] },
      { source: '/favicon.ico', headers: [{ key: 'Content-Security-Policy', value: security.staticCsp }] },
      { source: '/_next/image', headers: [{ key: 'Content-Security-Policy', value: security.staticCsp }] },
    ];
  },
};

module.exports = nextConfig;
