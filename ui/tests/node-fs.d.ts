/**
 * The part of Node's fs the tests that read source files use. The project does not install
 * @types/node, and Vite's `?raw` imports of CSS come back empty under vitest (`css: false`).
 */
declare module "node:fs" {
  export function readFileSync(path: string, encoding: "utf8"): string;
  export function readdirSync(path: string, options: { recursive: true }): string[];
}
