import { afterEach, describe, expect, it } from "vitest";
import { openDialog } from "../src/views/modal";

afterEach(() => document.body.replaceChildren());

describe("dialogs", () => {
  it("make everything behind the topmost dialog inert, and give it back when closed", () => {
    const app = document.createElement("div");
    const alreadyInert = document.createElement("div");
    alreadyInert.inert = true;
    document.body.append(app, alreadyInert);
    const accounts = openDialog({ title: "Accounts", testid: "accounts" });
    expect(app.inert).toBe(true);
    expect(Boolean(accounts.element.inert)).toBe(false);
    // A confirmation over it: the first dialog is behind now.
    const confirm = openDialog({ title: "Sure?", testid: "confirm" });
    expect(accounts.element.inert).toBe(true);
    expect(Boolean(confirm.element.inert)).toBe(false);
    confirm.close();
    expect(Boolean(accounts.element.inert)).toBe(false);
    expect(app.inert).toBe(true);
    accounts.close();
    expect(Boolean(app.inert)).toBe(false);
    expect(alreadyInert.inert).toBe(true);
  });
});
