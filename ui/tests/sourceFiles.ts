/** The app's own source files, read from disk (for tests about the code, not its behaviour). */
import { readdirSync, readFileSync } from "node:fs";

/** ui/src as a file path, from this file's URL (jsdom's URL class does not resolve file URLs). */
const SRC = decodeURIComponent(import.meta.url.replace(/^file:\/\//, "").replace(/\/tests\/[^/]*$/, "/src/"));

/** Files under ui/src/`dir` whose names end with `ext`, as [path under ui/src, text]. */
export function sourceFiles(dir: string, ext: string): Array<[string, string]> {
  const base = dir === "." ? SRC : `${SRC}${dir}/`;
  const prefix = dir === "." ? "" : `${dir}/`;
  return readdirSync(base, { recursive: true })
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f): [string, string] => [`${prefix}${f}`, readFileSync(`${base}${f}`, "utf8")]);
}

/** One file under ui/src. */
export function sourceFile(path: string): string {
  return readFileSync(`${SRC}${path}`, "utf8");
}
