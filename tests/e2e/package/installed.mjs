// The installed package, started as a user starts it: scripts/package-test.sh installs the .deb
// with apt and runs this file through scripts/e2e.sh with ETRACK_APP=/usr/bin/etrack-desktop.
//
// first start -> the sign-in screen -> the demo -> the demo fleet listed and drawn on the map
// (screenshot kept) -> the app's data where the README says it lives.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { config, e2eFile, launchApp, signInToDemo } from '../harness.mjs';
import { testid, waitFor } from '../webdriver.mjs';

const DEMO_FLEET_SIZE = 40;
const ITEM = `${testid('device-list')} ${testid('device-item')}`;
// Single vehicles and clusters alike carry data-imei or a cluster class on the map.
const ON_MAP = `${testid('map')} [data-imei], ${testid('map')} .marker-cluster`;

let app = null;
const { shots, step } = e2eFile('installed', { currentApp: () => app, stepTimeoutMs: 90_000 });

step('the installed app starts on the sign-in screen', async () => {
  assert.ok(config.app.length > 0);
  app = await launchApp();
  await waitFor('the sign-in screen', () => app.maybeFind(testid('login-demo')), { timeoutMs: 30_000 });
  assert.match(await app.title(), /etrack/);
  await shots.take(app, 'sign-in');
});

step('the demo shows the whole fleet in the list and on the map', async () => {
  await signInToDemo(app);
  const count = await waitFor(
    `${DEMO_FLEET_SIZE} vehicles listed`,
    async () => {
      const n = (await app.findAll(ITEM)).length;
      return n === DEMO_FLEET_SIZE ? n : null;
    },
    { timeoutMs: 30_000 },
  );
  assert.equal(count, DEMO_FLEET_SIZE);
  const drawn = await waitFor('vehicles drawn on the map', async () => {
    const n = (await app.findAll(ON_MAP)).length;
    return n > 0 ? n : null;
  });
  assert.ok(drawn > 0);
  const file = await shots.take(app, 'fleet');
  console.log(`installed app, demo fleet: ${file}`);
});

step('settings and data live under the user\'s home, as the README says', async () => {
  // The window's size and position and the app's own files are the user's data: removing the
  // package must leave them (scripts/package-test.sh checks that after apt remove).
  const dataHome = process.env.XDG_DATA_HOME ?? path.join(config.home, '.local/share');
  const data = path.join(dataHome, 'dev.etrack.desktop');
  await waitFor(`${data} created`, () => existsSync(data) || null, { timeoutMs: 10_000 });
});
