/**
 * The app's one i18n layer. Every word the UI shows comes from `t()`, a typed message tree: a
 * missing or misspelt key is a compile error, and a message with parameters is a function whose
 * parameters the compiler checks too.
 *
 * Why our own few lines rather than i18next or typesafe-i18n: the messages are plain TypeScript
 * objects, so tsc checks every key and every parameter with no generator and no runtime parser;
 * plural and gender rules are ordinary code in the one language that needs them; and nothing is
 * loaded at run time that the bundler cannot see.
 *
 * A language is one file in `locales/`, named by its BCP 47 tag (`zh-CN.ts`), whose default export
 * is a {@link Locale}. Files are found by `import.meta.glob`: adding a language needs no code change.
 * English (`en.ts`) is the reference every other file must match key for key (a test checks it).
 */
import en, { type Messages } from "./locales/en";
import { current } from "./current";

export type { Messages } from "./locales/en";

/** What a language file exports. */
export interface Locale {
  /** The language's own name for itself, e.g. "简体中文". */
  name: string;
  messages: Messages;
}

const files = import.meta.glob<{ default: Locale }>("./locales/*.ts", { eager: true });

/** Every language the app has, by BCP 47 tag, English first. */
export const LOCALES: ReadonlyMap<string, Locale> = new Map(
  Object.entries(files)
    .map(([path, mod]) => [path.replace(/^.*\/(.+)\.ts$/, "$1"), mod.default] as const)
    .sort(([a], [b]) => (a === "en" ? -1 : b === "en" ? 1 : a.localeCompare(b))),
);

let messages: Messages = en.messages;
const listeners = new Set<(tag: string) => void>();

/** The messages in the language in use. */
export function t(): Messages {
  return messages;
}

/** The BCP 47 tag of the language in use, for `Intl` and `<html lang>`. */
export function locale(): string {
  return current.tag;
}

/**
 * The language to use for a setting: the tag itself when the app has it, else one of the same
 * language (`es-MX` → `es`, `zh-SG` → `zh-CN`); `"system"` tries the system's languages in order.
 * English when nothing matches.
 */
export function resolveLanguage(pref: string, systemLanguages: readonly string[] = systemLanguageList()): string {
  const wanted = pref === "system" ? systemLanguages : [pref];
  for (const w of wanted) {
    if (LOCALES.has(w)) return w;
    const lower = w.toLowerCase();
    const exact = [...LOCALES.keys()].find((k) => k.toLowerCase() === lower);
    if (exact) return exact;
    const primary = lower.split("-")[0];
    const same = [...LOCALES.keys()].find((k) => k.toLowerCase().split("-")[0] === primary);
    if (same) return same;
  }
  return "en";
}

function systemLanguageList(): readonly string[] {
  if (typeof navigator === "undefined") return [];
  return navigator.languages?.length ? navigator.languages : navigator.language ? [navigator.language] : [];
}

/**
 * Switches the UI to the language a setting names (`"system"` or a tag) and tells every listener.
 * Returns the tag in use. Nothing happens when it is already the one in use.
 */
export function setLanguage(pref: string, systemLanguages?: readonly string[]): string {
  const next = resolveLanguage(pref, systemLanguages);
  const loc = LOCALES.get(next) ?? en;
  if (next === current.tag && loc.messages === messages) return next;
  current.tag = next;
  messages = loc.messages;
  if (typeof document !== "undefined") document.documentElement.lang = next;
  for (const l of [...listeners]) l(next);
  return next;
}

/** Calls `f` after every change of language; returns the unsubscribe function. */
export function onLanguageChange(f: (tag: string) => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

/** Tests only: show these messages (a pseudo-locale) under a made-up tag. */
export function useMessagesForTest(m: Messages, testTag = "en"): void {
  current.tag = testTag;
  messages = m;
}
