// End-to-end: geofences drawn on the map and the alarms they raise, in the real app, demo mode.
//
// demo (its clock moved on to Shenzhen's morning if needed) -> a moving vehicle ->
// New geofence: press on the vehicle, drag out (real W3C pointer actions; too far is held at
// 5000 m with a hint), let go, type an exact radius -> name, vehicle, save: per-vehicle result ->
// the circle on the map, the record on disk, the geofence in etrack-sim's state -> the demo clock
// moves on -> the watcher's in/out alarm arrives as a card and a badge, recorded as a desktop
// notification raised -> the alarms view lists it (filter, click to fly, CSV export) -> a restart
// with the demo run 30x fast still shows the geofence.
//
// Run: bash scripts/e2e.sh tests/e2e/geofences.e2e.mjs   (after npm run build && cargo build)

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { attr, choose, e2eFile, inLang, launchApp, signInToDemo, textOf, typeInto } from './harness.mjs';
import { invokeInApp } from './demoLog.mjs';
import { sleep, testid, waitFor } from './webdriver.mjs';

const TIME_SCALE = 30;
const GEOFENCE_NAME = 'E2E depot';
// Wide enough that the vehicle, which drives on while the geofence is drawn, is still inside when
// it is saved (so leaving it raises an alarm).
const TYPED_RADIUS = 1500;
const GEOFENCE_TYPES = ['5', '6'];

// What the app says, in the language of the run (ui/src/i18n/locales/en.ts, zh-CN.ts).
const M = inLang({ en: 'm', 'zh-CN': '米' }); // metres after a number
const words = {
  atMost: inLang({ en: /at most 5000 m/i, 'zh-CN': /最多 5000 米/ }),
  atLeast: inLang({ en: /at least 100 m/i, 'zh-CN': /至少 100 米/ }),
  savedOne: inLang({ en: /Saved for the vehicle/, 'zh-CN': /已为该车辆保存/ }),
  elsewhere: inLang({ en: /only geofences made in this app are shown/i, 'zh-CN': /只显示在本应用中创建的围栏/ }),
  both: inLang({ en: 'Entering or leaving', 'zh-CN': '进入或离开' }),
  entered: inLang({ en: /Entered geofence/, 'zh-CN': /进入围栏/ }),
  left: inLang({ en: /Left geofence/, 'zh-CN': /离开围栏/ }),
  geofenceNamed: (name) => inLang({ en: `Geofence “${name}”`, 'zh-CN': `围栏“${name}”` }),
  desktopRaised: inLang({ en: /desktop notification raised/, 'zh-CN': /已发送桌面通知/ }),
  watchingOne: inLang({ en: /Watching 1 vehicle\b/, 'zh-CN': /正在监控 1 辆车/ }),
  // formatDateTime: 2026-12-07 14:22:05 in English, 2026/12/07 14:22:05 in Chinese.
  dateTime: inLang({ en: /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/, 'zh-CN': /\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d/ }),
  savedAlarms: inLang({ en: /Saved \d+ alarms? to /, 'zh-CN': /已将 \d+ 条报警保存到 / }),
  // The alarm CSV's header follows the language; the speed's unit is named in it.
  csvHeader: inLang({
    en: 'Time,Vehicle,IMEI,Alarm,Alarm type,Speed (km/h),Latitude,Longitude,Geofence,Received (provider time)',
    'zh-CN': '时间,车辆,IMEI,报警,报警类型编号,速度（公里/时）,纬度,经度,围栏,接收时间（平台时间）',
  }),
};

