// End-to-end: device commands, the command log, the mileage report and accounts in the real app,
// in demo mode.
//
// a moving demo vehicle -> Stop engine: the red warning, OK only once the plate is typed -> the
// device's reply -> the vehicle stands still on the map -> Restore engine -> Stop engine cancelled:
// nothing reaches the provider (the demo service's request log) -> the command log shows both
// commands and exports CSV -> a mileage report over several weeks equals what etrack-sim reports
// for the same 7-day windows -> block and unblock a demo sub-account through its confirmation.
//
// Exports skip the native save dialog (WebDriver cannot drive a GTK dialog): the app is started
// with --export-dir. Output: test-output/e2e/operations/ (screenshots, exports).
// Run: bash scripts/e2e.sh tests/e2e/operations.e2e.mjs   (after npm run build && cargo build)

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { attr, e2eFile, inLang, launchApp, openApi, setValue, shown, signInToDemo, typeInto } from './harness.mjs';
import { demoLogMark, demoRequests, invokeInApp, param } from './demoLog.mjs';
import { sleep, testid, waitFor } from './webdriver.mjs';

// etrack-sim's accounts (/tmp/contract/sim-api.md): every one uses the demo password, openApi's default.
const VIRTUAL_ACCOUNT = 'demo-virtual';
const SUB_ACCOUNT = 'demo-east';
const WEEK = 7 * 86_400;

// What the app says, in the language of the run (ui/src/i18n/locales/en.ts, zh-CN.ts). The device's
// replies ("Cut off the fuel supply: Success!") are the provider's words, the same in every language,
// and so is the command log's CSV (written by the backend).
const words = {
  movingAt: inLang({ en: /MOVING at \d+ km\/h/, 'zh-CN': /正在行驶，速度 \d+ 公里\/时/ }),
  typePlate: inLang({ en: /type the plate/, 'zh-CN': /请输入车牌号以确认/ }),
  lastFix: inLang({ en: /Last fix/, 'zh-CN': /最后定位/ }),
  commandId: inLang({ en: /Command id (\S+)/, 'zh-CN': /指令编号 (\S+)/ }),
  stoppedSpeed: inLang({ en: '0 km/h', 'zh-CN': '0 公里/时' }),
  fuelCut: inLang({ en: 'Cut off', 'zh-CN': '已断油电' }),
  savedTo: inLang({ en: 'Saved to ', 'zh-CN': '已保存到 ' }),
  // mileageReport.ts: "<begin> → <end>", times as formatDateTime writes them without seconds.
  period: inLang({ en: /\d\d:(00|30) .*→ .*\d\d:(00|30)/, 'zh-CN': /\d{4}\/\d\d\/\d\d \d\d:(00|30) .*→ .*\d\d:(00|30)/ }),
  willBeBlocked: (account) => inLang({ en: new RegExp(`${account}.*will be blocked`), 'zh-CN': new RegExp(`${account}.* 将被停用：`) }),
  block: (account) => inLang({ en: `Block ${account}`, 'zh-CN': `停用 ${account}` }),
  unblock: (account) => inLang({ en: `Unblock ${account}`, 'zh-CN': `启用 ${account}` }),
  toAccounts: (n) => inLang({ en: `To ${n} accounts`, 'zh-CN': `发送给 ${n} 个账号` }),
  // The mileage CSV's headers follow the language (lib/mileage.ts).
  mileageHeader: inLang({ en: 'Vehicle,Plate,IMEI,Kilometres,Period begins,Period ends', 'zh-CN': '车辆,车牌,IMEI,公里,开始时间,结束时间' }),
  sentTo: (n) => inLang({ en: `Sent to ${n} accounts.`, 'zh-CN': `已发送给 ${n} 个账号。` }),
};

