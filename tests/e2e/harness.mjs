// What the end-to-end tests need around the app: paths and ports from the environment that
// scripts/e2e.sh sets up, the life of a test file (output folder, steps that stop at the first
// failure, the app launched and signed into the demo, screenshots listed at the end), a
// standalone etrack-sim on loopback, a minimal Open API client for ground truth, numbered
// screenshots under test-output/e2e/, and the few ways a user acts on the page (typing, choosing).

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { Session, sleep, testid, waitFor, waitForDriver } from './webdriver.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Settings of a run; every one can be overridden through the environment. */
export const config = {
  driverUrl: process.env.E2E_DRIVER_URL ?? 'http://127.0.0.1:4444',
  app: path.resolve(process.env.ETRACK_APP ?? path.join(REPO, 'target/debug/etrack-desktop')),
  simBin: path.resolve(process.env.ETRACK_SIM_BIN ?? path.join(REPO, 'target/debug/etrack-sim')),
  // Fixed so the provider URL the app remembers stays valid across the restart and in screenshots.
  simPort: Number(process.env.E2E_SIM_PORT ?? 47311),
  outDir: path.resolve(process.env.E2E_OUTPUT ?? path.join(REPO, 'test-output/e2e')),
  // Where this file's logs go (scripts/e2e.sh gives each test file its own folder).
  logDir: path.resolve(process.env.E2E_LOG_DIR ?? path.join(REPO, 'test-output/e2e/logs')),
  // The system language the app runs in (scripts/e2e.sh: E2E_LANG), a BCP 47 tag.
  lang: process.env.E2E_LANG ?? 'en',
  // The hermetic HOME the app runs in (scripts/with-keyring.sh); used to check what it stores.
  home: process.env.HOME,
};

/**
 * What a check expects in the language of the run: `inLang({ en: /Saved/, 'zh-CN': /已保存/ })`.
 * English when the run's language has no entry.
 */
export function inLang(byLang) {
  return byLang[config.lang] ?? byLang.en;
}

// The demo account of etrack-sim (/tmp/contract/sim-api.md: DEMO_ACCOUNT, DEMO_PASSWORD).
export const DEMO_ACCOUNT = 'demo';
export const DEMO_PASSWORD = 'demo-1234';

export function md5hex(text) {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * Starts target/debug/etrack-sim on 127.0.0.1:`port` with extra arguments, its output logged to
 * test-output/e2e/logs/, and waits until it answers HTTP.
 */
export async function startSim({ port = config.simPort, args = [], name = 'sim' } = {}) {
  if (!existsSync(config.simBin)) {
    throw new Error(`${config.simBin} not found: build it with \`cargo build -p etrack-sim\``);
  }
  mkdirSync(config.logDir, { recursive: true });
  const log = createWriteStream(path.join(config.logDir, `${name}.log`));
  const child = spawn(config.simBin, ['--port', String(port), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = signal ?? `exit code ${code}`;
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    `etrack-sim answering on ${url}`,
    async () => {
      if (exited) throw new Error(`etrack-sim stopped (${exited}); see ${log.path}`);
      const reply = await fetch(`${url}/api/authorization`, { signal: AbortSignal.timeout(1_000) });
      return reply.status > 0;
    },
    { timeoutMs: 15_000, intervalMs: 100 },
  );
  return {
    url,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      for (let i = 0; i < 50 && !exited; i++) await sleep(100);
      if (!exited) child.kill('SIGKILL');
    },
  };
}

/** GET an Open API endpoint and return its JSON (whatever its code), failing on HTTP errors. */
async function apiGet(baseUrl, endpoint, params) {
  const url = new URL(endpoint, baseUrl);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v));
  const reply = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  if (!reply.ok) throw new Error(`${endpoint}: HTTP ${reply.status}`);
  return reply.json();
}

/**
 * The Open API straight, as `account` (ground truth for checks): `auth` is the authorization
 * reply as it came (its `code` says whether the account may sign in), `get` calls an endpoint
 * with that token. Note: a token ends any token the app holds for the same account.
 */
export async function openApi(baseUrl, account, password = DEMO_PASSWORD) {
  const time = Math.floor(Date.now() / 1000);
  const auth = await apiGet(baseUrl, '/api/authorization', { time, account, signature: md5hex(md5hex(password) + time) });
  const token = auth.record?.access_token;
  return { auth, get: (endpoint, params) => apiGet(baseUrl, endpoint, { access_token: token, ...params }) };
}