const sel = {
  list: testid('device-list'),
  item: `${testid('device-list')} ${testid('device-item')}`,
  refresh: testid('refresh-now'),
  map: testid('map'),
  newGeofence: testid('geofence-new'),
  layer: testid('geofence-layer'),
  panel: testid('geofence-panel'),
  step: testid('geofence-step'),
  name: testid('geofence-name'),
  radius: testid('geofence-radius'),
  radiusHint: testid('geofence-radius-hint'),
  radiusLabel: testid('geofence-radius-label'),
  alarm: testid('geofence-alarm'),
  devices: testid('geofence-devices'),
  save: testid('geofence-save'),
  result: testid('geofence-result'),
  circle: `${testid('map')} ${testid('geofence-circle')}`,
  listOpen: testid('geofence-list-open'),
  elsewhere: testid('geofence-elsewhere-note'),
  toast: testid('alarm-toast'),
  badge: testid('alarms-badge'),
  alarmsOpen: testid('alarms-open'),
  alarmsView: testid('alarms-view'),
  table: testid('alarms-table'),
  row: `${testid('alarms-table')} ${testid('alarm-row')}`,
  filter: testid('alarms-filter'),
  filterType: testid('alarms-filter-type'),
  exportCsv: testid('alarms-export'),
  message: testid('alarms-message'),
  watchOpen: testid('alarms-watch-open'),
  watch: testid('alarms-watch'),
  notice: testid('alarm-notice'),
  close: testid('alarms-close'),
};

let app = null;
const { exports: EXPORTS, shots, step } = e2eFile('geofences', { currentApp: () => app, exports: true, stepTimeoutMs: 150_000 });
let vehicle = null; // { imei, name, lat, lng } of the moving vehicle the geofence is drawn on
let saved = null; // what the form said was saved: { radius, lat, lng }
let alarm = null; // the geofence alarm that reached the user: { id, type }

/** The demo clock: how far it runs ahead of this computer's, seconds. */
async function demoClock(advance = 0) {
  return invokeInApp(app, 'demo_clock_advance', { secs: advance });
}

/** The hour of the day in Shenzhen (UTC+8) on the demo's clock. */
async function shenzhenHour() {
  const { offsetSecs } = await demoClock();
  const simNow = Date.now() / 1000 + offsetSecs;
  return (((simNow + 8 * 3600) % 86_400) + 86_400) % 86_400 / 3600;
}

/** A viewport point of an element's centre. */
async function centreOf(css) {
  return app.execute(
    'const r = document.querySelector(arguments[0]).getBoundingClientRect();' +
      'return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2) };',
    [css],
  );
}

const mouse = (actions) => [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions }];

async function launch(extraArgs = []) {
  app = await launchApp(['--demo', `--export-dir=${EXPORTS}`, ...extraArgs]);
  await signInToDemo(app);
}

step('the demo starts', async () => {
  await launch();
  const clock = await demoClock();
  assert.deepEqual(clock, { offsetSecs: 0, timeScale: 1 }, 'real time unless asked otherwise');
});

step("the demo's vehicles are on the road (Shenzhen morning on its clock)", async () => {
  const hour = await shenzhenHour();
  if (hour < 9.5 || hour >= 12.5) {
    // Vehicles park at night: move the demo on to the next 10:00 in Shenzhen.
    const secs = Math.round((((10 - hour) % 24) + 24) % 24 * 3600);
    await demoClock(secs);
  }
  await liveCaughtUp();
  await (await app.find(testid('status-filter-moving'))).click();
  const picked = await waitFor(
    'a moving vehicle in the list',
    () =>
      app.execute(
        'const items = Array.from(document.querySelectorAll(arguments[0])).filter((e) => e.getClientRects().length > 0);' +
          // Taxis drive all day; any moving vehicle will do otherwise.
          'const el = items.find((e) => /^Taxi/.test(e.textContent.trim())) ?? items[0];' +
          'return el ? { imei: el.dataset.imei, name: el.textContent.trim().split("\\n")[0] } : null;',
        [sel.item],
      ),
    { timeoutMs: 40_000, intervalMs: 500 },
  );
  await (await app.find(`${sel.item}[data-imei="${picked.imei}"]`)).click();
  await (await app.find(testid('status-filter-all'))).click();
  // Selecting it centres the map on it, close enough to draw a neighbourhood-sized circle.
  const marker = `${sel.map} .vehicle-marker[data-imei="${picked.imei}"]`;
  await waitFor('its marker on the map', async () => (await app.maybeFind(marker)) !== null, { timeoutMs: 15_000 });
  await sleep(500);
  vehicle = { ...picked, marker };
  await shots.take(app, 'moving-vehicle-selected');
});

