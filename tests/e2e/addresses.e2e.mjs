// End-to-end: street addresses from a reverse geocoder, in the real app, demo mode.
//
// A local geocoder stub (geocoderStub.mjs) -> the demo with no geocoder set: a vehicle's panel
// has no address and the stub hears nothing -> its URL saved in Settings -> the vehicle's panel
// shows the stub's address for its position (asked in the UI's language, with the app's
// User-Agent, requests at least a second apart) -> a trips report shows each trip's start and
// end addresses -> its Excel export holds them under the address columns.
//
// The app is started with --export-dir, so exports skip the native save dialog.
// Output: test-output/e2e/addresses/ (screenshots, exports).
// Run: bash scripts/e2e.sh tests/e2e/addresses.e2e.mjs   (after npm run build && cargo build --features e2e)

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { attr, choose, config, e2eFile, inLang, launchApp, signInToDemo, typeInto } from './harness.mjs';
import { startGeocoderStub } from './geocoderStub.mjs';
import { testid, waitFor } from './webdriver.mjs';
import { workbookXml } from './workbook.mjs';

const sel = {
  item: `${testid('device-list')} ${testid('device-item')}`,
  details: testid('device-details'),
  address: `${testid('device-details')} ${testid('details-address')}`,
  addressRow: `${testid('device-details')} [data-field="address"]`,
  openSettings: testid('open-settings'),
  settings: testid('settings-dialog'),
  url: testid('settings-geocoder-url'),
  policy: testid('settings-geocoder-policy'),
  save: testid('settings-save'),
  reportsOpen: testid('reports-open'),
  view: testid('reports-view'),
  kind: testid('report-kind'),
  vehicles: testid('report-vehicles'),
  vehiclesToggle: testid('report-vehicles-toggle'),
  none: testid('report-vehicles-none'),
  preset: testid('report-preset'),
  run: testid('report-run'),
  row: `${testid('report-table')} ${testid('report-row')}`,
  message: testid('report-message'),
  xlsx: testid('report-export-xlsx'),
};

const STREET = /^E2E Street -?\d+\.\d{4}, -?\d+\.\d{4}$/;

let app = null;
let stub = null;
const { exports: EXPORTS, shots, step } = e2eFile('addresses', { currentApp: () => app, exports: true, stepTimeoutMs: 180_000 });

/** The text of the first element matching `css` shown on screen, or null. */
function shownText(css) {
  return app.execute('const el = document.querySelector(arguments[0]); return el && !el.hidden ? el.textContent : null;', [css]);
}

step('with no geocoder set, a vehicle has no address and nothing is asked', async () => {
  stub = await startGeocoderStub();
  app = await launchApp(['--demo', `--export-dir=${EXPORTS}`]);
  await signInToDemo(app);
  await (await app.find(sel.item)).click();
  await app.waitForVisible(sel.details);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await app.maybeFind(sel.addressRow), null, 'no address row while off');
  assert.equal(stub.requests.length, 0, 'the geocoder was not asked');
});

step('the geocoder URL is saved in Settings, with the usage policy shown', async () => {
  await (await app.find(sel.openSettings)).click();
  await app.waitForVisible(sel.settings);
  await app.waitForVisible(sel.url);
  assert.equal(await (await app.find(sel.url)).property('value'), '', 'off by default');
  const policy = await shownText(sel.policy);
  assert.ok(policy.includes('operations.osmfoundation.org/policies/nominatim'), policy);
  await typeInto(app, sel.url, stub.url);
  await shots.take(app, 'settings-geocoder');
  await (await app.find(sel.save)).click();
  await waitFor('the dialog closed', async () => (await app.maybeFind(sel.settings)) === null);
});

step("the vehicle panel shows the stub's address of its position", async () => {
  const text = await waitFor('the address shown', () => shownText(sel.address), { timeoutMs: 30_000 });
  assert.match(text, STREET);
  assert.equal(await app.execute('return document.querySelector(arguments[0]).getAttribute("translate");', [sel.address]), 'no', 'an address is data');
  const first = stub.requests[0];
  assert.equal(first.path, '/reverse');
  assert.equal(first.lang, config.lang, 'asked in the UI language');
  assert.match(first.agent, /^etrack-desktop\/\S+ \(\+https:\/\/github\.com\/etrack-desktop\/etrack-desktop\)$/);
  await shots.take(app, 'vehicle-address');
});

step('a trips report shows start and end addresses', async () => {
  await (await app.find(testid('details-close'))).click();
  await (await app.waitForVisible(sel.reportsOpen)).click();
  await app.waitForVisible(sel.view, 15_000);
  await (await app.find(sel.vehiclesToggle)).click();
  await (await app.waitForVisible(sel.none)).click();
  const picked = await app.execute(
    'const b = document.querySelector(arguments[0] + " input[type=checkbox][data-imei]"); b.click(); return b.dataset.imei;',
    [sel.vehicles],
  );
  assert.ok(picked);
  await (await app.find(sel.vehiclesToggle)).click();
  await choose(app, sel.preset, 'yesterday');
  await choose(app, sel.kind, 'trips');
  await (await app.find(sel.run)).click();
  await waitFor('the trips report done', async () => (await attr(app, sel.view, 'data-state')) === 'done' && (await attr(app, sel.view, 'data-kind')) === 'trips', {
    timeoutMs: 150_000,
    intervalMs: 250,
  });
  const headers = await app.execute('return Array.from(document.querySelectorAll(arguments[0] + " thead th")).map((th) => th.textContent);', [testid('report-table')]);
  for (const h of inLang({ en: ['Start address', 'End address'], 'zh-CN': ['起点地址', '终点地址'] })) assert.ok(headers.includes(h), `column ${h}: ${headers}`);
  const rows = (await app.findAll(sel.row)).length;
  assert.ok(rows > 0, 'the demo vehicle drove yesterday');
  // The first row's addresses (the service answers one place a second).
  const cells = await waitFor(
    'the first trip addressed',
    async () => {
      const got = await app.execute(
        'const tr = document.querySelector(arguments[0]); return ["startAddress", "endAddress"].map((c) => { const el = tr.querySelector(`[data-testid="report-${c}"]`); return el && !el.hidden ? el.textContent : null; });',
        [sel.row],
      );
      return got.every((t) => t) ? got : null;
    },
    { timeoutMs: 60_000 },
  );
  for (const c of cells) assert.match(c, STREET);
  for (const [a, b] of stub.requests.slice(1).map((r, k) => [stub.requests[k], r])) {
    assert.ok(b.at - a.at >= 950, `requests a second apart: ${b.at - a.at} ms`);
  }
  await shots.take(app, 'report-trips-addresses');
});

step('the Excel export holds the addresses', async () => {
  await (await app.find(sel.xlsx)).click();
  const file = await waitFor('the export written', async () => attr(app, sel.message, 'data-path'), { timeoutMs: 170_000 });
  assert.equal(path.dirname(file), EXPORTS);
  assert.ok(existsSync(file), file);
  const { sheet, strings } = workbookXml(file);
  const all = sheet + strings;
  for (const h of inLang({ en: ['Start address', 'End address'], 'zh-CN': ['起点地址', '终点地址'] })) assert.ok(all.includes(h), `header ${h}`);
  const streets = all.match(/E2E Street -?\d+\.\d{4}, -?\d+\.\d{4}/g) ?? [];
  assert.ok(streets.length >= 2, `addresses in the workbook: ${streets.length}`);
  await stub.stop();
});
