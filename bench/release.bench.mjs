// The release app's own figures, each against an empty Tauri 2 window built the same way, on the
// same machine, in the same run (not a test: it prints figures). Run by scripts/bench-release.sh,
// which builds both and starts this file through scripts/e2e.sh (Xvfb, tauri-driver, keyring).
//
// - start to first paint: from asking the driver for the app to the first frame with the demo
//   fleet's markers (40 and 500 vehicles), against the empty window's first frame;
// - resident memory of all the app's processes (the app, WebKit's web and network processes):
//   500 vehicles after a minute of live refresh, against the empty window after the same minute.
//
// Environment: ETRACK_APP (the release app), ETRACK_EMPTY_APP (the empty window),
// BENCH_RUNS (launches per case, default 3), BENCH_SETTLE_SECS (default 60).

import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { before, test } from 'node:test';
import { config } from '../tests/e2e/harness.mjs';
import { Session, sleep, waitFor, waitForDriver } from '../tests/e2e/webdriver.mjs';

const EMPTY = process.env.ETRACK_EMPTY_APP;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SETTLE_SECS = Number(process.env.BENCH_SETTLE_SECS ?? 60);

// scripts/e2e.sh starts the app through a logging wrapper; the process itself runs the binary.
const APP_BIN = realpathSync(process.env.ETRACK_REAL_APP ?? config.app);

before(async () => {
  if (!EMPTY) throw new Error('ETRACK_EMPTY_APP is not set (scripts/bench-release.sh sets it)');
  await waitForDriver(config.driverUrl);
});

/** Every process: pid -> { ppid, exe, name }. */
function processes() {
  const all = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      let exe = '';
      try {
        exe = realpathSync(`/proc/${entry}/exe`);
      } catch {
        // A process that ended, or a kernel thread.
      }
      all.set(Number(entry), { ppid, exe, name });
    } catch {
      // Gone while listing.
    }
  }
  return all;
}

/** The processes running `bin` and all their descendants (WebKit's web and network processes). */
function processTree(bin) {
  const all = processes();
  const roots = [...all].filter(([, p]) => p.exe === bin).map(([pid]) => pid);
  const tree = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, p] of all) {
      if (!tree.has(pid) && tree.has(p.ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return [...tree].map((pid) => ({ pid, ...all.get(pid) }));
}

/** Resident (RSS) and proportional (PSS) memory of each process, in MB. */
function memory(tree) {
  return tree.map((p) => {
    const field = (file, key) => {
      try {
        const m = readFileSync(`/proc/${p.pid}/${file}`, 'utf8').match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
        return m ? Number(m[1]) / 1024 : 0;
      } catch {
        return 0;
      }
    };
    return { name: p.name, rss: field('status', 'VmRSS'), pss: field('smaps_rollup', 'Pss') };
  });
}

function sum(rows, key) {
  return rows.reduce((s, r) => s + r[key], 0);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Launches `application` with `args`, waits until the page's `data-<mark>` (a time on the page's
 * clock) is set, and returns the session with the time from the launch request to that frame.
 */
async function launchUntil(application, args, mark, timeoutMs = 120_000) {
  const asked = Date.now();
  const session = await Session.create(config.driverUrl, { application, args, timeoutMs: 60_000 });
  await session.setTimeouts({ implicit: 0, pageLoad: 60_000, script: 60_000 });
  const at = await waitFor(
    `data-${mark} on the page`,
    () =>
      session.execute(
        `const v = document.documentElement.dataset[arguments[0]];
         return v === undefined ? null : performance.timeOrigin + Number(v);`,
        [mark.replace(/-([a-z])/g, (_, c) => c.toUpperCase())],
      ),
    { timeoutMs, intervalMs: 50 },
  );
  return { session, ms: at - asked };
}

const EMPTY_CASE = { label: 'empty Tauri 2 window', app: () => EMPTY, args: [], mark: 'first-paint-ms' };
const appCase = (n) => ({
  label: `etrack, demo fleet of ${n}`,
  app: () => config.app,
  args: ['--demo', `--demo-devices=${n}`],
  mark: 'first-fleet-paint-ms',
});

test('start to first paint', { timeout: 30 * 60_000 }, async () => {
  const results = [];
  for (const c of [EMPTY_CASE, appCase(40), appCase(500)]) {
    const times = [];
    for (let i = 0; i < RUNS; i += 1) {
      const { session, ms } = await launchUntil(c.app(), c.args, c.mark);
      times.push(ms);
      await session.delete().catch(() => undefined);
      await sleep(1000);
    }
    results.push({ label: c.label, median: median(times), times });
  }
  const base = results[0].median;
  console.log(`start to first paint (median of ${RUNS}; launch request -> first frame with the fleet's markers):`);
  for (const r of results) {
    console.log(
      `  ${r.label.padEnd(28)} ${String(Math.round(r.median)).padStart(6)} ms  (${(r.median / base).toFixed(2)}x the empty window; runs ${r.times.map(Math.round).join(', ')} ms)`,
    );
  }
});

test('memory of all processes after a minute', { timeout: 30 * 60_000 }, async () => {
  const rows = [];
  for (const c of [EMPTY_CASE, appCase(500)]) {
    const { session } = await launchUntil(c.app(), c.args, c.mark);
    // A minute of what the user sees: the live refresh every 10 s for the app.
    await sleep(SETTLE_SECS * 1000);
    const bin = c === EMPTY_CASE ? realpathSync(EMPTY) : APP_BIN;
    const tree = processTree(bin);
    const mem = memory(tree);
    rows.push({ label: c.label, mem });
    await session.delete().catch(() => undefined);
    await sleep(1000);
  }
  const base = sum(rows[0].mem, 'rss');
  console.log(`resident memory after ${SETTLE_SECS} s (RSS; PSS counts shared pages once):`);
  for (const r of rows) {
    const parts = r.mem.map((m) => `${m.name} ${Math.round(m.rss)}`).join(', ');
    console.log(
      `  ${r.label.padEnd(28)} RSS ${String(Math.round(sum(r.mem, 'rss'))).padStart(5)} MB (${(sum(r.mem, 'rss') / base).toFixed(2)}x), PSS ${Math.round(sum(r.mem, 'pss'))} MB   [${parts}]`,
    );
  }
});
