// The app's server: Next.js's production server behind a plain Node.js HTTP
// server that decides the client's network address before Next.js sees the
// request. `next start` keeps an X-Forwarded-For header a client sent
// itself, so a client could name any address it liked; here the header is
// always replaced: by the connection's own address or, with
// TRUST_PROXY_HOPS=n (n reverse proxies of yours in front), by the address
// the nearest of them saw. Sign-in throttling and the audit trail use it.
//
// Usage: node server.js [-p PORT] [-H HOST]   (defaults: $PORT or 3000, all interfaces)
const http = require('node:http');
const next = require('next');

function option(names, fallback) {
  const args = process.argv.slice(2);
  for (let k = 0; k < args.length - 1; k++) if (names.includes(args[k])) return args[k + 1];
  return fallback;
}

const port = Number(option(['-p', '--port'], process.env.PORT || '3000'));
const hostname = option(['-H', '--hostname'], undefined);
const hopsText = (process.env.TRUST_PROXY_HOPS || '0').trim();
const hops = /^\d+$/.test(hopsText) ? Number(hopsText) : NaN;
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`Invalid port: ${option(['-p', '--port'], process.env.PORT)} (give a whole number from 1 to 65535)`);
  process.exit(2);
}
if (!Number.isInteger(hops) || hops > 10) {
  console.error(`Invalid setting: TRUST_PROXY_HOPS must be a whole number from 0 to 10 (got '${hopsText}')`);
  process.exit(2);
}
// The page cache and the PDF renderer reach the app on this port (lib/settings.ts selfOrigin).
process.env.PORT = String(port);

/** The client's address: the connection's, or the one `hops` trusted proxies back in X-Forwarded-For. */
function clientAddress(req) {
  const own = req.socket.remoteAddress || 'unknown';
  if (hops === 0) return own;
  const header = req.headers['x-forwarded-for'];
  const chain = (Array.isArray(header) ? header.join(',') : header || '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  chain.push(own);
  // The last entry is our nearest proxy; each trusted proxy appended the address it saw.
  return chain[Math.max(0, chain.length - 1 - hops)];
}

const app = next({ dev: false, dir: __dirname, hostname: hostname || 'localhost', port });
app
  .prepare()
  .then(() => {
    const handle = app.getRequestHandler();
    const server = http.createServer((req, res) => {
      req.headers['x-forwarded-for'] = clientAddress(req);
      handle(req, res).catch((err) => {
        console.error('request failed', err);
        if (!res.headersSent) {
          res.statusCode = 500;
          res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        }
        res.end('The server could not answer this request.');
      });
    });
    server.listen(port, hostname, () => console.log(`Takedown Monitor listening on http://${hostname || 'localhost'}:${port}`));
    const stop = () => {
      server.close(() => process.exit(0));
      // Connections still busy after 5 s are not waited for.
      setTimeout(() => process.exit(0), 5000).unref();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  })
  .catch((err) => {
    console.error('The app could not start:', err);
    process.exit(1);
  });