/** Zooms the fleet map with its +/- buttons until it is at `level`. */
async function zoomTo(level) {
  for (let i = 0; i < 12; i++) {
    const z = Number(await attr(app, sel.map, 'data-zoom'));
    if (z === level) return;
    await (await app.find(`${sel.map} .leaflet-control-zoom-${z < level ? 'in' : 'out'}`)).click();
    await waitFor('the zoom to change', async () => Number(await attr(app, sel.map, 'data-zoom')) !== z);
  }
  throw new Error(`the map did not reach zoom ${level}`);
}

step('pressing on the vehicle and dragging out draws the circle, its radius shown live', async () => {
  // Close enough that no vehicle is in a cluster: the marker is where the vehicle is.
  await zoomTo(15);
  await (await app.find(sel.newGeofence)).click();
  await app.waitForVisible(sel.panel);
  assert.equal(await attr(app, sel.step, 'data-phase'), 'centre');
  // The latest position, so the circle is drawn where the vehicle is now.
  await freshPositions();
  await waitFor('the vehicle marker', async () => (await app.maybeFind(vehicle.marker)) !== null);
  const c = await centreOf(vehicle.marker);
  await app.performActions(
    mouse([
      { type: 'pointerMove', origin: 'viewport', x: c.x, y: c.y, duration: 0 },
      { type: 'pointerDown', button: 0 },
      { type: 'pointerMove', origin: 'viewport', x: c.x + 40, y: c.y + 20, duration: 150 },
    ]),
  );
  // Still pressed: the circle follows the pointer.
  assert.equal(await attr(app, sel.step, 'data-phase'), 'sizing');
  const midway = Number(await attr(app, sel.radiusLabel, 'data-radius'));
  await app.performActions(
    mouse([
      { type: 'pointerMove', origin: 'viewport', x: c.x + 130, y: c.y + 60, duration: 200 },
      { type: 'pointerUp', button: 0 },
    ]),
  );
  await app.releaseActions();
  await waitFor('the circle placed', async () => (await attr(app, sel.step, 'data-phase')) === 'editing');
  const dragged = Number(await attr(app, sel.radiusLabel, 'data-radius'));
  assert.ok(dragged > midway && dragged >= 100 && dragged < 5000, `the radius grew with the drag: ${midway} m, then ${dragged} m`);
  assert.equal(Number(await (await app.find(sel.radius)).property('value')), dragged, 'the form shows the drawn radius');
  assert.match(await (await app.find(sel.radiusLabel)).text(), new RegExp(`^${dragged} ${M}$`), 'the radius in metres on the map');
  assert.ok((await app.maybeFind(`${sel.map} ${testid('geofence-draft')}`)) !== null, 'the circle is drawn');
  const lat = Number(await (await app.find(testid('geofence-lat'))).property('value'));
  const lng = Number(await (await app.find(testid('geofence-lng'))).property('value'));
  assert.ok(Math.abs(lat - 22.6) < 1 && Math.abs(lng - 114) < 1, `a centre in Shenzhen: ${lat}, ${lng}`);
  vehicle = { ...vehicle, lat, lng };
  await shots.take(app, 'geofence-drawn');
});

step('dragging the edge is held at 5000 m and at 100 m, with a hint at each limit', async () => {
  // Far enough out that 5 km fits on the screen.
  await zoomTo(12);
  const handle = testid('geofence-handle-edge');
  await waitFor('the edge handle', async () => (await app.maybeFind(handle)) !== null);
  const e = await centreOf(handle);
  await app.performActions(
    mouse([
      { type: 'pointerMove', origin: 'viewport', x: e.x, y: e.y, duration: 0 },
      { type: 'pointerDown', button: 0 },
      { type: 'pointerMove', origin: 'viewport', x: e.x + 30, y: e.y + 30, duration: 100 },
      { type: 'pointerMove', origin: 'viewport', x: e.x + 200, y: e.y + 200, duration: 200 },
    ]),
  );
  await waitFor('the radius held at 5000 m', async () => (await attr(app, sel.radiusLabel, 'data-radius')) === '5000');
  const hint = await app.find(sel.radiusHint);
  assert.ok(await hint.displayed(), 'a hint at the limit');
  assert.match(await hint.text(), words.atMost);
  assert.match(await (await app.find(sel.radiusLabel)).text(), new RegExp(`5\\s?000 ${M}`));
  await shots.take(app, 'radius-held-at-5000');
  // Back onto the centre: held at the smallest radius.
  const c = await centreOf(testid('geofence-handle-centre'));
  await app.performActions(mouse([{ type: 'pointerMove', origin: 'viewport', x: c.x + 1, y: c.y, duration: 200 }]));
  await waitFor('the radius held at 100 m', async () => (await attr(app, sel.radiusLabel, 'data-radius')) === '100');
  assert.match(await (await app.find(sel.radiusHint)).text(), words.atLeast);
  await app.performActions(mouse([{ type: 'pointerUp', button: 0 }]));
  await app.releaseActions();
  assert.equal(await (await app.find(sel.radius)).property('value'), '100');
  await zoomTo(15);
});