const sel = {
  item: `${testid('device-list')} ${testid('device-item')}`,
  search: testid('device-search'),
  details: testid('device-details'),
  stop: testid('command-stop-engine'),
  restore: testid('command-restore-engine'),
  dialog: testid('confirm-dialog'),
  input: testid('confirm-input'),
  ok: testid('confirm-ok'),
  cancel: testid('confirm-cancel'),
  warning: testid('confirm-warning'),
  status: testid('command-status'),
  close: testid('command-close'),
  auditOpen: testid('audit-log-open'),
  audit: testid('audit-log'),
  auditRow: `${testid('audit-log')} ${testid('audit-row')}`,
  auditExport: testid('audit-export'),
  auditExported: testid('audit-export-result'),
  auditClose: testid('audit-log-close'),
  mileageOpen: testid('mileage-open'),
  mileageNone: testid('mileage-none'),
  mileageBegin: testid('mileage-begin'),
  mileageEnd: testid('mileage-end'),
  mileageRun: testid('mileage-run'),
  mileageTable: testid('mileage-table'),
  mileageRow: `${testid('mileage-table')} ${testid('mileage-row')}`,
  mileagePeriod: testid('mileage-period'),
  mileageTotal: testid('mileage-total'),
  mileageExport: testid('mileage-export'),
  mileageExported: testid('mileage-export-result'),
  mileageClose: testid('mileage-dialog-close'),
  accountsOpen: testid('accounts-open'),
  accountRow: testid('account-row'),
  accountBlock: testid('account-block'),
  accountsClose: testid('accounts-dialog-close'),
  map: testid('map'),
};

let app = null;
const { exports: EXPORTS, shots, step } = e2eFile('operations', { currentApp: () => app, exports: true });
let vehicle = null; // { imei, plate, name }

/** The commands the demo service received since `mark` (optionally to one path). */
function sentSince(mark, path = '/api/command/send') {
  return demoRequests(app, { path, since: mark });
}

/** Opens `imei`'s panel: searches the list for it and clicks its item. */
async function selectVehicle(imei) {
  await typeInto(app, sel.search, imei);
  const item = await app.waitForVisible(`${sel.item}[data-imei="${imei}"]`, 15_000);
  await item.click();
  await waitFor(`the panel of ${imei}`, async () => (await attr(app, sel.details, 'data-imei')) === imei);
}

step('the app starts in demo mode with its fleet', async () => {
  app = await launchApp(['--demo', `--export-dir=${EXPORTS}`]);
  await signInToDemo(app);
  const session = await invokeInApp(app, 'session_current');
  assert.equal(session?.demo, true, 'signed into the demo');
});

/** Moving vehicles with a plate, by the app's latest live update (fix under 5 minutes old). */
async function movingVehicles() {
  await invokeInApp(app, 'live_refresh_now');
  await sleep(1_500);
  const snap = await invokeInApp(app, 'live_snapshot');
  const devices = await invokeInApp(app, 'fleet_devices');
  const plate = new Map(devices.map((d) => [d.imei, d]));
  return snap.tracks
    .filter((t) => t.datastatus === 2 && t.speed > 0 && t.servertime - t.gpstime < 300 && plate.get(t.imei)?.platenumber)
    .map((t) => ({ imei: t.imei, speed: t.speed, plate: plate.get(t.imei).platenumber, name: plate.get(t.imei).devicename }));
}

