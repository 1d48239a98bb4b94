/**
 * What the user typed to confirm a dangerous command, compared as the backend compares it
 * (src-tauri/src/confirmations.rs `typed_matches`): case, spaces and the usual plate separators do
 * not matter, every letter and digit does. The dialog uses it only to enable its button; the
 * backend decides.
 */
export function typedMatches(expected: string, typed: string): boolean {
  const norm = (s: string): string => s.replace(/[\s\-_.·•]/gu, "").toUpperCase();
  const want = norm(expected);
  return want.length > 0 && want === norm(typed);
}