step('an exact radius can be typed, and a typed one out of range is held with a hint', async () => {
  await typeInto(app, sel.radius, '20000', { enter: true });
  await waitFor('20 km held at 5000 m', async () => (await attr(app, sel.radiusLabel, 'data-radius')) === '5000');
  assert.match(await (await app.find(sel.radiusHint)).text(), words.atMost);
  await typeInto(app, sel.radius, String(TYPED_RADIUS), { enter: true });
  await waitFor(`the circle at ${TYPED_RADIUS} m`, async () => (await attr(app, sel.radiusLabel, 'data-radius')) === String(TYPED_RADIUS));
  assert.ok(!(await (await app.find(sel.radiusHint)).displayed()), 'no hint inside the limits');
  const lat = Number(await (await app.find(testid('geofence-lat'))).property('value'));
  assert.ok(Math.abs(lat - vehicle.lat) < 1e-6, 'the centre did not move');
});

step('saving for the vehicle shows its result, and the geofence is on the map, on disk and at the provider', async () => {
  await typeInto(app, sel.name, GEOFENCE_NAME);
  assert.equal(await (await app.find(sel.alarm)).property('value'), 'both');
  const box = await app.find(`${sel.devices} input[data-imei="${vehicle.imei}"]`);
  assert.equal(await box.property('checked'), true, 'the selected vehicle is chosen');
  const others = await app.execute('return Array.from(document.querySelectorAll(arguments[0])).filter((b) => b.checked).length;', [`${sel.devices} input[data-imei]`]);
  assert.equal(others, 1, 'only that vehicle');
  await shots.take(app, 'geofence-form');
  await (await app.find(sel.save)).click();
  await waitFor('the save result', async () => (await attr(app, sel.result, 'data-state')) === 'saved', { timeoutMs: 20_000 });
  const item = await app.find(`${sel.result} [data-imei="${vehicle.imei}"]`);
  assert.equal(await item.attribute('data-ok'), 'true');
  assert.match(await (await app.find(sel.result)).text(), words.savedOne);
  assert.equal(await (await app.find(sel.save)).property('disabled'), true, 'not sent twice by a second click');
  await waitFor('the geofence drawn on the map', async () => (await app.findAll(sel.circle)).length === 1);
  await shots.take(app, 'geofence-saved');

  // The app's record (what the map draws from) holds it, on disk.
  const listing = await invokeInApp(app, 'geofence_list');
  assert.equal(listing.geofences.length, 1);
  const g = listing.geofences[0];
  assert.equal(g.name, GEOFENCE_NAME);
  assert.equal(g.radiusM, TYPED_RADIUS);
  assert.deepEqual(g.imeis, [vehicle.imei]);
  const onDisk = JSON.parse(readFileSync(listing.path, 'utf8'));
  assert.deepEqual(onDisk.geofences.map((x) => [x.name, x.radiusM, x.imeis]), [[GEOFENCE_NAME, TYPED_RADIUS, [vehicle.imei]]]);

  // The provider (etrack-sim) was asked once, with what was drawn.
  const sim = await invokeInApp(app, 'demo_sim_geofences');
  assert.equal(sim.length, 1);
  assert.equal(sim[0].imei, vehicle.imei);
  assert.equal(sim[0].name, GEOFENCE_NAME);
  assert.equal(sim[0].radius, TYPED_RADIUS);
  assert.equal(sim[0].alarmType, 2, 'in and out');
  assert.ok(Math.abs(sim[0].latitude - vehicle.lat) < 1e-5 && Math.abs(sim[0].longitude - vehicle.lng) < 1e-5);
  saved = { radius: TYPED_RADIUS, lat: sim[0].latitude, lng: sim[0].longitude };
});