step('stopping the engine of a moving vehicle warns in red and needs its plate typed', async () => {
  // The demo fleet keeps office hours: at night, move the demo's clock on until someone drives.
  let moving = await movingVehicles();
  for (let i = 0; moving.length === 0 && i < 24; i++) {
    await invokeInApp(app, 'demo_clock_advance', { secs: 3600 });
    moving = await movingVehicles();
  }
  assert.ok(moving.length > 0, 'a demo vehicle is driving');
  // Prepared on the provider's state at the moment of opening: try the next one if it just parked.
  for (const candidate of moving) {
    await selectVehicle(candidate.imei);
    await (await app.waitForVisible(sel.stop)).click();
    await app.waitForVisible(sel.ok, 15_000);
    // A red warning also comes for a parked vehicle with its ignition on: this step wants one
    // that is driving.
    if (
      (await attr(app, sel.dialog, 'data-danger')) === 'true' &&
      words.movingAt.test(await (await app.find(sel.warning)).text())
    ) {
      vehicle = candidate;
      break;
    }
    await (await app.find(sel.cancel)).click();
    await waitFor('the dialog closed', async () => !(await shown(app, sel.dialog)));
  }
  assert.ok(vehicle, 'a vehicle still moving when its confirmation opened');
  const warning = await (await app.find(sel.warning)).text();
  assert.match(warning, words.movingAt);
  const dialogText = await (await app.find(sel.dialog)).text();
  for (const shown of [vehicle.imei, vehicle.plate]) assert.ok(dialogText.includes(shown), `the dialog names ${shown}`);
  assert.match(dialogText, words.typePlate);
  assert.match(dialogText, words.lastFix);
  const ok = await app.find(sel.ok);
  assert.equal(await ok.property('disabled'), true, 'OK waits for the plate');
  await shots.take(app, 'stop-engine-moving-warning');

  await typeInto(app, sel.input, `${vehicle.plate}X`);
  assert.equal(await ok.property('disabled'), true, 'a wrong plate does not enable OK');
  await typeInto(app, sel.input, vehicle.plate);
  await waitFor('OK enabled by the right plate', async () => (await ok.property('disabled')) === false);
  await shots.take(app, 'stop-engine-plate-typed');
});

let stopCommandId = null;

step('the engine stop is sent once and the device\'s reply appears', async () => {
  const mark = await demoLogMark(app);
  await (await app.find(sel.ok)).click();
  await waitFor('waiting for the reply', async () => ['waiting', 'replied'].includes(await attr(app, sel.status, 'data-state')), { timeoutMs: 15_000 });
  await shots.take(app, 'stop-engine-waiting');
  await waitFor('the device\'s reply', async () => (await attr(app, sel.status, 'data-state')) === 'replied', { timeoutMs: 40_000 });
  const text = await (await app.find(sel.status)).text();
  assert.match(text, /Cut off the fuel supply: Success!/);
  stopCommandId = words.commandId.exec(text)?.[1];
  assert.ok(stopCommandId, 'the command id is shown');
  await shots.take(app, 'stop-engine-replied');
  const sent = await sentSince(mark);
  assert.equal(sent.length, 1, 'exactly one send');
  assert.equal(param(sent[0], 'command'), 'RELAY,1');
  assert.equal(param(sent[0], 'imei'), vehicle.imei);
  await (await app.find(sel.close)).click();
});

step('the vehicle then stands still on the map', async () => {
  const marker = `${sel.map} [data-imei="${vehicle.imei}"]`;
  await waitFor(
    'speed 0 and a stopped marker',
    async () => {
      const field = await app.maybeFind(`${sel.details} [data-field="speed"]`);
      const shown = field ? await field.text() : null;
      const status = await attr(app, marker, 'data-status');
      if (shown === words.stoppedSpeed && status === 'stopped') return true;
      await invokeInApp(app, 'live_refresh_now');
      return false;
    },
    { timeoutMs: 40_000, intervalMs: 2_000 },
  );
  const fuel = await (await app.find(`${sel.details} [data-field="oilpowerstatus"]`)).text();
  assert.equal(fuel, words.fuelCut, 'the panel shows the fuel supply cut');
  await shots.take(app, 'vehicle-stopped-on-map');
});

