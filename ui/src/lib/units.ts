import type { Units } from "../bindings";
import { t } from "../i18n";
import { formatFixed, formatNumber } from "../i18n/format";

export const KM_PER_MILE = 1.609344;

/** km/h in the chosen unit, rounded to a whole number as a dashboard shows it. */
export function convertSpeed(kmh: number, units: Units): number {
  return Math.round(units === "mph" ? kmh / KM_PER_MILE : kmh);
}

/** "km/h" or "mph", in the language in use. */
export function speedUnitLabel(units: Units): string {
  return units === "mph" ? t().common.mph : t().common.kmh;
}

/** "42 km/h" or "26 mph". */
export function formatSpeed(kmh: number, units: Units): string {
  if (!Number.isFinite(kmh) || kmh < 0) return "—";
  return `${formatNumber(convertSpeed(kmh, units))} ${speedUnitLabel(units)}`;
}

/**
 * The odometer (metres; -1 = not reported) in km with one decimal and the language's grouping;
 * miles are added when the user chose mph.
 */
export function formatMileage(metres: number, units: Units): string {
  const c = t().common;
  if (!Number.isFinite(metres) || metres < 0) return c.notReported;
  const km = metres / 1000;
  const kmText = `${formatFixed(km, 1)} ${c.km}`;
  if (units !== "mph") return kmText;
  return `${formatFixed(km / KM_PER_MILE, 1)} ${c.mi} (${kmText})`;
}

/** Battery percent (-1 = not reported). */
export function formatBattery(pct: number): string {
  if (!Number.isFinite(pct) || pct < 0) return "—";
  return `${formatNumber(Math.min(100, Math.round(pct)))} %`;
}

/**
 * "22.58320, 113.90981" (5 decimals ≈ 1 m). Always with a decimal point, in every language: the
 * usual way to write coordinates, and what other tools accept when they are pasted.
 */
export function formatCoordinates(lat: number, lng: number): string {
  return `${lat.toFixed(5)}, ${lng.toFixed(5)}`;
}

/** A course in degrees as "SW (195°)", the compass point in the language in use. */
export function formatCourse(deg: number): string {
  if (!Number.isFinite(deg)) return "—";
  const d = ((Math.round(deg) % 360) + 360) % 360;
  const compass = t().common.compass;
  const point = compass[Math.round(d / 45) % 8] ?? compass[0] ?? "N";
  return `${point} (${formatNumber(d)}°)`;
}
