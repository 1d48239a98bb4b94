import { describe, expect, it } from "vitest";
import { compareDevices, countStatuses, displayName, markerLabel, matchesQuery, queryTokens } from "../src/lib/search";

const dev = (devicename: string, platenumber: string, imei: string) => ({ devicename, platenumber, imei });
const truck = dev("Truck 07", "SZ-4821", "358899051025339");

describe("search", () => {
  it("finds a device by name, plate or IMEI, ignoring case and separators", () => {
    expect(matchesQuery(truck, queryTokens("truck"))).toBe(true);
    expect(matchesQuery(truck, queryTokens("sz4821"))).toBe(true);
    expect(matchesQuery(truck, queryTokens("SZ 4821"))).toBe(true);
    expect(matchesQuery(truck, queryTokens("025339"))).toBe(true);
    expect(matchesQuery(truck, queryTokens("van"))).toBe(false);
  });

  it("needs every word to match", () => {
    expect(matchesQuery(truck, queryTokens("truck 4821"))).toBe(true);
    expect(matchesQuery(truck, queryTokens("truck 9999"))).toBe(false);
    expect(matchesQuery(truck, queryTokens("   "))).toBe(true);
  });

  it("counts devices per status", () => {
    const c = countStatuses(["moving", "moving", "stopped", "blocked"]);
    expect(c).toMatchObject({ all: 4, moving: 2, stopped: 1, blocked: 1, offline: 0, expired: 0, neverOnline: 0 });
  });

  it("orders names naturally and labels markers by plate", () => {
    const list = [dev("Truck 10", "", "1"), dev("Truck 2", "", "2"), dev("", "AB-1", "3")];
    expect(list.sort(compareDevices).map(displayName)).toEqual(["AB-1", "Truck 2", "Truck 10"]);
    expect(markerLabel(truck)).toBe("SZ-4821");
    expect(markerLabel(dev("Van 1", "", "9"))).toBe("Van 1");
    expect(markerLabel(dev("", "", "358899051025339"))).toBe("358899051025339");
  });
});
