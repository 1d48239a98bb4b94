import type { Theme } from "../bindings";
import { t } from "../i18n";

/** What the page is painted in: the value of `<html data-theme>`. */
export type AppliedTheme = "light" | "dark";

/** The media query that is true while the operating system is set to dark. */
export const OS_DARK_QUERY = "(prefers-color-scheme: dark)";

/** The choices of Settings → Display → Theme, in the order the select lists them. */
export const THEME_VALUES: readonly Theme[] = ["system", "light", "dark"];

/** A theme choice in words, in the language in use. */
export function themeLabel(value: Theme): string {
  const m = t().settings;
  return value === "system" ? m.themeSystem : value === "light" ? m.themeLight : m.themeDark;
}

/** The choices with their words, `label` read in the language in use each time. */
export const THEME_CHOICES: ReadonlyArray<{ readonly value: Theme; readonly label: string }> = THEME_VALUES.map((value) => ({
  value,
  get label() {
    return themeLabel(value);
  },
}));

/** The theme to paint with: the one chosen, or for "system" the operating system's. */
export function resolveTheme(choice: Theme, osDark: boolean): AppliedTheme {
  if (choice === "system") return osDark ? "dark" : "light";
  return choice;
}

/** Whether a value read from outside the types (storage, a form) is a theme choice. */
export function isTheme(value: unknown): value is Theme {
  return value === "system" || value === "light" || value === "dark";
}
