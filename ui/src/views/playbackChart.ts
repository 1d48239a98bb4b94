/**
 * The speed chart under the playback map: time across, speed up, stops shaded, alarms ticked. Its
 * cursor follows the replay; hovering reports a time (the map shows where that was), clicking
 * jumps there. The curve is drawn once per size (one column of pixels = the fastest fix in it);
 * the cursor is a positioned element, so scrubbing repaints nothing but a transform.
 */
import type { Route } from "../lib/playbackRoute";
import type { Stop } from "../lib/playbackAnalysis";
import { h, setText } from "../dom";
import { colour, onColoursChange } from "../styles/tokens";
import type { View } from "./view";
import { t } from "../i18n";
import { formatNumber } from "../i18n/format";

export interface ChartData {
  route: Route;
  stops: readonly Stop[];
  alarmTimes: readonly number[];
  /** Speed in the user's unit and the unit's label. */
  convert: (kmh: number) => number;
  unit: string;
  /** Time as the user reads it (their zone). */
  formatTime: (t: number) => string;
}

export interface SpeedChartOptions {
  onHover?: (t: number | null) => void;
  onJump?: (t: number) => void;
  /** Draw on the canvas (off where there is none: DOM-only tests). */
  canvas?: boolean;
}

const HEIGHT = 120;
const PAD = { left: 44, right: 12, top: 10, bottom: 22 };

export class SpeedChart implements View {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly cursor: HTMLElement;
  private readonly hoverLine: HTMLElement;
  private readonly tip: HTMLElement;
  private data: ChartData | null = null;
  private start = 0;
  private end = 1;
  private drawnWidth = 0;
  /** The element's width as last observed: reading it from the DOM would force a layout. */
  private width: number | null = null;
  private readonly resize: ResizeObserver | null = null;
  /** Redraws in the new theme's colours when it changes. */
  private readonly stopRepainting = onColoursChange(() => this.draw());

  constructor(private readonly opts: SpeedChartOptions = {}) {
    this.canvas = h("canvas", { class: "pb-chart-canvas", "aria-hidden": "true" });
    this.cursor = h("div", { class: "pb-chart-cursor", "data-testid": "playback-chart-cursor" });
    this.hoverLine = h("div", { class: "pb-chart-hover", hidden: true });
    this.tip = h("div", { class: "pb-chart-tip", hidden: true });
    this.element = h(
      "div",
      { class: "pb-chart", "data-testid": "playback-chart", role: "img", "aria-label": t().playback.chart },
      this.canvas,
      this.hoverLine,
      this.cursor,
      this.tip,
    );
    this.element.addEventListener("pointermove", (e) => this.onMove(e));
    this.element.addEventListener("pointerleave", () => this.onLeave());
    this.element.addEventListener("click", (e) => {
      const t = this.timeAtClientX(e.clientX);
      if (t !== null) this.opts.onJump?.(t);
    });
    if (typeof ResizeObserver !== "undefined") {
      this.resize = new ResizeObserver((entries) => {
        const w = Math.round(entries[entries.length - 1]?.contentRect.width ?? this.element.clientWidth);
        this.width = w;
        if (w !== this.drawnWidth) this.draw();
      });
      this.resize.observe(this.element);
    }
  }

  destroy(): void {
    this.resize?.disconnect();
    this.stopRepainting();
  }

  setData(data: ChartData | null): void {
    this.data = data;
    const r = data?.route;
    this.start = r && r.n ? r.t[0]! : 0;
    this.end = r && r.n ? Math.max(r.t[r.n - 1]!, this.start + 1) : 1;
    this.draw();
  }

  private elementWidth(): number {
    if (this.width === null) this.width = this.element.clientWidth;
    return this.width;
  }

  private plotWidth(): number {
    return Math.max(1, this.elementWidth() - PAD.left - PAD.right);
  }

  /** x in the element (CSS pixels) of time `t`. */
  xOf(t: number): number {
    return PAD.left + ((t - this.start) / (this.end - this.start)) * this.plotWidth();
  }

  /** The time under a client x, or null outside the plot. */
  timeAtClientX(clientX: number): number | null {
    if (!this.data || this.data.route.n === 0) return null;
    const rect = this.element.getBoundingClientRect();
    const f = (clientX - rect.left - PAD.left) / this.plotWidth();
    if (f < -0.02 || f > 1.02) return null;
    return this.start + Math.min(1, Math.max(0, f)) * (this.end - this.start);
  }

