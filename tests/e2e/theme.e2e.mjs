// End-to-end: the dark theme in the real app, in demo mode, under Xvfb (whose "system" is light).
//
// demo fleet, light (the system's) -> Settings: Theme "Dark", Save: <html data-theme="dark"> at
// once, the page, the list and the map's sea and land are dark, native controls are told so
// (color-scheme) -> a vehicle's Playback in dark: the route drawn, the chart and the panels dark ->
// restart: still dark, from the saved settings (the file says so, the dialog shows it) -> "Same as
// the system": light again, without a restart.
//
// Output: test-output/e2e/theme/ (dark-fleet, dark-playback, ... screenshots).
// Run: bash scripts/e2e.sh tests/e2e/theme.e2e.mjs   (after npm run build && cargo build)

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { attr, choose, config, e2eFile, inLang, launchApp, openVehicleNamed, shown, signInToDemo } from './harness.mjs';
import { testid, waitFor } from './webdriver.mjs';

const sel = {
  list: testid('device-list'),
  openSettings: testid('open-settings'),
  settings: testid('settings-dialog'),
  theme: testid('settings-theme'),
  save: testid('settings-save'),
  close: testid('settings-dialog-close'),
  details: testid('device-details'),
  playbackOpen: testid('playback-open'),
  playback: testid('playback-view'),
  preset: testid('playback-preset'),
  progress: testid('playback-progress'),
  chart: testid('playback-chart'),
  playbackClose: testid('playback-close'),
};

let app = null;
const { shots, step } = e2eFile('theme', { currentApp: () => app });

/** The app's settings file in the test's home (XDG_CONFIG_HOME, set by scripts/with-keyring.sh). */
function settingsFile() {
  const base = process.env.XDG_CONFIG_HOME ?? path.join(config.home, '.config');
  return JSON.parse(readFileSync(path.join(base, 'dev.etrack.desktop', 'settings.json'), 'utf8'));
}

/** In the page: WCAG relative luminance (0 black, 1 white) of a computed colour. */
const LUM = `const lum = (css) => {
  const [r, g, b] = /rgba?\\(([^)]+)\\)/.exec(css)[1].split(',').map((p) => Number(p.trim()) / 255);
  const lin = (c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
};
const opaque = (el) => {
  for (let e = el; e; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (!/^rgba\\(.*,\\s*0\\)$/.test(bg) && bg !== 'transparent') return bg;
  }
  return getComputedStyle(document.documentElement).backgroundColor;
};`;

/**
 * What the page shows: the theme attribute, whether the system is dark, its color-scheme, and the
 * luminance of the background behind the page, the fleet list and the map, and of the text.
 */
async function looks() {
  return app.execute(
    `${LUM}
     const list = document.querySelector(arguments[0]);
     const map = document.querySelector('.app-map');
     return {
       theme: document.documentElement.dataset.theme ?? null,
       osDark: matchMedia('(prefers-color-scheme: dark)').matches,
       colorScheme: getComputedStyle(document.documentElement).colorScheme,
       body: lum(opaque(document.body)),
       text: lum(getComputedStyle(document.body).color),
       list: list ? lum(opaque(list)) : null,
       sea: map ? lum(opaque(map)) : null,
     };`,
    [sel.list],
  );
}

/**
 * The pixels the offline basemap's canvas painted (land and dashed borders), sampled: how many,
 * and the share of bright ones (luminance over 0.4: the light set's land); null before it painted.
 */
async function basemapPixels() {
  return app.execute(
    `const canvas = document.querySelector('.leaflet-offline-pane canvas');
     if (!canvas || !canvas.width) return null;
     const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
     const lin = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
     let painted = 0, bright = 0;
     for (let i = 0; i < data.length; i += 4 * 97) {
       if (data[i + 3] < 250) continue;
       painted++;
       if (0.2126 * lin(data[i]) + 0.7152 * lin(data[i + 1]) + 0.0722 * lin(data[i + 2]) > 0.4) bright++;
     }
     return painted ? { painted, bright: bright / painted } : null;`,
  );
}

async function openSettings() {
  await (await app.waitForVisible(sel.openSettings)).click();
  await app.waitForVisible(sel.settings);
}

/** Settings -> Theme -> `value` -> Save; waits for the dialog to close. */
async function chooseTheme(value) {
  await openSettings();
  await choose(app, sel.theme, value);
  await (await app.find(sel.save)).click();
  await waitFor('Settings saved and closed', async () => !(await shown(app, sel.settings)));
}

step('the demo starts in the system\'s theme: light under Xvfb', async () => {
  app = await launchApp(['--demo']);
  await signInToDemo(app);
  const l = await looks();
  assert.equal(l.osDark, false, 'the test display has no dark setting');
  assert.equal(l.theme, 'light');
  assert.equal(l.colorScheme, 'light');
  assert.ok(l.body > 0.8 && l.list > 0.8, `a light page: ${JSON.stringify(l)}`);
});

