/**
 * Route simplification for drawing at low zoom. The route is projected once (Web Mercator, in
 * pixels at zoom 0); each zoom level gets the indices of the fixes that matter at that scale
 * (Douglas-Peucker with a tolerance under a pixel). Only the drawing uses them: replay and export
 * keep every fix.
 */
import type { Route } from "./playbackRoute";

/** Web Mercator at zoom 0: 256 pixels around the world. */
export function project(route: Route): { x: Float64Array; y: Float64Array } {
  const x = new Float64Array(route.n);
  const y = new Float64Array(route.n);
  const maxLat = 85.0511287798;
  for (let i = 0; i < route.n; i++) {
    const lat = Math.max(-maxLat, Math.min(maxLat, route.lat[i]!));
    const s = Math.sin((lat * Math.PI) / 180);
    x[i] = (256 * (route.lon[i]! + 180)) / 360;
    y[i] = 256 * (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI));
  }
  return { x, y };
}

function segmentDistanceSq(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  let dx = bx - ax;
  let dy = by - ay;
  if (dx !== 0 || dy !== 0) {
    const u = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);
    if (u > 1) {
      ax = bx;
      ay = by;
    } else if (u > 0) {
      ax += dx * u;
      ay += dy * u;
    }
  }
  dx = px - ax;
  dy = py - ay;
  return dx * dx + dy * dy;
}

/**
 * The indices kept when the projected line is simplified to within `tolerance` (same units as x
 * and y), first and last always kept, ascending. Iterative, so 100,000 points cannot overflow the
 * stack.
 */
export function simplifyIndices(x: Float64Array, y: Float64Array, tolerance: number): Uint32Array {
  const n = x.length;
  if (n <= 2) return Uint32Array.from({ length: n }, (_, i) => i);
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const tolSq = tolerance * tolerance;
  const stack: number[] = [0, n - 1];
  while (stack.length) {
    const last = stack.pop()!;
    const first = stack.pop()!;
    let maxSq = 0;
    let index = -1;
    const ax = x[first]!;
    const ay = y[first]!;
    const bx = x[last]!;
    const by = y[last]!;
    for (let i = first + 1; i < last; i++) {
      const d = segmentDistanceSq(x[i]!, y[i]!, ax, ay, bx, by);
      if (d > maxSq) {
        maxSq = d;
        index = i;
      }
    }
    if (index > 0 && maxSq > tolSq) {
      keep[index] = 1;
      stack.push(first, index, index, last);
    }
  }
  let count = 0;
  for (let i = 0; i < n; i++) count += keep[i]!;
  const out = new Uint32Array(count);
  let k = 0;
  for (let i = 0; i < n; i++) if (keep[i]) out[k++] = i;
  return out;
}

/** The tolerance at a zoom level: `px` screen pixels, in zoom-0 pixels. */
export function toleranceAtZoom(zoom: number, px = 0.6): number {
  return px / 2 ** zoom;
}
