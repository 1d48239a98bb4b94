/** Just enough reading of the app's stylesheets for the tests about its design tokens. */
import { sourceFile, sourceFiles } from "./sourceFiles";

export const COLOUR_LITERAL = /#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?)\(/;

export function withoutComments(css: string): string {
  return css.replace(/\/\*[\s\S]*?\*\//g, "");
}

export interface Rule {
  selector: string;
  declarations: Array<[property: string, value: string]>;
}

/** The innermost rules (an @media block's rules are listed, the block itself is not). */
export function rules(css: string): Rule[] {
  const out: Rule[] = [];
  for (const m of withoutComments(css).matchAll(/([^{}]*)\{([^{}]*)\}/g)) {
    const declarations: Array<[string, string]> = [];
    for (const d of (m[2] ?? "").split(";")) {
      const at = d.indexOf(":");
      if (at > 0) declarations.push([d.slice(0, at).trim(), d.slice(at + 1).trim()]);
    }
    out.push({ selector: (m[1] ?? "").trim().replace(/\s+/g, " "), declarations });
  }
  return out;
}

/** The stylesheets under ui/src/styles, by path. */
export function stylesheets(): Array<[string, string]> {
  return sourceFiles("styles", ".css");
}

export const TOKENS_CSS = "styles/tokens.css";

export function tokensCss(): string {
  return sourceFile(TOKENS_CSS);
}

/** Custom properties of tokens.css: the light set (plain `:root`) and the dark set. */
export function tokenSets(): { light: Map<string, string>; dark: Map<string, string>; all: Set<string> } {
  const light = new Map<string, string>();
  const dark = new Map<string, string>();
  const all = new Set<string>();
  for (const r of rules(tokensCss())) {
    for (const [p, v] of r.declarations) {
      if (!p.startsWith("--")) continue;
      all.add(p);
      if (r.selector === ":root") light.set(p, v);
      else if (r.selector === ':root[data-theme="dark"]') dark.set(p, v);
    }
  }
  return { light, dark, all };
}
