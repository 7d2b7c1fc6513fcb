/** @type {import('next').NextConfig} */
const nextConfig = {
  // Tests build into their own folder so that they never disturb a running app.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Native addon: loaded by Node at run time, never bundled.
  serverExternalPackages: ['better-sqlite3'],
  poweredByHeader: false,
};

module.exports = nextConfig;
