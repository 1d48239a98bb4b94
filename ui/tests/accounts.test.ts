import { afterEach, describe, expect, it } from "vitest";
import { FakeBackend } from "../src/backend-fake";
import { Store } from "../src/state";
import { openAccounts } from "../src/views/accounts";

const NOW = Date.UTC(2024, 4, 15, 10, 20, 0);

afterEach(() => document.body.replaceChildren());

const q = <T extends HTMLElement = HTMLElement>(id: string, root: ParentNode = document): T => {
  const el = root.querySelector<T>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no ${id}`);
  return el;
};
const row = (account: string): HTMLElement => q("accounts-table").querySelector<HTMLElement>(`[data-account="${account}"]`)!;
const tick = () => new Promise((r) => setTimeout(r, 0));

async function setup() {
  const backend = new FakeBackend({ nowMs: () => NOW, accounts: [{ account: "fleet-manager", password: "pw", providerUrl: "http://p" }] });
  await backend.sessionLogin({ providerUrl: "http://p", account: "fleet-manager", password: "pw", remember: false });
  const store = new Store({ ...backend.settings, timeZone: "UTC" });
  const view = openAccounts({ backend, store });
  await view.loaded;
  return { backend, store, view };
}

describe("accounts", () => {
  it("shows the profile and the sub-customers with role and block status", async () => {
    await setup();
    expect(q("account-profile").querySelector('[data-field="account"]')?.textContent).toBe("fleet-manager");
    expect(q("account-profile").querySelector('[data-field="role"]')?.textContent).toBe("Distributor");
    const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="account-row"]')].map((r) => r.dataset.account);
    expect(rows).toEqual(["demo-east", "demo-west", "demo-virtual", "demo-blocked"]);
    expect(q("account-status", row("demo-blocked")).textContent).toBe("Blocked");
    expect(q("account-block", row("demo-blocked")).textContent).toBe("Unblock");
    expect(row("demo-virtual").textContent).toContain("Virtual account");
    expect(q("accounts-summary").textContent).toBe("4 accounts, 1 blocked.");
  });

  it("blocks only after a confirmation naming the account; cancelling changes nothing", async () => {
    const { backend } = await setup();
    q("account-block", row("demo-east")).click();
    await tick();
    const dialog = q("confirm-dialog");
    expect(dialog.textContent).toContain("demo-east (East depot) will be blocked");
    expect(q("confirm-ok").textContent).toBe("Block demo-east");
    q("confirm-cancel").click();
    await tick();
    expect(backend.calls.some((c) => c.cmd === "account_block_confirm")).toBe(false);
    expect(backend.calls.some((c) => c.cmd === "account_block_discard")).toBe(true);
    expect(row("demo-east").dataset.blocked).toBe("false");

    q("account-block", row("demo-east")).click();
    await tick();
    q("confirm-ok").click();
    await tick();
    await tick();
    expect(row("demo-east").dataset.blocked).toBe("true");
    expect(q("account-status", row("demo-east")).textContent).toBe("Blocked");
    expect(backend.ops.audit.at(-1)).toMatchObject({ command: "block", target: "account demo-east", outcome: "done" });

    q("account-block", row("demo-east")).click();
    await tick();
    expect(q("confirm-ok").textContent).toBe("Unblock demo-east");
    q("confirm-ok").click();
    await tick();
    await tick();
    expect(row("demo-east").dataset.blocked).toBe("false");
  });

  it("counts the message's characters live and sends it to the ticked accounts", async () => {
    const { backend } = await setup();
    const text = q<HTMLTextAreaElement>("message-text");
    const send = q<HTMLButtonElement>("message-send");
    expect(send.disabled).toBe(true);
    q<HTMLInputElement>("account-select", row("demo-east")).click();
    q<HTMLInputElement>("account-select", row("demo-west")).click();
    text.value = "Depot closed on Friday 👋";
    text.dispatchEvent(new Event("input"));
    // The emoji is one character to the provider, two UTF-16 units to JavaScript.
    expect(q("message-counter").textContent).toBe("24 / 300");
    expect(q("message-recipients").textContent).toBe("To 2 accounts");
    expect(send.disabled).toBe(false);

    text.value = "x".repeat(301);
    text.dispatchEvent(new Event("input"));
    expect(q("message-counter").textContent).toBe("301 / 300");
    expect(q("message-counter").classList.contains("over")).toBe(true);
    expect(send.disabled).toBe(true);

    text.value = "Hello";
    text.dispatchEvent(new Event("input"));
    send.click();
    await tick();
    await tick();
    expect(backend.ops.messages).toEqual([{ accounts: ["demo-east", "demo-west"], content: "Hello" }]);
    expect(q("message-result").textContent).toBe("Sent to 2 accounts.");
  });

  it("says when a long list goes in several sends of 200", async () => {
    const { backend, view } = await setup();
    view.close();
    for (let i = 0; i < 250; i++) backend.ops.accounts.push({ ...backend.ops.accounts[1]!, account: `fleet-${i}` });
    const store = new Store({ ...backend.settings, timeZone: "UTC" });
    const again = openAccounts({ backend, store });
    await again.loaded;
    q<HTMLInputElement>("accounts-select-all").click();
    expect(q("message-recipients").textContent).toBe("To 254 accounts (sent in 2 batches of up to 200)");
    const text = q<HTMLTextAreaElement>("message-text");
    text.value = "Hi";
    text.dispatchEvent(new Event("input"));
    q("message-send").click();
    await tick();
    await tick();
    expect(backend.ops.messages.map((m) => m.accounts.length)).toEqual([200, 54]);
    expect(q("message-result").textContent).toBe("Sent to 254 accounts in 2 sends.");
  });
});
