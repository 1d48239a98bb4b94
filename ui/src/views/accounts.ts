/**
 * Accounts: the signed-in account's profile, its sub-customers (role, block status) with block /
 * unblock through a confirmation the backend enforces, and messages to one or many of them.
 */
import type { AccountActionPreview, UserInfo } from "../bindings";
import { toBackendError, type IBackend } from "../backend";
import type { Store } from "../state";
import { h } from "../dom";
import { LOCALES, t } from "../i18n";
import { errorText } from "../i18n/words";
import { formatDate, formatDateTime } from "../lib/time";
import { formatNumber } from "../i18n/format";
import { openModal, type Modal } from "./operationsModal";
import { FleetOpenError, openFleet } from "./subfleet";

/** The provider's limits for a message (spec 2.13). */
export const MESSAGE_MAX_CHARS = 300;
export const MESSAGE_MAX_ACCOUNTS = 200;

/** A role type (1 distributor, 2 end user, 3 virtual account) in words. */
function roleWords(roletype: number): string {
  const m = t().accounts;
  return (m.roles as Readonly<Record<string, string | undefined>>)[String(roletype)] ?? m.unknownRole;
}

/** The backend names a role in English ("End user"): ours when we know it, else as it is. */
function roleFromBackend(role: string): string {
  const en = LOCALES.get("en")?.messages.accounts.roles as Readonly<Record<string, string>> | undefined;
  const key = en ? Object.keys(en).find((k) => en[k] === role) : undefined;
  return key ? roleWords(Number(key)) : role;
}

export interface AccountsOptions {
  backend: IBackend;
  store: Store;
}

export interface AccountsView extends Modal {
  /** Resolves once the profile and the list are shown. */
  readonly loaded: Promise<void>;
}

/** Characters as the provider counts them (code points, so an emoji is one). */
export function messageLength(text: string): number {
  return [...text].length;
}

