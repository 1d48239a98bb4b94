// End-to-end: the app by keyboard alone, in the real app, in demo mode.
//
// sign-in: Tab to "Demo", Enter -> the fleet: every Tab stop has an accessible name and a visible
// focus ring, and the walk reaches the search, the list, the map's layer switcher and the top bar's
// buttons -> the layer switcher: Enter opens it, arrows move, Enter chooses -> the list: arrow keys move the selection, which opens the vehicle's panel -> Tab to
// Playback, Enter: the playback view; its close button by keyboard -> Settings by keyboard: focus
// starts inside the dialog and Tab stays inside it; Escape closes it and focus goes back to the
// button that opened it.
//
// Output: test-output/e2e/keyboard/ (screenshots with the focus ring).
// Run: bash scripts/e2e.sh tests/e2e/keyboard.e2e.mjs   (after npm run build && cargo build)

import assert from 'node:assert/strict';
import { e2eFile, launchApp, shown } from './harness.mjs';
import { testid, waitFor } from './webdriver.mjs';

const KEY = { tab: '\uE004', enter: '\uE007', escape: '\uE00C', down: '\uE015', up: '\uE013', shift: '\uE008' };

let app = null;
const { shots, step } = e2eFile('keyboard', { currentApp: () => app });

/** Presses keys as a user does (real key events through WebDriver actions). */
async function press(...keys) {
  const actions = [];
  for (const k of keys) actions.push({ type: 'keyDown', value: k }, { type: 'keyUp', value: k });
  await app.performActions([{ type: 'key', id: 'keyboard', actions }]);
  await app.releaseActions();
}

async function shiftTab() {
  await app.performActions([
    {
      type: 'key',
      id: 'keyboard',
      actions: [
        { type: 'keyDown', value: KEY.shift },
        { type: 'keyDown', value: KEY.tab },
        { type: 'keyUp', value: KEY.tab },
        { type: 'keyUp', value: KEY.shift },
      ],
    },
  ]);
  await app.releaseActions();
}

/**
 * The focused element as a user meets it: its test id (or tag and class), its accessible name as a
 * screen reader computes the common cases, whether a focus ring shows (outline or box-shadow), and
 * whether it is on screen.
 */
const FOCUSED = `
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) return null;
// Each element met gets a number, so a walk knows when it comes round again.
if (!el.dataset.e2eStop) el.dataset.e2eStop = String((window.__e2eStops = (window.__e2eStops || 0) + 1));
const text = (n) => (n ? n.textContent.replace(/\\s+/g, ' ').trim() : '');
let name = '';
const by = el.getAttribute('aria-labelledby');
if (by) name = by.split(/\\s+/).map((id) => text(document.getElementById(id))).join(' ').trim();
if (!name) name = (el.getAttribute('aria-label') || '').trim();
if (!name && el.labels && el.labels.length) name = text(el.labels[0]);
if (!name && ['INPUT', 'TEXTAREA'].includes(el.tagName)) name = (el.placeholder || el.title || '').trim();
if (!name) name = text(el) || (el.title || '').trim() || (el.querySelector('img[alt]')?.alt ?? '').trim();
const cs = getComputedStyle(el);
const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || (cs.boxShadow && cs.boxShadow !== 'none');
const r = el.getBoundingClientRect();
return {
  id: el.dataset.testid || el.getAttribute('data-layer') ? (el.dataset.testid || '') + (el.getAttribute('data-layer') ? ':' + el.getAttribute('data-layer') : '') : el.tagName.toLowerCase() + '.' + [...el.classList].join('.'),
  name: name.slice(0, 80),
  ring,
  onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
  inDialog: Boolean(el.closest('[role="dialog"]')),
  stop: el.dataset.e2eStop,
  imei: el.dataset.imei ?? null,
};`;

const focused = () => app.execute(FOCUSED);


/** Tabs from where focus is until it comes back round (or `max` stops); the stops met. */
async function tabWalk(max = 150) {
  const stops = [];
  const seen = new Set();
  for (let i = 0; i < max; i++) {
    await press(KEY.tab);
    const f = await focused();
    if (!f) continue;
    if (seen.has(f.stop)) break;
    seen.add(f.stop);
    stops.push(f);
  }
  return stops;
}

/** Tabs until the focused element has this test id; fails after `max` stops. */
async function tabTo(id, max = 150) {
  for (let i = 0; i < max; i++) {
    await press(KEY.tab);
    const f = await focused();
    if (f && f.id.split(':')[0] === id) return f;
  }
  throw new Error(`Tab never reached ${id}`);
}

function problems(stops) {
  return stops.flatMap((s) => [
    ...(s.name ? [] : [`${s.id} has no accessible name`]),
    ...(s.ring ? [] : [`${s.id} (${s.name}) shows no focus ring`]),
    ...(s.onScreen ? [] : [`${s.id} (${s.name}) is focused off screen`]),
  ]);
}

