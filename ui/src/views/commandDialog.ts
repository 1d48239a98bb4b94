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
import { ageWords, commandName } from "../lib/deviceCommands";
import { t } from "../i18n";
import { errorText } from "../i18n/words";
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

/** The provider's connection state of the device (`datastatus`), in words. */
function connectionWords(datastatus: number): string {
  return (t().commands.connection as Readonly<Record<string, string | undefined>>)[String(datastatus)] ?? "";
}

/** The command's name: ours for the commands we know, the backend's for anything else. */
function actionOf(p: CommandPreview): string {
  return typeof p.command === "string" ? commandName(p.command) : p.action;
}

/**
 * What the command will do, worded here from what the backend said about the vehicle, as the
 * backend words it (src-tauri device_commands.rs `describe`), in the language in use.
 */
function effectOf(p: CommandPreview): string {
  return typeof p.command === "string" ? t().commands.effect[p.command]({ who: label(p) }) : p.effect;
}

/**
 * The red warning, when the backend gave one: worded here from the same facts and in the same
 * order as the backend decides it; the backend's own words for a case not known here.
 */
function dangerOf(p: CommandPreview, units: Parameters<typeof formatSpeed>[1]): string | null {
  if (p.danger === null) return null;
  const m = t().commands;
  const v = p.vehicle;
  const who = label(p);
  const stop = p.command === "StopEngine";
  const unlock = p.command === "UnlockDoor";
  if (stop && v.moving) return m.dangerMoving({ who, speed: formatSpeed(v.speed ?? 0, units), age: ageWords(v.fixAgeSecs ?? 0) });
  if ((stop || unlock) && v.motionUnknown) {
    const why = v.fixAgeSecs === null ? m.dangerUnknownNoFix({ who }) : m.dangerUnknownAge({ who, age: ageWords(v.fixAgeSecs) });
    return `${why} ${stop ? m.dangerUnknownStop : m.dangerUnknownUnlock}`;
  }
  if ((stop || unlock) && v.accOn) return stop ? `${m.dangerIgnition({ who })} ${m.dangerIgnitionStop}` : m.dangerIgnition({ who });
  return p.danger;
}

/**
 * Something else worth knowing, when the backend gave a note: the device's state as the backend
 * words it, and the unencrypted connection when the provider is reached over http.
 */
function noteOf(p: CommandPreview, providerUrl: string | null): string | null {
  if (p.note === null) return null;
  const n = t().commands.notes;
  const v = p.vehicle;
  const offline =
    v.datastatus === 1 ? n.neverOnline : v.datastatus === 3 ? n.expired : v.datastatus === 4 ? n.offline : v.datastatus === 5 ? n.blocked : v.gpsTime === null ? n.noPosition : null;
  const insecure = providerUrl?.toLowerCase().startsWith("http://") ? n.insecure : null;
  const parts = [offline, insecure].filter((x): x is string => x !== null);
  return parts.length ? parts.join(" ") : p.note;
}

/** "No reply from the device in 4 s…": the seconds as the backend counted them. */
function noReplyWords(message: string): string {
  const secs = /(\d+(?:\.\d+)?) s\b/.exec(message);
  return secs ? t().commands.noReplyIn({ secs: Number(secs[1]) }) : t().commands.noReplyInTime;
}

