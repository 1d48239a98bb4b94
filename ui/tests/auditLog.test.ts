import { afterEach, describe, expect, it } from "vitest";
import { FakeBackend } from "../src/backend-fake";
import { Store } from "../src/state";
import { openAuditLog } from "../src/views/auditLog";

const NOW = Date.UTC(2024, 4, 15, 10, 20, 0);
afterEach(() => document.body.replaceChildren());
const q = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no ${id}`);
  return el;
};
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("the command log", () => {
  it("lists what was sent, newest first, with the reply, and exports it", async () => {
    const backend = new FakeBackend({ fleetSize: 4, nowMs: () => NOW });
    await backend.sessionDemo();
    backend.ops.replyAfterPolls = 1;
    const imei = backend.devices[0]!.imei;
    const a = backend.ops.prepare(imei, "LockDoor");
    await backend.commandConfirm(a.confirmationId, null);
    const b = backend.ops.prepare(imei, "UnlockDoor");
    await backend.commandConfirm(b.confirmationId, b.mustType?.text ?? null);
    const store = new Store({ ...backend.settings, timeZone: "UTC" });
    openAuditLog({ backend, store });
    await tick();
    await tick();
    const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="audit-row"]')];
    expect(rows.map((r) => r.dataset.command)).toEqual(["UNLOCKDOOR", "LOCKDOOR"]);
    expect(rows[0]!.textContent).toContain("Unlock door: Success!");
    expect(rows[0]!.textContent).toContain("2024-05-15 10:20:00 UTC");
    expect(rows[0]!.textContent).toContain("Device replied");
    expect(q("audit-summary").textContent).toBe("2 recorded.");
    q("audit-export").click();
    await tick();
    await tick();
    expect(q("audit-export-result").textContent).toContain("Saved to");
  });

  it("shows the latest page of a long log and points to the CSV for the rest", async () => {
    const backend = new FakeBackend({ fleetSize: 2, nowMs: () => NOW });
    await backend.sessionDemo();
    const imei = backend.devices[0]!.imei;
    const a = backend.ops.prepare(imei, "LockDoor");
    await backend.commandConfirm(a.confirmationId, null);
    const one = backend.ops.audit[0]!;
    for (let i = 0; i < 700; i++) backend.ops.audit.push({ ...one, commandId: `c${i}` });
    openAuditLog({ backend, store: new Store({ ...backend.settings, timeZone: "UTC" }) });
    await tick();
    await tick();
    const rows = document.querySelectorAll('[data-testid="audit-row"]');
    expect(rows).toHaveLength(500);
    expect(rows[0]!.textContent).toContain("c699");
    expect(q("audit-summary").textContent).toBe("The latest 500 shown; the CSV export has every command ever recorded.");
  });

  it("says so when nothing was sent yet", async () => {
    const backend = new FakeBackend({ fleetSize: 2, nowMs: () => NOW });
    await backend.sessionDemo();
    openAuditLog({ backend, store: new Store(backend.settings) });
    await tick();
    await tick();
    expect(q("audit-summary").textContent).toContain("No command has been sent");
    expect(q<HTMLButtonElement>("audit-export").disabled).toBe(true);
  });
});
