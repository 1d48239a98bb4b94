/**
 * scripts/notices.mjs against a made-up repository: what it keeps and leaves out, how it dedupes,
 * and `--check` on a fresh, a stale and a missing file. (The committed file's freshness is the
 * test suite's own `node scripts/notices.mjs --check`.)
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import type { NoticesFile } from "../src/lib/notices";

const SCRIPT = decodeURIComponent(import.meta.url.replace(/^file:\/\//, "").replace(/\/ui\/tests\/[^/]*$/, "/scripts/notices.mjs"));

let root = "";

function put(path: string, text: string): void {
  const file = `${root}/${path}`;
  mkdirSync(file.slice(0, file.lastIndexOf("/")), { recursive: true });
  writeFileSync(file, text);
}

function crate(name: string, version: string, extra: Record<string, unknown> = {}) {
  return {
    id: `registry+https://github.com/rust-lang/crates.io-index#${name}@${version}`,
    name,
    version,
    license: "MIT",
    license_file: null,
    repository: null,
    manifest_path: `${root}/registry/${name}-${version}/Cargo.toml`,
    ...extra,
  };
}

/** A workspace (desktop app + a library crate), four registry crates, three npm packages. */
function makeRepo(): void {
  const desktop = { ...crate("etrack-desktop", "0.1.0"), id: "path+file:///repo/src-tauri#etrack-desktop@0.1.0", manifest_path: `${root}/src-tauri/Cargo.toml` };
  const lib = { ...crate("etrack-app", "0.1.0"), id: "path+file:///repo/app#etrack-app@0.1.0", manifest_path: `${root}/app/Cargo.toml` };
  const zeta = crate("zeta", "1.2.0", { license: "MIT OR Apache-2.0" });
  const alpha = crate("alpha", "0.3.1", { license: "Apache-2.0" });
  const devOnly = crate("proptest", "1.0.0");
  const built = crate("cc", "1.2.0", { license: "MIT OR Apache-2.0", repository: "https://github.com/rust-lang/cc-rs" });
  const dep = (pkg: { id: string }, kind: string | null) => ({ pkg: pkg.id, dep_kinds: [{ kind, target: null }] });
  const metadata = {
    packages: [desktop, lib, zeta, alpha, devOnly, built],
    workspace_members: [desktop.id, lib.id],
    resolve: {
      root: null,
      nodes: [
        { id: desktop.id, deps: [dep(lib, null), dep(built, "build")] },
        { id: lib.id, deps: [dep(zeta, null), dep(devOnly, "dev")] },
        { id: zeta.id, deps: [dep(alpha, null)] },
        { id: alpha.id, deps: [] },
        { id: devOnly.id, deps: [] },
        { id: built.id, deps: [] },
      ],
    },
  };
  put("metadata.json", JSON.stringify(metadata));
  put("src-tauri/LICENSE", "the app's own licence");
  put("registry/zeta-1.2.0/LICENSE-MIT", "MIT License\r\n\r\nCopyright (c) zeta   \r\n");
  put("registry/zeta-1.2.0/LICENSE-APACHE", "Apache License\nVersion 2.0\n");
  put("registry/zeta-1.2.0/src/lib.rs", "");
  put("registry/alpha-0.3.1/license-apache", "Apache License\n   Version 2.0\n");
  put("registry/proptest-1.0.0/LICENSE", "dev only");
  put("registry/cc-1.2.0/README.md", "no licence file here");
  put(
    "package-lock.json",
    JSON.stringify({
      lockfileVersion: 3,
      packages: {
        "": { name: "etrack-desktop", dependencies: { leaflet: "^1" } },
        "node_modules/leaflet": { version: "1.9.4", license: "BSD-2-Clause" },
        "node_modules/leaflet/node_modules/inner": { version: "2.0.0", license: "ISC" },
        "node_modules/vite": { version: "8.0.0", license: "MIT", dev: true },
      },
    }),
  );
  put("node_modules/leaflet/package.json", JSON.stringify({ name: "leaflet" }));
  put("node_modules/leaflet/LICENSE", "BSD 2-Clause License\nCopyright (c) Leaflet");
  put("node_modules/leaflet/node_modules/inner/package.json", JSON.stringify({ name: "inner", repository: { type: "git", url: "git+https://github.com/x/inner.git" } }));
  put("node_modules/vite/package.json", JSON.stringify({ name: "vite" }));
  put("node_modules/vite/LICENSE.md", "vite's licence");
}

