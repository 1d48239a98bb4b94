#!/usr/bin/env node
// Usage: node scripts/notices.mjs [--check] [--out FILE] [--root DIR] [--metadata FILE]
//
// Writes ui/src/generated/notices.json: the open-source libraries the desktop app is built from,
// for the About dialog's "Open-source notices": every crate the `etrack-desktop` package depends on
// (normal and build dependencies, on every platform, transitively; the workspace's own crates left
// out) and the npm packages that are not development-only (package-lock.json), each with its
// version, licence expression and licence/notice texts (LICENSE*, LICENCE*, COPYING*, NOTICE*
// read from the crate's source directory or node_modules/<name>/). Identical texts are stored
// once. The file is committed (tsc and vite need it before cargo has run), sorted, with no paths
// or times in it, so it only changes when a dependency does.
//
// --check   exit 1 (naming what changed) when the file is not what this script would write now
// --out     another file than ui/src/generated/notices.json
// --root    the repository (Cargo.toml, package-lock.json, node_modules/); default: this one
// --metadata  read `cargo metadata --format-version 1` output from FILE instead of running cargo

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_ROOT = path.resolve(HERE, '..');
const OUT_REL = 'ui/src/generated/notices.json';
const DESKTOP = 'etrack-desktop';
const FORMAT = 1;

/** Licence and notice files, by name (any case): LICENSE*, LICENCE*, COPYING*, NOTICE*. */
const TEXT_FILE = /^(licen[cs]e|copying|notice)/i;

