// End-to-end: basemaps, their datum and the tile cache, in the real app, demo mode.
//
// demo -> Settings: a custom map pointing at a local tile stub (tileStub.mjs) -> chosen on the fleet
// map's layer switcher: its tiles load through the backend's etrack-tile protocol, the stub served
// them, the cache holds them -> the stub stopped, the app restarted (no memory cache left): the
// same view's tiles still load, from the backend's cache -> "Clear" empties it -> AutoNavi chosen
// on the switcher: the vehicle is drawn at its GCJ-02 place on the tile grid, and a geofence drawn
// by pressing on it reaches the provider with the vehicle's WGS-84 position (within 1 m).
//
// Output: test-output/e2e/maps/ (screenshots).
// Run: bash scripts/e2e.sh tests/e2e/maps.e2e.mjs   (after npm run build && cargo build)

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { attr, choose, config, e2eFile, inLang, launchApp, signInToDemo, typeInto } from './harness.mjs';
import { invokeInApp } from './demoLog.mjs';
import { startTileStub } from './tileStub.mjs';
import { sleep, testid, waitFor } from './webdriver.mjs';

const CUSTOM_NAME = 'E2E stub tiles';
const CUSTOM_ID = 'custom-e2e-stub-tiles';

const sel = {
  map: testid('map'),
  item: `${testid('device-list')} ${testid('device-item')}`,
  refresh: testid('refresh-now'),
  switcher: `${testid('map')} ${testid('map-layers')}`,
  toggle: `${testid('map')} ${testid('map-layers-toggle')}`,
  option: (id) => `${testid('map')} ${testid('layer-option')}[data-layer="${id}"]`,
  tiles: (id) => `${testid('map')} .basemap-tiles[data-layer="${id}"] img`,
  openSettings: testid('open-settings'),
  settings: testid('settings-dialog'),
  save: testid('settings-save'),
  cancel: testid('settings-cancel'),
  cacheSize: testid('tile-cache-size'),
  cacheClear: testid('tile-cache-clear'),
  newGeofence: testid('geofence-new'),
  step: testid('geofence-step'),
  name: testid('geofence-name'),
  save_: testid('geofence-save'),
  result: testid('geofence-result'),
};

let app = null;
let stub = null;
const { shots, step } = e2eFile('maps', { currentApp: () => app, stepTimeoutMs: 150_000 });
/** The custom map's tiles shown in the first run: `z/x/y` of each. */
let onlineTiles = [];

async function launch() {
  app = await launchApp(['--demo']);
  await signInToDemo(app);
}

/** The app's settings file in the test's home (XDG_CONFIG_HOME, set by scripts/with-keyring.sh). */
function settingsFile() {
  const base = process.env.XDG_CONFIG_HOME ?? path.join(config.home, '.config');
  return JSON.parse(readFileSync(path.join(base, 'dev.etrack.desktop', 'settings.json'), 'utf8')).settings;
}

/** The tiles of layer `id` on the fleet map: `{ tile: "z/x/y", src, loaded }` each. */
function tilesOf(id) {
  return app.execute(
    'return Array.from(document.querySelectorAll(arguments[0])).map((img) => ({ tile: img.dataset.tile, src: img.getAttribute("src"),' +
      ' loaded: img.complete && img.naturalWidth > 0 && !img.src.startsWith("data:") }));',
    [sel.tiles(id)],
  );
}

/** Opens the switcher and chooses layer `id`; waits until the map shows it. */
async function chooseLayer(id) {
  await (await app.find(sel.toggle)).click();
  await app.waitForVisible(sel.option(id));
  await (await app.find(sel.option(id))).click();
  await waitFor(`${id} checked`, async () => (await attr(app, sel.option(id), 'aria-checked')) === 'true');
  await waitFor(`${id} saved`, async () => settingsFile().basemap === id);
}

async function openSettings() {
  await (await app.find(sel.openSettings)).click();
  await app.waitForVisible(sel.settings);
  await app.waitForVisible(sel.cacheSize);
}

/** The cache size the Settings dialog shows, bytes (once it has been read). */
async function cacheBytes() {
  return Number(await waitFor('the tile cache size', () => attr(app, sel.cacheSize, 'data-bytes')));
}

