/**
 * Numbers, dates and lists in the language in use, through `Intl`. Formatters are cached per
 * language and options; the time zone stays the user's setting (lib/time.ts).
 */
import { current } from "./current";

const locale = (): string => current.tag;

const numberFormats = new Map<string, Intl.NumberFormat>();

/** A number with the locale's digits grouping and decimal sign. */
export function formatNumber(n: number, opts: Intl.NumberFormatOptions = {}): string {
  const key = `${locale()}|${JSON.stringify(opts)}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale(), opts);
    numberFormats.set(key, f);
  }
  return f.format(n);
}

/** A number with exactly `digits` decimals. */
export function formatFixed(n: number, digits: number): string {
  return formatNumber(n, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "a, b and c" / "a、b和c" / "a, b y c". */
export function formatList(items: readonly string[]): string {
  return new Intl.ListFormat(locale(), { style: "long", type: "conjunction" }).format(items);
}

/** A plural category of `n` in the language in use ("one", "other", ...). */
export function pluralOf(n: number): Intl.LDMLPluralRule {
  return new Intl.PluralRules(locale()).select(n);
}
