/** The sign-in screen: provider, account, password, "Remember me", saved accounts, the demo. */
import type { SavedAccount, SessionInfo } from "../bindings";
import { toBackendError, type IBackend } from "../backend";
import type { Store } from "../state";
import { h, icon, ICONS } from "../dom";
import { t } from "../i18n";
import { errorText } from "../i18n/words";
import type { View } from "./view";

export interface LoginViewOptions {
  backend: IBackend;
  store: Store;
  /** Shown above the form, e.g. "No keychain available: …" from session_restore. */
  notice?: string | null;
  onSignedIn: (session: SessionInfo) => void;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

export function createLoginView(opts: LoginViewOptions): View {
  const { backend, store } = opts;
  const m = t().login;
  let busy = false;

  const account = h("input", {
    id: "login-account",
    name: "account",
    type: "text",
    autocomplete: "username",
    spellcheck: "false",
    autocapitalize: "off",
    "data-testid": "login-account",
  });
  const password = h("input", {
    id: "login-password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
    "data-testid": "login-password",
  });
  const remember = h("input", { id: "login-remember", type: "checkbox", "data-testid": "login-remember" });
  const provider = h("input", {
    id: "login-provider",
    name: "provider",
    type: "url",
    spellcheck: "false",
    autocapitalize: "off",
    "data-testid": "login-provider",
  });
  provider.value = store.settings.providerUrl;
  const advanced = h(
    "details",
    { class: "advanced" },
    h("summary", { "data-testid": "login-advanced" }, m.advanced),
    h("label", { class: "field", for: "login-provider" }, h("span", {}, m.providerUrl), provider),
    h("p", { class: "hint" }, m.providerHint),
  );

  const error = h("div", { class: "form-error", role: "alert", "data-testid": "login-error", hidden: true });
  const submit = h("button", { type: "submit", class: "btn primary block", "data-testid": "login-submit" }, m.signIn);
  const demo = h(
    "button",
    { type: "button", class: "btn secondary block", "data-testid": "login-demo" },
    m.tryDemo,
  );
  const savedBox = h("div", { class: "saved-accounts", hidden: true, "data-testid": "saved-accounts" });
  const noticeBox = h("div", { class: "form-notice", role: "status", hidden: !opts.notice }, opts.notice ?? "");

  const form = h(
    "form",
    { class: "login-card", novalidate: true, "aria-labelledby": "login-title" },
    h("div", { class: "brand" }, h("span", { class: "brand-mark" }, icon(ICONS.truck)), h("span", { class: "brand-name", translate: "no" }, "etrack")),
    h("h1", { id: "login-title" }, m.title),
    noticeBox,
    savedBox,
    h("label", { class: "field", for: "login-account" }, h("span", {}, m.account), account),
    h("label", { class: "field", for: "login-password" }, h("span", {}, m.password), password),
    h("label", { class: "check", for: "login-remember" }, remember, h("span", {}, m.remember)),
    advanced,
    error,
    submit,
    h("div", { class: "divider" }, h("span", {}, m.or)),
    demo,
    h("p", { class: "hint center" }, m.demoHint),
  );
  const element = h("main", { class: "login-screen" }, form);

  function showError(message: string | null): void {
    error.textContent = message ?? "";
    error.hidden = !message;
  }

  function setBusy(on: boolean, label?: string): void {
    busy = on;
    for (const el of [account, password, remember, provider, submit, demo]) el.disabled = on;
    for (const b of savedBox.querySelectorAll("button")) b.disabled = on;
    submit.textContent = on && label === "signin" ? m.signingIn : m.signIn;
    demo.textContent = on && label === "demo" ? m.startingDemo : m.tryDemo;
    form.setAttribute("aria-busy", on ? "true" : "false");
  }

  async function attempt(kind: "signin" | "demo" | "switch", run: () => Promise<SessionInfo>): Promise<void> {
    if (busy) return;
    showError(null);
    setBusy(true, kind);
    try {
      const session = await run();
      setBusy(false);
      opts.onSignedIn(session);
    } catch (e) {
      const err = toBackendError(e);
      setBusy(false);
      showError(errorText(err));
      if (err.kind === "network" || (err.kind === "validation" && /provider|url/i.test(err.message))) {
        // The URL is what to check: put it in view.
        advanced.open = true;
      }
      if (kind === "signin") (err.kind === "api" ? password : account.value ? password : account).focus();
    }
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const acct = account.value.trim();
    const url = provider.value.trim();
    if (!acct) {
      showError(m.enterAccount);
      account.focus();
      return;
    }
    if (!password.value) {
      showError(m.enterPassword);
      password.focus();
      return;
    }
    if (!url) {
      advanced.open = true;
      showError(m.enterProvider);
      provider.focus();
      return;
    }
    void attempt("signin", () =>
      backend.sessionLogin({ providerUrl: url, account: acct, password: password.value, remember: remember.checked }),
    );
  });

  demo.addEventListener("click", () => void attempt("demo", () => backend.sessionDemo()));

  function renderSaved(list: SavedAccount[]): void {
    savedBox.replaceChildren();
    savedBox.hidden = list.length === 0;
    if (list.length === 0) return;
    savedBox.append(h("div", { class: "saved-title" }, m.savedAccounts));
    for (const s of list) {
      const btn = h(
        "button",
        { type: "button", class: "saved-account", "data-testid": "saved-account", "data-account": s.account, translate: "no" },
        h("span", { class: "avatar" }, (s.account[0] ?? "?").toUpperCase()),
        h("span", { class: "saved-text" }, h("strong", {}, s.account), h("small", {}, hostOf(s.providerUrl))),
      );
      btn.addEventListener("click", () => {
        account.value = s.account;
        provider.value = s.providerUrl;
        void attempt("switch", () => backend.sessionSwitch(s.account, s.providerUrl)).then(() => {
          if (!error.hidden) password.focus();
        });
      });
      savedBox.append(btn);
    }
  }

  let alive = true;
  backend
    .sessionSavedAccounts()
    .then((list) => {
      if (!alive) return;
      store.setSavedAccounts(list);
      renderSaved(list);
    })
    .catch(() => {
      // Without the list the form still works; nothing to tell the user.
    });

  queueMicrotask(() => account.focus());

  return {
    element,
    destroy() {
      alive = false;
    },
  };
}
