// End-to-end: the Reports view in the real app, in demo mode.
//
// demo fleet -> Reports (top bar) -> three vehicles, yesterday on the demo's clock -> every kind
// runs to 100 % (progress over vehicles, requests counted) -> the trips' distance per vehicle is
// the distance of that vehicle's playback points over the same period (less only the wander at
// stops), the summary's distance is the sum of its trips -> sorting by a header -> a trip's row
// drawn on the view's map -> Excel export read back from the .xlsx -> with the provider made
// unreachable, the same report again, from the stored history, with no error.
//
// The app is started with --export-dir, so exports skip the native save dialog (WebDriver cannot
// drive a GTK dialog). Output: test-output/e2e/reports/ (screenshots, exports).
// Run: bash scripts/e2e.sh tests/e2e/reports.e2e.mjs   (after npm run build && cargo build --features e2e)

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { attr, choose, e2eFile, inLang, launchApp, signInToDemo } from './harness.mjs';
import { demoLogMark, demoRequests, invokeInApp } from './demoLog.mjs';
import { testid, waitFor } from './webdriver.mjs';
import { workbookXml } from './workbook.mjs';

const sel = {
  open: testid('reports-open'),
  view: testid('reports-view'),
  kind: testid('report-kind'),
  vehicles: testid('report-vehicles'),
  vehiclesToggle: testid('report-vehicles-toggle'),
  none: testid('report-vehicles-none'),
  preset: testid('report-preset'),
  from: testid('report-from'),
  to: testid('report-to'),
  run: testid('report-run'),
  progress: testid('report-progress'),
  table: testid('report-table'),
  row: `${testid('report-table')} ${testid('report-row')}`,
  total: testid('report-total'),
  message: testid('report-message'),
  xlsx: testid('report-export-xlsx'),
  csv: testid('report-export-csv'),
  close: testid('reports-close'),
};

const KINDS = ['trips', 'stops', 'idling', 'summary', 'speeding', 'geofences', 'mileage'];

let app = null;
const { exports: EXPORTS, shots, step } = e2eFile('reports', { currentApp: () => app, exports: true, stepTimeoutMs: 180_000 });
let picked = []; // the IMEIs the reports are run for
let period = null; // { begin, end } unix seconds, as the view read its pickers
const results = new Map(); // kind -> [{ imei, values: { column: number } }]

/** The rows shown: each with its IMEI and the numbers of its cells (data-value) by column. */
function tableRows() {
  return app.execute(
    'return Array.from(document.querySelectorAll(arguments[0])).map((tr) => ({ imei: tr.dataset.imei,' +
      ' values: Object.fromEntries(Array.from(tr.querySelectorAll("td[data-column]")).filter((td) => td.dataset.value !== undefined).map((td) => [td.dataset.column, Number(td.dataset.value)])) }));',
    [sel.row],
  );
}

/**
 * Runs the report on screen and waits until it is done; returns its rows. `refusal`: a message
 * the backend may answer with instead (the geofence report of an account with no geofences).
 */
async function runReport(kind, refusal = null) {
  await choose(app, sel.kind, kind);
  await (await app.find(sel.run)).click();
  await waitFor(`the ${kind} report done`, async () => ['done', 'partial', 'failed'].includes(await attr(app, sel.view, 'data-state')) && (await attr(app, sel.view, 'data-kind')) === kind, {
    timeoutMs: 150_000,
    intervalMs: 250,
  });
  const state = await attr(app, sel.view, 'data-state');
  if (refusal && state === 'failed' && refusal.test(await textOfMessage())) return null;
  assert.equal(state, 'done', `the ${kind} report completes: ${await textOfMessage()}`);
  return tableRows();
}

function textOfMessage() {
  return app.execute('const el = document.querySelector(arguments[0]); return el && !el.hidden ? el.innerText : "";', [sel.message]);
}

/**
 * A vehicle's playback points over the period (the playback commands, as the playback view loads
 * them) and their distance: the sum of the steps between consecutive fixes (the flat-earth step
 * the reports use, metres).
 */
