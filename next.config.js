/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native addon: loaded by Node at run time, never bundled.
  serverExternalPackages: ['better-sqlite3'],
  poweredByHeader: false,
  typedRoutes: false,
};

module.exports = nextConfig;
