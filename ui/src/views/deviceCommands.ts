/**
 * The "Commands" section of a vehicle's panel: one button per command. A button only asks for the
 * command (a "command-open" event); the confirmation dialog and the backend do the rest.
 */
import type { Command } from "../bindings";
import { h } from "../dom";
import { COMMAND_CHOICES } from "../lib/deviceCommands";

/** Detail of the "command-open" event. */
export interface CommandRequest {
  imei: string;
  command: Command;
}

export function commandsSection(imei: string): HTMLElement {
  const buttons = COMMAND_CHOICES.map((c) => {
    const b = h(
      "button",
      { type: "button", class: `btn small ${c.tone === "danger" ? "danger-outline" : "secondary"}`, title: c.hint, "data-testid": c.testid },
      c.label,
    );
    b.addEventListener("click", () =>
      b.dispatchEvent(new CustomEvent<CommandRequest>("command-open", { bubbles: true, detail: { imei, command: c.command } })),
    );
    return b;
  });
  const log = h("button", { type: "button", class: "btn link small", "data-testid": "audit-open" }, "Command log");
  log.addEventListener("click", () => log.dispatchEvent(new CustomEvent("audit-open", { bubbles: true })));
  return h(
    "section",
    { class: "details-section command-section", "data-testid": "device-commands" },
    h("h3", {}, "Commands"),
    h("div", { class: "command-buttons" }, ...buttons),
    h("p", { class: "hint" }, "Every command asks for a confirmation first and is recorded in the ", log, "."),
  );
}
