/** The command log: every command sent from this computer (and every account blocked or unblocked). */
import type { AuditEntry, AuditPage, AuditOutcome } from "../bindings";
import { toBackendError, type IBackend } from "../backend";
import type { Store } from "../state";
import { h } from "../dom";
import { formatDateTime } from "../lib/time";
import { openModal, type Modal } from "./operationsModal";
import { t } from "../i18n";
import { errorText } from "../i18n/words";
import { commandName } from "../lib/deviceCommands";

const outcomeWords = (o: AuditOutcome): string => t().audit.outcomes[o];

/** The commands by their text on the wire, to name a logged one in the language in use. */
const BY_WIRE: Readonly<Record<string, "StopEngine" | "RestoreEngine" | "Reset" | "LockDoor" | "UnlockDoor">> = {
  "RELAY,1": "StopEngine",
  "RELAY,0": "RestoreEngine",
  RESET: "Reset",
  LOCKDOOR: "LockDoor",
  UNLOCKDOOR: "UnlockDoor",
};

/**
 * What was done, in the language in use: a command by its wire text, an account block by its
 * word; anything else as the log recorded it (the backend's words at the time).
 */
function actionWords(e: AuditEntry): { text: string; recorded: boolean } {
  const named = BY_WIRE[e.command.trim().toUpperCase()];
  if (named) return { text: commandName(named), recorded: false };
  if (e.command === "block") return { text: t().audit.blockAccount, recorded: false };
  if (e.command === "unblock") return { text: t().audit.unblockAccount, recorded: false };
  return { text: e.action, recorded: true };
}

export interface AuditLogOptions {
  backend: IBackend;
  store: Store;
}

export function openAuditLog(opts: AuditLogOptions): Modal {
  const { backend, store } = opts;
  const m = t().audit;
  const modal = openModal({ title: m.title, testid: "audit-log", size: "wide" });
  const table = h("table", { class: "ops-table", "data-testid": "audit-table" });
  const summary = h("p", { class: "muted small", "data-testid": "audit-summary" });
  const result = h("p", { class: "form-notice", hidden: true, "data-testid": "audit-export-result" });
  const exportBtn = h("button", { type: "button", class: "btn secondary", "data-testid": "audit-export" }, m.exportCsv);
  const reload = h("button", { type: "button", class: "btn secondary", "data-testid": "audit-reload" }, m.reload);
  const close = h("button", { type: "button", class: "btn primary" }, t().common.close);
  close.addEventListener("click", () => modal.close());
  modal.body.append(
    h("p", { class: "hint" }, m.hint),
    summary,
    h("div", { class: "table-scroll" }, table),
    result,
  );
  modal.footer.append(reload, exportBtn, close);

  function render(page: AuditPage): void {
    const entries: AuditEntry[] = page.entries;
    const tz = store.settings.timeZone;
    const rows = [...entries].reverse().map((e) =>
      h(
        "tr",
        { "data-testid": "audit-row", "data-command": e.command, "data-outcome": e.outcome, "data-imei": e.imei },
        h("td", { class: "nowrap" }, formatDateTime(Math.floor(e.time / 1000), tz)),
        // The account, the target, the wire text, the id and the device's reply are data, as recorded.
        h("td", { translate: "no" }, e.account),
        h("td", { translate: "no" }, ...unbroken(e.target), e.imei ? h("small", { class: "muted mono block" }, e.imei) : null),
        h("td", {}, actionCell(e), h("small", { class: "muted mono block", translate: "no" }, e.command)),
        h("td", { class: "mono", translate: "no" }, e.commandId || "—"),
        h("td", {}, h("span", { class: `outcome outcome-${e.outcome}` }, outcomeWords(e.outcome)), e.stoppedWaiting ? h("small", { class: "muted block" }, m.afterStop) : null),
        h("td", { class: "reply", translate: "no" }, e.reply || "—"),
      ),
    );
    const c = m.columns;
    table.replaceChildren(
      h("thead", {}, h("tr", {}, ...[c.time, c.account, c.target, c.command, c.commandId, c.outcome, c.reply].map((text) => h("th", {}, text)))),
      h("tbody", {}, ...rows),
    );
    summary.textContent =
      entries.length === 0
        ? m.empty
        : page.more
          ? m.latest({ n: entries.length })
          : m.recorded({ n: entries.length });
    exportBtn.disabled = entries.length === 0;
  }

  async function load(): Promise<void> {
    summary.textContent = t().common.loading;
    try {
      render(await backend.auditList());
    } catch (e) {
      summary.textContent = errorText(toBackendError(e));
    }
  }
  reload.addEventListener("click", () => void load());
  exportBtn.addEventListener("click", () => {
    exportBtn.disabled = true;
    backend
      .auditExportCsv()
      .then((path) => {
        result.hidden = path === null;
        if (path) result.textContent = m.savedTo({ path });
      })
      .catch((e: unknown) => {
        result.hidden = false;
        result.textContent = errorText(toBackendError(e));
      })
      .finally(() => {
        exportBtn.disabled = false;
      });
  });
  void load();
  return modal;
}

/** A logged action: ours when we know it, else as recorded (marked as data). */
function actionCell(e: AuditEntry): HTMLElement | string {
  const a = actionWords(e);
  return a.recorded ? h("span", { translate: "no" }, a.text) : a.text;
}

/**
 * "Car 03 · 粤BQ203L" with each part kept on one line: a narrow column would otherwise break a
 * plate after its province character, or an account name at its hyphen.
 */
function unbroken(target: string): Array<HTMLElement | string> {
  return target.split(" · ").flatMap((part, i) => [...(i ? [" · "] : []), h("span", { class: "nowrap" }, part)]);
}