export function openCommandDialog(opts: CommandDialogOptions): CommandDialog {
  const { backend, store } = opts;
  let phase: Phase = "preparing";
  let preview: CommandPreview | null = null;
  let result: CommandResult | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let unlisten: Unsubscribe | null = null;

  const m = t().commands;
  const modal = openModal({
    title: m.checking,
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

  const cancelButton = (label = t().common.cancel): HTMLButtonElement => {
    const b = h("button", { type: "button", class: "btn secondary", "data-testid": "confirm-cancel" }, label);
    b.addEventListener("click", () => modal.close());
    return b;
  };

  async function prepare(): Promise<void> {
    phase = "preparing";
    stopTimer();
    modal.dialog.dataset.phase = phase;
    modal.setTitle(m.checking);
    modal.body.replaceChildren(h("p", { class: "muted", "data-testid": "command-preparing" }, m.reading));
    modal.footer.replaceChildren(cancelButton());
    try {
      preview = await backend.commandPrepare(opts.imei, opts.command);
    } catch (e) {
      phase = "done";
      modal.dialog.dataset.phase = phase;
      modal.setTitle(m.cannotPrepare);
      modal.body.replaceChildren(h("div", { class: "form-error", role: "alert", "data-testid": "command-error" }, errorText(toBackendError(e))));
      modal.footer.replaceChildren(cancelButton(t().common.close));
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
    const action = actionOf(p);
    modal.setTitle(m.question({ action }));

    // The vehicle's name, plate and IMEI are data: left as they are (translate="no").
    const vehicle = h(
      "dl",
      { class: "fields command-vehicle", "data-testid": "confirm-vehicle" },
      h("dt", {}, m.vehicle),
      h("dd", { "data-field": "name", translate: "no" }, v.name || "—"),
      h("dt", {}, m.plate),
      h("dd", { "data-field": "plate", translate: "no" }, v.plate || "—"),
      h("dt", {}, m.imei),
      h("dd", { "data-field": "imei", class: "mono", translate: "no" }, v.imei),
      h("dt", {}, m.lastSpeed),
      h("dd", { "data-field": "speed" }, v.speed === null ? m.noPosition : formatSpeed(v.speed, units)),
      h("dt", {}, m.lastFix),
      h(
        "dd",
        { "data-field": "fix" },
        v.gpsTime === null ? t().common.none : t().common.ago({ span: ageWords(v.fixAgeSecs) }),
        v.gpsTime === null ? null : h("small", { class: "muted rel" }, formatDateTime(v.gpsTime, tz)),
      ),
      h("dt", {}, m.state),
      h(
        "dd",
        { "data-field": "moving" },
        h("span", { class: `chip ${v.moving ? "chip-moving" : "chip-stopped"}` }, v.moving ? m.moving : m.notMoving),
        " ",
        h("span", { class: "muted" }, connectionWords(v.datastatus)),
      ),
    );

    const parts: Node[] = [];
    const warning = dangerOf(p, units);
    if (warning) {
      parts.push(h("div", { class: "command-danger", role: "alert", "data-testid": "confirm-warning" }, icon(ICONS.warning), h("span", {}, warning)));
    }
    parts.push(h("p", { class: "command-effect", "data-testid": "confirm-effect" }, effectOf(p)), vehicle);
    const note = noteOf(p, store.session?.providerUrl ?? null);
    if (note) parts.push(h("div", { class: "form-notice", "data-testid": "confirm-note" }, note));

    const ok = h(
      "button",
      { type: "button", class: `btn ${p.command === "StopEngine" ? "danger" : "primary"}`, "data-testid": "confirm-ok" },
      action,
    );
    const error = h("div", { class: "form-error", role: "alert", hidden: true, "data-testid": "confirm-error" });
    let input: HTMLInputElement | null = null;
    if (p.mustType) {
      // What to type (a plate, IMEI digits) is data: never translated, shown exactly.
      const what = p.mustType.kind === "plate" ? m.typePlate : m.typeImei;
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
          h("label", { for: "confirm-input" }, what, h("strong", { class: "mono", translate: "no", "data-testid": "confirm-typed-text" }, p.mustType.text)),
          input,
          h("p", { class: "hint", id: "confirm-input-hint" }, m.typeHint),
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

    const again = h("button", { type: "button", class: "btn secondary", hidden: true, "data-testid": "confirm-again" }, m.checkAgain);
    again.addEventListener("click", () => void prepare());
    const deadline = Date.now() + p.expiresInSecs * 1000;
    const tick = (): void => {
      const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      if (left === 0) {
        expired = true;
        expiry.textContent = m.expired;
        again.hidden = false;
        stopTimer();
      } else {
        expiry.textContent = m.validFor({ secs: left });
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
      modal.setTitle(m.question({ action }));
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
    const action = actionOf(p);
    const line = h("p", { class: "command-line" }, m.sending({ action, who: label(p) }));
    status.append(line, bar);
    unlisten = await backend.onCommandProgress((pr: CommandProgress) => {
      if (pr.confirmationId !== p.confirmationId || phase !== "running") return;
      bar.value = pr.poll;
      bar.max = pr.maxPolls;
      status.dataset.poll = String(pr.poll);
      if (pr.poll > 0) {
        status.dataset.state = "waiting";
        line.textContent = m.waiting({ poll: pr.poll, max: pr.maxPolls });
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
        error.textContent = errorText(err);
        error.hidden = false;
        ok.disabled = false;
        again.hidden = false;
        return;
      }
      phase = "done";
      modal.dialog.dataset.phase = phase;
      status.dataset.state = "failed";
      line.textContent = errorText(err);
      bar.remove();
      modal.setTitle(m.notDone({ action }));
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
      modal.setTitle(m.replied({ action }));
      // The reply is the device's own text: data, left as it is.
      line.append(h("span", {}, m.deviceReplied), h("q", { class: "command-reply", "data-testid": "command-reply", translate: "no" }, outcome.reply ?? ""));
      // The vehicle's new state (e.g. standing still) shows on the map at once, not at the next poll.
      void backend.liveRefreshNow().catch(() => undefined);
    } else {
      modal.setTitle(outcome.outcome === "timedOut" ? m.noReply({ action }) : m.sent({ action }));
      line.textContent = outcome.outcome === "timedOut" ? noReplyWords(outcome.message) : t().commands.stoppedWaiting;
    }
    if (outcome.commandId) status.append(h("p", { class: "muted small" }, m.commandId({ id: outcome.commandId })));
    showStatus(status, p);
  }

  function showRunning(p: CommandPreview, status: HTMLElement): void {
    modal.dialog.dataset.phase = "running";
    modal.setTitle(m.sendingTitle({ action: actionOf(p) }));
    const stop = h("button", { type: "button", class: "btn secondary", "data-testid": "command-stop-waiting" }, m.stopWaiting);
    stop.addEventListener("click", () => {
      stop.disabled = true;
      void backend.commandStopWaiting(p.confirmationId).catch(() => undefined);
    });
    modal.body.replaceChildren(
      status,
      h("p", { class: "hint" }, m.sentOnce),
    );
    modal.footer.replaceChildren(stop);
  }

  function showStatus(status: HTMLElement, p: CommandPreview): void {
    const close = h("button", { type: "button", class: "btn primary", "data-testid": "command-close" }, t().common.close);
    close.addEventListener("click", () => modal.close());
    modal.body.replaceChildren(h("p", { class: "muted" }, `${actionOf(p)} · `, h("span", { translate: "no" }, `${label(p)} · ${p.wire}`)), status);
    modal.footer.replaceChildren(close);
    queueMicrotask(() => close.focus());
  }

  void prepare();
  return { element: modal.element, closed, close: () => modal.close(), destroy: () => modal.close() };
}

function label(p: CommandPreview): string {
  return [p.vehicle.name, p.vehicle.plate].filter(Boolean).join(" · ") || p.vehicle.imei;
}