function run(...args: string[]) {
  const r = spawnSync("node", [SCRIPT, "--root", root, "--metadata", `${root}/metadata.json`, "--out", `${root}/out/notices.json`, ...args], { encoding: "utf8" });
  if (r.error) throw r.error;
  return r;
}

beforeEach(() => {
  root = mkdtempSync(`${tmpdir()}/notices-test-`);
  makeRepo();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("scripts/notices.mjs", () => {
  it("keeps what the app is built from, sorted, with deduplicated texts and no paths", () => {
    const r = run();
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const text = readFileSync(`${root}/out/notices.json`, "utf8");
    const notices = JSON.parse(text) as NoticesFile;
    expect(notices.packages.map((p) => `${p.ecosystem} ${p.name} ${p.version} ${p.licence}`)).toEqual([
      "crate alpha 0.3.1 Apache-2.0",
      "crate cc 1.2.0 MIT OR Apache-2.0",
      "crate zeta 1.2.0 MIT OR Apache-2.0",
      "npm inner 2.0.0 ISC",
      "npm leaflet 1.9.4 BSD-2-Clause",
    ]);
    // zeta's Apache text equals alpha's but for white space: stored once, as first seen (alpha).
    const alpha = notices.packages[0]!;
    const zeta = notices.packages[2]!;
    expect(alpha.texts).toEqual([{ file: "license-apache", text: 0 }]);
    expect(zeta.texts).toEqual([
      { file: "LICENSE-APACHE", text: 0 },
      { file: "LICENSE-MIT", text: 1 },
    ]);
    expect(notices.texts[1]).toBe("MIT License\n\nCopyright (c) zeta");
    expect(notices.texts).toHaveLength(3);
    // No licence file: where to read it.
    expect(notices.packages[1]).toMatchObject({ name: "cc", note: "licence text: see https://github.com/rust-lang/cc-rs" });
    expect(notices.packages[3]).toMatchObject({ name: "inner", note: "licence text: see https://github.com/x/inner" });
    expect(text).not.toContain(root);
    expect(text).not.toMatch(/"(generated|time|date)At"/);
    // The same input gives the same bytes.
    run();
    expect(readFileSync(`${root}/out/notices.json`, "utf8")).toBe(text);
  });

  it("--check passes on a fresh file and fails, saying what changed, on a stale or missing one", () => {
    expect(run().status).toBe(0);
    const fresh = run("--check");
    expect(fresh.status).toBe(0);
    expect(fresh.stdout).toContain("is up to date");

    put("registry/zeta-1.2.0/LICENSE-MIT", "MIT License\n\nCopyright (c) zeta and friends");
    const stale = run("--check");
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain("is stale: run `node scripts/notices.mjs` and commit it.");
    expect(stale.stderr).toContain("licences or texts differ");

    run();
    const lock = JSON.parse(readFileSync(`${root}/package-lock.json`, "utf8")) as { packages: Record<string, unknown> };
    lock.packages["node_modules/topojson-client"] = { version: "3.1.0", license: "ISC" };
    put("package-lock.json", JSON.stringify(lock));
    put("node_modules/topojson-client/package.json", JSON.stringify({ name: "topojson-client" }));
    const added = run("--check");
    expect(added.status).toBe(1);
    expect(added.stderr).toContain("new: npm topojson-client 3.1.0");

    rmSync(`${root}/out`, { recursive: true, force: true });
    const missing = run("--check");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("is missing");
    expect(existsSync(`${root}/out/notices.json`)).toBe(false);
  });

  it("asks for npm ci when a production package is not installed", () => {
    rmSync(`${root}/node_modules/leaflet`, { recursive: true, force: true });
    const r = run();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("node_modules/leaflet is not installed: run npm ci first");
  });
});
