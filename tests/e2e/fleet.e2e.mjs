// End-to-end: the real app, launched by tauri-driver, as a fleet manager uses it.
//
// demo sign-in -> the demo fleet in the list -> markers on the map -> search -> device details ->
// sign out -> sign in through the form against a standalone etrack-sim with "Remember me" ->
// restart -> signed in again without a prompt (the keychain) -> sign out -> restart -> asked again.
//
// Run through scripts/e2e.sh (it provides Xvfb, the keyring, tauri-driver and a throwaway HOME).
// Steps run in order; once one fails the rest are skipped, and the failed step leaves
// FAILED-<step>.png/.html next to the numbered screenshots in test-output/e2e/fleet/.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before } from 'node:test';
import {
  config,
  DEMO_ACCOUNT,
  DEMO_PASSWORD,
  e2eFile,
  filesContaining,
  inLang,
  launchApp,
  md5hex,
  providerDevices,
  SHOWN,
  shown,
  startSim,
  typeInto,
} from './harness.mjs';
import { invokeInApp } from './demoLog.mjs';
import { testid, waitFor } from './webdriver.mjs';

const DEMO_FLEET_SIZE = 40;
// The standalone sim differs from the demo on purpose (seed and size), so a list that matches it
// cannot be the demo fleet.
const SIM_ARGS = ['--seed', '11', '--devices', '25'];
const LIST_TIMEOUT_MS = 30_000;

const sel = {
  account: testid('login-account'),
  password: testid('login-password'),
  provider: testid('login-provider'),
  remember: testid('login-remember'),
  submit: testid('login-submit'),
  demo: testid('login-demo'),
  error: testid('login-error'),
  // The provider field sits in a collapsed "Advanced" section of the form.
  advanced: testid('login-advanced'),
  list: testid('device-list'),
  item: `${testid('device-list')} ${testid('device-item')}`,
  search: testid('device-search'),
  map: testid('map'),
  marker: `${testid('map')} [data-imei]`,
  details: testid('device-details'),
  signOut: testid('sign-out'),
};

let app = null; // the current WebDriver session, i.e. the running app
let sim = null;
let simDevices = []; // the sim account's devices, straight from the provider
const { shots, step } = e2eFile('fleet', { currentApp: () => app, stepTimeoutMs: 90_000 });

/** Starts the app with no arguments, as a user does. */
async function restartApp() {
  await quitApp();
  app = await launchApp();
}

async function quitApp() {
  if (!app) return;
  const s = app;
  app = null;
  await s.delete();
}

/** The IMEIs of the device items on screen (not hidden by a search or filter). */
function listImeis() {
  return app.execute(
    `return Array.from(document.querySelectorAll(arguments[0])).filter(${SHOWN})` +
      '.map((e) => e.getAttribute("data-imei"));',
    [sel.item],
  );
}

/** Waits until the visible device items satisfy `ok(imeis)`; returns those IMEIs. */
async function waitForList(what, ok, timeoutMs = LIST_TIMEOUT_MS) {
  let seen = null;
  try {
    return await waitFor(
      what,
      async () => {
        seen = await listImeis();
        return ok(seen) ? seen : null;
      },
      { timeoutMs, intervalMs: 250 },
    );
  } catch (e) {
    const count = seen === null ? 'no list read' : `${seen.length} visible items`;
    throw new Error(`${e.message}; the list had ${count}`, { cause: e });
  }
}

/** Replaces an input's text the way a user does, and checks the field holds it. */
async function typeText(css, text) {
  const el = await typeInto(app, css, text);
  assert.equal(await el.property('value'), text, `${css} holds what was typed`);
  return el;
}

async function signedInScreen(expectedCount) {
  const imeis = await waitForList(`${expectedCount} devices in the list`, (l) => l.length === expectedCount);
  assert.equal(await shown(app, sel.account), false, 'no sign-in form once signed in');
  return imeis;
}

before(async () => {
  sim = await startSim({ args: SIM_ARGS });
  // Ground truth taken before the app signs in: a new token ends the previous one at the provider.
  simDevices = await providerDevices(sim.url, DEMO_ACCOUNT, DEMO_PASSWORD);
  assert.equal(simDevices.length, 25, 'the standalone sim serves the fleet size it was started with');
});

