/**
 * The page's theme, applied when this module is evaluated: main.ts imports it first, so
 * `<html data-theme>` is set before the rest of the app's code runs and before the first paint.
 */
import { startTheme } from "./theme";

export const theme = startTheme();
