// End-to-end: playback review in the real app, in demo mode.
//
// demo fleet -> Taxi 01 (the demo's first vehicle, reporting every 10 s) -> Playback -> yesterday:
// the progress bar completes, stats and stops appear -> play advances the readout (64x) -> the
// slider scrubs (frame times printed) -> export GPX: the file has exactly the points fetched.
//
// The app is started with --export-dir, so the export skips the native save dialog (WebDriver
// cannot drive a GTK dialog) and writes into test-output/e2e/playback/exports/.
// Run: bash scripts/e2e.sh tests/e2e/playback.e2e.mjs   (after npm run build && cargo build)

import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { config, Shots } from './harness.mjs';
import { Session, testid, waitFor, waitForDriver } from './webdriver.mjs';

const OUT = path.join(config.outDir, 'playback');
const EXPORTS = path.join(OUT, 'exports');
const sel = {
  list: testid('device-list'),
  item: `${testid('device-list')} ${testid('device-item')}`,
  search: testid('device-search'),
  demo: testid('login-demo'),
  details: testid('device-details'),
  open: testid('playback-open'),
  view: testid('playback-view'),
  preset: testid('playback-preset'),
  from: testid('playback-from'),
  to: testid('playback-to'),
  load: testid('playback-load'),
  progress: testid('playback-progress'),
  cancel: testid('playback-cancel'),
  stats: testid('playback-stats'),
  stops: `${testid('playback-stops')} ${testid('playback-stop')}`,
  play: testid('playback-play'),
  speed: testid('playback-speed'),
  slider: testid('playback-slider'),
  readout: testid('playback-readout'),
  exportFormat: testid('playback-export-format'),
  export: testid('playback-export'),
  exportStatus: testid('playback-export-status'),
  message: testid('playback-message'),
  close: testid('playback-close'),
};

const shots = new Shots(OUT);
let app = null;
let broken = null;
let loadedCount = 0;

function step(name, fn, timeoutMs = 120_000) {
  test(name, { timeout: timeoutMs }, async (t) => {
    if (broken) {
      t.skip(`an earlier step failed: ${broken}`);
      return;
    }
    try {
      await fn(t);
    } catch (e) {
      broken = name;
      if (app) await shots.failure(app, name.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
      throw e;
    }
  });
}

/** Sets a <select> the way a user's choice does: value, then a change event. */
async function choose(css, value) {
  await app.execute(
    'const s = document.querySelector(arguments[0]); s.value = arguments[1]; s.dispatchEvent(new Event("change", { bubbles: true }));',
    [css, value],
  );
}

async function attr(css, name) {
  const el = await app.maybeFind(css);
  return el ? el.attribute(name) : null;
}

before(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(EXPORTS, { recursive: true });
  await waitForDriver(config.driverUrl);
});

after(async () => {
  if (app) await app.delete().catch(() => undefined);
  if (shots.taken.length) console.log(`screenshots:\n${shots.taken.map((f) => `  ${path.relative(process.cwd(), f)}`).join('\n')}`);
});

step('the app starts in demo mode with its fleet', async () => {
  app = await Session.create(config.driverUrl, {
    application: config.app,
    args: ['--demo', `--export-dir=${EXPORTS}`],
    timeoutMs: 60_000,
  });
  await app.setTimeouts({ implicit: 0, pageLoad: 30_000, script: 30_000 });
  // An account remembered by an earlier test file would be restored instead: use the demo.
  await waitFor('the fleet or the sign-in form', async () => (await app.maybeFind(sel.item)) ?? (await app.maybeFind(sel.demo)), { timeoutMs: 30_000 });
  if (!(await app.maybeFind(sel.item))) await (await app.find(sel.demo)).click();
  await waitFor('the demo fleet listed', async () => (await app.findAll(sel.item)).length >= 10, { timeoutMs: 30_000 });
});

step('Taxi 01 opens in playback from its details', async () => {
  const search = await app.find(sel.search);
  await search.click();
  await search.sendKeys('Taxi 01');
  // Items a search hides stay in the list, hidden: click the one on screen named Taxi 01.
  const imei = await waitFor('Taxi 01 in the list', () =>
    app.execute(
      'const el = Array.from(document.querySelectorAll(arguments[0]))' +
        '.find((e) => e.getClientRects().length > 0 && e.textContent.trim().startsWith("Taxi 01"));' +
        'return el ? el.getAttribute("data-imei") : null;',
      [sel.item],
    ),
  );
  await (await app.find(`${sel.item}[data-imei="${imei}"]`)).click();
  await app.waitForVisible(sel.details);
  await (await app.waitForVisible(sel.open)).click();
  await app.waitForVisible(sel.view, 15_000);
  assert.match(await (await app.find(sel.view)).text(), /Playback · Taxi 01/);
});