  /** Puts the cursor at route time `t`. */
  setCursor(t: number): void {
    this.cursor.style.transform = `translateX(${this.xOf(t).toFixed(1)}px)`;
  }

  private onMove(e: PointerEvent): void {
    const t = this.timeAtClientX(e.clientX);
    if (t === null || !this.data) {
      this.onLeave();
      return;
    }
    this.hoverLine.hidden = false;
    this.hoverLine.style.transform = `translateX(${this.xOf(t).toFixed(1)}px)`;
    this.tip.hidden = false;
    setText(this.tip, this.data.formatTime(t));
    this.tip.style.transform = `translateX(${Math.min(this.xOf(t) + 6, this.elementWidth() - 150).toFixed(0)}px)`;
    this.opts.onHover?.(t);
  }

  private onLeave(): void {
    this.hoverLine.hidden = true;
    this.tip.hidden = true;
    this.opts.onHover?.(null);
  }

  /** Draws the curve for the current size. */
  draw(): void {
    const width = this.elementWidth();
    this.drawnWidth = width;
    if (this.opts.canvas === false || width === 0) return;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(HEIGHT * dpr);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${HEIGHT}px`;
    const ctx = this.canvas.getContext("2d");
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, HEIGHT);
    const d = this.data;
    if (!d || d.route.n === 0) return;
    const { route } = d;
    const plotW = this.plotWidth();
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    const cols = Math.max(1, Math.floor(plotW));
    const maxInCol = new Float64Array(cols).fill(-1);
    let top = 10;
    for (let i = 0; i < route.n; i++) {
      const c = Math.min(cols - 1, Math.floor(((route.t[i]! - this.start) / (this.end - this.start)) * cols));
      const v = d.convert(route.speed[i]!);
      if (v > maxInCol[c]!) maxInCol[c] = v;
      if (v > top) top = v;
    }
    top = Math.ceil(top / 20) * 20;
    const y = (v: number): number => PAD.top + plotH - (v / top) * plotH;
    const text = colour("chart-text");

    ctx.fillStyle = colour("chart-stop");
    for (const s of d.stops) {
      const x0 = this.xOf(s.start);
      ctx.fillRect(x0, PAD.top, Math.max(1, this.xOf(s.end) - x0), plotH);
    }
    ctx.strokeStyle = colour("chart-grid");
    ctx.lineWidth = 1;
    ctx.fillStyle = text;
    ctx.font = "11px system-ui, sans-serif";
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (let v = 0; v <= top; v += top / 4) {
      ctx.beginPath();
      ctx.moveTo(PAD.left, Math.round(y(v)) + 0.5);
      ctx.lineTo(PAD.left + plotW, Math.round(y(v)) + 0.5);
      ctx.stroke();
      ctx.fillText(formatNumber(Math.round(v)), PAD.left - 6, y(v));
    }
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    ctx.fillText(d.unit, 4, HEIGHT - PAD.bottom + 5);

    ctx.beginPath();
    ctx.moveTo(PAD.left, y(0));
    for (let c = 0; c < cols; c++) {
      const v = maxInCol[c]!;
      ctx.lineTo(PAD.left + c + 0.5, y(v < 0 ? 0 : v));
    }
    ctx.lineTo(PAD.left + cols, y(0));
    ctx.closePath();
    ctx.fillStyle = colour("chart-fill");
    ctx.fill();
    ctx.strokeStyle = colour("chart-line");
    ctx.lineWidth = 1.2;
    ctx.stroke();

    ctx.fillStyle = colour("alarm");
    for (const t of d.alarmTimes) ctx.fillRect(Math.round(this.xOf(t)) - 1, HEIGHT - PAD.bottom - 6, 2, 6);

    ctx.fillStyle = text;
    ctx.textBaseline = "top";
    const labels = Math.max(2, Math.min(6, Math.floor(plotW / 150)));
    for (let k = 0; k <= labels; k++) {
      const t = this.start + ((this.end - this.start) * k) / labels;
      ctx.textAlign = k === 0 ? "left" : k === labels ? "right" : "center";
      ctx.fillText(d.formatTime(t), this.xOf(t), HEIGHT - PAD.bottom + 5);
    }
  }
}
