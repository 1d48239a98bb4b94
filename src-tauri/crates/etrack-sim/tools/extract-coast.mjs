#!/usr/bin/env node
// Prints the Rust constants of src/coast.rs: the sea and Hong Kong within the box around the
// simulated city, from Natural Earth 1:10m (public domain) as packaged by the world-atlas npm
// package (TopoJSON). Run from the repository root after `npm install`:
//
//   node src-tauri/crates/etrack-sim/tools/extract-coast.mjs > /tmp/coast-constants.rs
//
// and paste the output over the constants in src/coast.rs. Tests never read node_modules.
//
// The sea is the box minus Natural Earth's land: the land ring is clipped to the box, each stretch
// of coast inside the box (an arc from one box edge to another) bounds a sea polygon, closed along
// the box edges. Hong Kong is Natural Earth's admin-0 "Hong Kong" mainland polygon clipped to the
// box (its northern edge is the Shenzhen River border).

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BOX = { x0: 113.7, y0: 22.4, x1: 114.3, y1: 22.8 };
const DECIMALS = 5;
const root = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const atlas = (name) => JSON.parse(readFileSync(join(root, 'node_modules/world-atlas', name), 'utf8'));

/** The rings of every polygon of a TopoJSON object, in degrees. */
function polygons(topo, object, keep = () => true) {
  const [sx, sy] = topo.transform.scale;
  const [tx, ty] = topo.transform.translate;
  const arcs = topo.arcs.map((a) => {
    let x = 0;
    let y = 0;
    return a.map(([dx, dy]) => {
      x += dx;
      y += dy;
      return [x * sx + tx, y * sy + ty];
    });
  });
  const arc = (i) => (i >= 0 ? arcs[i] : arcs[~i].slice().reverse());
  const ring = (ids) => {
    const out = [];
    for (const id of ids) out.push(...(out.length ? arc(id).slice(1) : arc(id)));
    return out;
  };
  const out = [];
  for (const g of topo.objects[object].geometries.filter(keep)) {
    const polys = g.type === 'MultiPolygon' ? g.arcs : [g.arcs];
    for (const p of polys) out.push(p.map(ring));
  }
  return out;
}

/** Sutherland-Hodgman clipping of one ring to the box. */
function clip(ring) {
  const edges = [
    [(p) => p[0] >= BOX.x0, (p, q) => [BOX.x0, p[1] + ((q[1] - p[1]) * (BOX.x0 - p[0])) / (q[0] - p[0])]],
    [(p) => p[0] <= BOX.x1, (p, q) => [BOX.x1, p[1] + ((q[1] - p[1]) * (BOX.x1 - p[0])) / (q[0] - p[0])]],
    [(p) => p[1] >= BOX.y0, (p, q) => [p[0] + ((q[0] - p[0]) * (BOX.y0 - p[1])) / (q[1] - p[1]), BOX.y0]],
    [(p) => p[1] <= BOX.y1, (p, q) => [p[0] + ((q[0] - p[0]) * (BOX.y1 - p[1])) / (q[1] - p[1]), BOX.y1]],
  ];
  let pts = ring.slice(0, -1); // TopoJSON rings repeat their first point
  for (const [inside, cut] of edges) {
    const out = [];
    pts.forEach((cur, i) => {
      const prev = pts[(i + pts.length - 1) % pts.length];
      if (inside(cur)) {
        if (!inside(prev)) out.push(cut(prev, cur));
        out.push(cur);
      } else if (inside(prev)) out.push(cut(prev, cur));
    });
    pts = out;
  }
  return pts;
}

const EPS = 1e-12;
const onEdge = (p) =>
  Math.abs(p[0] - BOX.x0) < EPS || Math.abs(p[0] - BOX.x1) < EPS || Math.abs(p[1] - BOX.y0) < EPS || Math.abs(p[1] - BOX.y1) < EPS;
const W = BOX.x1 - BOX.x0;
const H = BOX.y1 - BOX.y0;
const PERIMETER = 2 * (W + H);
/** Position of a point of the box's edge along it, counter-clockwise from the south-west corner. */
function along(p) {
  if (Math.abs(p[1] - BOX.y0) < EPS) return p[0] - BOX.x0;
  if (Math.abs(p[0] - BOX.x1) < EPS) return W + (p[1] - BOX.y0);
  if (Math.abs(p[1] - BOX.y1) < EPS) return W + H + (BOX.x1 - p[0]);
  return 2 * W + H + (BOX.y1 - p[1]);
}
const CORNERS = [
  [W, [BOX.x1, BOX.y0]],
  [W + H, [BOX.x1, BOX.y1]],
  [2 * W + H, [BOX.x0, BOX.y1]],
  [PERIMETER, [BOX.x0, BOX.y0]],
];

