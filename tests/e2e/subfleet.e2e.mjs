// End-to-end: a distributor opens a sub-customer's fleet in the real app, in demo mode.
//
// the demo's own fleet -> Accounts -> Open fleet on demo-east -> the list shows exactly the devices
// the provider lists for demo-east (a direct call to the demo service, signed in as demo-east), a bar
// names the fleet, the app asked for that device list once (with the account) and polls positions
// for those devices only -> Back to my fleet -> the whole fleet again.
//
// Output: test-output/e2e/subfleet/ (screenshots).
// Run: bash scripts/e2e.sh tests/e2e/subfleet.e2e.mjs   (after npm run build && cargo build)

import assert from 'node:assert/strict';
import { e2eFile, inLang, launchApp, providerDevices, shown, signInToDemo } from './harness.mjs';
import { demoLogMark, demoRequests, invokeInApp, param } from './demoLog.mjs';
import { sleep, testid, waitFor } from './webdriver.mjs';

// etrack-sim's accounts: demo-east is a sub-customer of demo with the vehicles parked in the east;
// demo-virtual sees the whole fleet (the same list as demo's own, without ending the app's token).
const SUB_ACCOUNT = 'demo-east';
const SUB_NAME = 'East Depot';
const WHOLE_FLEET = 'demo-virtual';

const words = {
  fleetOf: inLang({ en: `Fleet of ${SUB_ACCOUNT} (${SUB_NAME})`, 'zh-CN': `${SUB_ACCOUNT}（${SUB_NAME}）的车队` }),
};

const sel = {
  item: `${testid('device-list')} ${testid('device-item')}`,
  accountsOpen: testid('accounts-open'),
  accountsDialog: testid('accounts-dialog'),
  accountRow: testid('account-row'),
  openFleet: testid('account-open-fleet'),
  scope: testid('fleet-scope'),
  scopeText: testid('fleet-scope-text'),
  own: testid('fleet-own'),
  allCount: testid('status-filter-all'),
};

let app = null;
const { shots, step } = e2eFile('subfleet', { currentApp: () => app });
let providerUrl = null;
let whole = [];

/** The IMEIs the device list shows (not hidden by a search or filter), in list order. */
function listedImeis() {
  return app.execute(
    'return Array.from(document.querySelectorAll(arguments[0])).filter((e) => !e.hidden).map((e) => e.dataset.imei);',
    [sel.item],
  );
}

const sorted = (xs) => [...xs].sort();

/** Waits until the list shows exactly `imeis` (in any order). */
async function waitForList(imeis, what) {
  const want = JSON.stringify(sorted(imeis));
  let last = [];
  await waitFor(
    what,
    async () => {
      last = await listedImeis();
      return JSON.stringify(sorted(last)) === want;
    },
    { timeoutMs: 20_000 },
  ).catch((e) => {
    throw new Error(`${e.message}: the list shows ${last.length} devices, expected ${imeis.length}`);
  });
}

step('the app starts in demo mode with its own fleet', async () => {
  app = await launchApp(['--demo']);
  await signInToDemo(app);
  const session = await invokeInApp(app, 'session_current');
  assert.equal(session?.demo, true, 'signed into the demo');
  providerUrl = session.providerUrl;
  whole = (await providerDevices(providerUrl, WHOLE_FLEET)).map((d) => d.imei);
  assert.ok(whole.length > 0);
  await waitForList(whole, 'the whole fleet in the list');
  assert.equal(await shown(app, sel.scope), false, 'no sub-customer bar on the own fleet');
  assert.deepEqual(await invokeInApp(app, 'fleet_scope'), { account: null });
});

step(`Open fleet on ${SUB_ACCOUNT} shows exactly its devices, as the provider lists them`, async () => {
  const expected = (await providerDevices(providerUrl, SUB_ACCOUNT)).map((d) => d.imei);
  assert.ok(expected.length > 0 && expected.length < whole.length, `${SUB_ACCOUNT} has part of the fleet`);
  await (await app.find(sel.accountsOpen)).click();
  const row = `${sel.accountRow}[data-account="${SUB_ACCOUNT}"]`;
  await app.waitForVisible(`${row} ${sel.openFleet}`, 20_000);
  await shots.take(app, 'accounts-open-fleet');

  const mark = await demoLogMark(app);
  await (await app.find(`${row} ${sel.openFleet}`)).click();
  await waitFor('Accounts closed', async () => !(await shown(app, sel.accountsDialog)), { timeoutMs: 20_000 });
  await waitForList(expected, `the list shows ${SUB_ACCOUNT}'s devices`);
  assert.equal(await shown(app, sel.scope), true, 'the bar says whose fleet this is');
  assert.equal(await (await app.find(sel.scopeText)).text(), words.fleetOf);
  assert.equal(await shown(app, sel.own), true);
  assert.match(await (await app.find(sel.allCount)).text(), new RegExp(`(^|\\D)${expected.length}(\\D|$)`), 'its own counts');
  assert.deepEqual(await invokeInApp(app, 'fleet_scope'), { account: SUB_ACCOUNT });

  // Live positions for its devices only: a refresh polls them and nothing else.
  await invokeInApp(app, 'live_refresh_now');
  const snap = await waitFor(
    'a live update of the sub-customer fleet',
    async () => {
      const s = await invokeInApp(app, 'live_snapshot');
      return s && s.tracks.length === expected.length ? s : null;
    },
    { timeoutMs: 20_000 },
  );
  assert.deepEqual(sorted(snap.tracks.map((t) => t.imei)), sorted(expected));
  await sleep(500);

  // The request budget: one device list for the switch, with the account; tracks of its devices.
  const lists = await demoRequests(app, { path: '/api/device/list', since: mark });
  assert.equal(lists.length, 1, 'one device list for the switch');
  assert.equal(param(lists[0], 'account'), SUB_ACCOUNT);
  const tracks = await demoRequests(app, { path: '/api/track', since: mark });
  assert.ok(tracks.length > 0, 'positions were polled');
  const allowed = new Set(expected);
  for (const r of tracks) {
    for (const imei of param(r, 'imeis').split(',')) assert.ok(allowed.has(imei), `${imei} polled is ${SUB_ACCOUNT}'s`);
  }
  await shots.take(app, 'sub-customer-fleet');
});

step('Back to my fleet shows the whole fleet again', async () => {
  await (await app.find(sel.own)).click();
  await waitForList(whole, 'the whole fleet in the list again');
  await waitFor('the bar gone', async () => !(await shown(app, sel.scope)));
  assert.deepEqual(await invokeInApp(app, 'fleet_scope'), { account: null });
  await shots.take(app, 'own-fleet-again');
});
