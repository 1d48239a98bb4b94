/**
 * The confirmation of a device command, then its progress and the device's reply.
 *
 * The backend prepares the command (the vehicle's state now, what will happen, a one-time id) and
 * only a confirm with that id sends it; this dialog shows what the backend said, asks for the
 * typed plate when the backend asks for it, and never sends on its own.
 */
import type { Command, CommandPreview, CommandProgress, CommandResult } from "../bindings";
import { toBackendError, type IBackend, type Unsubscribe } from "../backend";
import type { Store } from "../state";
import { h, icon, ICONS } from "../dom";
import { formatSpeed } from "../lib/units";
import { formatDateTime } from "../lib/time";
import { typedMatches } from "../lib/confirmText";
import { ageWords } from "../lib/deviceCommands";
import { openModal } from "./operationsModal";
import type { DialogView } from "./view";

export interface CommandDialogOptions {
  backend: IBackend;
  store: Store;
  imei: string;
  command: Command;
  /** ms between updates of the expiry countdown (0: none, for tests). */
  tickMs?: number;
}

/**
 * `closed` resolves with the result, or null when nothing was sent. Closing it leaves a command on
 * its way to go on; its reply reaches the audit log.
 */
export type CommandDialog = DialogView<CommandResult | null>;

type Phase = "preparing" | "confirming" | "running" | "done";

const CONNECTION: Record<number, string> = { 1: "Never online", 2: "Online", 3: "Service expired", 4: "Offline", 5: "Blocked" };

