import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
const listen = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
vi.mock("@tauri-apps/api/event", () => ({ listen: (...a: unknown[]) => listen(...a) }));

const { TauriBackend, BackendError, toBackendError } = await import("../src/backend");

beforeEach(() => {
  invoke.mockReset();
  listen.mockReset();
});

describe("TauriBackend", () => {
  it("calls each command of the IPC contract by its name with camelCase arguments", async () => {
    invoke.mockResolvedValue(null);
    const b = new TauriBackend();
    const settings = {
      providerUrl: "http://p",
      basemap: "gaode",
      customBasemaps: [],
      providerDatum: "wgs84" as const,
      tileCacheMb: 500,
      historyLimitMb: 2048,
      language: "zh-CN",
      refreshSecs: 10,
      units: "kmh" as const,
      timeZone: "UTC",
      checkUpdatesAtStart: false,
      theme: "dark" as const,
      geocoderUrl: "",
    };
    await b.sessionRestore();
    await b.sessionLogin({ providerUrl: "http://p", account: "a", password: "pw", remember: true });
    await b.sessionDemo();
    await b.sessionLogout();
    await b.sessionCurrent();
    await b.sessionSavedAccounts();
    await b.sessionSwitch("a", "http://p");
    await b.fleetDevices();
    await b.liveSnapshot();
    await b.liveRefreshNow();
    await b.settingsGet();
    await b.settingsSet(settings);
    expect(invoke.mock.calls).toEqual([
      ["session_restore", undefined],
      ["session_login", { providerUrl: "http://p", account: "a", password: "pw", remember: true }],
      ["session_demo", undefined],
      ["session_logout", undefined],
      ["session_current", undefined],
      ["session_saved_accounts", undefined],
      ["session_switch", { account: "a", providerUrl: "http://p" }],
      ["fleet_devices", undefined],
      ["live_snapshot", undefined],
      ["live_refresh_now", undefined],
      ["settings_get", undefined],
      ["settings_set", { settings }],
    ]);
  });

  it("subscribes to the contract's event names and hands over the payload", async () => {
    const handlers = new Map<string, (e: { payload: unknown }) => void>();
    listen.mockImplementation(async (name: string, h: (e: { payload: unknown }) => void) => {
      handlers.set(name, h);
      return () => handlers.delete(name);
    });
    const b = new TauriBackend();
    const updates: unknown[] = [];
    const statuses: unknown[] = [];
    const stop = await b.onLiveUpdate((u) => updates.push(u));
    await b.onLiveStatus((s) => statuses.push(s));
    expect([...handlers.keys()]).toEqual(["live-update", "live-status"]);
    handlers.get("live-update")!({ payload: { at: 1, tracks: [], durationMs: 2 } });
    handlers.get("live-status")!({ payload: { state: "ok", message: null, lastOk: 1 } });
    expect(updates).toEqual([{ at: 1, tracks: [], durationMs: 2 }]);
    expect(statuses).toEqual([{ state: "ok", message: null, lastOk: 1 }]);
    stop();
    expect(handlers.has("live-update")).toBe(false);
  });

  it("rejects with the backend's IpcError", async () => {
    invoke.mockRejectedValue({ kind: "api", message: "Wrong account or password.", apiCode: 20001 });
    const err = await new TauriBackend().sessionLogin({ providerUrl: "http://p", account: "a", password: "x", remember: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as InstanceType<typeof BackendError>).toJSON()).toEqual({ kind: "api", message: "Wrong account or password.", apiCode: 20001 });
  });
});

describe("toBackendError", () => {
  it("keeps a Tauri-level string rejection as an internal error with its text", () => {
    const e = toBackendError("command session_foo not found");
    expect(e.kind).toBe("internal");
    expect(e.message).toBe("command session_foo not found");
  });

  it("does not trust objects that only look like errors", () => {
    expect(toBackendError({ kind: "bogus", message: "x" }).kind).toBe("internal");
    expect(toBackendError(new Error("boom")).message).toBe("boom");
    expect(toBackendError(undefined).message).toBe("Something went wrong in the app.");
  });
});