async function playbackDistance(imei) {
  const reply = await app.executeAsync(
    `const [imei, begin, end, done] = arguments;
     const inv = window.__TAURI_INTERNALS__.invoke;
     inv('playback_load', { requestId: 900000 + Math.floor(Math.random() * 1000), imei, begin, end })
       .then(() => inv('playback_points', { imei, begin, end }))
       .then((buf) => {
         const all = new Float64Array(buf instanceof ArrayBuffer ? buf : new Uint8Array(buf).buffer);
         const n = all.length / 5, R = 6371008.8, rad = Math.PI / 180;
         let m = 0;
         for (let i = 1; i < n; i++) {
           const lon1 = all[n + i - 1], lon2 = all[n + i], lat1 = all[2 * n + i - 1], lat2 = all[2 * n + i];
           const x = (lon2 - lon1) * rad * Math.cos((lat1 + lat2) * 0.5 * rad), y = (lat2 - lat1) * rad;
           m += R * Math.sqrt(x * x + y * y);
         }
         done({ ok: true, n, m });
       }, (error) => done({ ok: false, error }));`,
    [imei, period.begin, period.end],
  );
  if (!reply?.ok) throw new Error(`playback of ${imei}: ${JSON.stringify(reply?.error)}`);
  return reply;
}

const sumBy = (rows, column) => {
  const out = new Map();
  for (const r of rows) out.set(r.imei, (out.get(r.imei) ?? 0) + (r.values[column] ?? 0));
  return out;
};

step('the app starts in demo mode and opens Reports from the top bar', async () => {
  app = await launchApp(['--demo', `--export-dir=${EXPORTS}`]);
  await signInToDemo(app);
  await (await app.waitForVisible(sel.open)).click();
  await app.waitForVisible(sel.view, 15_000);
  await app.waitForVisible(sel.kind);
  const kinds = await app.execute('return Array.from(document.querySelector(arguments[0]).options).map((o) => o.value);', [sel.kind]);
  assert.deepEqual(kinds, KINDS);
});

step('three vehicles, yesterday on the demo clock', async () => {
  // The stored history always fetches the last 3 hours before now again (devices upload late):
  // yesterday must have ended longer ago than that for the offline re-run to need no request.
  const clock = await invokeInApp(app, 'demo_clock_advance', { secs: 0 });
  const now = new Date(Date.now() + clock.offsetSecs * 1000);
  const sinceMidnight = now.getHours() * 3600 + now.getMinutes() * 60 + now.getSeconds();
  if (sinceMidnight < 4 * 3600) await invokeInApp(app, 'demo_clock_advance', { secs: 4 * 3600 - sinceMidnight });
  await (await app.find(sel.vehiclesToggle)).click();
  await (await app.waitForVisible(sel.none)).click();
  picked = await app.execute(
    'const boxes = Array.from(document.querySelectorAll(arguments[0] + " input[type=checkbox][data-imei]")).slice(0, 3);' +
      'for (const b of boxes) b.click(); return boxes.map((b) => b.dataset.imei);',
    [sel.vehicles],
  );
  assert.equal(picked.length, 3);
  await (await app.find(sel.vehiclesToggle)).click();
  await choose(app, sel.preset, 'yesterday');
  const from = await (await app.find(sel.from)).property('value');
  const to = await (await app.find(sel.to)).property('value');
  assert.match(from, /T00:00$/);
  assert.match(to, /T00:00$/);
});

step('every kind runs to 100 % over the vehicles, with the requests counted', async () => {
  for (const kind of KINDS) {
    // The demo account has no geofence drawn in this app: the backend says so (geofences.e2e.mjs draws one).
    const rows = await runReport(kind, kind === 'geofences' ? /no geofence/i : null);
    if (rows === null) {
      console.log(`reports e2e: ${kind}: refused: ${await textOfMessage()}`);
      continue;
    }
    results.set(kind, rows);
    assert.equal(await attr(app, sel.progress, 'aria-valuenow'), '100', `${kind}: the progress bar full`);
    assert.equal(await attr(app, sel.progress, 'data-total'), String(picked.length));
    const requests = Number(await attr(app, sel.progress, 'data-requests'));
    console.log(`reports e2e: ${kind}: ${rows.length} rows, ${requests} requests`);
    for (const r of rows) assert.ok(picked.includes(r.imei), `${kind}: a row of a chosen vehicle`);
    if (rows.length > 0) {
      const total = await app.execute('const el = document.querySelector(arguments[0]); return el ? el.innerText : null;', [sel.total]);
      assert.match(total, inLang({ en: /Total · \d+ rows?/, 'zh-CN': /合计 · \d+ 行/ }), `${kind}: the totals row`);
    } else {
      assert.ok(await app.maybeFind(testid('report-empty')), `${kind}: the empty state`);
    }
    if (kind === 'trips' || kind === 'summary') await shots.take(app, `report-${kind}`);
  }
  assert.ok(results.get('trips').length >= picked.length, 'the demo fleet drives: trips for the vehicles');
  // One summary row per vehicle for the day (the period is half-open: a fix at its end instant is the next day's).
  for (const imei of picked) assert.equal(results.get('summary').filter((r) => r.imei === imei).length, 1, `one summary row for ${imei}`);
  assert.equal(results.get('mileage').length, picked.length, 'one mileage row per vehicle');
});