after(async () => {
  // After e2eFile's own hook, which closes the app: the app goes before its provider.
  await sim?.stop();
});

step('a first start shows the sign-in screen', async () => {
  await restartApp();
  for (const css of [sel.account, sel.password, sel.submit, sel.demo]) {
    await app.waitForVisible(css, 20_000);
  }
  assert.equal(await shown(app, sel.list), false, 'no device list before signing in');
  assert.match(String(await app.title()), inLang({ en: /^etrack — fleet$/, 'zh-CN': /^etrack — 车队$/ }), 'the window title names the app, in the language');
  await shots.take(app, 'sign-in');
});

step('"Try the demo" signs in and lists the demo fleet', async () => {
  await (await app.find(sel.demo)).click();
  const imeis = await signedInScreen(DEMO_FLEET_SIZE);
  assert.equal(new Set(imeis).size, DEMO_FLEET_SIZE, 'every device listed once');
  for (const imei of imeis) assert.match(imei, /^\d{15}$/, 'items carry the IMEI');
  await shots.take(app, 'demo-fleet');
});

step('a second launch brings the open window forward instead of starting a second app', async () => {
  // As a double click on the icon does: the same binary, the same desktop session.
  const started = Date.now();
  const second = spawn(config.app, [], { stdio: 'ignore', env: process.env });
  const code = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      second.kill('SIGKILL');
      reject(new Error('the second launch was still running after 15 s: a second app'));
    }, 15_000);
    second.on('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  assert.equal(code, 0, 'the second launch hands over and exits');
  // The first app is untouched and still answers, and says it was asked to come forward.
  assert.equal((await listImeis()).length, DEMO_FLEET_SIZE);
  const log = await readFile(path.join(process.env.E2E_LOG_DIR ?? '', 'app.log'), 'utf8');
  assert.match(log, /a second launch: the open window was brought forward/);
  console.log(`second launch exited after ${Date.now() - started} ms`);
});

step('the map shows markers of the fleet', async () => {
  await app.waitForVisible(sel.map);
  const listed = new Set(await listImeis());
  const markers = await waitFor('markers with data-imei on the map', async () => {
    const found = await app.findAll(sel.marker);
    return found.length > 0 ? found : null;
  });
  for (const m of markers) {
    const imei = await m.attribute('data-imei');
    assert.ok(listed.has(imei), `marker ${imei} is a device of the list`);
  }
  await shots.take(app, 'map-markers');
});

let picked = null; // a device of the demo fleet: { imei, text }

step('search filters the list by IMEI and by name, and clearing it shows all', async () => {
  const items = await app.findAll(sel.item);
  const item = items[7] ?? items[0];
  picked = {
    imei: await item.attribute('data-imei'),
    // innerText keeps the item's lines apart; its first line is the vehicle's name (or plate).
    name: String(await app.execute('return arguments[0].innerText.split("\\n")[0].trim();', [item])),
  };

  await typeText(sel.search, picked.imei);
  const byImei = await waitForList('only the searched IMEI listed', (l) => l.length === 1);
  assert.deepEqual(byImei, [picked.imei]);
  await shots.take(app, 'search-imei');

  const name = picked.name;
  assert.ok(name.length > 0, 'the item shows a name');
  await typeText(sel.search, name);
  const byName = await waitForList(`a search for "${name}" narrowing the list`, (l) => l.length < DEMO_FLEET_SIZE);
  assert.ok(byName.includes(picked.imei), `"${name}" finds its vehicle`);

  await typeText(sel.search, 'no such vehicle zzz');
  await waitForList('an empty list for a search that matches nothing', (l) => l.length === 0);

  await typeText(sel.search, '');
  await waitForList('the whole fleet again after clearing the search', (l) => l.length === DEMO_FLEET_SIZE);
});

step('selecting a device shows its details and its marker', async () => {
  await typeText(sel.search, picked.imei);
  await waitForList('the picked device alone', (l) => l.length === 1);
  await (await app.find(`${sel.item}[data-imei="${picked.imei}"]`)).click();
  await app.waitForVisible(sel.details);
  await waitFor(`details of ${picked.imei}`, async () => {
    const dd = await app.maybeFind(`${sel.details} [data-field="imei"]`);
    return dd !== null && (await dd.text()).trim() === picked.imei;
  });
  await waitFor(`the marker of ${picked.imei} on the map`, async () =>
    (await app.findAll(`${sel.map} [data-imei="${picked.imei}"]`)).length > 0,
  );
  await shots.take(app, 'device-details');
  await typeText(sel.search, '');
});

