import { describe, expect, it } from "vitest";
import { COLOUR_LITERAL, rules, stylesheets, tokenSets, TOKENS_CSS, withoutComments } from "./cssText";
import { sourceFiles } from "./sourceFiles";

const sheets = stylesheets();
const others = sheets.filter(([path]) => path !== TOKENS_CSS);
const { light, dark, all } = tokenSets();

describe("design tokens", () => {
  it("reads the stylesheets it guards", () => {
    expect(sheets.map(([p]) => p)).toContain(TOKENS_CSS);
    expect(others.length).toBeGreaterThan(10);
  });

  it("no stylesheet but tokens.css writes a colour", () => {
    const found: string[] = [];
    for (const [path, css] of others) {
      for (const r of rules(css)) {
        for (const [p, v] of r.declarations) if (COLOUR_LITERAL.test(v)) found.push(`${path}: ${r.selector} { ${p}: ${v} }`);
      }
    }
    expect(found).toEqual([]);
  });

  it("every var(--x), in CSS or in TypeScript, is defined in tokens.css", () => {
    const sources = [...sheets, ...sourceFiles(".", ".ts")];
    const undefinedVars: string[] = [];
    for (const [path, text] of sources) {
      for (const m of withoutComments(text).matchAll(/var\(\s*(--[\w-]+)/g)) {
        if (!all.has(m[1]!)) undefinedVars.push(`${path}: ${m[1]}`);
      }
    }
    expect(undefinedVars).toEqual([]);
  });

  it("only tokens.css defines custom properties", () => {
    const defined = others.flatMap(([path, css]) => rules(css).flatMap((r) => r.declarations.filter(([p]) => p.startsWith("--")).map(([p]) => `${path}: ${p}`)));
    expect(defined).toEqual([]);
  });

  it("the dark set gives every colour of the light set a dark value, and nothing else", () => {
    const coloured = [...light].filter(([, v]) => COLOUR_LITERAL.test(v)).map(([p]) => p);
    expect(coloured.length).toBeGreaterThan(100);
    expect(coloured.filter((p) => !dark.has(p))).toEqual([]);
    expect([...dark.keys()].filter((p) => !light.has(p))).toEqual([]);
  });

  it("vehicle statuses have a colour, a chip background and a chip text colour in both sets", () => {
    for (const s of ["moving", "stopped", "offline", "expired", "never-online", "blocked"]) {
      for (const p of [`--status-${s}`, `--status-${s}-soft`, `--status-${s}-ink`]) {
        expect(light.get(p), p).toMatch(COLOUR_LITERAL);
        expect(dark.get(p), p).toMatch(COLOUR_LITERAL);
      }
    }
  });

  it("corners are rounded by the radius scale only", () => {
    const raw = others.flatMap(([path, css]) =>
      rules(css).flatMap((r) =>
        r.declarations
          .filter(([p]) => /(^|-)radius$/.test(p))
          .filter(([, v]) => !v.split(/\s+/).every((part) => part === "0" || /^var\(--radius(-[\w-]+)?\)$/.test(part)))
          .map(([p, v]) => `${path}: ${r.selector} { ${p}: ${v} }`),
      ),
    );
    expect(raw).toEqual([]);
  });

  it("the stylesheets are all imported, once, from styles/index.css", () => {
    const index = sheets.find(([p]) => p === "styles/index.css")?.[1] ?? "";
    const imported = [...index.matchAll(/@import\s+"\.\/([\w-]+\.css)"/g)].map((m) => `styles/${m[1]}`);
    expect(new Set(imported).size).toBe(imported.length);
    expect([...imported].sort()).toEqual(sheets.map(([p]) => p).filter((p) => p !== "styles/index.css").sort());
    expect(imported[0]).toBe(TOKENS_CSS);
  });
});
