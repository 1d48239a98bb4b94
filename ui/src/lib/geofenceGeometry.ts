/**
 * Circle geofences as the provider takes them: a centre and a radius of 100 to 5000 m. The
 * drawing tool and the form keep every radius inside those limits and say so when they clamp.
 */
import type { GeofenceAlarm } from "../bindings";
import { t } from "../i18n";
import { formatNumber } from "../i18n/format";

/** The provider's smallest radius, metres. */
export const RADIUS_MIN = 100;
/** The provider's largest radius, metres. */
export const RADIUS_MAX = 5000;

/** Which limit a radius was held at, if any. */
export type RadiusLimit = "min" | "max" | null;

export interface ClampedRadius {
  /** Whole metres within the limits. */
  radius: number;
  limit: RadiusLimit;
}

/**
 * A radius the provider accepts: whole metres, 100 to 5000. `limit` says when the wanted radius
 * was outside (a NaN counts as too small: there is nothing to keep).
 */
export function clampRadius(metres: number): ClampedRadius {
  if (!Number.isFinite(metres) || metres < RADIUS_MIN) return { radius: RADIUS_MIN, limit: "min" };
  const m = Math.round(metres);
  if (m > RADIUS_MAX) return { radius: RADIUS_MAX, limit: "max" };
  return { radius: Math.max(RADIUS_MIN, m), limit: null };
}

/** The hint shown at a limit; null inside. */
export function radiusHint(limit: RadiusLimit): string | null {
  if (limit === "min") return t().geofences.atLeast({ m: RADIUS_MIN });
  if (limit === "max") return t().geofences.atMost({ m: RADIUS_MAX });
  return null;
}

export interface LatLng {
  lat: number;
  lng: number;
}

const EARTH_RADIUS_M = 6_371_000;
const rad = (d: number): number => (d * Math.PI) / 180;

/** Great-circle distance in metres (haversine): what "radius" means to the provider. */
export function distanceM(a: LatLng, b: LatLng): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h));
}

/** The point `metres` from `from` towards `bearingDeg` (0 = north, 90 = east). */
export function destination(from: LatLng, metres: number, bearingDeg: number): LatLng {
  const d = metres / EARTH_RADIUS_M;
  const b = rad(bearingDeg);
  const lat1 = rad(from.lat);
  const lng1 = rad(from.lng);
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(b));
  const lng2 = lng1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
  return { lat: (lat2 * 180) / Math.PI, lng: ((((lng2 * 180) / Math.PI + 540) % 360) - 180) };
}

/** "850 m", "2500 m": the radius always in whole metres, as the provider counts it. */
export function formatMetres(m: number): string {
  return Number.isFinite(m) ? `${formatNumber(Math.round(m), { useGrouping: false })} ${t().common.m}` : "—";
}

/** A typed radius: the clamped value, or null when it is not a number at all. */
export function parseRadius(text: string): ClampedRadius | null {
  const t = text.trim().replace(/\s+/g, "").replace(/m$/i, "");
  if (!t) return null;
  const n = Number(t.replace(",", "."));
  return Number.isFinite(n) ? clampRadius(n) : null;
}

/** A typed latitude or longitude, or null when it is not one (latitude ±90, longitude ±180). */
export function parseCoordinate(text: string, kind: "lat" | "lng"): number | null {
  const t = text.trim().replace(",", ".");
  if (!/^[+-]?\d+(\.\d+)?$/.test(t)) return null;
  const n = Number(t);
  const max = kind === "lat" ? 90 : 180;
  return Math.abs(n) <= max ? n : null;
}

/** The alarm choice in words, for the form and the list. */
export const ALARM_CHOICES: ReadonlyArray<{ readonly value: GeofenceAlarm; readonly label: string }> = (["both", "in", "out"] as const).map((value) => ({
  value,
  get label(): string {
    return t().geofences.alarms[value];
  },
}));

export function alarmLabel(a: GeofenceAlarm): string {
  return ALARM_CHOICES.find((c) => c.value === a)?.label ?? a;
}