step("the trips' distance is the playback distance; the summary's is the sum of the trips", async () => {
  await choose(app, sel.kind, 'trips');
  // The period the view sent: its pickers, read in the zone of the settings.
  const settings = await invokeInApp(app, 'settings_get');
  const zone = settings.timeZone === 'local' ? Intl.DateTimeFormat().resolvedOptions().timeZone : settings.timeZone;
  const from = await (await app.find(sel.from)).property('value');
  const to = await (await app.find(sel.to)).property('value');
  period = { begin: wallToUnix(from, zone), end: wallToUnix(to, zone) };
  const trips = sumBy(results.get('trips'), 'distance');
  const summary = sumBy(results.get('summary'), 'distance');
  for (const imei of picked) {
    const { n, m } = await playbackDistance(imei);
    const tripM = trips.get(imei) ?? 0;
    console.log(`reports e2e: ${imei}: ${n} fixes, playback ${(m / 1000).toFixed(3)} km, trips ${(tripM / 1000).toFixed(3)} km, summary ${((summary.get(imei) ?? 0) / 1000).toFixed(3)} km`);
    // Trips leave out only the wander at stops and sub-50 m shuffles.
    assert.ok(tripM <= m + 1, `${imei}: trips ${tripM} m within the playback's ${m} m`);
    assert.ok(tripM >= m * 0.97 - 100, `${imei}: trips ${tripM} m cover the playback's ${m} m`);
    assert.ok(Math.abs((summary.get(imei) ?? 0) - tripM) < 1, `${imei}: summary = sum of trips`);
  }
});

step('geofence visits: a circle where a vehicle began the day shows it leaving when it first drove off', async () => {
  const driven = sumBy(results.get('trips'), 'distance');
  const imei = picked.find((i) => (driven.get(i) ?? 0) > 1000);
  assert.ok(imei, 'a chosen vehicle drove that day');
  // Its fixes (the playback commands): where the day began, and the first fix faster than 10 km/h.
  const fixes = await app.executeAsync(
    `const [imei, begin, end, done] = arguments;
     const inv = window.__TAURI_INTERNALS__.invoke;
     inv('playback_points', { imei, begin, end }).then((buf) => {
       const all = new Float64Array(buf instanceof ArrayBuffer ? buf : new Uint8Array(buf).buffer);
       const n = all.length / 5;
       let moving = -1;
       for (let i = 0; i < n; i++) if (all[3 * n + i] > 10) { moving = i; break; }
       done({ n, t0: all[0], lon0: all[n], lat0: all[2 * n], tMoving: moving < 0 ? null : all[moving] });
     }, (error) => done({ error }));`,
    [imei, period.begin, period.end],
  );
  assert.ok(!fixes.error && fixes.n > 0 && fixes.tMoving !== null, `its fixes: ${JSON.stringify(fixes)}`);
  const created = await invokeInApp(app, 'geofence_create', {
    draft: { name: 'E2E start of day', alarm: 'both', latitude: fixes.lat0, longitude: fixes.lon0, radiusM: 150, imeis: [imei], watch: false, extends: null },
  });
  assert.ok(created, 'the geofence saved');
  const rows = await runReport('geofences');
  const visits = rows.filter((r) => r.imei === imei).sort((a, b) => a.values.enter - b.values.enter);
  assert.ok(visits.length >= 1, `a visit of ${imei}: ${JSON.stringify(rows)}`);
  const first = visits[0];
  // Inside from the first fix of the period; out within a couple of minutes of driving off.
  assert.ok(Math.abs(first.values.enter - fixes.t0) <= 1, `entered at the period's first fix (${first.values.enter} vs ${fixes.t0})`);
  assert.ok(first.values.exit >= fixes.tMoving - 60 && first.values.exit <= fixes.tMoving + 180, `left when it drove off (${first.values.exit} vs ${fixes.tMoving})`);
  await shots.take(app, 'report-geofences');
});

