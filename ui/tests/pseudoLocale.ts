/**
 * Pseudo-localisation for tests: every message wrapped in ⟦ ⟧. A view rendered with these
 * messages shows English only where a string bypassed the i18n layer; `englishOutside` finds it.
 */
import { LOCALES, type Messages } from "../src/i18n";

function wrap(v: unknown): unknown {
  if (typeof v === "string") return `⟦${v}⟧`;
  if (typeof v === "function") return (...args: unknown[]) => `⟦${(v as (...a: unknown[]) => string)(...args)}⟧`;
  if (Array.isArray(v)) return v.map(wrap);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wrap(x)]));
  return v;
}

/** English's messages, every one wrapped in ⟦ ⟧. */
export function pseudoMessages(): Messages {
  const en = LOCALES.get("en");
  if (!en) throw new Error("no English");
  return wrap(en.messages) as Messages;
}

const ATTRS = ["aria-label", "title", "placeholder", "alt", "aria-description", "aria-valuetext"];

/**
 * Words (two or more Latin letters) the user would see under `root` that are not inside ⟦ ⟧:
 * text nodes and the attributes screen readers and tooltips read. Subtrees marked
 * `translate="no"` (data: vehicle names, IMEIs, accounts) and strings in `allow` are skipped.
 */
export function englishOutside(root: Element, allow: readonly string[] = []): string[] {
  const found: string[] = [];
  const check = (text: string, where: string): void => {
    let rest = text.replace(/⟦[^⟦⟧]*⟧/g, " ");
    // Nested markers (a message inside a message) leave their outer parts behind: strip again.
    while (/⟦[^⟦⟧]*⟧/.test(rest)) rest = rest.replace(/⟦[^⟦⟧]*⟧/g, " ");
    rest = rest.replace(/[⟦⟧]/g, " ");
    for (const a of allow) rest = rest.split(a).join(" ");
    if (/[A-Za-z]{2,}/.test(rest)) found.push(`${where}: ${JSON.stringify(text.trim().slice(0, 120))}`);
  };
  const walk = (el: Element): void => {
    if (el.getAttribute("translate") === "no") return;
    const tag = el.tagName.toLowerCase();
    if (tag === "script" || tag === "style" || tag === "svg") return;
    for (const a of ATTRS) {
      const v = el.getAttribute(a);
      if (v) check(v, `${tag}[${a}]`);
    }
    if (tag === "input" && ["button", "submit"].includes((el as HTMLInputElement).type)) check((el as HTMLInputElement).value, `${tag}[value]`);
    for (const n of Array.from(el.childNodes)) {
      if (n.nodeType === 3 && n.textContent?.trim()) check(n.textContent, tag);
      else if (n.nodeType === 1) walk(n as Element);
    }
  };
  walk(root);
  return found;
}
