import type { Theme } from "../bindings";

/** What the page is painted in: the value of `<html data-theme>`. */
export type AppliedTheme = "light" | "dark";

/** The media query that is true while the operating system is set to dark. */
export const OS_DARK_QUERY = "(prefers-color-scheme: dark)";

/** The choices of Settings → Display → Theme, in the order the select lists them. */
export const THEME_CHOICES: ReadonlyArray<{ value: Theme; label: string }> = [
  { value: "system", label: "Same as the system" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
];

/** The theme to paint with: the one chosen, or for "system" the operating system's. */
export function resolveTheme(choice: Theme, osDark: boolean): AppliedTheme {
  if (choice === "system") return osDark ? "dark" : "light";
  return choice;
}

/** Whether a value read from outside the types (storage, a form) is a theme choice. */
export function isTheme(value: unknown): value is Theme {
  return value === "system" || value === "light" || value === "dark";
}
