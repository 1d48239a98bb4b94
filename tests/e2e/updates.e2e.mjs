// End-to-end: the app's own updates and its About dialog, in the real app against a local update
// service (node:http on 127.0.0.1) that offers version 9.9.9, signed with a throwaway key.
//
// start (demo) -> the quiet check at start finds 9.9.9: a notice in the top bar -> Settings ->
// "Check for updates" shows 9.9.9 with its notes -> Install: the package's signature does not match,
// the app says so and installs nothing -> (control) a correctly signed package passes the signature
// check, and this build, not installed from a package, says it cannot install it -> About still
// shows the running version, with the open-source notices -> "Check for updates when etrack
// starts" off, restart: no request reaches the service -> on, restart: exactly one, and the notice.
//
// The app reads ETRACK_UPDATE_ENDPOINT and ETRACK_UPDATE_PUBKEY (e2e builds only) at each check;
// they reach it through launchApp's `env` (a wrapper script: the app is a child of tauri-driver,
// not of this process). Output: test-output/e2e/updates/.
// Run: bash scripts/e2e.sh tests/e2e/updates.e2e.mjs   (after npm run build && cargo build)

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { REPO, e2eFile, inLang, launchApp, shown, signInToDemo, textOf, typeInto } from './harness.mjs';
import { sleep, testid, waitFor } from './webdriver.mjs';

const NEW_VERSION = '9.9.9';
// Angle brackets on purpose: the notes must be shown as text, never as HTML.
const NOTES = 'Faster playback of long periods.\nThe alarm list keeps its <b>filters</b>.';
const PACKAGE = `etrack_${NEW_VERSION}_amd64.deb`;
/** The running version: the workspace's (Cargo.toml), which the app reports. */
const CURRENT_VERSION = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(path.join(REPO, 'Cargo.toml'), 'utf8'))[1];

const sel = {
  notice: testid('update-notice'),
  openSettings: testid('open-settings'),
  settings: testid('settings-dialog'),
  auto: testid('settings-update-auto'),
  save: testid('settings-save'),
  check: testid('update-check'),
  status: testid('update-status'),
  notes: testid('update-notes'),
  install: testid('update-install'),
  restart: testid('update-restart'),
  settingsClose: testid('settings-dialog-close'),
  aboutOpen: testid('about-open'),
  about: testid('about-dialog'),
  aboutVersion: testid('about-version'),
  aboutFilter: testid('about-notices-filter'),
  aboutItem: testid('about-notice'),
  aboutCount: testid('about-notices-count'),
  aboutClose: testid('about-dialog-close'),
};

// What the app says, in the language of the run (ui/src/i18n/locales/en.ts, zh-CN.ts). Why an
// update failed is the backend's English sentence; in another language errorText() puts it in
// brackets after the kind of error.
const V = NEW_VERSION.replace(/\./g, '\\.');
const words = {
  // The top bar's notice: "Update 9.9.9" and, when there is room, " available".
  notice: inLang({ en: new RegExp(`^Update ${V}( available)?$`), 'zh-CN': new RegExp(`^新版本 ${V}( 可更新)?$`) }),
  noticeLabel: inLang({ en: `Update ${NEW_VERSION} available`, 'zh-CN': `新版本 ${NEW_VERSION} 可更新` }),
  available: inLang({ en: new RegExp(`^Version ${V} is available`), 'zh-CN': new RegExp(`^新版本 ${V} 可用`) }),
  availablePublished: inLang({
    en: new RegExp(`^Version ${V} is available \\(published .*2026.*\\)\\.$`),
    'zh-CN': new RegExp(`^新版本 ${V} 可用（发布于 .*2026.*）。$`),
  }),
  install: inLang({ en: 'Install and restart', 'zh-CN': '安装并重启' }),
  percentAtEnd: inLang({ en: /\d+ %$/, 'zh-CN': /\d+%$/ }),
  downloading: inLang({ en: new RegExp(`^Downloading version ${V}… \\d+ %$`), 'zh-CN': new RegExp(`^正在下载版本 ${V}… \\d+%$`) }),
  noticesTitle: inLang({ en: 'open-source notices', 'zh-CN': '开源声明' }),
  // "612 libraries (540 Rust crates, 72 npm packages)." / "612 个库（540 个 Rust crate，72 个 npm 包）。"
  noticesCount: inLang({
    en: /^[\d,]+ libraries \([\d,]+ Rust crates, [\d,]+ npm packages\)\.$/,
    'zh-CN': /^[\d,]+ 个库（[\d,]+ 个 Rust crate，[\d,]+ 个 npm 包）。$/,
  }),
};

