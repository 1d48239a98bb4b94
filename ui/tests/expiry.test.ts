import { describe, expect, it } from "vitest";
import { EXPIRY_WARNING_DAYS, expiryNote, expiryOf, needsAttention } from "../src/lib/expiry";

const NOW = Date.UTC(2024, 0, 1);
const inDays = (d: number) => NOW / 1000 + d * 86400;

describe("expiry", () => {
  it("warns within 30 days, not before", () => {
    expect(EXPIRY_WARNING_DAYS).toBe(30);
    const soon = expiryOf(inDays(29.5), NOW);
    expect(soon).toEqual({ kind: "soon", days: 29 });
    expect(needsAttention(soon)).toBe(true);
    expect(expiryNote(soon)).toBe("expires in 29 d");
    const later = expiryOf(inDays(30.5), NOW);
    expect(later.kind).toBe("ok");
    expect(needsAttention(later)).toBe(false);
    expect(expiryNote(later)).toBe("");
  });

  it("says how long ago a service expired", () => {
    const e = expiryOf(inDays(-3.2), NOW);
    expect(e).toEqual({ kind: "expired", days: 3 });
    expect(expiryNote(e)).toBe("expired 3 d ago");
    expect(expiryNote(expiryOf(inDays(0.5), NOW))).toBe("expires today");
  });

  it("treats the provider's 0 as no expiry", () => {
    expect(expiryOf(0, NOW)).toEqual({ kind: "none" });
    expect(needsAttention(expiryOf(0, NOW))).toBe(false);
  });
});