step('Settings -> Theme "Dark" -> Save: dark at once, the page, list and map included', async () => {
  await openSettings();
  const select = await app.find(sel.theme);
  assert.equal(await select.property('value'), 'system', 'the default is the system\'s theme');
  assert.deepEqual(
    await app.execute('return Array.from(document.querySelectorAll(arguments[0] + " option")).map((o) => [o.value, o.textContent]);', [sel.theme]),
    inLang({
      en: [
        ['system', 'Same as the system'],
        ['light', 'Light'],
        ['dark', 'Dark'],
      ],
      'zh-CN': [
        ['system', '跟随系统'],
        ['light', '浅色'],
        ['dark', '深色'],
      ],
    }),
  );
  await (await app.find(sel.close)).click();
  await waitFor('the dialog closed', async () => !(await shown(app, sel.settings)));
  await waitFor('the offline basemap painted', () => basemapPixels(), { timeoutMs: 20_000 });
  const lightLand = await basemapPixels();
  assert.ok(lightLand.bright > 0.5, `the light basemap has light land: ${JSON.stringify(lightLand)}`);

  await chooseTheme('dark');
  const l = await looks();
  assert.equal(l.theme, 'dark');
  assert.equal(await app.execute('return document.querySelectorAll("html[data-theme=dark]").length;'), 1);
  assert.equal(l.colorScheme, 'dark', 'native controls follow');
  assert.ok(l.body < 0.03, `a dark page: ${JSON.stringify(l)}`);
  assert.ok(l.list < 0.03, `a dark list: ${JSON.stringify(l)}`);
  assert.ok(l.sea < 0.03, `a dark sea: ${JSON.stringify(l)}`);
  assert.ok(l.text > 0.7, `light text: ${JSON.stringify(l)}`);
  assert.ok((l.text + 0.05) / (l.body + 0.05) >= 7, 'text stands out well from the page');
  // The canvas of the offline map was painted again, in the dark set's land colours.
  const darkLand = await waitFor(
    'the basemap repainted dark',
    async () => {
      const p = await basemapPixels();
      return p && p.bright === 0 ? p : null;
    },
    { timeoutMs: 10_000 },
  );
  assert.ok(darkLand.painted > 100, `land painted: ${JSON.stringify(darkLand)}`);
  assert.equal(settingsFile().settings.theme, 'dark', 'saved with the other settings');
  await shots.take(app, 'dark-fleet');
});

step('a vehicle selected, its details and its Playback in dark', async () => {
  await openVehicleNamed(app, 'Taxi 01');
  await app.waitForVisible(sel.details);
  await shots.take(app, 'dark-details');
  await (await app.waitForVisible(sel.playbackOpen)).click();
  await app.waitForVisible(sel.playback, 15_000);
  await choose(app, sel.preset, 'yesterday');
  await waitFor('the day loaded', async () => (await attr(app, sel.progress, 'data-state')) === 'done', { timeoutMs: 60_000, intervalMs: 200 });
  const count = await attr(app, sel.progress, 'data-count');
  await waitFor('the route drawn', async () => (await attr(app, sel.playback, 'data-points')) === count, { timeoutMs: 20_000 });
  const panels = await app.execute(
    `${LUM}
     return {
       chart: lum(opaque(document.querySelector(arguments[0]))),
       side: lum(opaque(document.querySelector('.pb-side'))),
       theme: document.documentElement.dataset.theme,
     };`,
    [sel.chart],
  );
  assert.equal(panels.theme, 'dark');
  assert.ok(panels.chart < 0.03 && panels.side < 0.03, `dark playback panels: ${JSON.stringify(panels)}`);
  await shots.take(app, 'dark-playback');
  await (await app.find(sel.playbackClose)).click();
  await app.waitForVisible(sel.list);
});

step('restart: still dark, from the saved settings', async () => {
  await app.delete();
  app = null;
  app = await launchApp(['--demo']);
  await signInToDemo(app);
  const l = await looks();
  assert.equal(l.theme, 'dark');
  assert.ok(l.body < 0.03 && l.list < 0.03, `dark after a restart: ${JSON.stringify(l)}`);
  await openSettings();
  assert.equal(await (await app.find(sel.theme)).property('value'), 'dark', 'the dialog shows the saved choice');
  await shots.take(app, 'dark-settings');
  await (await app.find(sel.close)).click();
  await waitFor('the dialog closed', async () => !(await shown(app, sel.settings)));
});

step('"Same as the system": light again under Xvfb, at once', async () => {
  await chooseTheme('system');
  const l = await looks();
  assert.equal(l.osDark, false);
  assert.equal(l.theme, 'light');
  assert.equal(l.colorScheme, 'light');
  assert.ok(l.body > 0.8 && l.list > 0.8, `a light page: ${JSON.stringify(l)}`);
  assert.equal(settingsFile().settings.theme, 'system');
  await waitFor(
    'the basemap repainted light',
    async () => {
      const p = await basemapPixels();
      return p && p.bright > 0.5 ? p : null;
    },
    { timeoutMs: 10_000 },
  );
  await shots.take(app, 'system-light-fleet');
});
