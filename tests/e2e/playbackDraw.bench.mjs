// Benchmark in the real app (not a test: it prints figures). Demo mode, Taxi 01 (10 s fixes) over
// the 12 days before today's midnight: about 103,680 points fetched from the in-process simulator,
// sent over IPC as binary columns, then drawn. Prints the backend's load time, the IPC time of the
// points, the time from the data in hand to the route drawn, and frame times while scrubbing.
// Run: bash scripts/e2e.sh tests/e2e/playbackDraw.bench.mjs   (after npm run build && cargo build)

import path from 'node:path';
import { after, before, test } from 'node:test';
import { config, launchApp, openVehicleNamed, signInToDemo } from './harness.mjs';
import { testid, waitFor, waitForDriver } from './webdriver.mjs';

const DAYS = 12;
let app = null;

before(async () => {
  await waitForDriver(config.driverUrl);
});

after(async () => {
  if (app) await app.delete().catch(() => undefined);
});

test(`playback of ${DAYS} days of 10 s fixes in the real app`, { timeout: 300_000 }, async () => {
  app = await launchApp(['--demo', `--export-dir=${path.join(config.outDir, 'bench')}`]);
  await app.setTimeouts({ implicit: 0, pageLoad: 30_000, script: 120_000 });
  await signInToDemo(app);
  await openVehicleNamed(app, 'Taxi 01');
  await (await app.waitForVisible(testid('playback-open'))).click();
  await app.waitForVisible(testid('playback-view'), 15_000);
  await waitFor('the first load done', async () => (await (await app.find(testid('playback-progress'))).attribute('data-state')) !== 'loading', { timeoutMs: 30_000 });
  // The 12 days before today's midnight, typed into the pickers as a user would set them.
  const [from, to] = await app.execute(
    'const v = document.querySelector(arguments[0]).value; const d = new Date(v.slice(0, 10) + "T00:00:00Z");' +
      'const end = d; const begin = new Date(end.getTime() - arguments[1] * 86400000);' +
      'const f = (x) => x.toISOString().slice(0, 10) + "T00:00"; return [f(begin), f(end)];',
    [testid('playback-from'), DAYS],
  );
  await app.execute(
    'for (const [sel, v] of [[arguments[0], arguments[2]], [arguments[1], arguments[3]]]) { const el = document.querySelector(sel); el.value = v; el.dispatchEvent(new Event("input", { bubbles: true })); }' +
      'document.querySelector(arguments[4]).click();',
    [testid('playback-from'), testid('playback-to'), from, to, testid('playback-load')],
  );
  const started = Date.now();
  const view = await app.find(testid('playback-view'));
  const progress = await app.find(testid('playback-progress'));
  await waitFor('the 12 days drawn', async () => Number(await view.attribute('data-points')) > 100_000, { timeoutMs: 240_000, intervalMs: 250 }).catch(async (e) => {
    const state = await app.execute('return [document.querySelector(arguments[0]).dataset, document.querySelector(arguments[1]).textContent, document.querySelector(arguments[2]).value, document.querySelector(arguments[3]).value];', [testid('playback-progress'), testid('playback-message'), testid('playback-from'), testid('playback-to')]);
    throw new Error(`${e.message}; state ${JSON.stringify(state)}`);
  });
  const wall = Date.now() - started;
  const points = Number(await view.attribute('data-points'));
  const loadMs = Number(await progress.attribute('data-load-ms'));
  const ipcMs = Number(await progress.attribute('data-points-ms'));
  const drawMs = Number(await view.attribute('data-draw-ms'));
  const phases = await view.attribute('data-draw-phases');
  // Again, from the session cache and at the same zoom: what drawing costs when the basemap does
  // not have to be projected and painted again for a new zoom level.
  await app.execute('document.querySelector(arguments[0]).dataset.points = "0"; document.querySelector(arguments[1]).click();', [testid('playback-view'), testid('playback-load')]);
  await waitFor('the cached reload drawn', async () => Number(await view.attribute('data-points')) > 100_000, { timeoutMs: 120_000, intervalMs: 100 });
  const redrawMs = Number(await view.attribute('data-draw-ms'));
  const redrawPhases = await view.attribute('data-draw-phases');
  const scrub = await app.executeAsync(
    `const done = arguments[arguments.length - 1];
     const slider = document.querySelector(arguments[0]);
     const max = Number(slider.max); const intervals = [], work = []; let k = 0, last = performance.now();
     function frame(now) {
       intervals.push(now - last); last = now;
       const t0 = performance.now();
       slider.value = String(Math.round((k / 240) * max)); slider.dispatchEvent(new Event('input', { bubbles: true }));
       work.push(performance.now() - t0);
       if (++k <= 240) requestAnimationFrame(frame); else done({ intervals: intervals.slice(2), work });
     }
     requestAnimationFrame(frame);`,
    [testid('playback-slider')],
  );
  const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
  const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
  console.log(`real app (WebKitGTK under Xvfb, software rendering): ${points} points, ${from} to ${to}`);
  console.log(`  backend load (fetch from the in-process simulator, ${DAYS} days): ${loadMs} ms`);
  console.log(`  points over IPC (binary columns, ${((points * 40) / 1e6).toFixed(1)} MB): ${ipcMs} ms`);
  console.log(`  data in hand -> route drawn: ${drawMs} ms   by phase: ${phases}`);
  console.log(`  click Load -> route drawn (as polled over WebDriver): ${wall} ms`);
  console.log(`  reopened from the session cache, same zoom: data in hand -> route drawn ${redrawMs} ms   by phase: ${redrawPhases}`);
  console.log(`  scrubbing, 240 frames: frame interval mean ${mean(scrub.intervals).toFixed(1)} ms, median ${q(scrub.intervals, 0.5).toFixed(1)} ms, p95 ${q(scrub.intervals, 0.95).toFixed(1)} ms; update work mean ${mean(scrub.work).toFixed(2)} ms, p95 ${q(scrub.work, 0.95).toFixed(2)} ms`);
});
