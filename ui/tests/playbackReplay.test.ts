import { describe, expect, it } from "vitest";
import { REPLAY_SPEEDS, ReplayClock } from "../src/lib/playbackReplay";
import { project, simplifyIndices, toleranceAtZoom } from "../src/lib/playbackSimplify";
import { routeFromPoints } from "../src/lib/playbackRoute";

describe("replay clock", () => {
  it("advances by elapsed time times the speed, not point by point", () => {
    const c = new ReplayClock(1000, 5000);
    c.speed = 16;
    c.play(0);
    c.tick(500);
    expect(c.t).toBe(1008);
    c.tick(1500);
    expect(c.t).toBe(1024);
    c.speed = 64;
    c.tick(2000);
    expect(c.t).toBe(1056);
  });

  it("offers 1x to 64x, stops at the end and restarts from the beginning", () => {
    expect(REPLAY_SPEEDS[0]).toBe(1);
    expect(REPLAY_SPEEDS[REPLAY_SPEEDS.length - 1]).toBe(64);
    const c = new ReplayClock(0, 100);
    c.speed = 64;
    c.play(0);
    c.tick(1000);
    c.tick(2000);
    expect(c.t).toBe(100);
    expect(c.playing).toBe(false);
    expect(c.fraction).toBe(1);
    c.play(5000);
    expect(c.t).toBe(0);
  });

  it("does not leap after the window was hidden, and seeks within the period", () => {
    const c = new ReplayClock(0, 100_000);
    c.speed = 1;
    c.play(0);
    c.tick(60_000);
    expect(c.t).toBe(1);
    c.seek(-5);
    expect(c.t).toBe(0);
    c.seek(1e9);
    expect(c.t).toBe(100_000);
    c.pause();
    expect(c.tick(70_000)).toBe(false);
  });
});

describe("route simplification", () => {
  it("keeps the ends and the corners, drops what lies on a straight line", () => {
    const pts = [];
    for (let i = 0; i <= 100; i++) pts.push({ gpstime: i, latitude: 22.5, longitude: 113.9 + i * 0.001, speed: 30, course: 90 });
    for (let i = 1; i <= 100; i++) pts.push({ gpstime: 100 + i, latitude: 22.5 + i * 0.001, longitude: 114.0, speed: 30, course: 0 });
    const route = routeFromPoints(pts);
    const { x, y } = project(route);
    const kept = [...simplifyIndices(x, y, toleranceAtZoom(14))];
    expect(kept).toEqual([0, 100, 200]);
  });

  it("keeps more detail the closer the zoom", () => {
    const pts = [];
    for (let i = 0; i < 5000; i++) pts.push({ gpstime: i, latitude: 22.5 + Math.sin(i / 40) * 0.01, longitude: 113.9 + i * 0.0001, speed: 30, course: 90 });
    const { x, y } = project(routeFromPoints(pts));
    const far = simplifyIndices(x, y, toleranceAtZoom(8)).length;
    const near = simplifyIndices(x, y, toleranceAtZoom(16)).length;
    expect(far).toBeLessThan(near);
    expect(far).toBeLessThan(200);
    expect(near).toBeLessThanOrEqual(5000);
  });
});
