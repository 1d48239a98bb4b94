// What the end-to-end tests need around the app: paths and ports from the environment that
// scripts/e2e.sh sets up, a standalone etrack-sim on loopback, a minimal Open API client for
// ground truth, and numbered screenshots under test-output/e2e/.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep, waitFor } from './webdriver.mjs';

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
  // The hermetic HOME the app runs in (scripts/with-keyring.sh); used to check what it stores.
  home: process.env.HOME,
};

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

/** GET an Open API endpoint and return its JSON, failing on HTTP errors and non-zero codes. */
async function apiGet(baseUrl, endpoint, params) {
  const url = new URL(endpoint, baseUrl);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v));
  const reply = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!reply.ok) throw new Error(`${endpoint}: HTTP ${reply.status}`);
  const json = await reply.json();
  if (json.code !== 0) throw new Error(`${endpoint}: code ${json.code} ${json.message ?? ''}`);
  return json;
}

/**
 * The account's device list straight from the provider (an independent view of what the app
 * should show). Note: this takes a token, which ends any token the app holds for that account.
 */
export async function providerDevices(baseUrl, account, password) {
  const time = Math.floor(Date.now() / 1000);
  const auth = await apiGet(baseUrl, '/api/authorization', {
    time,
    account,
    signature: md5hex(md5hex(password) + time),
  });
  const token = auth.record.access_token;
  const list = await apiGet(baseUrl, '/api/device/list', { access_token: token, account });
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

  /** Waits for two paints, then saves the page as `NN-name.png`. */
  async take(session, name) {
    await session.afterPaint();
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
