/**
 * Accounts: the signed-in account's profile, its sub-customers (role, block status) with block /
 * unblock through a confirmation the backend enforces, and messages to one or many of them.
 */
import type { AccountActionPreview, UserInfo } from "../bindings";
import { toBackendError, type IBackend } from "../backend";
import type { Store } from "../state";
import { h } from "../dom";
import { formatDateTime } from "../lib/time";
import { openModal, type Modal } from "./operationsModal";

/** The provider's limits for a message (spec 2.13). */
export const MESSAGE_MAX_CHARS = 300;
export const MESSAGE_MAX_ACCOUNTS = 200;

const ROLE: Record<number, string> = { 1: "Distributor", 2: "End user", 3: "Virtual account" };

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
  const modal = openModal({ title: "Accounts", testid: "accounts-dialog", size: "wide" });
  let users: UserInfo[] = [];
  const selected = new Set<string>();

  const profile = h("section", { class: "account-profile", "data-testid": "account-profile" }, h("p", { class: "muted" }, "Loading…"));
  const listError = h("div", { class: "form-error", role: "alert", hidden: true, "data-testid": "accounts-error" });
  const table = h("table", { class: "ops-table accounts-table", "data-testid": "accounts-table" });
  const listNote = h("p", { class: "muted small", "data-testid": "accounts-summary" });

  // ---- the message composer ----
  const text = h("textarea", { rows: "3", "data-testid": "message-text", "aria-label": "Message", placeholder: "Write a message to the selected accounts" });
  const counter = h("span", { class: "counter", "data-testid": "message-counter", "aria-live": "polite" });
  const recipients = h("span", { class: "muted small", "data-testid": "message-recipients" });
  const send = h("button", { type: "button", class: "btn primary", "data-testid": "message-send" }, "Send message");
  const sendResult = h("p", { class: "small", hidden: true, "data-testid": "message-result", role: "status" });
  const composer = h(
    "section",
    { class: "message-composer" },
    h("h3", {}, "Message"),
    text,
    h("div", { class: "composer-line" }, counter, recipients, h("span", { class: "spacer" }), send),
    sendResult,
  );

  function updateComposer(): void {
    const n = messageLength(text.value);
    counter.textContent = `${n} / ${MESSAGE_MAX_CHARS}`;
    counter.classList.toggle("over", n > MESSAGE_MAX_CHARS);
    const k = selected.size;
    const sends = Math.ceil(k / MESSAGE_MAX_ACCOUNTS);
    recipients.textContent =
      k === 0
        ? "Tick the accounts to write to."
        : `To ${k} account${k === 1 ? "" : "s"}${sends > 1 ? ` (sent in ${sends} batches of up to ${MESSAGE_MAX_ACCOUNTS})` : ""}`;
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
        sendResult.textContent = `Sent to ${r.recipients} account${r.recipients === 1 ? "" : "s"}${r.sends > 1 ? ` in ${r.sends} sends` : ""}.`;
        text.value = "";
      })
      .catch((e: unknown) => {
        sendResult.className = "small form-error";
        sendResult.textContent = toBackendError(e).message;
      })
      .finally(() => {
        sendResult.hidden = false;
        updateComposer();
      });
  });

  const close = h("button", { type: "button", class: "btn primary" }, "Close");
  close.addEventListener("click", () => modal.close());
  modal.body.append(
    profile,
    h("h3", {}, "Sub-customers"),
    listNote,
    listError,
    h("div", { class: "table-scroll" }, table),
    composer,
  );
  modal.footer.append(close);
  updateComposer();

  function renderProfile(me: UserInfo): void {
    const rows: Array<[string, string, string]> = [
      ["Account", me.account, "account"],
      ["User name", me.username || "—", "username"],
      ["Role", ROLE[me.roletype] ?? "Unknown", "role"],
      ["E-mail", me.email || "—", "email"],
      ["Mobile", me.mobile || "—", "mobile"],
      ["Telephone", me.telephone || "—", "telephone"],
      ["Created", formatDateTime(me.createtime, tz()), "createtime"],
      ["Status", me.blockstatus === 0 ? "Blocked" : "Active", "blockstatus"],
    ];
    const dl = h("dl", { class: "fields" });
    for (const [label, value, field] of rows) dl.append(h("dt", {}, label), h("dd", { "data-field": field }, value));
    profile.replaceChildren(h("h3", {}, "Signed in as"), dl);
  }

  function renderList(): void {
    const allBox = h("input", { type: "checkbox", "aria-label": "Select all accounts", "data-testid": "accounts-select-all" });
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
      const box = h("input", { type: "checkbox", "aria-label": `Select ${u.account}`, "data-testid": "account-select" });
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
        blocked ? "Unblock" : "Block",
      );
      action.addEventListener("click", () => void blockFlow(u.account, !blocked, action));
      return h(
        "tr",
        { "data-testid": "account-row", "data-account": u.account, "data-blocked": String(blocked) },
        h("td", {}, box),
        h("td", {}, h("strong", {}, u.account), u.username ? h("small", { class: "muted block" }, u.username) : null),
        h("td", {}, ROLE[u.roletype] ?? "Unknown"),
        h("td", {}, u.email || "—", u.mobile ? h("small", { class: "muted block" }, u.mobile) : null),
        h("td", { class: "nowrap" }, formatDateTime(u.createtime, tz()).slice(0, 10)),
        h("td", {}, h("span", { class: `chip ${blocked ? "chip-blocked" : "chip-moving"}`, "data-testid": "account-status" }, blocked ? "Blocked" : "Active")),
        h("td", { class: "num" }, action),
      );
    });
    table.replaceChildren(
      h("thead", {}, h("tr", {}, h("th", {}, allBox), ...["Account", "Role", "Contact", "Created", "Status", ""].map((t) => h("th", {}, t)))),
      h("tbody", {}, ...rows),
    );
    const blockedCount = users.filter((u) => u.blockstatus === 0).length;
    listNote.textContent =
      users.length === 0 ? "This account has no sub-customers." : `${users.length} account${users.length === 1 ? "" : "s"}, ${blockedCount} blocked.`;
  }

  /** Prepare (the backend names the account and what will happen), confirm, apply. */
  async function blockFlow(account: string, block: boolean, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    listError.hidden = true;
    let preview: AccountActionPreview;
    try {
      preview = await backend.accountBlockPrepare(account, block);
    } catch (e) {
      listError.textContent = toBackendError(e).message;
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

  async function load(): Promise<void> {
    const [me, list] = await Promise.allSettled([backend.accountProfile(), backend.accountsList()]);
    if (me.status === "fulfilled") renderProfile(me.value);
    else profile.replaceChildren(h("div", { class: "form-error" }, toBackendError(me.reason).message));
    if (list.status === "fulfilled") {
      users = list.value;
      renderList();
    } else {
      listError.textContent = toBackendError(list.reason).message;
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
  const modal = openModal({
    title: `${p.action}?`,
    testid: "confirm-dialog",
    onClose: () => {
      if (!done) void backend.accountBlockDiscard(p.confirmationId).catch(() => undefined);
    },
  });
  modal.dialog.dataset.phase = "confirming";
  modal.dialog.dataset.danger = String(p.block);
  const error = h("div", { class: "form-error", role: "alert", hidden: true, "data-testid": "confirm-error" });
  modal.body.append(
    p.block ? h("div", { class: "command-danger", role: "alert", "data-testid": "confirm-warning" }, h("span", {}, p.effect)) : h("p", { class: "command-effect" }, p.effect),
    h(
      "dl",
      { class: "fields", "data-testid": "confirm-account" },
      h("dt", {}, "Account"),
      h("dd", { "data-field": "account" }, h("strong", {}, p.account)),
      h("dt", {}, "User name"),
      h("dd", {}, p.username || "—"),
      h("dt", {}, "Role"),
      h("dd", {}, p.role),
      h("dt", {}, "Now"),
      h("dd", {}, p.blockedNow ? "Blocked" : "Active"),
    ),
    error,
  );
  const cancel = h("button", { type: "button", class: "btn secondary", "data-testid": "confirm-cancel" }, "Cancel");
  cancel.addEventListener("click", () => modal.close());
  const ok = h("button", { type: "button", class: `btn ${p.block ? "danger" : "primary"}`, "data-testid": "confirm-ok" }, `${p.block ? "Block" : "Unblock"} ${p.account}`);
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
        error.textContent = toBackendError(e).message;
        error.hidden = false;
        cancel.textContent = "Close";
      });
  });
  modal.footer.append(cancel, ok);
  return modal.closed.then(() => outcome);
}
