/**
 * The "Commands" section of a vehicle's panel: one button per command. A button only asks for the
 * command (`onCommand`); the confirmation dialog and the backend do the rest.
 */
import type { Command } from "../bindings";
import { h } from "../dom";
import { COMMAND_CHOICES } from "../lib/deviceCommands";
import { t } from "../i18n";

/** A command asked for from the panel, before any confirmation. */
export interface CommandRequest {
  imei: string;
  command: Command;
}

export interface CommandsSectionOptions {
  imei: string;
  /** A command button was pressed. */
  onCommand?: (request: CommandRequest) => void;
  /** The "Command log" link was pressed. */
  onAuditOpen?: () => void;
}

/** A part of the panel's content, rebuilt with it: it holds nothing to release. */
export function commandsSection(opts: CommandsSectionOptions): HTMLElement {
  const { imei } = opts;
  const buttons = COMMAND_CHOICES.map((c) => {
    const b = h(
      "button",
      { type: "button", class: `btn small ${c.tone === "danger" ? "danger-outline" : "secondary"}`, title: c.hint, "data-testid": c.testid },
      c.label,
    );
    b.addEventListener("click", () => opts.onCommand?.({ imei, command: c.command }));
    return b;
  });
  const m = t().commands;
  const log = h("button", { type: "button", class: "btn link small", "data-testid": "audit-open" }, m.log);
  log.addEventListener("click", () => opts.onAuditOpen?.());
  return h(
    "section",
    { class: "details-section command-section", "data-testid": "device-commands" },
    h("h3", {}, m.section),
    h("div", { class: "command-buttons" }, ...buttons),
    h("p", { class: "hint" }, m.recordedBefore, log, m.recordedAfter),
  );
}