step('the demo starts, its fleet map with a layer switcher on OpenStreetMap', async () => {
  stub = await startTileStub();
  await launch();
  await app.waitForVisible(sel.toggle);
  await (await app.find(sel.toggle)).click();
  const ids = await app.execute(
    'return Array.from(document.querySelectorAll(arguments[0])).map((e) => [e.dataset.layer, e.getAttribute("aria-checked")]);',
    [`${sel.map} ${testid('layer-option')}`],
  );
  assert.deepEqual(ids, [
    ['osm', 'true'],
    ['satellite', 'false'],
    ['gaode', 'false'],
    ['gaode-satellite', 'false'],
    ['tencent', 'false'],
  ]);
  await shots.take(app, 'layer-switcher-open');
  await (await app.find(sel.toggle)).click();
});

step('a custom map added in Settings loads its tiles through the backend, which caches them', async () => {
  await openSettings();
  await (await app.find(testid('custom-map-add'))).click();
  await typeInto(app, testid('custom-map-name'), CUSTOM_NAME);
  await typeInto(app, testid('custom-map-url'), stub.template);
  await typeInto(app, testid('custom-map-attribution'), '© E2E stub');
  await typeInto(app, testid('custom-map-max-zoom'), '18');
  await choose(app, testid('custom-map-datum'), 'wgs84');
  await (await app.find(testid('custom-map-keep'))).click();
  await waitFor('the custom map listed', async () => (await app.maybeFind(`${testid('custom-map')}[data-id="${CUSTOM_ID}"]`)) !== null);
  await shots.take(app, 'settings-custom-map');
  await (await app.find(sel.save)).click();
  await waitFor('the dialog closed', async () => (await app.maybeFind(sel.settings)) === null);
  assert.equal(settingsFile().customBasemaps[0].url, stub.template);

  await chooseLayer(CUSTOM_ID);
  const loaded = await waitFor(
    'the custom tiles loaded',
    async () => {
      const tiles = await tilesOf(CUSTOM_ID);
      return tiles.length >= 4 && tiles.every((t) => t.loaded) ? tiles : null;
    },
    { timeoutMs: 30_000, intervalMs: 300 },
  );
  for (const t of loaded) assert.match(t.src, new RegExp(`^etrack-tile://localhost/${CUSTOM_ID}/\\d+/\\d+/\\d+$`), 'from the protocol');
  assert.ok(stub.served >= loaded.length, `the stub served them: ${stub.served} for ${loaded.length} tiles`);
  onlineTiles = loaded.map((t) => t.tile);
  assert.match(await (await app.find(`${sel.map} .leaflet-control-attribution`)).text(), /© E2E stub/);
  await shots.take(app, 'custom-map-tiles');

  await openSettings();
  const bytes = await cacheBytes();
  assert.ok(bytes > 0, `the cache holds the tiles: ${bytes} bytes`);
  // "1.2 MB (24 tiles)" / "1.2 MB（24 个瓦片）"
  assert.match(
    await (await app.find(sel.cacheSize)).text(),
    inLang({ en: /^[\d.,]+ MB \([\d,]+ tiles?\)$/, 'zh-CN': /^[\d.,]+ MB（[\d,]+ 个瓦片）$/ }),
  );
  await shots.take(app, 'settings-cache-in-use');
  await (await app.find(sel.cancel)).click();
});

step('with the tile server gone and the app restarted, the same tiles load from the cache', async () => {
  await app.delete();
  app = null;
  const servedBefore = stub.served;
  await stub.stop();
  await launch();
  assert.equal(settingsFile().basemap, CUSTOM_ID, 'the layer chosen is remembered');
  const tiles = await waitFor(
    'the custom tiles of the same view',
    async () => {
      const t = await tilesOf(CUSTOM_ID);
      return t.length >= 4 && t.filter((x) => onlineTiles.includes(x.tile)).every((x) => x.loaded) && t.some((x) => onlineTiles.includes(x.tile)) ? t : null;
    },
    { timeoutMs: 30_000, intervalMs: 300 },
  );
  const again = tiles.filter((t) => onlineTiles.includes(t.tile));
  assert.ok(again.length >= 4, `most of the view's tiles are the ones seen before: ${again.length} of ${tiles.length}`);
  assert.equal(stub.served, servedBefore, 'nothing reached the (stopped) tile server');
  await shots.take(app, 'custom-map-offline');
});

