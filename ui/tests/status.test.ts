import { describe, expect, it } from "vitest";
import { deriveStatus, MOVING_MIN_KMH, MOVING_MIN_KMH_ACC_OFF, statusDetail } from "../src/lib/status";
import { accWords, chargeWords, defenceWords, doorWords, fuelWords } from "../src/lib/words";

const t = (datastatus: number, speed = 0, accstatus = -1) => ({ datastatus, speed, accstatus });

describe("deriveStatus", () => {
  it("maps the provider's administrative states whatever the speed", () => {
    expect(deriveStatus(t(1, 50, 1))).toBe("neverOnline");
    expect(deriveStatus(t(3, 50, 1))).toBe("expired");
    expect(deriveStatus(t(4, 50, 1))).toBe("offline");
    expect(deriveStatus(t(5, 50, 1))).toBe("blocked");
  });

  it("splits online devices into moving and stopped by speed", () => {
    expect(deriveStatus(t(2, 42, 1))).toBe("moving");
    expect(deriveStatus(t(2, 0, 1))).toBe("stopped");
    expect(deriveStatus(t(2, MOVING_MIN_KMH, -1))).toBe("moving");
    expect(deriveStatus(t(2, MOVING_MIN_KMH - 1, -1))).toBe("stopped");
  });

  it("treats a few km/h with the ignition off as GPS drift, not driving", () => {
    expect(deriveStatus(t(2, 6, 0))).toBe("stopped");
    expect(deriveStatus(t(2, 6, 1))).toBe("moving");
    expect(deriveStatus(t(2, MOVING_MIN_KMH_ACC_OFF, 0))).toBe("moving");
  });

  it("shows a device without any track as never online and an unknown state as offline", () => {
    expect(deriveStatus(undefined)).toBe("neverOnline");
    expect(deriveStatus(t(0, 30, 1))).toBe("offline");
    expect(deriveStatus(t(9, 30, 1))).toBe("offline");
  });

  it("tells idling from parked", () => {
    expect(statusDetail(t(2, 0, 1))).toMatch(/idling/);
    expect(statusDetail(t(2, 0, 0))).toMatch(/Parked/);
    expect(statusDetail(t(2, 40, 1))).toBe("Moving");
  });

  it("does not call a vehicle whose fuel supply is cut idling, ignition on or not", () => {
    expect(statusDetail({ ...t(2, 0, 1), oilpowerstatus: 0 })).toBe("Stopped, fuel supply cut off");
    expect(statusDetail({ ...t(2, 0, 0), oilpowerstatus: 0 })).toBe("Stopped, fuel supply cut off");
    expect(statusDetail({ ...t(2, 0, 1), oilpowerstatus: 1 })).toMatch(/idling/);
  });
});

describe("status words", () => {
  it("says what each tri-state flag means", () => {
    expect([accWords(1), accWords(0), accWords(-1)]).toEqual(["On", "Off", "Not reported"]);
    expect([doorWords(1), doorWords(0)]).toEqual(["Open", "Closed"]);
    expect([fuelWords(1), fuelWords(0)]).toEqual(["Supply on", "Cut off"]);
    expect([defenceWords(1), defenceWords(0)]).toEqual(["Armed", "Disarmed"]);
    expect([chargeWords(1), chargeWords(0), chargeWords(7)]).toEqual(["Charging", "Not charging", "Not reported"]);
  });
});
