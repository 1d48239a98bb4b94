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
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { attr, choose, e2eFile, inLang, launchApp, openVehicleNamed, signInToDemo } from './harness.mjs';
import { testid, waitFor } from './webdriver.mjs';

const sel = {
  list: testid('device-list'),
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

// What the app says, in the language of the run (ui/src/i18n/locales/en.ts, zh-CN.ts).
const words = {
  heading: inLang({ en: /Playback · Taxi 01/, 'zh-CN': /轨迹回放 · Taxi 01/ }),
  distanceKm: inLang({ en: /distance[\s\S]*km/i, 'zh-CN': /里程[\s\S]*公里/ }),
  // "42 km/h · NE (45°) · 22.54321, 114.05432": speed, compass point and degrees, coordinates.
  readout: inLang({
    en: /km\/h · [NESW]{1,2} \(\d+°\) · \d+\.\d{5}, \d+\.\d{5}/,
    'zh-CN': /公里\/时 · [北东南西]{1,2} \(\d+°\) · \d+\.\d{5}, \d+\.\d{5}/,
  }),
  // Numbers are grouped alike in both: 8,640.
  savedPoints: (n) => inLang({ en: `Saved ${n.toLocaleString('en-US')} points to `, 'zh-CN': `已将 ${n.toLocaleString('en-US')} 个点保存到 ` }),
};

let app = null;
let loadedCount = 0;
const { exports: EXPORTS, shots, step } = e2eFile('playback', { currentApp: () => app, exports: true });

step('the app starts in demo mode with its fleet', async () => {
  app = await launchApp(['--demo', `--export-dir=${EXPORTS}`]);
  await signInToDemo(app);
});

step('Taxi 01 opens in playback from its details', async () => {
  await openVehicleNamed(app, 'Taxi 01');
  await app.waitForVisible(sel.details);
  await (await app.waitForVisible(sel.open)).click();
  await app.waitForVisible(sel.view, 15_000);
  assert.match(await (await app.find(sel.view)).text(), words.heading);
});

step('yesterday loads: the progress bar completes, stats and stops appear', async () => {
  await choose(app, sel.preset, 'yesterday');
  const from = await (await app.find(sel.from)).property('value');
  const to = await (await app.find(sel.to)).property('value');
  assert.match(from, /T00:00$/, 'yesterday starts at midnight');
  assert.match(to, /T00:00$/, 'and ends at the next midnight');
  await waitFor(
    'the progress bar at 100 %',
    async () => (await attr(app, sel.progress, 'data-state')) === 'done' && (await attr(app, sel.progress, 'aria-valuenow')) === '100',
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  loadedCount = Number(await attr(app, sel.progress, 'data-count'));
  // A taxi reporting every 10 s: about 8640 fixes in a day.
  assert.ok(loadedCount > 8000 && loadedCount <= 8640, `a day of 10 s fixes: ${loadedCount}`);
  await waitFor('the route drawn', async () => (await attr(app, sel.view, 'data-points')) === String(loadedCount), { timeoutMs: 20_000 });
  const stats = await app.find(sel.stats);
  const points = await (await app.find(`${sel.stats} [data-field="points"]`)).text();
  assert.equal(points.replace(/,/g, ''), String(loadedCount), 'the stats count every fix');
  assert.match(await stats.text(), words.distanceKm, 'a distance in km');
  const distance = Number((await (await app.find(`${sel.stats} [data-field="distance"]`)).text()).replace(/[^\d.]/g, ''));
  assert.ok(distance > 20, `a taxi drives more than 20 km a day: ${distance}`);
  const stops = await app.findAll(sel.stops);
  assert.ok(stops.length >= 1, 'stops are listed');
  assert.match(await stops[0].text(), /\d\d:\d\d – \d\d:\d\d · \d/, 'a stop has its times and duration');
  const drawMs = Number(await attr(app, sel.view, 'data-draw-ms'));
  console.log(`playback e2e: ${loadedCount} points, route drawn in ${drawMs.toFixed(0)} ms after the data arrived`);
  await shots.take(app, 'playback-route');
});

step('play advances the readout by elapsed time', async () => {
  await choose(app, sel.speed, '64');
  const readout = await app.find(sel.readout);
  const before = Number(await readout.attribute('data-t'));
  assert.match(await readout.text(), words.readout);
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
  await choose(app, sel.exportFormat, 'gpx');
  await (await app.find(sel.export)).click();
  const file = await waitFor('the export written', async () => attr(app, sel.exportStatus, 'data-path'), { timeoutMs: 20_000 });
  assert.equal(path.dirname(file), EXPORTS, 'written to the export directory');
  assert.match(path.basename(file), /^Taxi-01-\d{4}-\d\d-\d\d\.gpx$/);
  assert.deepEqual(readdirSync(EXPORTS), [path.basename(file)]);
  const gpx = readFileSync(file, 'utf8');
  assert.match(gpx, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<gpx version="1.1"/);
  assert.equal(gpx.match(/<trkpt /g)?.length, loadedCount, 'one <trkpt> per fetched point');
  assert.equal(gpx.match(/<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/time><\/trkpt>/g)?.length, loadedCount, 'each with its time');
  assert.ok((await (await app.find(sel.exportStatus)).text()).includes(words.savedPoints(loadedCount)), 'the status counts the points saved');
});

step('closing playback returns to the fleet', async () => {
  await (await app.find(sel.close)).click();
  await waitFor('the playback view gone', async () => (await app.maybeFind(sel.view)) === null);
  await app.waitForVisible(sel.list);
});