step('a header sorts the table; a trip row is drawn on the map', async () => {
  await runReport('trips');
  const header = `${sel.table} th[data-column="distance"]`;
  await scrolledClick(`${header} button`);
  assert.equal(await attr(app, header, 'aria-sort'), 'descending');
  const values = (await tableRows()).map((r) => r.values.distance);
  assert.deepEqual(values, [...values].sort((a, b) => b - a), 'longest trip first');
  await scrolledClick(`${sel.row} td[data-column="distance"]`);
  await waitFor('the trip on the map', async () => ['route', 'ends'].includes(await attr(app, sel.view, 'data-map')), { timeoutMs: 60_000 });
  assert.equal(await attr(app, sel.view, 'data-map'), 'route', 'the route from the playback history');
  await shots.take(app, 'report-trip-on-map');
});

step('Excel export: the .xlsx holds the translated headers and every row', async () => {
  const rows = await tableRows();
  await (await app.find(sel.xlsx)).click();
  const file = await waitFor('the export written', async () => attr(app, sel.message, 'data-path'), { timeoutMs: 30_000 });
  assert.equal(path.dirname(file), EXPORTS);
  assert.ok(existsSync(file), file);
  const { sheet, strings } = workbookXml(file);
  const rowCount = (sheet.match(/<row[\s>]/g) ?? []).length;
  assert.ok(rowCount >= rows.length + 1, `a header row and ${rows.length} rows: ${rowCount}`);
  for (const h of inLang({ en: ['Vehicle', 'Start', 'End', 'Duration', 'Distance'], 'zh-CN': ['车辆', '开始', '结束', '时长', '距离'] })) {
    assert.ok((sheet + strings).includes(h), `header ${h}`);
  }
});

step('with the provider unreachable, the report comes from the stored history with no error', async () => {
  await invokeInApp(app, 'demo_provider_reachable', { reachable: false });
  try {
    const mark = await demoLogMark(app);
    const before = results.get('trips');
    const rows = await runReport('trips');
    assert.equal(await textOfMessage(), '', 'no error shown');
    assert.equal(rows.length, before.length, 'the same trips');
    const a = sumBy(before, 'distance');
    const b = sumBy(rows, 'distance');
    for (const imei of picked) assert.ok(Math.abs((a.get(imei) ?? 0) - (b.get(imei) ?? 0)) < 1, `${imei}: the same distance`);
    const sent = await demoRequests(app, { path: '/api/playback', since: mark });
    assert.equal(sent.length, 0, 'no playback request: the period is served from the stored history');
    await shots.take(app, 'report-offline');
  } finally {
    await invokeInApp(app, 'demo_provider_reachable', { reachable: true }).catch(() => undefined);
  }
});

step('closing the reports returns to the fleet', async () => {
  await (await app.find(sel.close)).click();
  await waitFor('the reports view gone', async () => (await app.maybeFind(sel.view)) === null);
  await app.waitForVisible(testid('device-list'));
});

/** Scrolls an element into view (a wide table scrolls sideways) and clicks it as a user does. */
async function scrolledClick(css) {
  await app.execute('document.querySelector(arguments[0]).scrollIntoView({ block: "center", inline: "center" });', [css]);
  await (await app.find(css)).click();
}

/** "2024-05-03T00:00" on the wall clock of `zone` as unix seconds. */
function wallToUnix(value, zone) {
  const [d, hm] = value.split('T');
  const [y, mo, da] = d.split('-').map(Number);
  const [h, mi] = hm.split(':').map(Number);
  const guess = Date.UTC(y, mo - 1, da, h, mi) / 1000;
  const offset = (secs) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
        .formatToParts(new Date(secs * 1000))
        .filter((p) => p.type !== 'literal')
        .map((p) => [p.type, Number(p.value)]),
    );
    return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second) / 1000 - secs;
  };
  return guess - offset(guess - offset(guess));
}