/** The stretches of a clipped ring inside the box, each from one edge point to the next. */
function coastArcs(pts) {
  const start = pts.findIndex((p, i) => onEdge(p) && !onEdge(pts[(i + 1) % pts.length]));
  if (start < 0) return [];
  const arcs = [];
  let cur = null;
  for (let k = 0; k <= pts.length; k++) {
    const p = pts[(start + k) % pts.length];
    const next = pts[(start + k + 1) % pts.length];
    if (cur) cur.push(p);
    if (onEdge(p)) {
      if (cur && cur.length > 1) arcs.push(cur);
      cur = onEdge(next) || k === pts.length ? null : [p];
    }
  }
  return arcs;
}

/** Sea polygons: each coast arc, then counter-clockwise along the box's edge to the next arc. */
function seaPolygons(arcs) {
  const used = new Set();
  const seas = [];
  for (let first = 0; first < arcs.length; first++) {
    if (used.has(first)) continue;
    const poly = [];
    let a = first;
    for (;;) {
      used.add(a);
      poly.push(...arcs[a]);
      const exit = along(arcs[a].at(-1));
      let best = -1;
      let gap = Infinity;
      arcs.forEach((b, i) => {
        const d = (along(b[0]) - exit + PERIMETER) % PERIMETER;
        if (d > EPS && d < gap) [best, gap] = [i, d];
      });
      for (const [s, corner] of CORNERS.concat(CORNERS.map(([s, c]) => [s + PERIMETER, c]))) {
        const d = s - exit;
        if (d > EPS && d < gap) poly.push(corner);
      }
      if (best === first) break;
      if (used.has(best)) throw new Error('coast arcs do not close');
      a = best;
    }
    seas.push(poly);
  }
  return seas;
}

// Natural Earth's land rings are clockwise (land on the right): the sea is left of each arc.
const land = polygons(atlas('land-10m.json'), 'land')
  .map((rings) => clip(rings[0]))
  .filter((pts) => pts.length > 2);
const islands = land.filter((pts) => !pts.some(onEdge));
if (islands.length) throw new Error(`${islands.length} islands inside the box: not handled`);
const seas = seaPolygons(land.flatMap(coastArcs));
const hk = polygons(atlas('countries-10m.json'), 'countries', (g) => g.properties?.name === 'Hong Kong')
  .map((rings) => clip(rings[0]))
  .filter((pts) => pts.length > 2)
  .sort((a, b) => b.length - a.length);

const num = (v) => {
  const s = v.toFixed(DECIMALS).replace(/0+$/, '');
  return s.endsWith('.') ? `${s}0` : s;
};
const dedup = (pts) =>
  pts
    .map(([x, y]) => [num(x), num(y)])
    .filter((p, i, all) => i === 0 || p[0] !== all[i - 1][0] || p[1] !== all[i - 1][1]);
const rustPoints = (pts, indent) => {
  const items = dedup(pts).map(([x, y]) => `(${x}, ${y})`);
  const lines = [];
  let line = '';
  for (const it of items) {
    if (line && line.length + it.length + 2 > 100 - indent.length) {
      lines.push(line.trimEnd());
      line = '';
    }
    line += `${it}, `;
  }
  if (line) lines.push(line.trimEnd());
  return lines.map((l) => indent + l).join('\n');
};

console.log(`/// The sea in the box: ${seas.length} polygons (Mirs Bay, Tolo Harbour, and the Pearl River`);
console.log('/// estuary with Shenzhen Bay), lon/lat degrees. From Natural Earth 1:10m land (public domain),');
console.log('/// world-atlas 2.0.2 land-10m.json, extracted by tools/extract-coast.mjs.');
console.log('#[rustfmt::skip]');
console.log('const SEA: &[&[(f64, f64)]] = &[');
for (const s of seas) console.log(`    &[\n${rustPoints(s, '        ')}\n    ],`);
console.log('];');
console.log();
console.log("/// Hong Kong's mainland in the box, lon/lat degrees: its northern edge is the Shenzhen River");
console.log('/// border. From Natural Earth 1:10m admin 0 countries (public domain), world-atlas 2.0.2');
console.log('/// countries-10m.json, extracted by tools/extract-coast.mjs.');
console.log('#[rustfmt::skip]');
console.log(`const HONG_KONG: &[(f64, f64)] = &[\n${rustPoints(hk[0], '    ')}\n];`);