step('live refresh moves a moving vehicle: its position in the details changes', async () => {
  // The status chip's word ("Moving", 行驶) on an item the app marks as moving.
  const movingWord = inLang({ en: /\bMoving\b/, 'zh-CN': /行驶/ });
  const movingItems = () =>
    app.execute(
      `return Array.from(document.querySelectorAll(arguments[0])).filter(${SHOWN})` +
        '.filter((e) => e.classList.contains("status-moving") && new RegExp(arguments[1]).test(e.innerText))' +
        '.map((e) => e.getAttribute("data-imei"));',
      [sel.item, movingWord.source],
    );
  let moving = await movingItems();
  // The demo fleet keeps office hours (and lunch breaks): when nobody drives at this hour, move
  // the demo's clock on an hour at a time until someone does.
  for (let hour = 0; moving.length === 0 && hour < 24; hour++) {
    await invokeInApp(app, 'demo_clock_advance', { secs: 3600 });
    await (await app.find(testid('refresh-now'))).click();
    moving = await waitFor('a refresh after the clock moved', async () => {
      const m = await movingItems();
      return m.length > 0 ? m : null;
    }, { timeoutMs: 8_000, intervalMs: 300 }).catch(() => []);
  }
  assert.ok(moving.length > 0, 'the demo fleet has moving vehicles');
  const imei = moving[0];
  await (await app.find(`${sel.item}[data-imei="${imei}"]`)).click();
  const position = async () => {
    const dd = await app.maybeFind(`${sel.details} [data-field="position"]`);
    const imeiShown = await app.maybeFind(`${sel.details} [data-field="imei"]`);
    if (!dd || !imeiShown || (await imeiShown.text()).trim() !== imei) return null;
    return (await dd.text()).trim();
  };
  const first = await waitFor(`the coordinates of ${imei}`, position);
  await shots.take(app, 'moving-vehicle');
  // The demo devices report every 10-20 s and the app polls every 10 s; "Refresh now" (a user's
  // button) shortens the wait when the app has it.
  let lastPush = Date.now();
  const moved = await waitFor(
    `a new position of moving vehicle ${imei} (was ${first})`,
    async () => {
      if (Date.now() - lastPush > 5_000) {
        lastPush = Date.now();
        const refresh = await app.maybeFind(testid('refresh-now'));
        if (refresh && (await refresh.displayed())) await refresh.click();
      }
      const now = await position();
      return now && now !== first ? now : null;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  assert.notEqual(moved, first);
  await waitFor(`the marker of ${imei} still on the map`, async () =>
    (await app.findAll(`${sel.map} [data-imei="${imei}"]`)).length > 0,
  );
  await shots.take(app, 'moving-vehicle-moved');
});

step('sign out returns to the sign-in screen', async () => {
  await (await app.waitForVisible(sel.signOut)).click();
  await app.waitForVisible(sel.account, 15_000);
  assert.equal(await shown(app, sel.list), false, 'the fleet is gone after signing out');
  await shots.take(app, 'signed-out');
});

/** Shows the provider field (it sits under "Advanced") and fills the whole form. */
async function fillForm({ provider, account, password, remember }) {
  if (!(await shown(app, sel.provider))) {
    await (await app.waitForVisible(sel.advanced)).click();
    await waitFor('the provider field shown under "Advanced"', () => shown(app, sel.provider));
  }
  await typeText(sel.provider, provider);
  await typeText(sel.account, account);
  await typeText(sel.password, password);
  const box = await app.find(sel.remember);
  if (Boolean(await box.property('checked')) !== remember) await box.click();
  assert.equal(Boolean(await box.property('checked')), remember, '"Remember me" as wanted');
}

step('a wrong password is refused in plain words and the form keeps the input', async () => {
  await fillForm({ provider: sim.url, account: DEMO_ACCOUNT, password: 'not-the-password', remember: true });
  await (await app.find(sel.submit)).click();
  const error = await app.waitForVisible(sel.error, 20_000);
  const refused = inLang({ en: /account or password is wrong.*\(code 20001\)/i, 'zh-CN': /账户或密码错误。（代码 20001）/ });
  await waitFor('the error text', async () => refused.test(await error.text()));
  assert.equal(await (await app.find(sel.account)).property('value'), DEMO_ACCOUNT, 'account kept');
  assert.equal(await (await app.find(sel.provider)).property('value'), sim.url, 'provider kept');
  assert.equal(await shown(app, sel.list), false, 'not signed in');
  await shots.take(app, 'wrong-password');
});

step('an unreachable provider is named in the error', async () => {
  // Port 9 (discard) on loopback: nothing listens there in a test run.
  const dead = 'http://127.0.0.1:9';
  await fillForm({ provider: dead, account: DEMO_ACCOUNT, password: DEMO_PASSWORD, remember: true });
  await (await app.find(sel.submit)).click();
  const error = await app.waitForVisible(sel.error, 30_000);
  await waitFor('an error naming the provider', async () => {
    const text = await error.text();
    return inLang({ en: /cannot reach/i, 'zh-CN': /无法连接服务商/ }).test(text) && text.includes('127.0.0.1:9') ? text : null;
  }, { timeoutMs: 30_000 });
  await shots.take(app, 'provider-unreachable');
});

step('signing in through the form with "Remember me" shows that account\'s fleet', async () => {
  await fillForm({ provider: sim.url, account: DEMO_ACCOUNT, password: DEMO_PASSWORD, remember: true });
  await shots.take(app, 'sign-in-form-filled');
  await (await app.find(sel.submit)).click();
  const imeis = await signedInScreen(simDevices.length);
  assert.deepEqual(new Set(imeis), new Set(simDevices.map((d) => d.imei)), 'the list is the provider\'s fleet');
  await shots.take(app, 'signed-in-with-form');
});

step('the details panel shows what the provider knows of a device', async () => {
  const device = simDevices.find((d) => d.platenumber && d.simcard) ?? simDevices[0];
  await (await app.find(`${sel.item}[data-imei="${device.imei}"]`)).click();
  await app.waitForVisible(sel.details);
  const want = {
    imei: device.imei,
    devicename: device.devicename || '—',
    platenumber: device.platenumber || '—',
    devicetype: device.devicetype || '—',
    simcard: device.simcard || '—',
  };
  const shown = await waitFor(`details of ${device.imei} as the provider has them`, async () => {
    const got = {};
    for (const field of Object.keys(want)) {
      const dd = await app.maybeFind(`${sel.details} [data-field="${field}"]`);
      got[field] = dd ? (await dd.text()).trim() : null;
    }
    return got.imei === device.imei ? got : null;
  });
  assert.deepEqual(shown, want);
  await shots.take(app, 'device-details-provider');
});

step('neither the password nor its hash is written outside the keychain', async () => {
  assert.ok(config.home, 'HOME is the throwaway home of this run');
  const leaks = await filesContaining(config.home, [DEMO_PASSWORD, md5hex(DEMO_PASSWORD)], [
    // The keyring's own files are encrypted; what is inside is checked through the restart.
    path.join(config.home, 'data', 'keyrings'),
  ]);
  assert.deepEqual(leaks, []);
});

step('after a restart the remembered account is signed in without a prompt', async () => {
  await restartApp();
  const imeis = await signedInScreen(simDevices.length);
  assert.deepEqual(new Set(imeis), new Set(simDevices.map((d) => d.imei)), 'the remembered account\'s fleet');
  await shots.take(app, 'restarted-signed-in');
});

step('signing out forgets the account: the next start asks again', async () => {
  await (await app.waitForVisible(sel.signOut)).click();
  await app.waitForVisible(sel.account, 15_000);
  await restartApp();
  await app.waitForVisible(sel.account, 20_000);
  // Give a restore that should not happen time to happen.
  await new Promise((r) => setTimeout(r, 2_000));
  assert.equal(await shown(app, sel.list), false, 'not signed in after signing out and restarting');
  await shots.take(app, 'restarted-after-sign-out');
});
