/** The top bar (account, demo badge, live state, actions) and the provider-unreachable banner. */
import type { Change, Store } from "../state";
import { relativeTime } from "../lib/time";
import { h, icon, ICONS, setAttr, setText } from "../dom";
import { locale, t } from "../i18n";
import type { View } from "./view";

export interface HeaderActions {
  onRefresh: () => void;
  onSettings: () => void;
  onSignOut: () => void;
  /** "About etrack" (the button shows only when given). */
  onAbout?: () => void;
  /** The update notice was clicked (see `showUpdate`). */
  onUpdate?: () => void;
  /** Opens the reports view (the button shows only when given). */
  onReports?: () => void;
}

/** A report sheet with a bar chart, for the Reports button. */
const REPORTS_ICON = "M5 3h10l4 4v14H5z|M9 17v-4|M12 17v-7|M15 17v-2";

export interface HeaderOptions {
  now?: () => number;
  /** ms between updates of the "12 s ago" text (0 = never, for tests). */
  tickMs?: number;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

export class Header implements View {
  readonly element: HTMLElement;
  readonly banner: HTMLElement;
  /** Buttons of the feature views (mileage, accounts, ...), between the refresh and Settings. */
  readonly tools: HTMLElement = h("div", { class: "header-tools" });
  private readonly account: HTMLElement;
  private readonly provider: HTMLElement;
  private readonly demoBadge: HTMLElement;
  private readonly insecureBadge: HTMLElement;
  private readonly live: HTMLElement;
  private readonly liveText: HTMLElement;
  private readonly bannerText: HTMLElement;
  /** "Update 0.2.0 available": shown while a newer version is on offer. */
  readonly updateNotice: HTMLButtonElement;
  private readonly unsubscribe: () => void;
  private readonly now: () => number;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly store: Store,
    actions: HeaderActions,
    opts: HeaderOptions = {},
  ) {
    this.now = opts.now ?? (() => Date.now());
    const m = t().header;
    this.account = h("strong", { class: "account-name", "data-testid": "header-account", translate: "no" });
    this.provider = h("span", { class: "provider-host muted" });
    this.demoBadge = h("span", { class: "badge demo", "data-testid": "demo-badge", hidden: true, title: m.demoTitle }, m.demo);
    this.insecureBadge = h(
      "span",
      {
        class: "badge insecure",
        "data-testid": "insecure-badge",
        hidden: true,
        title: m.unencryptedTitle,
      },
      m.unencrypted,
    );
    this.liveText = h("span", { class: "live-text", "data-testid": "last-refresh" });
    this.live = h("div", { class: "live-indicator", "aria-live": "polite" }, h("span", { class: "live-dot", "aria-hidden": "true" }), this.liveText);

    const refresh = h("button", { type: "button", class: "icon-btn", title: m.refreshNow, "aria-label": m.refreshNow, "data-testid": "refresh-now" }, icon(ICONS.refresh));
    refresh.addEventListener("click", actions.onRefresh);
    const settings = h("button", { type: "button", class: "btn ghost", "data-testid": "open-settings" }, icon(ICONS.settings), h("span", {}, m.settings));
    settings.addEventListener("click", actions.onSettings);
    const signOut = h("button", { type: "button", class: "btn ghost", "data-testid": "sign-out" }, icon(ICONS.signOut), h("span", {}, m.signOut));
    signOut.addEventListener("click", actions.onSignOut);
    const onAbout = actions.onAbout;
    const about = onAbout
      ? h("button", { type: "button", class: "icon-btn", title: m.about, "aria-label": m.about, "data-testid": "about-open" }, icon(ICONS.info))
      : null;
    about?.addEventListener("click", () => onAbout?.());
    this.updateNotice = h("button", { type: "button", class: "update-notice", hidden: true, "data-testid": "update-notice" });
    const onReports = actions.onReports;
    const reports = onReports
      ? h("button", { type: "button", class: "btn ghost", title: t().reports.openTitle, "data-testid": "reports-open" }, icon(REPORTS_ICON), h("span", {}, t().reports.open))
      : null;
    reports?.addEventListener("click", () => onReports?.());
    const onUpdate = actions.onUpdate;
    this.updateNotice.addEventListener("click", () => onUpdate?.());

    this.element = h(
      "header",
      { class: "topbar" },
      h("div", { class: "brand small" }, h("span", { class: "brand-mark" }, icon(ICONS.truck)), h("span", { class: "brand-name", translate: "no" }, "etrack")),
      h("div", { class: "account" }, this.account, this.demoBadge, this.insecureBadge, this.provider),
      h("div", { class: "spacer" }),
      this.updateNotice,
      this.live,
      refresh,
      h("div", { class: "sep", "aria-hidden": "true" }),
      reports,
      this.tools,
      settings,
      about,
      signOut,
    );

    this.bannerText = h("span", { "data-testid": "live-banner-text" });
    const retry = h("button", { type: "button", class: "btn small banner-btn" }, m.retryNow);
    retry.addEventListener("click", actions.onRefresh);
    this.banner = h("div", { class: "live-banner", role: "alert", hidden: true, "data-testid": "live-banner" }, icon(ICONS.warning), this.bannerText, retry);

    this.unsubscribe = store.subscribe((c) => this.onChange(c));
    this.renderSession();
    this.renderLive();
    const tick = opts.tickMs ?? 1000;
    if (tick > 0) this.timer = setInterval(() => this.renderLive(), tick);
  }

