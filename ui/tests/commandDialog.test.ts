import { afterEach, describe, expect, it } from "vitest";
import type { Command } from "../src/bindings";
import { FakeBackend } from "../src/backend-fake";
import { Store } from "../src/state";
import { openCommandDialog, type CommandDialog } from "../src/views/commandDialog";
import { DeviceDetails } from "../src/views/deviceDetails";
import { operationsHost } from "../src/views/operationsHost";

const NOW = Date.UTC(2024, 4, 3, 12, 0, 0);
const NOW_S = NOW / 1000;

afterEach(() => document.body.replaceChildren());

const q = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no ${id}`);
  return el;
};
const maybe = (id: string): HTMLElement | null => document.querySelector(`[data-testid="${id}"]`);

async function until<T>(what: string, probe: () => T | null | undefined | false, ms = 2000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function type(input: HTMLInputElement, text: string): void {
  input.value = text;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

/** A signed-in fake whose first device drives at `speed` (fix 20 s old) and has `plate`. */
async function setup(opts: { speed?: number; plate?: string; replyAfterPolls?: number } = {}) {
  const backend = new FakeBackend({ fleetSize: 6, nowMs: () => NOW });
  await backend.sessionDemo();
  backend.ops.replyAfterPolls = opts.replyAfterPolls ?? 2;
  const imei = backend.devices[0]!.imei;
  backend.devices = backend.devices.map((d) => (d.imei === imei ? { ...d, devicename: "Taxi 7", platenumber: opts.plate ?? "粤B-4821" } : d));
  backend.tracks = backend.tracks.map((t) =>
    t.imei === imei ? { ...t, speed: opts.speed ?? 52, gpstime: NOW_S - 20, servertime: NOW_S, datastatus: 2 } : t,
  );
  const store = new Store({ ...backend.settings, timeZone: "UTC" });
  store.setDevices(backend.devices);
  return { backend, store, imei };
}

function open(s: Awaited<ReturnType<typeof setup>>, command: Command): CommandDialog {
  return openCommandDialog({ backend: s.backend, store: s.store, imei: s.imei, command, tickMs: 0 });
}

describe("the command confirmation", () => {
  it("warns in red about a moving vehicle and needs its plate typed before it sends", async () => {
    const s = await setup();
    const dialog = open(s, "StopEngine");
    const ok = await until("the confirmation", () => maybe("confirm-ok") as HTMLButtonElement | null);
    const box = q("confirm-dialog");
    expect(box.dataset.danger).toBe("true");
    expect(q("confirm-warning").textContent).toContain("MOVING at 52 km/h");
    const v = (f: string) => q("confirm-vehicle").querySelector(`[data-field="${f}"]`)?.textContent;
    expect(v("name")).toBe("Taxi 7");
    expect(v("plate")).toBe("粤B-4821");
    expect(v("imei")).toBe(s.imei);
    expect(v("speed")).toBe("52 km/h");
    expect(v("fix")).toContain("20 s ago");
    expect(v("moving")).toContain("Moving");
    expect(q("confirm-effect").textContent).toContain("Cuts the fuel supply of Taxi 7");
    expect(box.textContent).toContain("type the plate");

    expect(ok.disabled).toBe(true);
    const input = q<HTMLInputElement>("confirm-input");
    type(input, "粤B-4820");
    expect(ok.disabled).toBe(true);
    type(input, "粤b 4821");
    expect(ok.disabled).toBe(false);
    expect(s.backend.ops.sent).toEqual([]);

    ok.click();
    const status = await until("the reply", () => (maybe("command-status")?.dataset.state === "replied" ? q("command-status") : null));
    expect(status.textContent).toContain("Cut off the fuel supply: Success!");
    expect(s.backend.ops.sent).toEqual([{ imei: s.imei, wire: "RELAY,1" }]);
    const confirm = s.backend.calls.find((c) => c.cmd === "command_confirm");
    expect(confirm?.args).toMatchObject({ typed: "粤b 4821" });
    // The map learns at once that the vehicle stands still.
    expect(s.backend.calls.some((c) => c.cmd === "live_refresh_now")).toBe(true);
    expect(s.backend.tracks.find((t) => t.imei === s.imei)?.speed).toBe(0);

    q("command-close").click();
    expect(await dialog.closed).toMatchObject({ outcome: "replied" });
    expect(maybe("confirm-dialog")).toBeNull();
  });

  it("sends nothing when cancelled, and voids the confirmation", async () => {
    const s = await setup();
    const dialog = open(s, "StopEngine");
    await until("the confirmation", () => maybe("confirm-ok"));
    q("confirm-cancel").click();
    expect(await dialog.closed).toBeNull();
    expect(s.backend.ops.sent).toEqual([]);
    const id = (s.backend.calls.find((c) => c.cmd === "command_discard")?.args as { confirmationId: string }).confirmationId;
    await expect(s.backend.commandConfirm(id, "粤B4821")).rejects.toThrow(/not valid or was already used/);
    expect(s.backend.ops.sent).toEqual([]);
  });

  it("asks for the last four IMEI digits when there is no plate, and nothing for a parked vehicle", async () => {
    const s = await setup({ plate: "" });
    open(s, "StopEngine");
    await until("the confirmation", () => maybe("confirm-ok"));
    expect(q("confirm-dialog").textContent).toContain(`the last 4 digits of the IMEI: ${s.imei.slice(-4)}`);
    document.body.replaceChildren();

    const parked = await setup({ speed: 0 });
    open(parked, "StopEngine");
    const ok = await until("the confirmation", () => maybe("confirm-ok") as HTMLButtonElement | null);
    expect(maybe("confirm-input")).toBeNull();
    expect(maybe("confirm-warning")).toBeNull();
    expect(q("confirm-dialog").dataset.danger).toBe("false");
    expect(ok.disabled).toBe(false);
  });

  it("says plainly when the device does not answer in time", async () => {
    const s = await setup({ speed: 0, replyAfterPolls: 99 });
    s.backend.ops.maxPolls = 4;
    open(s, "Reset");
    (await until("ok", () => maybe("confirm-ok") as HTMLButtonElement | null)).click();
    const status = await until("time-out", () => (maybe("command-status")?.dataset.state === "timedOut" ? q("command-status") : null));
    expect(status.textContent).toContain("No reply from the device in 4 s — it may still act when it comes back online.");
    expect(s.backend.ops.sent).toHaveLength(1);
  });

  it("lets the user stop waiting; the command is not sent again", async () => {
    const s = await setup({ speed: 0, replyAfterPolls: 99 });
    s.backend.ops.pollMs = 20;
    open(s, "UnlockDoor");
    (await until("ok", () => maybe("confirm-ok") as HTMLButtonElement | null)).click();
    await until("progress", () => Number(maybe("command-status")?.dataset.poll ?? 0) >= 1);
    expect(q("command-status").textContent).toMatch(/check \d+ of 30/);
    q("command-stop-waiting").click();
    const status = await until("stopped", () => (maybe("command-status")?.dataset.state === "stoppedWaiting" ? q("command-status") : null));
    expect(status.textContent).toContain("will not be sent again");
    expect(s.backend.ops.sent).toHaveLength(1);
  });

  it("shows the provider's refusal in words", async () => {
    const s = await setup({ speed: 0 });
    s.backend.ops.failNextSend = { code: 20017, message: "The device is offline (20017): \"Lock door\" was not delivered." };
    open(s, "LockDoor");
    (await until("ok", () => maybe("confirm-ok") as HTMLButtonElement | null)).click();
    const status = await until("failure", () => (maybe("command-status")?.dataset.state === "failed" ? q("command-status") : null));
    // In the user's words (errorText): the provider's code, worded by the app.
    expect(status.textContent).toContain("The device is offline: the command was not delivered. (code 20017)");
  });

  it("a refused confirmation (e.g. a plate the backend rejects) keeps the form and sends nothing", async () => {
    const s = await setup();
    open(s, "StopEngine");
    const ok = await until("ok", () => maybe("confirm-ok") as HTMLButtonElement | null);
    type(q<HTMLInputElement>("confirm-input"), "粤B4821");
    // The backend changed its mind about the plate (say, the device record was edited meanwhile).
    const real = s.backend.commandConfirm.bind(s.backend);
    s.backend.commandConfirm = (id) => real(id, "wrong");
    ok.click();
    const error = await until("the refusal", () => (maybe("confirm-error")?.hidden === false ? q("confirm-error") : null));
    expect(error.textContent).toContain("Nothing was sent");
    expect(maybe("confirm-input")).not.toBeNull();
    expect(s.backend.ops.sent).toEqual([]);
  });
});

describe("the vehicle panel's command buttons", () => {
  it("offer the five commands and open their confirmation", async () => {
    const s = await setup();
    const tools = document.createElement("div");
    const host = operationsHost({ backend: s.backend, store: s.store, tools });
    // As the fleet view wires them: the panel asks, the host opens.
    const details = new DeviceDetails(s.store, {
      now: () => NOW,
      onCommand: ({ imei, command }) => void host.openCommand(imei, command),
      onAuditOpen: () => void host.openAuditLog(),
    });
    document.body.append(tools, details.element);
    s.store.select(s.imei);
    for (const id of ["command-stop-engine", "command-restore-engine", "command-reset", "command-lock", "command-unlock"]) {
      expect(maybe(id), id).not.toBeNull();
    }
    expect(["mileage-open", "accounts-open", "audit-log-open"].map((id) => tools.querySelector(`[data-testid="${id}"]`) !== null)).toEqual([true, true, true]);
    q("command-restore-engine").click();
    await until("the confirmation", () => maybe("confirm-ok"));
    expect(q("confirm-dialog").dataset.command).toBe("RELAY,0");
    expect(s.backend.calls.find((c) => c.cmd === "command_prepare")?.args).toEqual({ imei: s.imei, command: "RestoreEngine" });
  });
});