function parseArgs(argv) {
  const opts = { check: false, out: null, root: DEFAULT_ROOT, metadata: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--check') opts.check = true;
    else if (a === '--out') opts.out = value();
    else if (a === '--root') opts.root = path.resolve(value());
    else if (a === '--metadata') opts.metadata = value();
    else if (a === '-h' || a === '--help') {
      console.log('usage: node scripts/notices.mjs [--check] [--out FILE] [--root DIR] [--metadata FILE]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  opts.out = path.resolve(opts.out ?? path.join(opts.root, OUT_REL));
  return opts;
}

/**
 * A text as stored: Unix line ends, no trailing spaces, no blank lines around it. Texts that differ
 * only in white space count as one (the key collapses it); the first one seen is kept.
 */
function normalise(text) {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

function dedupeKey(text) {
  return text.replace(/\s+/g, ' ').trim();
}

/** The licence and notice files directly in `dir` (plus `extra`, a declared licence file), sorted. */
function textFiles(dir, extra = null) {
  let names = [];
  try {
    names = readdirSync(dir).filter((n) => TEXT_FILE.test(n));
  } catch {
    return [];
  }
  if (extra && !names.includes(extra)) names.push(extra);
  const found = [];
  // Machine-readable SPDX documents after the texts people read.
  const spdx = (n) => (/\.spdx$/i.test(n) ? 1 : 0);
  names.sort((a, b) => spdx(a) - spdx(b) || (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      if (!statSync(file).isFile()) continue; // a LICENSES/ folder, a broken link
    } catch {
      continue;
    }
    const text = normalise(readFileSync(file, 'utf8'));
    if (text) found.push({ file: name.replace(/\\/g, '/'), text });
  }
  return found;
}

/** The crates `etrack-desktop` is built from, normal and build dependencies, transitively. */
function cratePackages(metadata) {
  const byId = new Map(metadata.packages.map((p) => [p.id, p]));
  const workspace = new Set(metadata.workspace_members);
  const root = metadata.workspace_members.find((id) => byId.get(id)?.name === DESKTOP);
  if (!root) throw new Error(`no ${DESKTOP} package in the cargo workspace`);
  const nodes = new Map(metadata.resolve.nodes.map((n) => [n.id, n]));
  const seen = new Set();
  const stack = [root];
  while (stack.length) {
    const id = stack.pop();
    if (seen.has(id)) continue;
    seen.add(id);
    for (const dep of nodes.get(id)?.deps ?? []) {
      // Dev-dependencies build the tests, not the app.
      if (dep.dep_kinds.some((k) => k.kind !== 'dev')) stack.push(dep.pkg);
    }
  }
  const crates = [];
  for (const id of seen) {
    if (workspace.has(id)) continue;
    const p = byId.get(id);
    const dir = path.dirname(p.manifest_path);
    crates.push({
      ecosystem: 'crate',
      name: p.name,
      version: p.version,
      licence: p.license ?? (p.license_file ? `see ${p.license_file}` : 'not stated'),
      repository: p.repository ?? `https://crates.io/crates/${p.name}`,
      files: textFiles(dir, p.license_file ?? null),
    });
  }
  return crates;
}

function repositoryUrl(repo) {
  const url = typeof repo === 'string' ? repo : repo?.url;
  if (!url) return null;
  return url
    .replace(/^git\+/, '')
    .replace(/\.git$/, '')
    .replace(/^git:\/\//, 'https://')
    .replace(/^github:/, 'https://github.com/');
}

/** The npm packages of package-lock.json that are not development-only. */
function npmPackages(root) {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const packages = [];
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (!key || entry.dev || entry.link) continue;
    const dir = path.join(root, key);
    if (!existsSync(path.join(dir, 'package.json'))) {
      throw new Error(`${key} is not installed: run npm ci first`);
    }
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    packages.push({
      ecosystem: 'npm',
      name,
      version: entry.version,
      licence: entry.license ?? manifest.license ?? 'not stated',
      repository: repositoryUrl(manifest.repository) ?? `https://www.npmjs.com/package/${name}`,
      files: textFiles(dir),
    });
  }
  return packages;
}

/** The notices file's content: packages sorted, texts deduplicated and referred to by index. */
export function buildNotices({ metadata, root }) {
  const all = [...cratePackages(metadata), ...npmPackages(root)];
  const order = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  all.sort((a, b) => order(a.ecosystem, b.ecosystem) || order(a.name, b.name) || order(a.version, b.version));
  const texts = [];
  const index = new Map();
  const packages = all.map((p) => {
    const out = { ecosystem: p.ecosystem, name: p.name, version: p.version, licence: p.licence };
    if (p.files.length) {
      out.texts = p.files.map(({ file, text }) => {
        const key = dedupeKey(text);
        let i = index.get(key);
        if (i === undefined) {
          i = texts.length;
          texts.push(text);
          index.set(key, i);
        }
        return { file, text: i };
      });
    } else {
      out.note = `licence text: see ${p.repository}`;
    }
    return out;
  });
  return { format: FORMAT, generatedBy: 'scripts/notices.mjs', packages, texts };
}

/** One package or text a line: small diffs when a dependency changes. */
export function serialise(notices) {
  const { packages, texts, ...head } = notices;
  const top = JSON.stringify(head).slice(0, -1);
  return (
    `${top},\n"packages": [\n${packages.map((p) => JSON.stringify(p)).join(',\n')}\n],\n` +
    `"texts": [\n${texts.map((t) => JSON.stringify(t)).join(',\n')}\n]}\n`
  );
}

function cargoMetadata(root) {
  const stdout = execFileSync('cargo', ['metadata', '--format-version', '1', '--locked'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(stdout);
}

/** What differs between two notices files, in a few words (for --check). */
function describeChange(before, after) {
  const names = (n) => new Set((n?.packages ?? []).map((p) => `${p.ecosystem} ${p.name} ${p.version}`));
  const was = names(before);
  const now = names(after);
  const added = [...now].filter((x) => !was.has(x));
  const removed = [...was].filter((x) => !now.has(x));
  const lines = [];
  if (added.length) lines.push(`  new: ${added.slice(0, 10).join(', ')}${added.length > 10 ? ` and ${added.length - 10} more` : ''}`);
  if (removed.length) lines.push(`  gone: ${removed.slice(0, 10).join(', ')}${removed.length > 10 ? ` and ${removed.length - 10} more` : ''}`);
  if (!lines.length) lines.push('  the same packages, but their licences or texts differ');
  return lines.join('\n');
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const metadata = opts.metadata ? JSON.parse(readFileSync(opts.metadata, 'utf8')) : cargoMetadata(opts.root);
  const notices = buildNotices({ metadata, root: opts.root });
  const text = serialise(notices);
  const shown = path.relative(process.cwd(), opts.out) || opts.out;
  if (opts.check) {
    // A checkout that turned line ends into CRLF (git's autocrlf) is still up to date.
    const current = existsSync(opts.out) ? readFileSync(opts.out, 'utf8').replace(/\r\n/g, '\n') : null;
    if (current === text) {
      console.log(`${shown} is up to date (${notices.packages.length} packages, ${notices.texts.length} texts).`);
      return 0;
    }
    let before = null;
    try {
      before = current === null ? null : JSON.parse(current);
    } catch {
      // An unreadable file is stale too.
    }
    console.error(
      `${shown} is ${current === null ? 'missing' : 'stale'}: run \`node scripts/notices.mjs\` and commit it.\n${describeChange(before, notices)}`,
    );
    return 1;
  }
  mkdirSync(path.dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, text);
  console.log(`wrote ${shown}: ${notices.packages.length} packages, ${notices.texts.length} texts, ${(text.length / 1024).toFixed(0)} KiB`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main();
  } catch (e) {
    console.error(`notices: ${e.message}`);
    process.exitCode = 2;
  }
}
