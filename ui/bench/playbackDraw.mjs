// Playback drawing in a real browser engine: a 100,000-point route (the fake backend of the preview
// build generates 10 s fixes over 1,000,000 s), from the data in hand to the route drawn, and the
// frame time while scrubbing the replay slider. Also: what reading 100,000 points costs in each
// form they could cross IPC in (JSON objects, JSON column arrays, the binary columns the app uses).
// Needs Chromium (/usr/bin/chromium or CHROMIUM=/path). Prints figures only.
// Run: npm run bench:playback
import { chromium } from "playwright-core";
import { existsSync } from "node:fs";
import { preview } from "vite";

const POINTS = Number(process.env.POINTS ?? 100_000);
const SCRUB_FRAMES = Number(process.env.FRAMES ?? 240);
const exe = process.env.CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(exe)) {
  console.error(`no Chromium at ${exe}: install the chromium package or set CHROMIUM`);
  process.exit(2);
}

const server = await preview({ mode: "fake", preview: { port: 4174, strictPort: true, host: "127.0.0.1" }, logLevel: "silent" });
const browser = await chromium.launch({
  executablePath: exe,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const q = (xs, p) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, timezoneId: "UTC" });
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (r) => r.abort());
  await page.goto("http://127.0.0.1:4174/?fake=1&restore=1&latency=0&fleet=20");
  await page.locator('[data-testid="device-item"]').first().click();
  await page.locator('[data-testid="playback-open"]').click();
  await page.waitForSelector('[data-testid="playback-view"]');
  // The default period (today) loads on opening; wait for it, then ask for the big one.
  await page.waitForFunction(() => document.querySelector('[data-testid="playback-progress"]')?.dataset.state !== "loading");
  const begin = Date.UTC(2024, 4, 1) / 1000;
  // The pickers hold whole minutes: round the end up so every point is in.
const end = begin + Math.ceil((POINTS * 10) / 60) * 60;
  const iso = (s) => new Date(s * 1000).toISOString().slice(0, 16);
  await page.fill('[data-testid="playback-from"]', iso(begin));
  await page.fill('[data-testid="playback-to"]', iso(end));
  const clicked = Date.now();
  await page.click('[data-testid="playback-load"]');
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="playback-view"]')?.dataset.points) >= n, POINTS, { timeout: 60_000 });
  const endToEnd = Date.now() - clicked;
  const drawMs = Number(await page.getAttribute('[data-testid="playback-view"]', "data-draw-ms"));
  const phases = await page.getAttribute('[data-testid="playback-view"]', "data-draw-phases");
  const drawn = await page.getAttribute('[data-testid="playback-view"]', "data-points");

  // Scrub: move the slider every frame across the whole period, as a dragging hand does.
  const scrub = await page.evaluate(
    (frames) =>
      new Promise((resolve) => {
        const slider = document.querySelector('[data-testid="playback-slider"]');
        const max = Number(slider.max);
        const intervals = [];
        const work = [];
        let k = 0;
        let last = performance.now();
        function frame(now) {
          intervals.push(now - last);
          last = now;
          const t0 = performance.now();
          slider.value = String(Math.round((k / frames) * max));
          slider.dispatchEvent(new Event("input", { bubbles: true }));
          work.push(performance.now() - t0);
          k++;
          if (k <= frames) requestAnimationFrame(frame);
          else resolve({ intervals: intervals.slice(2), work });
        }
        requestAnimationFrame(frame);
      }),
    SCRUB_FRAMES,
  );


  // Reading 100,000 points in each form that could cross IPC.
  const decode = await page.evaluate((n) => {
    const pts = [];
    for (let i = 0; i < n; i++) pts.push({ longitude: 113.9 + i * 1e-5, latitude: 22.5 + (i % 977) * 1e-5, gpstime: 1714500000 + i * 10, speed: i % 90, course: (i * 7) % 360 });
    const objects = JSON.stringify(pts);
    const columns = JSON.stringify({
      gpstime: pts.map((p) => p.gpstime),
      longitude: pts.map((p) => p.longitude),
      latitude: pts.map((p) => p.latitude),
      speed: pts.map((p) => p.speed),
      course: pts.map((p) => p.course),
    });
    const binary = new Float64Array(5 * n);
    pts.forEach((p, i) => {
      binary[i] = p.gpstime;
      binary[n + i] = p.longitude;
      binary[2 * n + i] = p.latitude;
      binary[3 * n + i] = p.speed;
      binary[4 * n + i] = p.course;
    });
    const time = (f) => {
      const runs = [];
      for (let r = 0; r < 5; r++) {
        const t0 = performance.now();
        f();
        runs.push(performance.now() - t0);
      }
      return runs.sort((a, b) => a - b)[2];
    };
    const toColumns = (o) => {
      const a = new Float64Array(5 * n);
      o.forEach((p, i) => {
        a[i] = p.gpstime;
        a[n + i] = p.longitude;
        a[2 * n + i] = p.latitude;
        a[3 * n + i] = p.speed;
        a[4 * n + i] = p.course;
      });
      return a;
    };
    return {
      objects: { bytes: objects.length, ms: time(() => toColumns(JSON.parse(objects))) },
      columns: { bytes: columns.length, ms: time(() => { const c = JSON.parse(columns); return Float64Array.from(c.latitude); }) },
      binary: { bytes: binary.byteLength, ms: time(() => new Float64Array(binary.buffer.slice(0))) },
    };
  }, POINTS);

  console.log(`playback draw, Chromium ${browser.version()} headless (software rendering), 1440x900`);
  console.log(`route: ${drawn} points (fake backend, 10 s fixes over ${(POINTS * 10) / 86400} days)`);
  console.log(`  data in hand -> route drawn (decode, stops/trips, map, chart, 2 frames): ${drawMs.toFixed(0)} ms   (target 300 ms)`);
  console.log(`    by phase, ms: ${phases}`);
  console.log(`  click Load -> route drawn (incl. the fake's generation and progress): ${endToEnd} ms`);
  console.log(`scrubbing, ${SCRUB_FRAMES} frames, slider moved every frame:`);
  console.log(`  frame interval: mean ${mean(scrub.intervals).toFixed(1)} ms, median ${q(scrub.intervals, 0.5).toFixed(1)} ms, p95 ${q(scrub.intervals, 0.95).toFixed(1)} ms (60 fps = 16.7 ms)`);
  console.log(`  update work per frame (marker, slider, chart cursor, readout): mean ${mean(scrub.work).toFixed(2)} ms, p95 ${q(scrub.work, 0.95).toFixed(2)} ms`);
  console.log(`reading ${POINTS} points into typed columns (median of 5):`);
  for (const [name, r] of Object.entries(decode)) {
    console.log(`  ${name.padEnd(8)} ${(r.bytes / 1e6).toFixed(1).padStart(5)} MB  ${r.ms.toFixed(1).padStart(6)} ms`);
  }
} finally {
  await browser.close();
  await new Promise((r) => server.httpServer.close(r));
}