let app = null;
const { out, shots, step } = e2eFile('updates', { currentApp: () => app });

// ---- the update service -------------------------------------------------------------------------

const keys = mkdtempSync(path.join(tmpdir(), 'etrack-update-keys-'));
const tauriCli = path.join(REPO, 'node_modules/.bin/tauri');
/** What the service counts and serves; `signature` is switched between steps. */
const service = { manifestRequests: 0, downloads: 0, signature: '', port: 0, server: null };

/** A throwaway key pair, no password (`tauri signer generate --ci`): returns [private, public]. */
function generateKeys() {
  execFileSync(tauriCli, ['signer', 'generate', '-w', path.join(keys, 'k'), '-p', '', '--ci', '-f'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true' },
  });
  return [readFileSync(path.join(keys, 'k'), 'utf8').trim(), readFileSync(path.join(keys, 'k.pub'), 'utf8').trim()];
}

/** The signature (.sig content) of `file` with the private key, bound to the new version. */
function sign(privateKey, file) {
  execFileSync(tauriCli, ['signer', 'sign', '-k', privateKey, '--app-version', NEW_VERSION, file], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TAURI_SIGNING_PRIVATE_KEY_PASSWORD: '' },
  });
  return readFileSync(`${file}.sig`, 'utf8').trim();
}

// Not a real .deb (nothing must ever be installed here): 640 KiB of text, sent slowly enough that
// the download's progress shows.
const packageBytes = Buffer.from('etrack 9.9.9 test package, not a real one\n'.repeat(15_604).slice(0, 640 * 1024));

function startService() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/latest.json') {
      service.manifestRequests += 1;
      const manifest = {
        version: NEW_VERSION,
        notes: NOTES,
        pub_date: '2026-12-01T00:00:00Z',
        platforms: {
          // tauri-plugin-updater looks for "{os}-{arch}-{installer}", then "{os}-{arch}"; a build
          // not installed from a bundle has no installer kind.
          'linux-x86_64': { signature: service.signature, url: `http://127.0.0.1:${service.port}/${PACKAGE}` },
        },
      };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(manifest));
    } else if (req.method === 'GET' && url.pathname === `/${PACKAGE}`) {
      service.downloads += 1;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(packageBytes.length) });
      // Ten pieces, 250 ms apart.
      const piece = Math.ceil(packageBytes.length / 10);
      let sent = 0;
      const next = () => {
        if (res.destroyed) return;
        const chunk = packageBytes.subarray(sent, sent + piece);
        sent += chunk.length;
        if (sent >= packageBytes.length) res.end(chunk);
        else {
          res.write(chunk);
          setTimeout(next, 250);
        }
      };
      next();
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      service.port = server.address().port;
      service.server = server;
      resolve();
    });
  });
}

after(() => {
  service.server?.close();
  service.server?.closeAllConnections?.();
  rmSync(keys, { recursive: true, force: true });
});

let signatures = null; // { good, bad }
let appEnv = null;

async function start() {
  app = await launchApp(['--demo'], { env: appEnv });
  await signInToDemo(app);
}

async function restart() {
  await app.delete();
  app = null;
  await start();
}

async function status() {
  return { state: await app.execute('return document.querySelector(arguments[0])?.dataset.state ?? null;', [sel.status]), text: await textOf(app, sel.status) };
}

async function waitForStatus(state, timeoutMs = 20_000) {
  return waitFor(`the update status "${state}"`, async () => {
    const s = await status();
    return s.state === state ? s : null;
  }, { timeoutMs });
}

/** The top bar's notice names the version ("available" only when the bar has room for it). */
async function assertNotice(notice) {
  assert.match(await notice.text(), words.notice);
  assert.equal(await notice.attribute('aria-label'), words.noticeLabel);
}

