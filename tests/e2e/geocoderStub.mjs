// A reverse geocoder for the end-to-end tests: node http on 127.0.0.1 (a free port) answering
// Nominatim's /reverse?format=jsonv2&lat=..&lon=.. with a fixed address per rounded position
// ("E2E Street <lat>, <lon>" at 4 decimals), recording every request (its place, Accept-Language,
// User-Agent and time).

import { createServer } from 'node:http';

/** The address the stub gives a position. */
export function stubAddress(lat, lon) {
  return `E2E Street ${Number(lat).toFixed(4)}, ${Number(lon).toFixed(4)}`;
}

/** Starts the stub; resolves with `{ url, requests, stop() }`. */
export async function startGeocoderStub() {
  const requests = [];
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://stub');
    const lat = u.searchParams.get('lat');
    const lon = u.searchParams.get('lon');
    requests.push({ path: u.pathname, lat, lon, lang: req.headers['accept-language'] ?? '', agent: req.headers['user-agent'] ?? '', at: Date.now() });
    if (u.pathname !== '/reverse' || u.searchParams.get('format') !== 'jsonv2' || lat === null || lon === null) {
      res.writeHead(400, { 'Content-Type': 'application/json' }).end('{"error":"bad request"}');
      return;
    }
    const body = JSON.stringify({ display_name: stubAddress(lat, lon), address: { road: 'E2E Street', city: 'Stubville' } });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop() {
      return new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      });
    },
  };
}
