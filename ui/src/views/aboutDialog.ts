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
  if (!webview) return "Unknown";
  const os = platform.split(" ")[0];
  const engine = os === "linux" ? "WebKitGTK" : os === "windows" ? "WebView2" : os === "macos" ? "WebKit" : "";
  return engine ? `${engine} ${webview}` : webview;
}

export function openAboutDialog(opts: AboutDialogOptions): DialogView<void> {
  const dialog = openDialog({ title: "About etrack", testid: "about-dialog", className: "about" });
  const facts = h("dl", { class: "about-facts", "data-testid": "about-facts" });
  const factsError = h("div", { class: "form-error", role: "alert", hidden: true });
  const fact = (label: string, value: string, testid: string): HTMLElement[] => [
    h("dt", {}, label),
    h("dd", { "data-testid": testid }, value),
  ];

  const filter = h("input", {
    type: "search",
    id: "about-notices-filter",
    placeholder: "Filter by name or licence",
    "aria-label": "Filter the libraries by name or licence",
    spellcheck: "false",
    autocomplete: "off",
    "data-testid": "about-notices-filter",
    disabled: true,
  });
  const count = h("p", { class: "hint", "aria-live": "polite", "data-testid": "about-notices-count" }, "Loading the notices…");
  const list = h("ul", { class: "about-notices", "aria-labelledby": "about-notices-title", "data-testid": "about-notices" });
  const empty = h("p", { class: "hint", hidden: true, "data-testid": "about-notices-empty" });

  dialog.body.append(
    h("div", { class: "about-head" }, h("p", { class: "about-name" }, "etrack"), h("p", { class: "muted" }, "A fleet map over a GPS-tracker provider's Open API.")),
    facts,
    factsError,
    h("h3", { id: "about-notices-title" }, "Open-source notices"),
    h("p", { class: "hint" }, "etrack is built with these open-source libraries. Open one to read its licence."),
    h("div", { class: "field about-filter" }, filter),
    count,
    list,
    empty,
  );
  const close = h("button", { type: "button", class: "btn secondary", "data-testid": "about-close" }, "Close");
  close.addEventListener("click", () => dialog.close());
  dialog.footer.append(close);

  opts.backend
    .appAbout()
    .then((a: AboutInfo) => {
      facts.append(
        ...fact("Version", a.version, "about-version"),
        ...fact("Licence", a.licence, "about-licence"),
        ...fact("Copyright", a.copyright, "about-copyright"),
        ...fact("Platform", a.platform, "about-platform"),
        ...fact("Web engine", engineText(a.platform, a.webview), "about-webview"),
      );
    })
    .catch((e: unknown) => {
      factsError.textContent = toBackendError(e).message;
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
      setText(count, `The notices could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
    });

  function applyFilter(): void {
    if (!data) return;
    const shown = new Set(filterNotices(data.packages, filter.value));
    for (const { pkg, el } of items) el.hidden = !shown.has(pkg);
    const q = filter.value.trim();
    setText(count, q ? `${shown.size} of ${data.packages.length} libraries match.` : `${noticesSummary(data.packages)}.`);
    empty.hidden = shown.size > 0;
    setText(empty, shown.size ? "" : `No library matches "${q}".`);
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
      h("span", { class: "notice-name" }, pkg.name),
      h("span", { class: "notice-version" }, pkg.version),
      h("span", { class: "notice-licence" }, pkg.licence),
      h("span", { class: "notice-kind muted" }, ecosystemLabel(pkg.ecosystem)),
    ),
    body,
  );
  let drawn = false;
  details.addEventListener("toggle", () => {
    if (drawn || !details.open) return;
    drawn = true;
    if (pkg.note) body.append(h("p", { class: "hint" }, pkg.note));
    for (const t of pkg.texts ?? []) {
      body.append(h("p", { class: "notice-file" }, t.file), h("pre", { class: "notice-text" }, notices.texts[t.text] ?? ""));
    }
  });
  return h("li", { "data-testid": "about-notice", "data-name": pkg.name, "data-version": pkg.version, "data-ecosystem": pkg.ecosystem }, details);
}