step('signs in to the demo with the keyboard alone', async () => {
  app = await launchApp(['--demo-devices=40']);
  await waitFor('the sign-in form', async () => Boolean(await app.maybeFind(testid('login-demo'))), { timeoutMs: 30_000 });
  const demo = await tabTo('login-demo');
  assert.ok(demo.ring, 'the Demo button shows where the focus is');
  await shots.take(app, 'sign-in-focus');
  await press(KEY.enter);
  await waitFor('the demo fleet listed', async () => (await app.findAll(`${testid('device-list')} ${testid('device-item')}`)).length >= 10, {
    timeoutMs: 30_000,
  });
});

step('every Tab stop of the fleet view has a name and a visible focus ring', async () => {
  const stops = await tabWalk();
  const ids = stops.map((s) => s.id.split(':')[0]);
  for (const want of ['device-search', 'device-list', 'open-settings', 'map-layers-toggle']) {
    assert.ok(ids.includes(want), `Tab reaches ${want}; it met ${ids.join(', ')}`);
  }
  assert.deepEqual(problems(stops), []);
  // The list is one stop (arrow keys move inside it), not 40.
  assert.equal(ids.filter((i) => i === 'device-item' || i === 'device-list').length, 1, 'the fleet list is one Tab stop');
});

step('the map layer switcher works by keyboard', async () => {
  await tabTo('map-layers-toggle');
  await press(KEY.enter);
  const current = await focused();
  assert.equal(current.id, 'layer-option:osm', 'the open list starts on the layer in use');
  await press(KEY.down);
  assert.equal((await focused()).id, 'layer-option:satellite', 'ArrowDown moves to the next layer');
  await shots.take(app, 'layer-switcher-focus');
  await press(KEY.enter);
  await waitFor('satellite chosen', async () => (await app.execute(
    'return document.querySelector(\'[data-testid="map"] [data-testid="layer-option"][data-layer="satellite"]\')?.getAttribute("aria-checked")',
  )) === 'true');
  // And back, the same way.
  await tabTo('map-layers-toggle');
  await press(KEY.enter);
  await press(KEY.up);
  assert.equal((await focused()).id, 'layer-option:osm');
  await press(KEY.enter);
  await waitFor('OpenStreetMap chosen again', async () => (await app.execute(
    'return document.querySelector(\'[data-testid="map"] [data-testid="layer-option"][data-layer="osm"]\')?.getAttribute("aria-checked")',
  )) === 'true');
});

step('arrow keys move through the list, and the vehicle chosen opens', async () => {
  await tabTo('device-list');
  await press(KEY.down);
  const first = await focused();
  assert.equal(first.id, 'device-item', 'ArrowDown on the list picks its first vehicle');
  await waitFor('the details panel', () => shown(app, testid('device-details')));
  await press(KEY.down);
  const second = await focused();
  assert.equal(second.id, 'device-item');
  assert.notEqual(second.imei, first.imei, 'ArrowDown moves to the next vehicle');
  await press(KEY.up);
  assert.equal((await focused()).imei, first.imei, 'ArrowUp moves back');
  assert.equal(await app.execute('return document.activeElement.getAttribute("aria-selected")'), 'true', 'the focused vehicle is the one chosen');
  await shots.take(app, 'details-by-keyboard');
});

step('Playback opens and closes by keyboard', async () => {
  await tabTo('playback-open');
  await press(KEY.enter);
  await waitFor('the playback view', () => shown(app, testid('playback-view')), { timeoutMs: 20_000 });
  const stops = await tabWalk(60);
  assert.deepEqual(problems(stops), []);
  await tabTo('playback-close', 80);
  await shots.take(app, 'playback-close-focus');
  await press(KEY.enter);
  await waitFor('the fleet again', async () => !(await shown(app, testid('playback-view'))));
});

step('Settings: focus starts inside, Tab stays inside, Escape closes and returns focus', async () => {
  await tabTo('open-settings');
  await press(KEY.enter);
  await waitFor('the settings dialog', () => shown(app, testid('settings-dialog')));
  await waitFor('focus inside the dialog', async () => (await focused())?.inDialog === true);
  const stops = await tabWalk(80);
  assert.ok(stops.length >= 5, `the dialog's controls are Tab stops (${stops.length})`);
  assert.deepEqual(
    stops.filter((s) => !s.inDialog).map((s) => s.id),
    [],
    'Tab stays inside the open dialog',
  );
  assert.deepEqual(problems(stops), []);
  await shiftTab();
  assert.ok((await focused())?.inDialog, 'Shift+Tab stays inside too');
  await shots.take(app, 'settings-focus');
  await press(KEY.escape);
  await waitFor('the dialog closed', async () => !(await shown(app, testid('settings-dialog'))));
  assert.equal((await focused())?.id, 'open-settings', 'focus is back on the button that opened it');
});
