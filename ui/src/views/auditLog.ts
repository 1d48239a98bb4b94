/** The command log: every command sent from this computer (and every account blocked or unblocked). */
import type { AuditEntry, AuditPage, AuditOutcome } from "../bindings";
import { toBackendError, type IBackend } from "../backend";
import type { Store } from "../state";
import { h } from "../dom";
import { formatDateTime } from "../lib/time";
import { openModal, type Modal } from "./operationsModal";

const OUTCOME_WORDS: Record<AuditOutcome, string> = {
  replied: "Device replied",
  timedOut: "No reply in time",
  refused: "Refused",
  unknown: "Unknown",
  done: "Done",
};

export interface AuditLogOptions {
  backend: IBackend;
  store: Store;
}

export function openAuditLog(opts: AuditLogOptions): Modal {
  const { backend, store } = opts;
  const modal = openModal({ title: "Command log", testid: "audit-log", size: "wide" });
  const table = h("table", { class: "ops-table", "data-testid": "audit-table" });
  const summary = h("p", { class: "muted small", "data-testid": "audit-summary" });
  const result = h("p", { class: "form-notice", hidden: true, "data-testid": "audit-export-result" });
  const exportBtn = h("button", { type: "button", class: "btn secondary", "data-testid": "audit-export" }, "Export CSV…");
  const reload = h("button", { type: "button", class: "btn secondary", "data-testid": "audit-reload" }, "Reload");
  const close = h("button", { type: "button", class: "btn primary" }, "Close");
  close.addEventListener("click", () => modal.close());
  modal.body.append(
    h("p", { class: "hint" }, "Commands sent from this computer, newest first, with the device's reply. The log is kept in the app's data folder."),
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
        h("td", {}, e.account),
        h("td", {}, ...unbroken(e.target), e.imei ? h("small", { class: "muted mono block" }, e.imei) : null),
        h("td", {}, e.action, h("small", { class: "muted mono block" }, e.command)),
        h("td", { class: "mono" }, e.commandId || "—"),
        h("td", {}, h("span", { class: `outcome outcome-${e.outcome}` }, OUTCOME_WORDS[e.outcome]), e.stoppedWaiting ? h("small", { class: "muted block" }, "after you stopped waiting") : null),
        h("td", { class: "reply" }, e.reply || "—"),
      ),
    );
    table.replaceChildren(
      h("thead", {}, h("tr", {}, ...["Time", "Account", "Target", "Command", "Command id", "Outcome", "Reply"].map((t) => h("th", {}, t)))),
      h("tbody", {}, ...rows),
    );
    summary.textContent =
      entries.length === 0
        ? "No command has been sent from this computer yet."
        : page.more
          ? `The latest ${entries.length} shown; the CSV export has every command ever recorded.`
          : `${entries.length} recorded.`;
    exportBtn.disabled = entries.length === 0;
  }

  async function load(): Promise<void> {
    summary.textContent = "Loading…";
    try {
      render(await backend.auditList());
    } catch (e) {
      summary.textContent = toBackendError(e).message;
    }
  }
  reload.addEventListener("click", () => void load());
  exportBtn.addEventListener("click", () => {
    exportBtn.disabled = true;
    backend
      .auditExportCsv()
      .then((path) => {
        result.hidden = path === null;
        if (path) result.textContent = `Saved to ${path}`;
      })
      .catch((e: unknown) => {
        result.hidden = false;
        result.textContent = toBackendError(e).message;
      })
      .finally(() => {
        exportBtn.disabled = false;
      });
  });
  void load();
  return modal;
}

/**
 * "Car 03 · 粤BQ203L" with each part kept on one line: a narrow column would otherwise break a
 * plate after its province character, or an account name at its hyphen.
 */
function unbroken(target: string): Array<HTMLElement | string> {
  return target.split(" · ").flatMap((part, i) => [...(i ? [" · "] : []), h("span", { class: "nowrap" }, part)]);
}
