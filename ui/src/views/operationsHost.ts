/**
 * Where device commands, the command log, mileage and accounts open from: buttons in the top bar,
 * and the "Commands" section of a vehicle's panel (the fleet view passes its requests on to
 * `openCommand` and `openAuditLog`).
 */
import type { Command } from "../bindings";
import type { IBackend } from "../backend";
import type { Store } from "../state";
import { h, icon } from "../dom";
import { openCommandDialog, type CommandDialog } from "./commandDialog";
import { openAuditLog } from "./auditLog";
import { openMileageReport, type MileageView } from "./mileageReport";
import { openAccounts, type AccountsView } from "./accounts";
import type { Modal } from "./operationsModal";
import { t } from "../i18n";

const ICON_PATHS = {
  mileage: "M4 20V10|M10 20V4|M16 20v-7|M22 20H2",
  accounts: "M9 11a4 4 0 1 0 0-8a4 4 0 1 0 0 8z|M2 21v-1a6 6 0 0 1 12 0v1|M17 11a3 3 0 1 0 0-6|M22 21v-1a5 5 0 0 0-4-4.9",
  log: "M6 3h9l4 4v14H6z|M9 10h7|M9 14h7|M9 18h4",
} as const;

export interface OperationsHostOptions {
  backend: IBackend;
  store: Store;
  /** The top bar's slot for feature buttons. */
  tools: HTMLElement;
}

export interface OperationsHost {
  openCommand(imei: string, command: Command): CommandDialog;
  openAuditLog(): Modal;
  openMileage(preselect?: string[]): MileageView;
  openAccounts(): AccountsView;
  /** Closes whatever is open (sign-out). */
  close(): void;
}

export function operationsHost(opts: OperationsHostOptions): OperationsHost {
  const { backend, store } = opts;
  const open = new Set<() => void>();
  const track = <T extends { close(): void; closed: Promise<unknown> }>(m: T): T => {
    const close = (): void => m.close();
    open.add(close);
    void m.closed.then(() => open.delete(close));
    return m;
  };

  const button = (testid: string, label: string, paths: string, title: string): HTMLButtonElement =>
    h("button", { type: "button", class: "btn ghost", title, "data-testid": testid }, icon(paths), h("span", {}, label));
  const m = t().operations;
  const mileage = button("mileage-open", m.mileage, ICON_PATHS.mileage, m.mileageTitle);
  const accounts = button("accounts-open", m.accounts, ICON_PATHS.accounts, m.accountsTitle);
  const log = button("audit-log-open", m.log, ICON_PATHS.log, m.logTitle);
  opts.tools.append(mileage, accounts, log);

  const host: OperationsHost = {
    openCommand: (imei, command) => track(openCommandDialog({ backend, store, imei, command })),
    openAuditLog: () => track(openAuditLog({ backend, store })),
    openMileage: (preselect) => track(openMileageReport({ backend, store, preselect })),
    openAccounts: () => track(openAccounts({ backend, store })),
    close() {
      for (const close of [...open]) close();
    },
  };
  mileage.addEventListener("click", () => void host.openMileage());
  accounts.addEventListener("click", () => void host.openAccounts());
  log.addEventListener("click", () => void host.openAuditLog());
  return host;
}