/** The account's device list straight from the provider (an independent view of what the app should show). */
export async function providerDevices(baseUrl, account, password) {
  const api = await openApi(baseUrl, account, password);
  if (api.auth.code !== 0) throw new Error(`/api/authorization: code ${api.auth.code} ${api.auth.message ?? ''}`);
  const list = await api.get('/api/device/list', { account });
  if (list.code !== 0) throw new Error(`/api/device/list: code ${list.code} ${list.message ?? ''}`);
  return Array.isArray(list.record) ? list.record : [];
}

/** Numbered screenshots of the steps, e.g. test-output/e2e/03-map-markers.png. */
export class Shots {
  constructor(dir = config.outDir) {
    this.dir = dir;
    this.count = 0;
    this.taken = [];
    mkdirSync(dir, { recursive: true });
  }

  /** Keeps the page painting (see `keepPainting`), then saves it as `NN-name.png`. */
  async take(session, name) {
    await session.keepPainting();
    const png = await session.screenshot();
    this.count += 1;
    const file = path.join(this.dir, `${String(this.count).padStart(2, '0')}-${name}.png`);
    writeFileSync(file, png);
    this.taken.push(file);
    return file;
  }

  /** What a failed step leaves behind: a screenshot and the page's HTML, best effort. */
  async failure(session, name) {
    const base = path.join(this.dir, `FAILED-${name}`);
    try {
      await session.afterPaint();
    } catch {
      // A stuck page still gets its screenshot attempted.
    }
    try {
      writeFileSync(`${base}.png`, await session.screenshot());
    } catch {
      // The app may be gone; the test's own error says why.
    }
    try {
      writeFileSync(`${base}.html`, String(await session.source()));
    } catch {
      // Same as above.
    }
  }
}

/**
 * Files under `dir` whose bytes contain any of `needles` (skipping the keyring's own encrypted
 * files), to prove that secrets are not written anywhere else.
 */
export async function filesContaining(dir, needles, skipDirs = []) {
  const found = [];
  const buffers = needles.map((n) => Buffer.from(n, 'utf8'));
  async function walk(d) {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!skipDirs.includes(p)) await walk(p);
      } else if (e.isFile()) {
        const s = await stat(p);
        if (s.size > 50 * 1024 * 1024) continue;
        const bytes = await readFile(p);
        for (const [i, b] of buffers.entries()) {
          if (bytes.includes(b)) found.push(`${p} contains ${JSON.stringify(needles[i])}`);
        }
      }
    }
  }
  await walk(dir);
  return found;
}

/**
 * The life of one e2e file, named `name`: its output folder test-output/e2e/<name>/ (emptied
 * first, with exports/ in it when asked for), its screenshots, and `step`: a test that is skipped
 * once an earlier one failed, and whose failure leaves FAILED-<step>.png/.html behind. `currentApp`
 * returns the running app's session (or null). After the last step the app is closed and the
 * screenshots are listed.
 */
export function e2eFile(name, { currentApp, exports = false, stepTimeoutMs = 120_000 }) {
  const out = path.join(config.outDir, name);
  const exportsDir = exports ? path.join(out, 'exports') : null;
  const shots = new Shots(out);
  let broken = null;

  before(async () => {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(exportsDir ?? out, { recursive: true });
    await waitForDriver(config.driverUrl);
  });

  after(async () => {
    await currentApp()?.delete().catch(() => undefined);
    if (shots.taken.length) {
      console.log(`screenshots:\n${shots.taken.map((f) => `  ${path.relative(process.cwd(), f)}`).join('\n')}`);
    }
  });

  function step(title, fn, timeoutMs = stepTimeoutMs) {
    test(title, { timeout: timeoutMs }, async (t) => {
      if (broken) {
        t.skip(`an earlier step failed: ${broken}`);
        return;
      }
      try {
        await fn(t);
      } catch (e) {
        broken = title;
        const app = currentApp();
        if (app) await shots.failure(app, title.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
        throw e;
      }
    });
  }

  return { out, exports: exportsDir, shots, step };
}

/**
 * Starts the app through tauri-driver with command-line `args`; resolves once it answers. `env`
 * sets environment variables for the app's process (see `appWithEnv`).
 */
export async function launchApp(args = [], { env = null } = {}) {
  const application = env && Object.keys(env).length > 0 ? appWithEnv(env) : config.app;
  const app = await Session.create(config.driverUrl, { application, args, timeoutMs: 60_000 });
  await app.setTimeouts({ implicit: 0, pageLoad: 30_000, script: 30_000 });
  // A run meant to be in Chinese that shows English (a missing system locale) fails here, at once.
  await waitFor(`the app in ${config.lang}`, async () => (await app.execute('return document.documentElement.lang')) === config.lang, {
    timeoutMs: 30_000,
  });
  return app;
}

/**
 * The app binary behind a small shell script that exports `env` first. The app is started by
 * WebKitWebDriver, a child of tauri-driver, which scripts/e2e.sh started before this test process:
 * it inherits their environment, not this process's, and the capabilities cannot carry one.
 * Written next to the file's logs; returns its path.
 */
export function appWithEnv(env) {
  const quote = (v) => `'${String(v).replace(/'/g, `'\\''`)}'`;
  const lines = ['#!/bin/sh'];
  for (const [name, value] of Object.entries(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not an environment variable name: ${name}`);
    lines.push(`export ${name}=${quote(value)}`);
  }
  lines.push(`exec ${quote(config.app)} "$@"`);
  mkdirSync(config.logDir, { recursive: true });
  const file = path.join(config.logDir, 'etrack-desktop-with-env');
  writeFileSync(file, `${lines.join('\n')}\n`);
  chmodSync(file, 0o755);
  return file;
}

