/**
 * "About etrack": name, version, licence, copyright, platform and web engine (from the backend),
 * and the open-source notices: every bundled library with its version and licence, its licence
 * texts on demand, and a filter. The notices (several hundred packages) are loaded only when the
 * dialog opens, so they cost nothing at start-up.
 */
import type { AboutInfo } from "../bindings";
import { toBackendError, type IBackend } from "../backend";
import { ecosystemLabel, filterNotices, noticesSummary, type NoticePackage, type NoticesFile } from "../lib/notices";
import { h, setText } from "../dom";
import { t } from "../i18n";
import { errorText } from "../i18n/words";
import { openDialog } from "./modal";
import type { DialogView } from "./view";

export interface AboutDialogOptions {
  backend: IBackend;
  /** Where the notices come from (tests give their own); by default the generated file. */
  loadNotices?: () => Promise<NoticesFile>;
}

export function loadBundledNotices(): Promise<NoticesFile> {
  return import("../generated/notices.json").then((m) => m.default);
}

/** The web engine by the platform it runs on, e.g. "WebKitGTK 2.48.3". */
export function engineText(platform: string, webview: string | null): string {
  if (!webview) return t().about.unknown;
  const os = platform.split(" ")[0];
  const engine = os === "linux" ? "WebKitGTK" : os === "windows" ? "WebView2" : os === "macos" ? "WebKit" : "";
  return engine ? `${engine} ${webview}` : webview;
}

export function openAboutDialog(opts: AboutDialogOptions): DialogView<void> {
  const m = t().about;
  const dialog = openDialog({ title: m.title, testid: "about-dialog", className: "about" });
  const facts = h("dl", { class: "about-facts", "data-testid": "about-facts" });
  const factsError = h("div", { class: "form-error", role: "alert", hidden: true });
  // The values are the app's and the system's own names and numbers: not for a translator.
  const fact = (label: string, value: string, testid: string, data = true): HTMLElement[] => [
    h("dt", {}, label),
    h("dd", { "data-testid": testid, translate: data ? "no" : null }, value),
  ];

  const filter = h("input", {
    type: "search",
    id: "about-notices-filter",
    placeholder: m.filterPlaceholder,
    "aria-label": m.filterLabel,
    spellcheck: "false",
    autocomplete: "off",
    "data-testid": "about-notices-filter",
    disabled: true,
  });
  const count = h("p", { class: "hint", "aria-live": "polite", "data-testid": "about-notices-count" }, m.loadingNotices);
  const list = h("ul", { class: "about-notices", "aria-labelledby": "about-notices-title", "data-testid": "about-notices" });
  const empty = h("p", { class: "hint", hidden: true, "data-testid": "about-notices-empty" });

  dialog.body.append(
    h("div", { class: "about-head" }, h("p", { class: "about-name", translate: "no" }, "etrack"), h("p", { class: "muted" }, m.tagline)),
    facts,
    factsError,
    h("h3", { id: "about-notices-title" }, m.noticesTitle),
    h("p", { class: "hint" }, m.noticesHint),
    h("div", { class: "field about-filter" }, filter),
    count,
    list,
    empty,
  );
  const close = h("button", { type: "button", class: "btn secondary", "data-testid": "about-close" }, t().common.close);
  close.addEventListener("click", () => dialog.close());
  dialog.footer.append(close);

  opts.backend
    .appAbout()
    .then((a: AboutInfo) => {
      facts.append(
        ...fact(m.version, a.version, "about-version"),
        ...fact(m.licence, a.licence, "about-licence"),
        ...fact(m.copyright, a.copyright, "about-copyright"),
        ...fact(m.platform, a.platform, "about-platform"),
        ...fact(m.webEngine, engineText(a.platform, a.webview), "about-webview", a.webview !== null),
      );
    })
    .catch((e: unknown) => {
      factsError.textContent = errorText(toBackendError(e));
      factsError.hidden = false;
    });

  let data: NoticesFile | null = null;
  const items: Array<{ pkg: NoticePackage; el: HTMLElement }> = [];
  (opts.loadNotices ?? loadBundledNotices)()
    .then((notices) => {
      data = notices;
      for (const pkg of notices.packages) {
        const el = noticeItem(pkg, notices);
        items.push({ pkg, el });
      }
      list.append(...items.map((i) => i.el));
      filter.disabled = false;
      applyFilter();
    })
    .catch((e: unknown) => {
      setText(count, m.noticesFailed({ reason: e instanceof Error ? e.message : String(e) }));
    });

  function applyFilter(): void {
    if (!data) return;
    const shown = new Set(filterNotices(data.packages, filter.value));
    for (const { pkg, el } of items) el.hidden = !shown.has(pkg);
    const q = filter.value.trim();
    setText(count, q ? m.matchCount({ shown: shown.size, total: data.packages.length }) : m.summaryLine({ summary: noticesSummary(data.packages) }));
    empty.hidden = shown.size > 0;
    setText(empty, shown.size ? "" : m.noMatch({ query: q }));
  }
  filter.addEventListener("input", applyFilter);

  return { element: dialog.element, closed: dialog.closed, close: () => dialog.close(), destroy: () => dialog.close() };
}

/** One library: its name, version and licence; its licence texts drawn when it is first opened. */
function noticeItem(pkg: NoticePackage, notices: NoticesFile): HTMLElement {
  const body = h("div", { class: "notice-body" });
  const details = h(
    "details",
    { class: "notice" },
    h(
      "summary",
      {},
      // A library's name, version and licence are data: not for a translator.
      h("span", { class: "notice-name", translate: "no" }, pkg.name),
      h("span", { class: "notice-version", translate: "no" }, pkg.version),
      h("span", { class: "notice-licence", translate: "no" }, pkg.licence),
      h("span", { class: "notice-kind muted" }, ecosystemLabel(pkg.ecosystem)),
    ),
    body,
  );
  let drawn = false;
  details.addEventListener("toggle", () => {
    if (drawn || !details.open) return;
    drawn = true;
    // The notes and licence texts are the libraries' own words, kept as they wrote them.
    if (pkg.note) body.append(h("p", { class: "hint", translate: "no" }, pkg.note));
    for (const file of pkg.texts ?? []) {
      body.append(h("p", { class: "notice-file", translate: "no" }, file.file), h("pre", { class: "notice-text", translate: "no" }, notices.texts[file.text] ?? ""));
    }
  });
  return h("li", { "data-testid": "about-notice", "data-name": pkg.name, "data-version": pkg.version, "data-ecosystem": pkg.ecosystem }, details);
}
