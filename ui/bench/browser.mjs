// The UI's live-refresh cost in a real browser engine (layout and paint included), with the fake
// backend of the preview build (`vite build --mode fake`). Needs a Chromium: /usr/bin/chromium
// (Debian package chromium) or CHROMIUM=/path. Prints figures only.
import { chromium } from "playwright-core";
import { existsSync } from "node:fs";
import { preview } from "vite";

const FLEET = Number(process.env.FLEET ?? 500);
const REFRESHES = Number(process.env.REFRESHES ?? 30);
// Zoom steps in from the whole-fleet view before measuring (labels show from zoom 11).
const ZOOM_IN = Number(process.env.ZOOM_IN ?? 0);
const exe = process.env.CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(exe)) {
  console.error(`no Chromium at ${exe}: install the chromium package or set CHROMIUM`);
  process.exit(2);
}

const server = await preview({ mode: "fake", preview: { port: 4173, strictPort: true, host: "127.0.0.1" }, logLevel: "silent" });
const browser = await chromium.launch({
  executablePath: exe,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // No map tiles here (and none needed): fail them at once like an offline machine.
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (r) => r.abort());
  await page.goto(`http://127.0.0.1:4173/?fake=1&restore=1&latency=0&fleet=${FLEET}`);
  await page.waitForFunction(() => document.documentElement.dataset.firstMapPaintMs && document.documentElement.dataset.liveApplyMs, null, { timeout: 30_000 });
  const first = await page.evaluate(() => ({ ...document.documentElement.dataset }));
  for (let i = 0; i < ZOOM_IN; i++) {
    await page.click(".leaflet-control-zoom-in");
    // The zoom animation and the cluster plugin's re-render after it.
    await page.waitForTimeout(600);
  }
  const zoom = await page.evaluate(() => document.querySelector('[data-testid="map"]')?.dataset.zoom ?? "?");
  const labels = () =>
    page.evaluate(() => {
      const shown = [...document.querySelectorAll(".vehicle-marker .vm-label")].filter((l) => l.getClientRects().length > 0);
      return shown.length;
    });
  const labelsBefore = await labels();

  const apply = [];
  const frame = [];
  const labelPass = [];
  for (let i = 0; i < REFRESHES; i++) {
    const [a, f, l] = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const fake = window.__fake;
          fake.advance(10);
          const t0 = performance.now();
          fake.poll();
          const applied = Number(document.documentElement.dataset.liveApplyMs);
          const labels = Number(document.querySelector('[data-testid="map"]')?.dataset.labelPassMs ?? NaN);
          // Until the next frame has been produced: the change is on screen.
          requestAnimationFrame(() => setTimeout(() => resolve([applied, performance.now() - t0, labels]), 0));
        }),
    );
    apply.push(a);
    frame.push(f);
    if (Number.isFinite(l)) labelPass.push(l);
  }
  const q = (xs, p) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
  console.log(`fleet: ${FLEET} devices, ${first.liveTracks} tracks, Chromium ${browser.version()}; map zoom ${zoom}, labels shown ${labelsBefore} -> ${await labels()}`);
  console.log(`first map paint: ${first.firstMapPaintMs} ms after navigation start (offline basemap drawn in ${first.basemapMs} ms)`);
  console.log(`live refresh, state + list + markers: median ${q(apply, 0.5).toFixed(1)} ms, p90 ${q(apply, 0.9).toFixed(1)} ms (${REFRESHES} refreshes)`);
  console.log(`live refresh until the next frame: median ${q(frame, 0.5).toFixed(1)} ms, p90 ${q(frame, 0.9).toFixed(1)} ms`);
  if (labelPass.length) console.log(`of which the label placement pass: median ${q(labelPass, 0.5).toFixed(2)} ms, p90 ${q(labelPass, 0.9).toFixed(2)} ms`);
} finally {
  await browser.close();
  await new Promise((r) => server.httpServer.close(r));
}