const FLEET_ITEM = `${testid('device-list')} ${testid('device-item')}`;

/** Signs into the demo from the sign-in screen, unless a fleet is already shown; waits for its list. */
export async function signInToDemo(app) {
  // An account remembered by an earlier run would be restored instead: use the demo.
  const demo = testid('login-demo');
  await waitFor('the fleet or the sign-in form', async () => (await app.maybeFind(FLEET_ITEM)) ?? (await app.maybeFind(demo)), { timeoutMs: 30_000 });
  if (!(await app.maybeFind(FLEET_ITEM))) await (await app.find(demo)).click();
  await waitFor('the demo fleet listed', async () => (await app.findAll(FLEET_ITEM)).length >= 10, { timeoutMs: 30_000 });
}

/** Searches the fleet list for `name` and opens the vehicle shown first under it; returns its IMEI. */
export async function openVehicleNamed(app, name) {
  const search = await app.find(testid('device-search'));
  await search.click();
  await search.sendKeys(name);
  // Items a search hides stay in the list, hidden: click the one on screen with that name.
  const imei = await waitFor(`${name} in the list`, () =>
    app.execute(
      'const el = Array.from(document.querySelectorAll(arguments[0]))' +
        '.find((e) => e.getClientRects().length > 0 && e.textContent.trim().startsWith(arguments[1]));' +
        'return el ? el.getAttribute("data-imei") : null;',
      [FLEET_ITEM, name],
    ),
  );
  await (await app.find(`${FLEET_ITEM}[data-imei="${imei}"]`)).click();
  return imei;
}

// Whether the page shows an element to the user. WebDriver's "displayed" and getClientRects()
// both count the content of a closed <details> (laid out with content-visibility: hidden) as
// shown; checkVisibility() does not.
export const SHOWN = '(e) => e.checkVisibility({ visibilityProperty: true, opacityProperty: true })';

/** Whether an element matching `css` is shown on screen. */
export async function shown(app, css) {
  return Boolean(await app.execute(`return Array.from(document.querySelectorAll(arguments[0])).some(${SHOWN});`, [css]));
}

/** An attribute of the first element matching `css`, or null when there is none. */
export async function attr(app, css, name) {
  const el = await app.maybeFind(css);
  return el ? el.attribute(name) : null;
}

/** What an element shows (innerText), or null when there is none. */
export function textOf(app, css) {
  return app.execute('const el = document.querySelector(arguments[0]); return el ? el.innerText : null;', [css]);
}

/**
 * Replaces a field's text key by key, as a user does: Ctrl+A, Backspace, the text (then Enter
 * when asked). A field emptied like this fires input events. Returns the field.
 */
export async function typeInto(app, css, text, { enter = false } = {}) {
  const el = await app.find(css);
  await el.click();
  await el.sendKeys('\uE009a\uE000\uE003');
  if (text || enter) await el.sendKeys(enter ? `${text}\uE007` : text);
  return el;
}

/** Sets a <select> the way a user's choice does: the value, then a change event. */
export async function choose(app, css, value) {
  await app.execute(
    'const s = document.querySelector(arguments[0]); s.value = arguments[1]; s.dispatchEvent(new Event("change", { bubbles: true }));',
    [css, value],
  );
}

/** Sets an input the way a date picker does: the value, then an input event. */
export async function setValue(app, css, value) {
  await app.execute(
    'const el = document.querySelector(arguments[0]); el.value = arguments[1];' +
      'el.dispatchEvent(new Event("input", { bubbles: true }));',
    [css, value],
  );
}