step('"Clear the tile cache" empties it', async () => {
  await openSettings();
  assert.ok((await cacheBytes()) > 0);
  await (await app.find(sel.cacheClear)).click();
  await waitFor('the cache empty', async () => (await attr(app, sel.cacheSize, 'data-bytes')) === '0', { timeoutMs: 15_000 });
  assert.match(await (await app.find(testid('tile-cache-status'))).text(), inLang({ en: /^Cleared\.$/, 'zh-CN': /^已清空。$/ }));
  await shots.take(app, 'settings-cache-cleared');
  await (await app.find(sel.cancel)).click();
});

// ---- AutoNavi (GCJ-02) ----

/** WGS-84 → GCJ-02 (the published algorithm; ui/src/lib/datum.ts is the app's, tested on the vectors). */
function wgs84ToGcj02(lat, lng) {
  const A = 6378245.0;
  const EE = 0.00669342162296594323;
  const x = lng - 105;
  const y = lat - 35;
  const { sin, sqrt, abs, cos, PI } = Math;
  let dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x));
  dLat += ((20 * sin(6 * x * PI) + 20 * sin(2 * x * PI)) * 2) / 3;
  dLat += ((20 * sin(y * PI) + 40 * sin((y / 3) * PI)) * 2) / 3;
  dLat += ((160 * sin((y / 12) * PI) + 320 * sin((y * PI) / 30)) * 2) / 3;
  let dLng = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x));
  dLng += ((20 * sin(6 * x * PI) + 20 * sin(2 * x * PI)) * 2) / 3;
  dLng += ((20 * sin(x * PI) + 40 * sin((x / 3) * PI)) * 2) / 3;
  dLng += ((150 * sin((x / 12) * PI) + 300 * sin((x / 30) * PI)) * 2) / 3;
  const rad = (lat / 180) * PI;
  const magic = 1 - EE * sin(rad) * sin(rad);
  const sm = sqrt(magic);
  return {
    lat: lat + (dLat * 180) / (((A * (1 - EE)) / (magic * sm)) * PI),
    lng: lng + (dLng * 180) / ((A / sm) * cos(rad) * PI),
  };
}

/** Spherical Mercator pixel of a position at zoom `z` (256-pixel tiles). */
function mercatorPx(lat, lng, z) {
  const scale = 256 * 2 ** z;
  const s = Math.sin((lat * Math.PI) / 180);
  return { x: ((lng + 180) / 360) * scale, y: (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * scale };
}

function metres(a, b) {
  const rad = Math.PI / 180;
  const x = (b.lng - a.lng) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  return Math.hypot(x, (b.lat - a.lat) * rad) * 6_371_008.8;
}

/** Zooms the fleet map with its +/- buttons until it is at `level`. */
async function zoomTo(level) {
  for (let i = 0; i < 20; i++) {
    const z = Number(await attr(app, sel.map, 'data-zoom'));
    if (z === level) return;
    await (await app.find(`${sel.map} .leaflet-control-zoom-${z < level ? 'in' : 'out'}`)).click();
    await waitFor('the zoom to change', async () => Number(await attr(app, sel.map, 'data-zoom')) !== z);
  }
  throw new Error(`the map did not reach zoom ${level}`);
}

async function centreOf(css) {
  return app.execute(
    'const r = document.querySelector(arguments[0]).getBoundingClientRect();' +
      'return { x: r.left + r.width / 2, y: r.top + r.height / 2 };',
    [css],
  );
}

const mouse = (actions) => [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions }];

let vehicle = null; // { imei, lat, lng, marker } in WGS-84, as the provider reports it

