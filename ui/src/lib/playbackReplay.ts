/**
 * The replay clock. Replay advances by elapsed time (route seconds = wall seconds x speed), not
 * point by point: a vehicle parked for an hour stays put for an hour of route time, and a gap in
 * the data is crossed at the same pace as driving.
 */

/** The replay speeds offered, as multiples of real time. */
export const REPLAY_SPEEDS: readonly number[] = [1, 2, 4, 8, 16, 32, 64];

export class ReplayClock {
  /** Route time, unix seconds. */
  t: number;
  speed = 16;
  playing = false;
  private lastMs: number | null = null;

  constructor(
    public start: number,
    public end: number,
  ) {
    this.t = start;
  }

  /** Sets the period (a new route) and goes back to its start. */
  reset(start: number, end: number): void {
    this.start = start;
    this.end = end;
    this.t = start;
    this.playing = false;
    this.lastMs = null;
  }

  play(nowMs: number): void {
    if (this.t >= this.end) this.t = this.start;
    this.playing = true;
    this.lastMs = nowMs;
  }

  pause(): void {
    this.playing = false;
    this.lastMs = null;
  }

  /** Jumps to `t` (clamped to the period); playing goes on from there. */
  seek(t: number): void {
    this.t = Math.min(this.end, Math.max(this.start, t));
  }

  /**
   * Advances by the wall time since the last tick; returns whether the time changed. Stops at the
   * end. A tick after a long pause of the page (a hidden window) advances at most one second of
   * wall time, so the replay does not leap.
   */
  tick(nowMs: number): boolean {
    if (!this.playing) return false;
    const last = this.lastMs ?? nowMs;
    this.lastMs = nowMs;
    const dtMs = Math.min(1000, Math.max(0, nowMs - last));
    if (dtMs === 0) return false;
    this.t = Math.min(this.end, this.t + (dtMs / 1000) * this.speed);
    if (this.t >= this.end) this.pause();
    return true;
  }

  /** Where the clock is in its period, 0 to 1. */
  get fraction(): number {
    const span = this.end - this.start;
    return span > 0 ? (this.t - this.start) / span : 0;
  }
}