step('yesterday loads: the progress bar completes, stats and stops appear', async () => {
  await choose(sel.preset, 'yesterday');
  const from = await (await app.find(sel.from)).property('value');
  const to = await (await app.find(sel.to)).property('value');
  assert.match(from, /T00:00$/, 'yesterday starts at midnight');
  assert.match(to, /T00:00$/, 'and ends at the next midnight');
  await waitFor(
    'the progress bar at 100 %',
    async () => (await attr(sel.progress, 'data-state')) === 'done' && (await attr(sel.progress, 'aria-valuenow')) === '100',
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  loadedCount = Number(await attr(sel.progress, 'data-count'));
  // A taxi reporting every 10 s: about 8640 fixes in a day.
  assert.ok(loadedCount > 8000 && loadedCount <= 8640, `a day of 10 s fixes: ${loadedCount}`);
  await waitFor('the route drawn', async () => (await attr(sel.view, 'data-points')) === String(loadedCount), { timeoutMs: 20_000 });
  const stats = await app.find(sel.stats);
  const points = await (await app.find(`${sel.stats} [data-field="points"]`)).text();
  assert.equal(points.replace(/,/g, ''), String(loadedCount), 'the stats count every fix');
  assert.match(await stats.text(), /distance[\s\S]*km/i, 'a distance in km');
  const distance = Number((await (await app.find(`${sel.stats} [data-field="distance"]`)).text()).replace(/[^\d.]/g, ''));
  assert.ok(distance > 20, `a taxi drives more than 20 km a day: ${distance}`);
  const stops = await app.findAll(sel.stops);
  assert.ok(stops.length >= 1, 'stops are listed');
  assert.match(await stops[0].text(), /\d\d:\d\d – \d\d:\d\d · \d/, 'a stop has its times and duration');
  const drawMs = Number(await attr(sel.view, 'data-draw-ms'));
  console.log(`playback e2e: ${loadedCount} points, route drawn in ${drawMs.toFixed(0)} ms after the data arrived`);
  await shots.take(app, 'playback-route');
});

step('play advances the readout by elapsed time', async () => {
  await choose(sel.speed, '64');
  const readout = await app.find(sel.readout);
  const before = Number(await readout.attribute('data-t'));
  assert.match(await readout.text(), /km\/h · [NESW]{1,2} \(\d+°\) · \d+\.\d{5}, \d+\.\d{5}/);
  await (await app.find(sel.play)).click();
  await waitFor('the replay moving on', async () => Number(await readout.attribute('data-t')) - before >= 64, { timeoutMs: 10_000 });
  await shots.take(app, 'playback-replay');
  await (await app.find(sel.play)).click();
  const paused = Number(await readout.attribute('data-t'));
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(Number(await readout.attribute('data-t')), paused, 'pause stops the clock');
});

step('scrubbing moves the marker every frame (frame times printed)', async () => {
  const result = await app.executeAsync(
    `const done = arguments[arguments.length - 1];
     const slider = document.querySelector(arguments[0]);
     const readout = document.querySelector(arguments[1]);
     const max = Number(slider.max);
     const frames = [];
     let k = 0, last = performance.now(), work = [];
     function frame(now) {
       frames.push(now - last); last = now;
       const t0 = performance.now();
       slider.value = String(Math.round((k / 120) * max));
       slider.dispatchEvent(new Event('input', { bubbles: true }));
       work.push(performance.now() - t0);
       k++;
       if (k <= 120) requestAnimationFrame(frame); else done({ frames: frames.slice(2), work, t: readout.dataset.t });
     }
     requestAnimationFrame(frame);`,
    [sel.slider, sel.readout],
  );
  const sorted = (a) => [...a].sort((x, y) => x - y);
  const p = (a, q) => sorted(a)[Math.min(a.length - 1, Math.floor(q * a.length))];
  const mean = (a) => a.reduce((s, x) => s + x, 0) / a.length;
  console.log(
    `playback e2e scrub (${loadedCount} points, real app): frame interval mean ${mean(result.frames).toFixed(1)} ms, p95 ${p(result.frames, 0.95).toFixed(1)} ms; ` +
      `update work mean ${mean(result.work).toFixed(2)} ms, max ${Math.max(...result.work).toFixed(2)} ms`,
  );
  assert.ok(Number(result.t) > 0, 'the readout followed the slider');
});

step('export writes a GPX with exactly the fetched points', async () => {
  await choose(sel.exportFormat, 'gpx');
  await (await app.find(sel.export)).click();
  const file = await waitFor('the export written', async () => attr(sel.exportStatus, 'data-path'), { timeoutMs: 20_000 });
  assert.equal(path.dirname(file), EXPORTS, 'written to the export directory');
  assert.match(path.basename(file), /^Taxi-01-\d{4}-\d\d-\d\d\.gpx$/);
  assert.deepEqual(readdirSync(EXPORTS), [path.basename(file)]);
  const gpx = readFileSync(file, 'utf8');
  assert.match(gpx, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<gpx version="1.1"/);
  assert.equal(gpx.match(/<trkpt /g)?.length, loadedCount, 'one <trkpt> per fetched point');
  assert.equal(gpx.match(/<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/time><\/trkpt>/g)?.length, loadedCount, 'each with its time');
  assert.match(await (await app.find(sel.exportStatus)).text(), new RegExp(`Saved ${loadedCount.toLocaleString('en-US')} points to`));
});

step('closing playback returns to the fleet', async () => {
  await (await app.find(sel.close)).click();
  await waitFor('the playback view gone', async () => (await app.maybeFind(sel.view)) === null);
  await app.waitForVisible(sel.list);
});