export function openCommandDialog(opts: CommandDialogOptions): CommandDialog {
  const { backend, store } = opts;
  let phase: Phase = "preparing";
  let preview: CommandPreview | null = null;
  let result: CommandResult | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let unlisten: Unsubscribe | null = null;

  const modal = openModal({
    title: "Checking the vehicle…",
    testid: "confirm-dialog",
    // While the command is on its way the dialog stays: "Stop waiting" is the way out.
    canClose: () => phase !== "running",
    onClose: () => {
      stopTimer();
      unlisten?.();
      // A confirmation left unused is voided at once, not left to expire.
      if (phase === "confirming" && preview) void backend.commandDiscard(preview.confirmationId).catch(() => undefined);
    },
  });
  modal.dialog.classList.add("command-dialog");
  let resolveClosed: (r: CommandResult | null) => void = () => undefined;
  const closed = new Promise<CommandResult | null>((r) => (resolveClosed = r));
  void modal.closed.then(() => resolveClosed(result));

  function stopTimer(): void {
    if (timer) clearInterval(timer);
    timer = null;
  }

  const cancelButton = (label = "Cancel"): HTMLButtonElement => {
    const b = h("button", { type: "button", class: "btn secondary", "data-testid": "confirm-cancel" }, label);
    b.addEventListener("click", () => modal.close());
    return b;
  };

  async function prepare(): Promise<void> {
    phase = "preparing";
    stopTimer();
    modal.dialog.dataset.phase = phase;
    modal.setTitle("Checking the vehicle…");
    modal.body.replaceChildren(h("p", { class: "muted", "data-testid": "command-preparing" }, "Reading the vehicle's state from the provider…"));
    modal.footer.replaceChildren(cancelButton());
    try {
      preview = await backend.commandPrepare(opts.imei, opts.command);
    } catch (e) {
      phase = "done";
      modal.dialog.dataset.phase = phase;
      modal.setTitle("Cannot prepare the command");
      modal.body.replaceChildren(h("div", { class: "form-error", role: "alert", "data-testid": "command-error" }, toBackendError(e).message));
      modal.footer.replaceChildren(cancelButton("Close"));
      return;
    }
    showConfirmation(preview);
  }

  function showConfirmation(p: CommandPreview): void {
    phase = "confirming";
    const v = p.vehicle;
    const units = store.settings.units;
    const tz = store.settings.timeZone;
    const danger = p.danger !== null;
    modal.dialog.dataset.phase = phase;
    modal.dialog.dataset.danger = String(danger);
    modal.dialog.dataset.command = p.wire;
    modal.setTitle(`${p.action}?`);

    const vehicle = h(
      "dl",
      { class: "fields command-vehicle", "data-testid": "confirm-vehicle" },
      h("dt", {}, "Vehicle"),
      h("dd", { "data-field": "name" }, v.name || "—"),
      h("dt", {}, "Plate"),
      h("dd", { "data-field": "plate" }, v.plate || "—"),
      h("dt", {}, "IMEI"),
      h("dd", { "data-field": "imei", class: "mono" }, v.imei),
      h("dt", {}, "Last speed"),
      h("dd", { "data-field": "speed" }, v.speed === null ? "No position" : formatSpeed(v.speed, units)),
      h("dt", {}, "Last fix"),
      h(
        "dd",
        { "data-field": "fix" },
        v.gpsTime === null ? "None" : `${ageWords(v.fixAgeSecs)} ago`,
        v.gpsTime === null ? null : h("small", { class: "muted rel" }, formatDateTime(v.gpsTime, tz)),
      ),
      h("dt", {}, "State"),
      h(
        "dd",
        { "data-field": "moving" },
        h("span", { class: `chip ${v.moving ? "chip-moving" : "chip-stopped"}` }, v.moving ? "Moving" : "Not moving"),
        " ",
        h("span", { class: "muted" }, CONNECTION[v.datastatus] ?? ""),
      ),
    );

    const parts: Node[] = [];
    if (p.danger) {
      parts.push(h("div", { class: "command-danger", role: "alert", "data-testid": "confirm-warning" }, icon(ICONS.warning), h("span", {}, p.danger)));
    }
    parts.push(h("p", { class: "command-effect", "data-testid": "confirm-effect" }, p.effect), vehicle);
    if (p.note) parts.push(h("div", { class: "form-notice", "data-testid": "confirm-note" }, p.note));

    const ok = h(
      "button",
      { type: "button", class: `btn ${p.command === "StopEngine" ? "danger" : "primary"}`, "data-testid": "confirm-ok" },
      p.action,
    );
    const error = h("div", { class: "form-error", role: "alert", hidden: true, "data-testid": "confirm-error" });
    let input: HTMLInputElement | null = null;
    if (p.mustType) {
      const what = p.mustType.kind === "plate" ? "the plate" : "the last 4 digits of the IMEI";
      input = h("input", {
        type: "text",
        id: "confirm-input",
        autocomplete: "off",
        spellcheck: "false",
        "data-testid": "confirm-input",
        placeholder: p.mustType.text,
        "aria-describedby": "confirm-input-hint",
      });
      parts.push(
        h(
          "div",
          { class: "field confirm-typing" },
          h("label", { for: "confirm-input" }, `To confirm, type ${what}: `, h("strong", { class: "mono" }, p.mustType.text)),
          input,
          h("p", { class: "hint", id: "confirm-input-hint" }, "Case, spaces and dashes do not matter."),
        ),
      );
    }
    const expiry = h("p", { class: "hint command-expiry", "data-testid": "confirm-expiry" });
    parts.push(error, expiry);
    modal.body.replaceChildren(...parts);

    const typedOk = (): boolean => !p.mustType || typedMatches(p.mustType.text, input?.value ?? "");
    let expired = false;
    const refresh = (): void => {
      ok.disabled = expired || !typedOk();
    };
    input?.addEventListener("input", () => {
      refresh();
      error.hidden = true;
    });
    input?.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && !ok.disabled) {
        ev.preventDefault();
        ok.click();
      }
    });
    refresh();

    const again = h("button", { type: "button", class: "btn secondary", hidden: true, "data-testid": "confirm-again" }, "Check again");
    again.addEventListener("click", () => void prepare());
    const deadline = Date.now() + p.expiresInSecs * 1000;
    const tick = (): void => {
      const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      if (left === 0) {
        expired = true;
        expiry.textContent = "This confirmation expired: check the vehicle again before sending.";
        again.hidden = false;
        stopTimer();
      } else {
        expiry.textContent = `This confirmation is valid for ${left} s.`;
      }
      refresh();
    };
    const startTicking = (): void => {
      tick();
      stopTimer();
      if (opts.tickMs !== 0) timer = setInterval(tick, opts.tickMs ?? 1000);
    };
    startTicking();

    const footer = [cancelButton(), again, ok];
    modal.footer.replaceChildren(...footer);
    const restore = (): void => {
      modal.dialog.dataset.phase = "confirming";
      modal.setTitle(`${p.action}?`);
      modal.body.replaceChildren(...parts);
      modal.footer.replaceChildren(...footer);
      startTicking();
    };
    ok.addEventListener("click", () => {
      if (ok.disabled) return;
      void send(p, input?.value ?? null, { error, ok, again, restore });
    });
    queueMicrotask(() => (input ?? ok).focus());
  }

  interface Form {
    error: HTMLElement;
    ok: HTMLButtonElement;
    again: HTMLElement;
    /** Puts the confirmation back (the backend refused it before sending anything). */
    restore: () => void;
  }

  async function send(p: CommandPreview, typed: string | null, form: Form): Promise<void> {
    const { error, ok, again } = form;
    ok.disabled = true;
    const status = h("div", { class: "command-status", "data-testid": "command-status", "data-state": "sending", role: "status", "aria-live": "polite" });
    const bar = h("progress", { max: String(p.maxPolls), value: "0", class: "command-progress" });
    const line = h("p", { class: "command-line" }, `Sending “${p.action}” to ${label(p)}…`);
    status.append(line, bar);
    unlisten = await backend.onCommandProgress((pr: CommandProgress) => {
      if (pr.confirmationId !== p.confirmationId || phase !== "running") return;
      bar.value = pr.poll;
      bar.max = pr.maxPolls;
      status.dataset.poll = String(pr.poll);
      if (pr.poll > 0) {
        status.dataset.state = "waiting";
        line.textContent = `Sent. Waiting for the device's reply… (check ${pr.poll} of ${pr.maxPolls})`;
      }
    });
    let outcome: CommandResult;
    try {
      phase = "running";
      stopTimer();
      const pending = backend.commandConfirm(p.confirmationId, p.mustType ? typed : null);
      showRunning(p, status);
      outcome = await pending;
    } catch (e) {
      unlisten?.();
      unlisten = null;
      const err = toBackendError(e);
      if (err.kind === "validation") {
        // Refused before sending (e.g. a wrong plate): back to the form, nothing was sent.
        phase = "confirming";
        form.restore();
        error.textContent = err.message;
        error.hidden = false;
        ok.disabled = false;
        again.hidden = false;
        return;
      }
      phase = "done";
      modal.dialog.dataset.phase = phase;
      status.dataset.state = "failed";
      line.textContent = err.message;
      bar.remove();
      modal.setTitle(`${p.action}: not done`);
      showStatus(status, p);
      return;
    }
    unlisten?.();
    unlisten = null;
    result = outcome;
    phase = "done";
    modal.dialog.dataset.phase = phase;
    status.dataset.state = outcome.outcome;
    bar.remove();
    line.replaceChildren();
    if (outcome.outcome === "replied") {
      modal.setTitle(`${p.action}: the device replied`);
      line.append(h("span", {}, "The device replied:"), h("q", { class: "command-reply", "data-testid": "command-reply" }, outcome.reply ?? ""));
      // The vehicle's new state (e.g. standing still) shows on the map at once, not at the next poll.
      void backend.liveRefreshNow().catch(() => undefined);
    } else {
      modal.setTitle(outcome.outcome === "timedOut" ? `${p.action}: no reply` : `${p.action}: sent`);
      line.textContent = outcome.message;
    }
    if (outcome.commandId) status.append(h("p", { class: "muted small" }, `Command id ${outcome.commandId}`));
    showStatus(status, p);
  }

  function showRunning(p: CommandPreview, status: HTMLElement): void {
    modal.dialog.dataset.phase = "running";
    modal.setTitle(`${p.action}: sending`);
    const stop = h("button", { type: "button", class: "btn secondary", "data-testid": "command-stop-waiting" }, "Stop waiting");
    stop.addEventListener("click", () => {
      stop.disabled = true;
      void backend.commandStopWaiting(p.confirmationId).catch(() => undefined);
    });
    modal.body.replaceChildren(
      status,
      h("p", { class: "hint" }, "The command is sent once and never again automatically. Stopping the wait does not withdraw it."),
    );
    modal.footer.replaceChildren(stop);
  }

  function showStatus(status: HTMLElement, p: CommandPreview): void {
    const close = h("button", { type: "button", class: "btn primary", "data-testid": "command-close" }, "Close");
    close.addEventListener("click", () => modal.close());
    modal.body.replaceChildren(h("p", { class: "muted" }, `${p.action} · ${label(p)} · ${p.wire}`), status);
    modal.footer.replaceChildren(close);
    queueMicrotask(() => close.focus());
  }

  void prepare();
  return { element: modal.element, closed, close: () => modal.close(), destroy: () => modal.close() };
}

function label(p: CommandPreview): string {
  return [p.vehicle.name, p.vehicle.plate].filter(Boolean).join(" · ") || p.vehicle.imei;
}
