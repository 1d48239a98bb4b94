import { describe, expect, it } from "vitest";
import {
  deriveStatus,
  MOVING_FIX_MAX_AGE_SECS,
  MOVING_MIN_KMH,
  MOVING_MIN_KMH_ACC_OFF,
  SILENT_OFFLINE_SECS,
  statusDetail,
} from "../src/lib/status";
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

  it("does not call a vehicle moving on an old fix, nor online when it has been silent for long", () => {
    const now = 1_800_000_000;
    const moving = { datastatus: 2, speed: 62, accstatus: 1, servertime: now, hearttime: now - 20, systemtime: now - 20 };
    expect(deriveStatus({ ...moving, gpstime: now - 60 })).toBe("moving");
    // Heartbeats still come, but the last fix is 6 minutes old: its speed is history.
    expect(deriveStatus({ ...moving, gpstime: now - MOVING_FIX_MAX_AGE_SECS - 60 })).toBe("stopped");
    // A provider whose data ended two years ago still says "online" at 62 km/h.
    const ghost = { ...moving, gpstime: now - 2 * 365 * 86_400, hearttime: now - 2 * 365 * 86_400, systemtime: now - 2 * 365 * 86_400 };
    expect(deriveStatus(ghost)).toBe("offline");
    expect(deriveStatus({ ...ghost, hearttime: now - SILENT_OFFLINE_SECS + 60 })).toBe("stopped");
    // Without the provider's clock, the caller's.
    const noClock = { ...ghost, servertime: 0 };
    expect(deriveStatus(noClock, now)).toBe("offline");
    expect(deriveStatus(noClock)).toBe("moving");
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
