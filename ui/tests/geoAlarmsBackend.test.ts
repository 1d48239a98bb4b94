import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
const listen = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
vi.mock("@tauri-apps/api/event", () => ({ listen: (...a: unknown[]) => listen(...a) }));

const { TauriBackend } = await import("../src/backend");

beforeEach(() => {
  invoke.mockReset();
  listen.mockReset();
});

describe("TauriBackend: geofences and alarms", () => {
  it("calls the backend's commands by name with camelCase arguments", async () => {
    invoke.mockResolvedValue(null);
    const b = new TauriBackend();
    const draft = { name: "Depot", alarm: "both" as const, latitude: 22.5, longitude: 113.9, radiusM: 300, imeis: ["358899051025339"], watch: true, extends: null };
    const settings = { enabled: true, types: [5, 6], imeis: ["358899051025339"], everySecs: 60 };
    await b.geofenceList();
    await b.geofenceCreate(draft);
    await b.geofenceForget("g1");
    await b.geofenceExport();
    await b.geofenceImport("{}");
    await b.alarmsQuery(["358899051025339"], 10, 20);
    await b.alarmsCancel();
    await b.alarmsSaveCsv("a,b\r\n", 1);
    await b.alarmsWatchGet();
    await b.alarmsWatchSet(settings);
    await b.alarmsMarkRead();
    expect(invoke.mock.calls).toEqual([
      ["geofence_list", undefined],
      ["geofence_create", { draft }],
      ["geofence_forget", { id: "g1" }],
      ["geofence_export", undefined],
      ["geofence_import", { text: "{}" }],
      ["alarms_query", { imeis: ["358899051025339"], begin: 10, end: 20 }],
      ["alarms_cancel", undefined],
      ["alarms_save_csv", { csv: "a,b\r\n", rows: 1 }],
      ["alarms_watch_get", undefined],
      ["alarms_watch_set", { settings }],
      ["alarms_mark_read", undefined],
    ]);
  });

  it("listens to the alarm events by their names", async () => {
    listen.mockResolvedValue(() => undefined);
    const b = new TauriBackend();
    await b.onAlarmsNew(() => undefined);
    await b.onAlarmWatchStatus(() => undefined);
    await b.onAlarmsProgress(() => undefined);
    expect(listen.mock.calls.map((c) => c[0])).toEqual(["alarms-new", "alarm-watch-status", "alarms-progress"]);
  });
});