step('restoring the engine takes a simple confirmation and gets its reply', async () => {
  const mark = await demoLogMark(app);
  await (await app.waitForVisible(sel.restore)).click();
  await app.waitForVisible(sel.ok, 15_000);
  assert.equal(await app.maybeFind(sel.input), null, 'no typing for a restore');
  assert.equal(await attr(app, sel.dialog, 'data-danger'), 'false');
  await shots.take(app, 'restore-engine-confirm');
  await (await app.find(sel.ok)).click();
  await waitFor('the restore reply', async () => (await attr(app, sel.status, 'data-state')) === 'replied', { timeoutMs: 40_000 });
  assert.match(await (await app.find(sel.status)).text(), /Restore fuel supply: Success!/);
  const sent = await sentSince(mark);
  assert.deepEqual(sent.map((r) => param(r, 'command')), ['RELAY,0']);
  await (await app.find(sel.close)).click();
});

step('cancelling an engine stop sends nothing to the provider', async () => {
  const mark = await demoLogMark(app);
  await (await app.waitForVisible(sel.stop)).click();
  await app.waitForVisible(sel.ok, 15_000);
  await shots.take(app, 'stop-engine-before-cancel');
  await (await app.find(sel.cancel)).click();
  await waitFor('the dialog closed', async () => !(await shown(app, sel.dialog)));
  await sleep(2_000);
  const all = await demoRequests(app, { since: mark });
  assert.deepEqual(all.filter((r) => r.path === '/api/command/send'), [], 'no command send after the cancel');
  assert.ok(all.some((r) => r.path === '/api/track'), 'the dialog read the vehicle\'s state (the log is live)');
});

step('the command log shows both commands with their replies and exports CSV', async () => {
  await (await app.find(sel.auditOpen)).click();
  await app.waitForVisible(sel.audit);
  const rows = await waitFor('two audit rows', async () => {
    const r = await app.execute(
      'return Array.from(document.querySelectorAll(arguments[0])).map((e) => ({ command: e.dataset.command, outcome: e.dataset.outcome, imei: e.dataset.imei, text: e.textContent }));',
      [sel.auditRow],
    );
    return r.length >= 2 ? r : null;
  });
  assert.deepEqual(rows.slice(0, 2).map((r) => [r.command, r.outcome, r.imei]), [
    ['RELAY,0', 'replied', vehicle.imei],
    ['RELAY,1', 'replied', vehicle.imei],
  ]);
  assert.ok(rows[1].text.includes(stopCommandId), 'the stop\'s command id');
  assert.ok(rows[1].text.includes('Cut off the fuel supply'), 'the stop\'s reply');
  assert.ok(rows[0].text.includes('demo'), 'the account');
  await shots.take(app, 'command-log');
  await (await app.find(sel.auditExport)).click();
  const saved = await waitFor('the export path', async () => {
    const el = await app.maybeFind(sel.auditExported);
    const text = el ? await el.text() : '';
    return text.startsWith(words.savedTo) ? text.slice(words.savedTo.length) : null;
  });
  assert.equal(path.dirname(saved), EXPORTS);
  const csv = readFileSync(saved, 'utf8').split('\r\n');
  assert.match(csv[0], /^Time \(UTC\),Account,Provider,Target,IMEI,Action,Command,Command ID,Outcome,Reply/);
  assert.ok(csv.some((l) => l.includes('"RELAY,1"') && l.includes(stopCommandId) && l.includes(vehicle.imei)));
  await (await app.find(sel.auditClose)).click();
});

