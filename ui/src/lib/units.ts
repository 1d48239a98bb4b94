import type { Units } from "../bindings";

const KM_PER_MILE = 1.609344;

/** km/h in the chosen unit, rounded to a whole number as a dashboard shows it. */
export function convertSpeed(kmh: number, units: Units): number {
  return Math.round(units === "mph" ? kmh / KM_PER_MILE : kmh);
}

export function speedUnitLabel(units: Units): string {
  return units === "mph" ? "mph" : "km/h";
}

/** "42 km/h" or "26 mph". */
export function formatSpeed(kmh: number, units: Units): string {
  if (!Number.isFinite(kmh) || kmh < 0) return "—";
  return `${convertSpeed(kmh, units)} ${speedUnitLabel(units)}`;
}

/**
 * The odometer (metres; -1 = not reported) in km with one decimal and thousands separators;
 * miles are added when the user chose mph.
 */
export function formatMileage(metres: number, units: Units): string {
  if (!Number.isFinite(metres) || metres < 0) return "Not reported";
  const km = metres / 1000;
  const kmText = `${groupThousands(km.toFixed(1))} km`;
  if (units !== "mph") return kmText;
  return `${groupThousands((km / KM_PER_MILE).toFixed(1))} mi (${kmText})`;
}

function groupThousands(fixed: string): string {
  const [int = "0", frac] = fixed.split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** Battery percent (-1 = not reported). */
export function formatBattery(pct: number): string {
  if (!Number.isFinite(pct) || pct < 0) return "—";
  return `${Math.min(100, Math.round(pct))} %`;
}

/** "22.58320, 113.90981" (5 decimals ≈ 1 m). */
export function formatCoordinates(lat: number, lng: number): string {
  return `${lat.toFixed(5)}, ${lng.toFixed(5)}`;
}

const COMPASS = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"] as const;

/** A course in degrees as "SW (195°)". */
export function formatCourse(deg: number): string {
  if (!Number.isFinite(deg)) return "—";
  const d = ((Math.round(deg) % 360) + 360) % 360;
  const point = COMPASS[Math.round(d / 45) % 8] ?? "N";
  return `${point} (${d}°)`;
}
