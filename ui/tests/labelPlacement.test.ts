import { describe, expect, it } from "vitest";
import { LabelSpace, labelWidthPx } from "../src/lib/labelPlacement";

const box = (x0: number, y0: number, x1: number, y1: number) => ({ x0, y0, x1, y1 });

describe("label placement", () => {
  it("takes a label only where nothing taken overlaps it; touching edges are fine", () => {
    const space = new LabelSpace(64);
    expect(space.tryTake(box(0, 0, 60, 18))).toBe(true);
    expect(space.tryTake(box(50, 10, 110, 28))).toBe(false);
    expect(space.tryTake(box(60, 0, 120, 18))).toBe(true);
    expect(space.tryTake(box(0, 18, 60, 36))).toBe(true);
  });

  it("keeps labels off what is blocked, across grid cells and at large map coordinates", () => {
    const space = new LabelSpace(64);
    const x = 54_000_000;
    const y = 28_000_000;
    space.block(box(x - 14, y - 14, x + 14, y + 14));
    // A label crossing cell borders that reaches into the disc.
    expect(space.tryTake(box(x - 100, y + 10, x - 10, y + 28))).toBe(false);
    expect(space.tryTake(box(x - 100, y + 17, x - 10, y + 35))).toBe(true);
    // A far-away cell with the same low bits is a different cell.
    expect(space.tryTake(box(x - 14 + 64 * 4_194_304, y - 14, x + 14 + 64 * 4_194_304, y + 14))).toBe(true);
  });

  it("estimates wide characters wider, and a longer label wider", () => {
    expect(labelWidthPx("粤BQ203L")).toBeGreaterThan(labelWidthPx("YBQ203L"));
    expect(labelWidthPx("Truck 12")).toBeGreaterThan(labelWidthPx("Van 2"));
    expect(labelWidthPx("")).toBeGreaterThan(0);
  });
});
