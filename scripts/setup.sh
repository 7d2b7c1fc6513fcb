#!/usr/bin/env bash
# The README's first command: install, create the database with the
# synthetic demo data (if it holds no referrals yet), build, and start the
# app on http://localhost:${PORT:-3000}.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-3000}"
export DATABASE_PATH="${DATABASE_PATH:-data/takedown.db}"
export NEXT_TELEMETRY_DISABLED=1

need_node() {
  echo "Takedown Monitor needs Node.js 20 (20.9 or later, not 22) with npm." >&2
  echo "On Debian: apt-get install -y nodejs npm, or use the Node.js 20 packages of your distribution." >&2
  exit 1
}
command -v node >/dev/null 2>&1 || need_node
command -v npm >/dev/null 2>&1 || need_node
major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$major" = "20" ] || { echo "Found Node.js $(node --version)."; need_node; }

# better-sqlite3 compiles from source when no prebuilt binary matches.
if ! command -v make >/dev/null 2>&1 || ! command -v g++ >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> Installing build tools for the SQLite driver (apt-get)"
    apt-get update -qq && apt-get install -y -qq build-essential python3 >/dev/null
  else
    echo "Installing needs make, g++ and python3 to build the SQLite driver: install them (e.g. apt-get install build-essential python3) and run again." >&2
    exit 1
  fi
fi

# Debian's Chromium renders the PDF briefings and drives the browser tests;
# poppler-utils (pdftotext) lets the tests read the PDFs back; wrk makes the
# load of the benchmarks (npm run bench:load, npm run soak).
if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1 || ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> Installing Chromium, Noto fonts, poppler-utils and wrk (apt-get), for PDF briefings, the browser tests and the load benchmarks"
    apt-get update -qq && apt-get install -y -qq chromium fonts-noto-core poppler-utils wrk >/dev/null
  else
    echo "    Chromium, pdftotext or wrk is missing: the app runs without them, but PDF briefings need Chromium (the print view works without it),"
    echo "    the tests need all three and the load benchmarks wrk (apt-get install chromium fonts-noto-core poppler-utils wrk)."
  fi
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> Installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

echo "==> Preparing the database at $DATABASE_PATH"
npm run --silent db:migrate
# Rows of a table of the database (after the migrations, every table exists).
rows_of() {
  TABLE="$1" node -e "
const Database = require('better-sqlite3');
const db = new Database(process.env.DATABASE_PATH, { readonly: true });
console.log(db.prepare('SELECT count(*) FROM ' + process.env.TABLE).pluck().get());
"
}
count="$(rows_of referrals)"
if [ "$count" = "0" ]; then
  echo "==> Loading the synthetic demo data set"
  npm run --silent seed:demo
else
  echo "    The database already holds $count referrals: left as it is."
fi

# A fresh database gets one administrator, with a password generated now and
# shown once (there is no default password anywhere). More users: npm run user.
users="$(rows_of users)"
if [ "$users" = "0" ]; then
  echo "==> Creating the demo administrator (write the password down: it is shown only this once)"
  npm run --silent user -- add admin@example.org --role admin --name "Demo administrator" --only-if-no-users
  echo "    Sign in at http://localhost:$PORT/sign-in as admin@example.org with that password."
else
  echo "    The database has $users user(s): no user added (npm run user -- list)."
fi

echo "==> Building the app"
npx next build

echo "==> Starting Takedown Monitor on http://localhost:$PORT (Ctrl-C to stop)"
exec node server.js -p "$PORT"