step('the geofence layer can be hidden, and the list says geofences made elsewhere do not appear', async () => {
  await (await app.find(sel.layer)).click();
  await waitFor('the layer hidden', async () => (await app.findAll(sel.circle)).length === 0);
  await (await app.find(sel.layer)).click();
  await waitFor('the layer back', async () => (await app.findAll(sel.circle)).length === 1);
  await (await app.find(sel.listOpen)).click();
  const note = await app.waitForVisible(sel.elsewhere);
  assert.match(await note.text(), words.elsewhere);
  const listed = await waitFor('the geofence listed', () => textOf(app, testid('geofence-items')));
  assert.match(listed, new RegExp(`${GEOFENCE_NAME}[\\s\\S]*${TYPED_RADIUS} ${M} · ${words.both}`));
  await shots.take(app, 'geofence-list');
  await (await app.find(testid('geofence-close'))).click();
});

step('as the vehicle drives on, its geofence alarm arrives as a card, a badge and a desktop notification', async () => {
  const toast = `${sel.toast}[data-imei="${vehicle.imei}"]`;
  const found = async () => {
    for (const el of await app.findAll(toast)) {
      const type = await el.attribute('data-type');
      if (GEOFENCE_TYPES.includes(type)) return { id: await el.attribute('data-id'), type, el };
    }
    return null;
  };
  // 45 simulated minutes at a time until the vehicle leaves the circle (or comes back into it):
  // up to 6 hours, as a taxi may roam inside 1.5 km for a morning. Moving the clock wakes the
  // watcher, so a card comes within seconds of the crossing.
  for (let round = 0; round < 8 && !alarm; round++) {
    await demoClock(45 * 60);
    alarm = await waitFor('a geofence alarm card', found, { timeoutMs: 12_000, intervalMs: 300 }).catch(() => null);
  }
  assert.ok(alarm, 'a geofence alarm reached the user');
  const text = await textOf(app, `${sel.toast}[data-id="${alarm.id}"]`);
  assert.match(text, alarm.type === '5' ? words.entered : words.left);
  assert.ok(text.includes(words.geofenceNamed(GEOFENCE_NAME)), 'named after the geofence');
  assert.equal(await alarm.el.attribute('data-desktop'), 'raised', 'the app raised a desktop notification for it');
  const badge = await app.find(sel.badge);
  assert.ok(await badge.displayed());
  assert.ok(Number(await badge.text()) >= 1, 'the badge counts it');
  await shots.take(app, 'alarm-card-and-badge');
});

/**
 * Asks for a refresh and waits until it has arrived and been drawn ("refresh now" right after a
 * poll comes once 5 s have passed since it).
 */
async function freshPositions() {
  const before = (await invokeInApp(app, 'live_snapshot'))?.at ?? 0;
  await (await app.find(sel.refresh)).click();
  await waitFor('a new live update', async () => ((await invokeInApp(app, 'live_snapshot'))?.at ?? 0) > before, {
    timeoutMs: 20_000,
    intervalMs: 200,
  });
  await sleep(500);
}

/** Waits until the fleet shows positions from the demo's clock as it is now (after moving it). */
async function liveCaughtUp() {
  const { offsetSecs } = await demoClock();
  const simNow = Date.now() / 1000 + offsetSecs;
  await (await app.find(sel.refresh)).click();
  await waitFor('a live update from the moved clock', async () => {
    const snap = await invokeInApp(app, 'live_snapshot');
    return snap && Math.max(...snap.tracks.map((t) => t.servertime)) >= simNow - 5;
  }, { timeoutMs: 20_000, intervalMs: 300 });
  await sleep(500);
}