step('a mileage report over several weeks equals the sum etrack-sim reports', async () => {
  await (await app.find(sel.mileageOpen)).click();
  await app.waitForVisible(sel.mileageRun);
  await (await app.find(sel.mileageNone)).click();
  const picked = await app.execute(
    'const boxes = Array.from(document.querySelectorAll(\'[data-testid="mileage-vehicle"]\')).slice(0, 4);' +
      'boxes.forEach((b) => b.click()); return boxes.map((b) => b.dataset.imei);',
  );
  assert.equal(picked.length, 4);
  // 24 days ago 08:10 -> 2 days ago 17:45 in the app's zone: off the half hours on purpose.
  const day = (n) => new Date(Date.now() - n * 86_400_000);
  const local = (d, hh, mm) =>
    `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}T${hh}:${mm}`;
  await setValue(app, sel.mileageBegin, local(day(24), '08', '10'));
  await setValue(app, sel.mileageEnd, local(day(2), '17', '45'));
  await (await app.find(sel.mileageRun)).click();
  await app.waitForVisible(sel.mileageTable, 60_000);
  const begin = Number(await attr(app, sel.mileagePeriod, 'data-begin'));
  const end = Number(await attr(app, sel.mileagePeriod, 'data-end'));
  assert.equal(begin % 1800, 0, 'begin snapped to :00/:30');
  assert.equal(end % 1800, 0, 'end snapped to :00/:30');
  assert.ok(end - begin > 3 * WEEK, 'a period of several weeks');
  const periodText = await (await app.find(sel.mileagePeriod)).text();
  assert.match(periodText, words.period, 'the snapped times are shown');
  const rows = await app.execute(
    'return Array.from(document.querySelectorAll(arguments[0])).map((e) => [e.dataset.imei, Number(e.dataset.km)]);',
    [sel.mileageRow],
  );
  assert.deepEqual(rows.map((r) => r[0]), picked);
  await shots.take(app, 'mileage-report');

  // Ground truth: the same account's fleet through another account that sees it (a second token
  // for "demo" would end the app's), one request per 7-day window as the spec allows.
  const session = await invokeInApp(app, 'session_current');
  const api = await openApi(session.providerUrl, VIRTUAL_ACCOUNT);
  assert.equal(api.auth.code, 0, 'the virtual account signs in');
  const want = new Map(picked.map((i) => [i, 0]));
  for (let b = begin; b < end; b += WEEK) {
    const reply = await api.get('/api/device/mileage', { imeis: picked.join(','), begintime: b, endtime: Math.min(b + WEEK, end) });
    assert.equal(reply.code, 0, JSON.stringify(reply));
    for (const m of reply.record) want.set(m.imei, want.get(m.imei) + m.mileage);
  }
  for (const [imei, km] of rows) {
    assert.ok(Math.abs(km - want.get(imei)) < 0.011, `${imei}: the app says ${km} km, etrack-sim ${want.get(imei)}`);
  }
  const total = [...want.values()].reduce((s, x) => s + x, 0);
  assert.ok(total > 1, `the vehicles drove in that period (${total} km)`);
  assert.ok(Math.abs(Number(await attr(app, sel.mileageTotal, 'data-km')) - total) < 0.05, 'the total');

  await (await app.find(sel.mileageExport)).click();
  const saved = await waitFor('the CSV path', async () => {
    const el = await app.maybeFind(sel.mileageExported);
    const text = el ? await el.text() : '';
    return text.startsWith(words.savedTo) ? text.slice(words.savedTo.length) : null;
  });
  const csv = readFileSync(saved, 'utf8').split('\r\n').filter(Boolean);
  assert.equal(csv.length, 1 + picked.length + 1, 'header, a row per vehicle, the total');
  assert.equal(csv[0], words.mileageHeader, 'the headers in the language of the app');
  for (const [imei, km] of rows) assert.ok(csv.some((l) => l.includes(imei) && l.includes(km.toFixed(2))), `${imei} in the CSV`);
  assert.ok(readdirSync(EXPORTS).some((f) => f.startsWith('etrack-mileage-')));
  await (await app.find(sel.mileageClose)).click();
});

/** Whether `account` can sign in at the demo service now (10016 when blocked). */
async function signInCode(account) {
  const session = await invokeInApp(app, 'session_current');
  return (await openApi(session.providerUrl, account)).auth.code;
}

async function accountBlocked(account) {
  return attr(app, `${testid('account-row')}[data-account="${account}"]`, 'data-blocked');
}

