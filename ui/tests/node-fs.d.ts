/**
 * The parts of Node the tests use: fs to read source files and build fixtures, child_process and
 * os to run scripts/ against them. The project does not install @types/node, and Vite's `?raw`
 * imports of CSS come back empty under vitest (`css: false`).
 */
declare module "node:fs" {
  export function readFileSync(path: string, encoding: "utf8"): string;
  export function readdirSync(path: string, options: { recursive: true }): string[];
  export function writeFileSync(path: string, data: string): void;
  export function mkdirSync(path: string, options: { recursive: true }): void;
  export function mkdtempSync(prefix: string): string;
  export function rmSync(path: string, options: { recursive: true; force: true }): void;
  export function existsSync(path: string): boolean;
}

declare module "node:os" {
  export function tmpdir(): string;
}

declare module "node:child_process" {
  export interface SpawnSyncReturns {
    status: number | null;
    stdout: string;
    stderr: string;
    error?: Error;
  }
  export function spawnSync(command: string, args: readonly string[], options: { encoding: "utf8"; cwd?: string }): SpawnSyncReturns;
}
