/**
 * The Settings dialog's Stored history section: the routes and alarms kept on this computer for
 * the signed-in account (size in use, largest size, clear). The dialog places `element` and, on
 * Save, merges `read()` into the settings it sends; clearing happens at once, after a
 * confirmation (it is not a setting).
 */
import type { HistoryInfo, Settings } from "../bindings";
import { toBackendError, type IBackend } from "../backend";
import { h } from "../dom";
import { t } from "../i18n";
import { errorText } from "../i18n/words";
import type { View } from "./view";

/** The settings' own limits (src-tauri/crates/etrack-app/src/settings.rs). */
export const HISTORY_LIMIT_MIN_MB = 100;
export const HISTORY_LIMIT_MAX_MB = 100_000;
const MB = 1024 * 1024;

/** The part of the settings this section edits. */
export type HistorySettings = Pick<Settings, "historyLimitMb">;

/** What `read()` gives: the section's settings, or what is wrong (its field has the focus). */
export type HistoryRead = { ok: true; value: HistorySettings } | { ok: false; error: string };

export interface HistorySectionOptions {
  backend: IBackend;
  /** The settings the dialog opened with. */
  settings: Settings;
}

export interface HistorySection extends View {
  read(): HistoryRead;
  /** Settles once the size in use is shown (tests). */
  readonly ready: Promise<void>;
}

export function createHistorySection(opts: HistorySectionOptions): HistorySection {
  const { backend } = opts;
  const m = t().history;
  let destroyed = false;
  let account: string | null = null;

  const size = h("output", { class: "history-size", "data-testid": "history-size", "aria-live": "polite", id: "set-history-size" }, m.unknown);
  const limit = h("input", {
    id: "set-history-limit",
    type: "number",
    min: String(HISTORY_LIMIT_MIN_MB),
    max: String(HISTORY_LIMIT_MAX_MB),
    step: "1",
    "aria-describedby": "set-history-limit-hint",
    "data-testid": "settings-history-limit",
  });
  limit.value = String(opts.settings.historyLimitMb);
  const clear = h("button", { type: "button", class: "btn secondary small", "data-testid": "history-clear" }, m.clear);
  const notice = h("p", { class: "form-notice", role: "status", hidden: true, "data-testid": "history-notice" });
  const status = h("p", { class: "hint", role: "status", "data-testid": "history-status" });

  // The confirmation, in place: the dialog is already a modal.
  const question = h("p", { id: "history-clear-question" });
  const yes = h("button", { type: "button", class: "btn danger small", "data-testid": "history-clear-confirm" }, m.confirmClear);
  const no = h("button", { type: "button", class: "btn secondary small", "data-testid": "history-clear-cancel" }, m.keep);
  const confirm = h(
    "div",
    { class: "history-confirm", role: "group", "aria-labelledby": "history-clear-question", hidden: true, "data-testid": "history-clear-question" },
    question,
    h("div", { class: "row" }, no, yes),
  );

  function show(info: HistoryInfo): void {
    const bytes = Number(info.bytes);
    account = info.account;
    size.dataset.bytes = String(bytes);
    size.textContent = m.size({ mb: bytes / MB });
    if (info.notice) {
      // The backend's own sentence (a damaged file kept aside, a store that cannot be used).
      notice.textContent = info.notice;
      notice.hidden = false;
    }
  }

  const ready = backend.historyInfo().then(
    (info) => {
      if (!destroyed) show(info);
    },
    () => undefined,
  );

  function closeConfirm(): void {
    confirm.hidden = true;
    clear.hidden = false;
  }

  clear.addEventListener("click", () => {
    status.textContent = "";
    question.textContent = account === null ? m.confirmAny : m.confirm({ account });
    confirm.hidden = false;
    clear.hidden = true;
    no.focus();
  });
  no.addEventListener("click", () => {
    closeConfirm();
    clear.focus();
  });
  yes.addEventListener("click", () => {
    yes.disabled = true;
    no.disabled = true;
    backend
      .historyClear()
      .then((info) => {
        if (destroyed) return;
        show(info);
        status.textContent = m.cleared;
      })
      .catch((e: unknown) => {
        if (!destroyed) status.textContent = m.clearFailed({ error: errorText(toBackendError(e)) });
      })
      .finally(() => {
        yes.disabled = false;
        no.disabled = false;
        if (destroyed) return;
        closeConfirm();
        clear.focus();
      });
  });

  const element = h(
    "section",
    { class: "history-settings", "aria-labelledby": "settings-history", "data-testid": "settings-history" },
    h("h3", { id: "settings-history" }, m.heading),
    h("p", { class: "hint" }, m.hint),
    notice,
    h("div", { class: "history-in-use" }, h("label", { for: "set-history-size" }, m.inUse), size, clear),
    confirm,
    status,
    h(
      "div",
      { class: "field" },
      h("label", { for: "set-history-limit" }, m.limit),
      limit,
      h("p", { class: "hint", id: "set-history-limit-hint" }, m.limitHint),
    ),
  );

  return {
    element,
    ready,
    read(): HistoryRead {
      const mb = Number(limit.value);
      if (limit.value.trim() === "" || !Number.isInteger(mb) || mb < HISTORY_LIMIT_MIN_MB || mb > HISTORY_LIMIT_MAX_MB) {
        limit.setAttribute("aria-invalid", "true");
        limit.focus();
        return { ok: false, error: m.errLimit({ min: HISTORY_LIMIT_MIN_MB, max: HISTORY_LIMIT_MAX_MB }) };
      }
      limit.removeAttribute("aria-invalid");
      return { ok: true, value: { historyLimitMb: mb } };
    },
    destroy() {
      destroyed = true;
    },
  };
}