step('blocking and unblocking a demo sub-account goes through a confirmation naming it', async () => {
  await (await app.find(sel.accountsOpen)).click();
  const row = `${sel.accountRow}[data-account="${SUB_ACCOUNT}"]`;
  await app.waitForVisible(row, 20_000);
  assert.equal(await accountBlocked(SUB_ACCOUNT), 'false');
  assert.equal(await signInCode(SUB_ACCOUNT), 0, `${SUB_ACCOUNT} can sign in at first`);
  await shots.take(app, 'accounts');

  // Cancelled: nothing reaches the provider.
  let mark = await demoLogMark(app);
  await (await app.find(`${row} ${sel.accountBlock}`)).click();
  await app.waitForVisible(sel.ok);
  assert.match(await (await app.find(sel.dialog)).text(), words.willBeBlocked(SUB_ACCOUNT));
  assert.equal(await (await app.find(sel.ok)).text(), words.block(SUB_ACCOUNT));
  await shots.take(app, 'block-account-confirm');
  await (await app.find(sel.cancel)).click();
  await waitFor('the confirmation closed', async () => !(await shown(app, sel.dialog)));
  assert.deepEqual(await sentSince(mark, '/api/user/block'), []);

  mark = await demoLogMark(app);
  await (await app.find(`${row} ${sel.accountBlock}`)).click();
  await (await app.waitForVisible(sel.ok)).click();
  await waitFor('the row shows it blocked', async () => (await accountBlocked(SUB_ACCOUNT)) === 'true', { timeoutMs: 15_000 });
  assert.equal((await sentSince(mark, '/api/user/block')).length, 1);
  assert.equal(await signInCode(SUB_ACCOUNT), 10016, 'the provider refuses the blocked account');
  await shots.take(app, 'account-blocked');

  await (await app.find(`${row} ${sel.accountBlock}`)).click();
  await app.waitForVisible(sel.ok);
  assert.equal(await (await app.find(sel.ok)).text(), words.unblock(SUB_ACCOUNT));
  await shots.take(app, 'unblock-account-confirm');
  await (await app.find(sel.ok)).click();
  await waitFor('the row shows it active', async () => (await accountBlocked(SUB_ACCOUNT)) === 'false', { timeoutMs: 15_000 });
  assert.equal(await signInCode(SUB_ACCOUNT), 0, `${SUB_ACCOUNT} can sign in again`);
});

step('a message goes to the ticked accounts, with a live character count', async () => {
  const mark = await demoLogMark(app);
  for (const account of [SUB_ACCOUNT, 'demo-west']) {
    await (await app.find(`${sel.accountRow}[data-account="${account}"] ${testid('account-select')}`)).click();
  }
  const text = 'Depot closes at 18:00 on Friday.';
  await typeInto(app, testid('message-text'), text);
  assert.equal(await (await app.find(testid('message-counter'))).text(), `${text.length} / 300`);
  assert.equal(await (await app.find(testid('message-recipients'))).text(), words.toAccounts(2));
  await shots.take(app, 'message');
  await (await app.find(testid('message-send'))).click();
  await waitFor('the message sent', async () => (await (await app.find(testid('message-result'))).text()) === words.sentTo(2));
  const sent = await sentSince(mark, '/api/message/send');
  assert.equal(sent.length, 1);
  assert.equal(param(sent[0], 'accounts'), `${SUB_ACCOUNT},demo-west`);
  assert.equal(param(sent[0], 'content'), text);
  await (await app.find(sel.accountsClose)).click();
});

step('the command log records the block and the unblock too', async () => {
  await (await app.find(sel.auditOpen)).click();
  const commands = await waitFor('four audit rows', async () => {
    const r = await app.execute('return Array.from(document.querySelectorAll(arguments[0])).map((e) => e.dataset.command);', [sel.auditRow]);
    return r.length >= 4 ? r : null;
  });
  assert.deepEqual(commands.slice(0, 4), ['unblock', 'block', 'RELAY,0', 'RELAY,1']);
  await shots.take(app, 'command-log-with-accounts');
  await (await app.find(sel.auditClose)).click();
});