async function openSettings() {
  await (await app.waitForVisible(sel.openSettings)).click();
  await app.waitForVisible(sel.settings);
}

async function setAutoCheck(on) {
  await openSettings();
  const box = await app.find(sel.auto);
  if ((await box.property('checked')) !== on) await box.click();
  assert.equal(await box.property('checked'), on);
  await (await app.find(sel.save)).click();
  await waitFor('Settings saved and closed', async () => !(await shown(app, sel.settings)));
}

// ---- steps --------------------------------------------------------------------------------------

step('the quiet check at start finds version 9.9.9 and a notice shows in the top bar', async () => {
  const [privateKey, publicKey] = generateKeys();
  const pkg = path.join(keys, PACKAGE);
  writeFileSync(pkg, packageBytes);
  const other = path.join(keys, 'something-else.deb');
  writeFileSync(other, 'another file, signed with the same key\n');
  signatures = { good: sign(privateKey, pkg), bad: sign(privateKey, other) };
  assert.notEqual(signatures.good, signatures.bad);
  service.signature = signatures.bad;
  await startService();
  appEnv = { ETRACK_UPDATE_ENDPOINT: `http://127.0.0.1:${service.port}/latest.json`, ETRACK_UPDATE_PUBKEY: publicKey };

  await start();
  const notice = await app.waitForVisible(sel.notice, 20_000);
  await assertNotice(notice);
  assert.equal(service.manifestRequests, 1, 'one quiet request at start');
  assert.equal(await shown(app, sel.settings), false, 'nothing opened by itself');
  await shots.take(app, 'quiet-check-notice');
});

step('Settings > Check for updates shows 9.9.9 with its notes, as text', async () => {
  await openSettings();
  await (await app.find(sel.check)).click();
  const s = await waitFor('the answer of the manual check', async () => {
    const now = await status();
    return now.state === 'available' && service.manifestRequests === 2 ? now : null;
  });
  assert.match(s.text, words.availablePublished);
  const notes = await textOf(app, sel.notes);
  assert.equal(notes, NOTES, 'the notes, tags and all, as plain text');
  assert.equal(await app.execute('return document.querySelectorAll(arguments[0] + " b").length;', [sel.notes]), 0);
  assert.equal(await shown(app, sel.install), true);
  assert.equal(await (await app.find(sel.install)).text(), words.install);
  await shots.take(app, 'update-available');
});