  destroy(): void {
    this.unsubscribe();
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * The quiet notice of a newer version (`version`), or none (null); `ready` once it is installed
   * and only a restart is missing.
   */
  showUpdate(version: string | null, ready = false): void {
    this.updateNotice.hidden = version === null;
    if (version === null) return;
    const m = t().header;
    const [lead, more] = ready ? [m.restartFor({ version }), ""] : [m.updateLead({ version }), m.updateMore];
    // The second part gives way when the top bar is narrow (updates.css).
    this.updateNotice.replaceChildren(lead, h("span", { class: "update-notice-more" }, more));
    this.updateNotice.setAttribute("aria-label", lead + more);
    this.updateNotice.title = ready ? m.updateReadyTitle({ version }) : m.updateAvailableTitle({ version });
  }

  private onChange(change: Change): void {
    if (change.kind === "session") this.renderSession();
    if (change.kind === "live" || change.kind === "tracks" || change.kind === "session" || change.kind === "settings") this.renderLive();
  }

  private renderSession(): void {
    const s = this.store.session;
    setText(this.account, s?.account ?? "");
    setText(this.provider, s ? (s.demo ? t().header.simulatedFleet : hostOf(s.providerUrl)) : "");
    // A provider's host is data: not for a translator (the demo's words are).
    setAttr(this.provider, "translate", s && !s.demo ? "no" : null);
    this.demoBadge.hidden = !s?.demo;
    // The demo runs on this computer; a real provider over plain http is marked for as long as
    // the session lasts.
    this.insecureBadge.hidden = !s || s.demo || !/^http:\/\//i.test(s.providerUrl);
  }

  /** The live indicator and banner; runs every second for the "12 s ago" text. */
  renderLive(): void {
    const now = this.now();
    const live = this.store.live;
    const lastOk = this.store.lastUpdateAt ?? (live?.lastOk != null ? live.lastOk : null);
    const refreshSecs = this.store.settings.refreshSecs || 10;
    let state: "waiting" | "ok" | "stale" | "unreachable" | "error" | "stopped";
    if (live && live.state !== "ok") state = live.state;
    else if (lastOk === null) state = "waiting";
    else if (now - lastOk > refreshSecs * 3000 + 5000) state = "stale";
    else state = "ok";

    setAttr(this.live, "data-state", state);
    const m = t().header;
    const ago = lastOk === null ? "" : relativeTime(lastOk, now);
    const text =
      state === "waiting"
        ? m.waiting
        : state === "ok" || state === "stale"
          ? m.updated({ ago })
          : lastOk === null
            ? m.noUpdateYet
            : m.lastUpdate({ ago });
    setText(this.liveText, text);

    const showBanner = state === "unreachable" || state === "error" || state === "stopped";
    this.banner.hidden = !showBanner;
    setAttr(this.banner, "data-state", showBanner ? state : null);
    if (showBanner) {
      const url = this.store.session?.providerUrl ?? m.theProvider;
      const reason = live?.message?.trim();
      // The backend words each cause (no connection, an HTTP error, a reply it cannot read, "too
      // frequent", a refused account), in English; the banner adds what happens next. In another
      // language our own words lead and the backend's follow as the detail.
      const ours = state === "unreachable" ? m.cannotReach({ url }) : m.providerError;
      const english = locale() === "en" || locale().startsWith("en-");
      const head = !reason ? ours : english ? reason : `${ours} ${t().errors.detail({ text: reason.replace(/[.\s]+$/, "") })}`;
      const clean = head.replace(/[.\s]+$/, "");
      const tail = state === "stopped" ? m.liveStopped({ head: clean }) : m.liveRetrying({ head: clean, secs: refreshSecs });
      setText(this.bannerText, lastOk !== null ? `${tail} ${m.positionsFrom({ ago })}` : tail);
    }
  }
}