export function openAccounts(opts: AccountsOptions): AccountsView {
  const { backend, store } = opts;
  const tz = (): string => store.settings.timeZone;
  const m = t().accounts;
  const modal = openModal({ title: m.title, testid: "accounts-dialog", size: "wide" });
  let users: UserInfo[] = [];
  const selected = new Set<string>();

  const profile = h("section", { class: "account-profile", "data-testid": "account-profile" }, h("p", { class: "muted" }, t().common.loading));
  const listError = h("div", { class: "form-error", role: "alert", hidden: true, "data-testid": "accounts-error" });
  const table = h("table", { class: "ops-table accounts-table", "data-testid": "accounts-table" });
  const listNote = h("p", { class: "muted small", "data-testid": "accounts-summary" });

  // ---- the message composer ----
  const text = h("textarea", { rows: "3", "data-testid": "message-text", "aria-label": m.message, placeholder: m.messagePlaceholder });
  const counter = h("span", { class: "counter", "data-testid": "message-counter", "aria-live": "polite" });
  const recipients = h("span", { class: "muted small", "data-testid": "message-recipients" });
  const send = h("button", { type: "button", class: "btn primary", "data-testid": "message-send" }, m.send);
  const sendResult = h("p", { class: "small", hidden: true, "data-testid": "message-result", role: "status" });
  const composer = h(
    "section",
    { class: "message-composer" },
    h("h3", {}, m.message),
    text,
    h("div", { class: "composer-line" }, counter, recipients, h("span", { class: "spacer" }), send),
    sendResult,
  );

  function updateComposer(): void {
    const n = messageLength(text.value);
    counter.textContent = `${formatNumber(n)} / ${formatNumber(MESSAGE_MAX_CHARS)}`;
    counter.classList.toggle("over", n > MESSAGE_MAX_CHARS);
    const k = selected.size;
    const sends = Math.ceil(k / MESSAGE_MAX_ACCOUNTS);
    recipients.textContent = k === 0 ? m.tickAccounts : m.recipients({ n: k, sends, max: MESSAGE_MAX_ACCOUNTS });
    send.disabled = k === 0 || n === 0 || text.value.trim() === "" || n > MESSAGE_MAX_CHARS;
  }
  text.addEventListener("input", () => {
    sendResult.hidden = true;
    updateComposer();
  });
  send.addEventListener("click", () => {
    const to = users.map((u) => u.account).filter((a) => selected.has(a));
    send.disabled = true;
    sendResult.hidden = true;
    backend
      .messageSend(to, text.value)
      .then((r) => {
        sendResult.className = "small ok";
        sendResult.textContent = m.sent({ n: r.recipients, sends: r.sends });
        text.value = "";
      })
      .catch((e: unknown) => {
        sendResult.className = "small form-error";
        sendResult.textContent = errorText(toBackendError(e));
      })
      .finally(() => {
        sendResult.hidden = false;
        updateComposer();
      });
  });

  const close = h("button", { type: "button", class: "btn primary" }, t().common.close);
  close.addEventListener("click", () => modal.close());
  modal.body.append(
    profile,
    h("h3", {}, m.subCustomers),
    listNote,
    listError,
    h("div", { class: "table-scroll" }, table),
    composer,
  );
  modal.footer.append(close);
  updateComposer();

  function renderProfile(me: UserInfo): void {
    // [label, value, field, whether the value is data (an account's own words, not for a translator)]
    const rows: Array<[string, string, string, boolean]> = [
      [m.account, me.account, "account", true],
      [m.userName, me.username || "—", "username", true],
      [m.role, roleWords(me.roletype), "role", false],
      [m.email, me.email || "—", "email", true],
      [m.mobile, me.mobile || "—", "mobile", true],
      [m.telephone, me.telephone || "—", "telephone", true],
      [m.created, formatDateTime(me.createtime, tz()), "createtime", false],
      [m.status, me.blockstatus === 0 ? m.blocked : m.active, "blockstatus", false],
    ];
    const dl = h("dl", { class: "fields" });
    for (const [label, value, field, data] of rows) dl.append(h("dt", {}, label), h("dd", { "data-field": field, translate: data ? "no" : null }, value));
    profile.replaceChildren(h("h3", {}, m.signedInAs), dl);
  }

  function renderList(): void {
    const allBox = h("input", { type: "checkbox", "aria-label": m.selectAll, "data-testid": "accounts-select-all" });
    allBox.checked = users.length > 0 && users.every((u) => selected.has(u.account));
    allBox.addEventListener("change", () => {
      for (const u of users) {
        if (allBox.checked) selected.add(u.account);
        else selected.delete(u.account);
      }
      renderList();
      updateComposer();
    });
    const rows = users.map((u) => {
      const blocked = u.blockstatus === 0;
      const box = h("input", { type: "checkbox", "aria-label": m.selectOne({ account: u.account }), "data-testid": "account-select" });
      box.checked = selected.has(u.account);
      box.addEventListener("change", () => {
        if (box.checked) selected.add(u.account);
        else selected.delete(u.account);
        allBox.checked = users.every((x) => selected.has(x.account));
        updateComposer();
      });
      const action = h(
        "button",
        { type: "button", class: `btn small ${blocked ? "secondary" : "danger-outline"}`, "data-testid": "account-block", "data-block": String(!blocked) },
        blocked ? m.unblock : m.block,
      );
      action.addEventListener("click", () => void blockFlow(u.account, !blocked, action));
      const sf = t().subfleet;
      const openIt = h(
        "button",
        { type: "button", class: "btn small secondary", "data-testid": "account-open-fleet", title: sf.openTitle({ account: u.account }) },
        sf.open,
      );
      openIt.addEventListener("click", () => void openFleetFlow(u, openIt));
      return h(
        "tr",
        { "data-testid": "account-row", "data-account": u.account, "data-blocked": String(blocked) },
        h("td", {}, box),
        h("td", { translate: "no" }, h("strong", {}, u.account), u.username ? h("small", { class: "muted block" }, u.username) : null),
        h("td", {}, roleWords(u.roletype)),
        h("td", { translate: "no" }, u.email || "—", u.mobile ? h("small", { class: "muted block" }, u.mobile) : null),
        h("td", { class: "nowrap" }, formatDate(u.createtime, tz())),
        h("td", {}, h("span", { class: `chip ${blocked ? "chip-blocked" : "chip-moving"}`, "data-testid": "account-status" }, blocked ? m.blocked : m.active)),
        h("td", { class: "num nowrap" }, openIt, " ", action),
      );
    });
    table.replaceChildren(
      h("thead", {}, h("tr", {}, h("th", {}, allBox), ...[m.account, m.role, m.contact, m.created, m.status, ""].map((label) => h("th", {}, label)))),
      h("tbody", {}, ...rows),
    );
    const blockedCount = users.filter((u) => u.blockstatus === 0).length;
    listNote.textContent = users.length === 0 ? m.noSubCustomers : m.summary({ n: users.length, blocked: blockedCount });
  }

  /** Prepare (the backend names the account and what will happen), confirm, apply. */
  async function blockFlow(account: string, block: boolean, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    listError.hidden = true;
    let preview: AccountActionPreview;
    try {
      preview = await backend.accountBlockPrepare(account, block);
    } catch (e) {
      listError.textContent = errorText(toBackendError(e));
      listError.hidden = false;
      button.disabled = false;
      return;
    }
    const updated = await confirmAccountAction(backend, preview);
    button.disabled = false;
    if (updated) {
      users = users.map((u) => (u.account === updated.account ? updated : u));
      renderList();
    }
  }

  /** Shows the sub-customer's fleet in the list and on the map, and closes Accounts. */
  async function openFleetFlow(u: UserInfo, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    button.textContent = t().subfleet.opening;
    listError.hidden = true;
    try {
      await openFleet(backend, store, { account: u.account, username: u.username });
      modal.close();
    } catch (e) {
      listError.textContent = e instanceof FleetOpenError ? e.message : errorText(toBackendError(e));
      listError.hidden = false;
      button.disabled = false;
      button.textContent = t().subfleet.open;
    }
  }

  async function load(): Promise<void> {
    const [me, list] = await Promise.allSettled([backend.accountProfile(), backend.accountsList()]);
    if (me.status === "fulfilled") renderProfile(me.value);
    else profile.replaceChildren(h("div", { class: "form-error" }, errorText(toBackendError(me.reason))));
    if (list.status === "fulfilled") {
      users = list.value;
      renderList();
    } else {
      listError.textContent = errorText(toBackendError(list.reason));
      listError.hidden = false;
    }
  }

  return { ...modal, loaded: load() };
}