step('a package whose signature does not match is refused with the reason, and nothing is installed', async () => {
  await (await app.find(sel.install)).click();
  // The download's progress shows on the way.
  const progress = await waitFor('the download progress', async () => {
    const s = await status();
    if (s.state === 'error') throw new Error(`failed before any progress showed: ${s.text}`);
    return s.state === 'downloading' && words.percentAtEnd.test(s.text) ? s.text : null;
  });
  assert.match(progress, words.downloading);
  await shots.take(app, 'update-downloading');
  const s = await waitForStatus('error', 30_000);
  assert.match(s.text, inLang({ en: /signature does not match etrack's signing key, so it was not installed/, 'zh-CN': /签名与 etrack 的签名密钥不符，因此未安装/ }));
  assert.equal(service.downloads, 1);
  assert.equal(await shown(app, sel.install), false, 'no Install for a refused package');
  assert.equal(await shown(app, sel.restart), false, 'nothing to restart into');
  assert.equal(await (await app.find(sel.check)).property('disabled'), false, 'Check for updates is usable again');
  await shots.take(app, 'update-bad-signature');
});

step('(control) a correctly signed package passes the signature check; this build cannot install it', async () => {
  // Proves the bad signature above was refused for its signature, not for a key the app lacked.
  service.signature = signatures.good;
  await (await app.find(sel.check)).click();
  await waitForStatus('available');
  await (await app.find(sel.install)).click();
  const s = await waitForStatus('error', 30_000);
  assert.match(s.text, inLang({ en: /downloaded and verified but could not be installed/, 'zh-CN': /更新已下载并通过验证，但无法安装/ }));
  assert.match(s.text, inLang({ en: /The installed version is unchanged\./, 'zh-CN': /已安装的版本保持不变/ }));
  assert.doesNotMatch(s.text, inLang({ en: /signature/, 'zh-CN': /签名/ }));
  assert.equal(service.downloads, 2);
  await shots.take(app, 'update-verified-not-installable');
  await (await app.find(sel.settingsClose)).click();
  await waitFor('Settings closed', async () => !(await shown(app, sel.settings)));
});

step('About still shows the running version, with the open-source notices', async () => {
  await (await app.find(sel.aboutOpen)).click();
  await app.waitForVisible(sel.about);
  await waitFor('the version', async () => (await textOf(app, sel.aboutVersion)) !== null);
  assert.equal(await textOf(app, sel.aboutVersion), CURRENT_VERSION);
  assert.notEqual(CURRENT_VERSION, NEW_VERSION);
  const text = await textOf(app, sel.about);
  for (const shows of ['MIT', 'Copyright (c) 2026 etrack developers', 'linux x86_64', 'WebKitGTK', words.noticesTitle]) {
    assert.ok(text.toLowerCase().includes(shows.toLowerCase()), `About shows ${shows}`);
  }
  const count = await waitFor('the notices loaded', async () => {
    const t = await textOf(app, sel.aboutCount);
    return /^[\d,]+ /.test(t ?? '') ? t : null;
  });
  assert.match(count, words.noticesCount);
  await shots.take(app, 'about');
  await typeInto(app, sel.aboutFilter, 'tauri-plugin-updater');
  const shownNames = await waitFor('the filtered list', async () => {
    const names = await app.execute(
      'return Array.from(document.querySelectorAll(arguments[0])).filter((e) => !e.hidden).map((e) => e.dataset.name);',
      [sel.aboutItem],
    );
    return names.length > 0 && names.length < 5 ? names : null;
  });
  assert.ok(shownNames.includes('tauri-plugin-updater'));
  // Its licence texts open under it.
  await (await app.find(`${sel.aboutItem}[data-name="tauri-plugin-updater"] summary`)).click();
  await waitFor('its licence text', async () => /Apache License|MIT/.test((await textOf(app, `${sel.aboutItem}[data-name="tauri-plugin-updater"] pre`)) ?? ''));
  await shots.take(app, 'about-notices-filtered');
  await (await app.find(sel.aboutClose)).click();
  await waitFor('About closed', async () => !(await shown(app, sel.about)));
});

step('with "Check for updates when etrack starts" off, a restart sends no request', async () => {
  await setAutoCheck(false);
  const before = service.manifestRequests;
  await restart();
  // The quiet check would have gone out right after sign-in.
  await sleep(4_000);
  assert.equal(service.manifestRequests, before, 'no request to latest.json');
  assert.equal(await shown(app, sel.notice), false);
  await openSettings();
  assert.equal(await (await app.find(sel.auto)).property('checked'), false, 'the setting was kept');
  await app.execute('document.querySelector(arguments[0]).scrollIntoView({ block: "center" });', [sel.auto]);
  await shots.take(app, 'auto-check-off-after-restart');
  await (await app.find(sel.settingsClose)).click();
  await waitFor('Settings closed', async () => !(await shown(app, sel.settings)));
});

step('with it on again, a restart sends exactly one quiet request and the notice shows', async () => {
  await setAutoCheck(true);
  const before = service.manifestRequests;
  await restart();
  const notice = await app.waitForVisible(sel.notice, 20_000);
  await assertNotice(notice);
  await sleep(2_000);
  assert.equal(service.manifestRequests, before + 1, 'exactly one request to latest.json');
  await shots.take(app, 'auto-check-on-after-restart');
  // The notice opens Settings at the Updates section with the offer, without asking again.
  await notice.click();
  await app.waitForVisible(sel.settings);
  const s = await waitForStatus('available');
  assert.match(s.text, words.available);
  assert.equal(await app.execute('return document.activeElement?.dataset.testid ?? null;'), 'update-install');
  assert.equal(service.manifestRequests, before + 1);
  await shots.take(app, 'notice-opens-settings-updates');
  console.log(`update service: ${service.manifestRequests} manifest requests, ${service.downloads} downloads; output in ${path.relative(REPO, out)}`);
});