step('on AutoNavi, a vehicle is drawn at its GCJ-02 place on the tile grid', async () => {
  await chooseLayer('gaode');
  // A parked vehicle: its position does not change while the geofence is drawn.
  const snap = await invokeInApp(app, 'live_snapshot');
  const parked = snap.tracks.filter((t) => t.speed === 0 && !(t.latitude === 0 && t.longitude === 0));
  assert.ok(parked.length > 0, 'a parked vehicle in the demo fleet');
  const t = parked[0];
  const marker = `${sel.map} .vehicle-marker[data-imei="${t.imei}"]`;
  await app.execute('const el = document.querySelector(arguments[0]); el.scrollIntoView({ block: "center" }); el.click();', [
    `${sel.item}[data-imei="${t.imei}"]`,
  ]);
  await waitFor('its marker on the map', async () => (await app.maybeFind(marker)) !== null, { timeoutMs: 15_000 });
  // Close: a pixel is half a metre, so a press on the marker is on the vehicle within a metre.
  await zoomTo(18);
  await sleep(500);
  vehicle = { imei: t.imei, lat: t.latitude, lng: t.longitude, marker };
  const m = await centreOf(marker);
  // The tile under the marker and where in it the marker is: the marker's place on the tile grid.
  const under = await app.execute(
    // Tiles of the zoom left behind stay on screen until this zoom's have loaded (AutoNavi cannot
    // be reached here): only zoom 18's count.
    'const [css, x, y] = arguments; const img = Array.from(document.querySelectorAll(css)).find((i) => {' +
      ' const r = i.getBoundingClientRect(); return i.dataset.tile.startsWith("18/") && x >= r.left && x < r.right && y >= r.top && y < r.bottom; });' +
      'if (!img) return null; const r = img.getBoundingClientRect(); return { tile: img.dataset.tile, dx: x - r.left, dy: y - r.top };',
    [sel.tiles('gaode'), m.x, m.y],
  );
  assert.ok(under?.tile, 'a tile under the vehicle');
  const [z, tx, ty] = under.tile.split('/').map(Number);
  assert.equal(z, 18);
  const onGrid = { x: tx * 256 + under.dx, y: ty * 256 + under.dy };
  const gcj = wgs84ToGcj02(vehicle.lat, vehicle.lng);
  const atGcj = mercatorPx(gcj.lat, gcj.lng, 18);
  const atWgs = mercatorPx(vehicle.lat, vehicle.lng, 18);
  const off = (p) => Math.hypot(p.x - onGrid.x, p.y - onGrid.y);
  assert.ok(off(atGcj) < 2, `drawn at its GCJ-02 pixel: ${off(atGcj).toFixed(2)} px away`);
  assert.ok(off(atWgs) > 200, `not at its WGS-84 pixel (${off(atWgs).toFixed(0)} px away)`);
  await shots.take(app, 'autonavi-vehicle');
});

step('on AutoNavi, a geofence drawn by pressing on the vehicle reaches the provider at its WGS-84 position', async () => {
  await (await app.find(testid('geofence-new'))).click();
  await waitFor('the tool waiting for the centre', async () => (await attr(app, sel.step, 'data-phase')) === 'centre');
  const c = await centreOf(vehicle.marker);
  const x = Math.round(c.x);
  const y = Math.round(c.y);
  await app.performActions(
    mouse([
      { type: 'pointerMove', origin: 'viewport', x, y, duration: 0 },
      { type: 'pointerDown', button: 0 },
      { type: 'pointerMove', origin: 'viewport', x: x + 60, y: y + 40, duration: 150 },
      { type: 'pointerMove', origin: 'viewport', x: x + 240, y: y + 120, duration: 150 },
      { type: 'pointerUp', button: 0 },
    ]),
  );
  await app.releaseActions();
  await waitFor('the circle placed', async () => (await attr(app, sel.step, 'data-phase')) === 'editing');
  await typeInto(app, sel.name, 'E2E AutoNavi');
  const box = await app.find(`${testid('geofence-devices')} input[data-imei="${vehicle.imei}"]`);
  if (!(await box.property('checked'))) await box.click();
  await shots.take(app, 'autonavi-geofence-drawn');
  await (await app.find(sel.save_)).click();
  await waitFor('the save result', async () => (await attr(app, sel.result, 'data-state')) === 'saved', { timeoutMs: 20_000 });
  const sim = await invokeInApp(app, 'demo_sim_geofences');
  const sent = sim.find((g) => g.imei === vehicle.imei && g.name === 'E2E AutoNavi');
  assert.ok(sent, 'the provider has the geofence');
  const d = metres({ lat: sent.latitude, lng: sent.longitude }, vehicle);
  assert.ok(d < 1, `the centre sent is the vehicle's WGS-84 position: ${d.toFixed(2)} m away`);
  const gcj = wgs84ToGcj02(vehicle.lat, vehicle.lng);
  assert.ok(metres({ lat: sent.latitude, lng: sent.longitude }, gcj) > 100, 'not its GCJ-02 position');
  await shots.take(app, 'autonavi-geofence-saved');
});

step('the tile server is stopped', async () => {
  await stub?.stop();
});