/**
 * The confirmation of a block or unblock, naming the account; resolves with the account as the
 * provider has it afterwards, or null when cancelled or refused (the reason is shown).
 */
export function confirmAccountAction(backend: IBackend, p: AccountActionPreview): Promise<UserInfo | null> {
  let done = false;
  let outcome: UserInfo | null = null;
  const m = t().accounts;
  const modal = openModal({
    title: p.block ? m.confirmBlock : m.confirmUnblock,
    testid: "confirm-dialog",
    onClose: () => {
      if (!done) void backend.accountBlockDiscard(p.confirmationId).catch(() => undefined);
    },
  });
  modal.dialog.dataset.phase = "confirming";
  modal.dialog.dataset.danger = String(p.block);
  const error = h("div", { class: "form-error", role: "alert", hidden: true, "data-testid": "confirm-error" });
  // What will happen, in our words (the backend's `effect` says the same, in English only).
  const who = p.username ? `${p.account} (${p.username})` : p.account;
  const effect = p.block ? m.blockEffect({ account: who }) : m.unblockEffect({ account: who });
  modal.body.append(
    p.block ? h("div", { class: "command-danger", role: "alert", "data-testid": "confirm-warning" }, h("span", {}, effect)) : h("p", { class: "command-effect" }, effect),
    h(
      "dl",
      { class: "fields", "data-testid": "confirm-account" },
      h("dt", {}, m.account),
      h("dd", { "data-field": "account", translate: "no" }, h("strong", {}, p.account)),
      h("dt", {}, m.userName),
      h("dd", { translate: "no" }, p.username || "—"),
      h("dt", {}, m.role),
      h("dd", {}, roleFromBackend(p.role)),
      h("dt", {}, m.now),
      h("dd", {}, p.blockedNow ? m.blocked : m.active),
    ),
    error,
  );
  const cancel = h("button", { type: "button", class: "btn secondary", "data-testid": "confirm-cancel" }, t().common.cancel);
  cancel.addEventListener("click", () => modal.close());
  const ok = h("button", { type: "button", class: `btn ${p.block ? "danger" : "primary"}`, "data-testid": "confirm-ok" }, p.block ? m.blockAccount({ account: p.account }) : m.unblockAccount({ account: p.account }));
  ok.addEventListener("click", () => {
    ok.disabled = true;
    backend
      .accountBlockConfirm(p.confirmationId)
      .then((u) => {
        done = true;
        outcome = u;
        modal.close();
      })
      .catch((e: unknown) => {
        // The id is spent either way: what happened is in the message, and the list is re-read.
        done = true;
        error.textContent = errorText(toBackendError(e));
        error.hidden = false;
        cancel.textContent = t().common.close;
      });
  });
  modal.footer.append(cancel, ok);
  return modal.closed.then(() => outcome);
}
