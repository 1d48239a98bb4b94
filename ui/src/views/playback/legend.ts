/** The key of the route's colours, over the map: one swatch per speed class, in the user's unit. */
import type { Units } from "../../bindings";
import { h } from "../../dom";
import { SPEED_CLASSES } from "../../lib/playbackAnalysis";
import { convertSpeed, speedUnitLabel } from "../../lib/units";
import { cssVar } from "../../styles/tokens";

export function speedLegend(units: Units): HTMLElement {
  const edges = SPEED_CLASSES.map((c) => convertSpeed(c.fromKmh, units));
  return h(
    "div",
    { class: "pb-legend", "data-testid": "playback-legend" },
    h("span", { class: "muted small" }, speedUnitLabel(units)),
    ...SPEED_CLASSES.map((c, k) => {
      const next = edges[k + 1];
      const label = next === undefined ? `≥ ${edges[k]}` : k === 0 ? `< ${next}` : `${edges[k]}–${next}`;
      return h("span", { class: "pb-legend-item" }, h("i", { style: `background:${cssVar(c.token)}` }), label);
    }),
  );
}