step('the watch settings record the notification and watch the vehicle for geofence alarms', async () => {
  // The alarms view's periods end at the provider's "now", which the fleet's last update tells.
  await liveCaughtUp();
  await (await app.find(sel.alarmsOpen)).click();
  await app.waitForVisible(sel.alarmsView, 15_000);
  await waitFor('the badge cleared once the alarms are open', async () => !(await (await app.find(sel.badge)).displayed()));
  await (await app.find(sel.watchOpen)).click();
  const dialog = await app.waitForVisible(sel.watch);
  const notice = await waitFor('the notified alarm listed', () => app.maybeFind(`${sel.watch} ${sel.notice}[data-id="${alarm.id}"]`));
  assert.equal(await notice.attribute('data-desktop'), 'raised');
  assert.match(await textOf(app, `${sel.watch} ${sel.notice}[data-id="${alarm.id}"]`), words.desktopRaised);
  for (const code of GEOFENCE_TYPES) {
    assert.equal(await (await app.find(`${sel.watch} input[data-code="${code}"]`)).property('checked'), true, `type ${code} watched`);
  }
  assert.equal(await (await app.find(`${sel.watch} input[data-imei="${vehicle.imei}"]`)).property('checked'), true, 'the vehicle is watched');
  assert.match(await (await app.find(testid('alarms-watch-status'))).text(), words.watchingOne);
  await shots.take(app, 'watch-settings');
  assert.ok(dialog);
  await (await app.find(testid('alarms-watch-cancel'))).click();
});

step('the alarms view lists it: filter by type, click to fly, export CSV', async () => {
  // The view opened on the selected vehicle over the last 24 hours of the provider's clock.
  const row = `${sel.row}[data-id="${alarm.id}"]`;
  await waitFor('the alarm in the table', async () => (await app.maybeFind(row)) !== null, { timeoutMs: 30_000 });
  const cells = await textOf(app, row);
  assert.match(cells, alarm.type === '5' ? words.entered : words.left);
  assert.match(cells, new RegExp(GEOFENCE_NAME));
  assert.match(cells, words.dateTime, 'the time, in words a person reads');
  await choose(app, sel.filterType, alarm.type);
  const types = await app.execute('return Array.from(document.querySelectorAll(arguments[0])).map((r) => r.dataset.type);', [sel.row]);
  assert.ok(types.length >= 1 && types.every((t) => t === alarm.type), `only that type: ${types}`);
  // A table row has no box of its own to click in WebKit: click its first cell.
  await (await app.find(`${row} td`)).click();
  await waitFor('the marker picked on the map', async () => (await app.maybeFind(`${testid('alarms-map')} .alarm-marker.is-selected`)) !== null);
  await shots.take(app, 'alarms-view');
  await (await app.find(sel.exportCsv)).click();
  await waitFor('the CSV saved', async () => words.savedAlarms.test(await (await app.find(sel.message)).text()), { timeoutMs: 15_000 });
  const files = readdirSync(EXPORTS).filter((f) => f.endsWith('.csv'));
  assert.equal(files.length, 1);
  const csv = readFileSync(path.join(EXPORTS, files[0]), 'utf8');
  const lines = csv.trim().split(/\r\n/);
  assert.equal(lines[0], words.csvHeader);
  assert.equal(lines.length, types.length + 1, 'one line per row shown');
  assert.ok(lines.some((l) => l.includes(vehicle.imei) && l.includes(GEOFENCE_NAME)), 'the alarm is in the file');
  await (await app.find(sel.close)).click();
  await app.waitForVisible(sel.list);
});

step('after a restart with the demo run 30x fast, the geofence is still on the map', async () => {
  await app.delete();
  app = null;
  await launch(['--demo-time-scale', String(TIME_SCALE)]);
  await waitFor('the geofence drawn again', async () => (await app.findAll(sel.circle)).length === 1, { timeoutMs: 15_000 });
  const listing = await invokeInApp(app, 'geofence_list');
  assert.deepEqual(listing.geofences.map((g) => [g.name, g.radiusM, g.imeis]), [[GEOFENCE_NAME, TYPED_RADIUS, [vehicle.imei]]]);
  const first = await demoClock();
  assert.equal(first.timeScale, TIME_SCALE);
  const t0 = Date.now();
  await sleep(3_000);
  const second = await demoClock();
  const expected = ((Date.now() - t0) / 1000) * (TIME_SCALE - 1);
  const gained = second.offsetSecs - first.offsetSecs;
  assert.ok(Math.abs(gained - expected) <= 2 * TIME_SCALE, `${TIME_SCALE}x: ${gained} s ahead in ${(Date.now() - t0) / 1000} s (about ${expected.toFixed(0)})`);
  await shots.take(app, 'restarted');
});
