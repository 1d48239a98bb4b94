/**
 * The Updates section of the Settings dialog: "Check for updates when etrack starts", "Check for
 * updates", and a status line that follows the app's update state (checking, up to date, a version
 * on offer with its notes and "Install and restart", the download, "Restart now", or the backend's
 * words for what went wrong).
 */
import type { Updates, UpdateState } from "../updates";
import { progressText, publishedDate } from "../updates";
import { h, setText } from "../dom";
import { t } from "../i18n";
import { errorText } from "../i18n/words";
import type { View } from "./view";

export interface UpdateSectionOptions {
  updates: Updates;
  /** Whether the quiet check at start is on (the checkbox's first state). */
  checkAtStart: boolean;
  /** The user's time zone setting, for the release date. */
  timeZone: () => string;
}

export interface UpdateSection extends View {
  /** The "Check for updates when etrack starts" box (saved with the other settings). */
  readonly auto: HTMLInputElement;
  /** Scrolls the section into view and focuses its main button. */
  reveal(): void;
}

export function createUpdateSection(opts: UpdateSectionOptions): UpdateSection {
  const { updates } = opts;
  const m = t().updates;
  const auto = h("input", { type: "checkbox", id: "set-update-auto", "data-testid": "settings-update-auto" });
  auto.checked = opts.checkAtStart;
  const check = h("button", { type: "button", class: "btn secondary small", "data-testid": "update-check" }, m.check);
  const status = h("p", { class: "update-status", role: "status", "aria-live": "polite", "data-testid": "update-status" });
  // The release notes are the update service's own words: not for a translator.
  const notes = h("div", { class: "update-notes", "data-testid": "update-notes", hidden: true, translate: "no" });
  const bar = h("progress", { class: "update-progress", max: "100", "data-testid": "update-progress", hidden: true });
  const install = h("button", { type: "button", class: "btn primary small", "data-testid": "update-install", hidden: true }, m.install);
  const restart = h("button", { type: "button", class: "btn primary small", "data-testid": "update-restart", hidden: true }, m.restart);
  const heading = h("h3", { id: "settings-updates" }, m.heading);

  check.addEventListener("click", () => void updates.check());
  install.addEventListener("click", () => void updates.install());
  restart.addEventListener("click", () => void updates.restart());

  const element = h(
    "section",
    { class: "update-section", "aria-labelledby": "settings-updates", "data-testid": "settings-updates" },
    heading,
    h("label", { class: "check", for: "set-update-auto" }, auto, h("span", {}, m.auto)),
    h("div", { class: "update-actions" }, check, install, restart),
    status,
    bar,
    notes,
  );

  // A button that goes away or waits while it has the focus hands it on once the state settles:
  // back to itself when it is usable again, else to the next step's button; never to the page.
  const buttons = [restart, install, check];
  let refocus: HTMLButtonElement | null = null;
  let shownKind: UpdateState["kind"] | null = null;

  function render(s: UpdateState): void {
    const active = buttons.find((b) => b === document.activeElement) ?? null;
    status.dataset.state = s.kind;
    const offer = s.kind === "available" || s.kind === "downloading" ? s.offer : null;
    let text = "";
    switch (s.kind) {
      case "idle":
        break;
      case "checking":
        text = m.checking;
        break;
      case "current":
        text = m.upToDate({ version: s.version });
        break;
      case "available": {
        const date = publishedDate(s.offer.date, opts.timeZone());
        text = date ? m.availablePublished({ version: s.offer.version, date }) : m.available({ version: s.offer.version });
        break;
      }
      case "downloading":
        // Nothing received yet: no "0.0 MB".
        text =
          s.downloaded > 0 || s.total
            ? m.downloadingProgress({ version: s.offer.version, progress: progressText(s.downloaded, s.total) })
            : m.downloading({ version: s.offer.version });
        break;
      case "installed":
        text = s.restartNeeded ? m.installedRestart({ version: s.version }) : m.installedSelf({ version: s.version });
        break;
      case "restarting":
        text = m.restarting({ version: s.version });
        break;
      case "error":
        text = errorText(s.error);
        break;
    }
    setText(status, text);
    // Notes are plain text from the update service: never parsed as HTML.
    const noteText = offer?.notes?.trim() ?? "";
    setText(notes, noteText);
    notes.hidden = !noteText;
    install.hidden = !offer;
    restart.hidden = !(s.kind === "installed" && s.restartNeeded);
    const busy = updates.busy;
    check.disabled = busy;
    install.disabled = busy;
    restart.disabled = s.kind === "restarting";
    if (s.kind === "downloading") {
      bar.hidden = false;
      if (s.total && s.total > 0) bar.value = Math.min(100, (s.downloaded / s.total) * 100);
      else bar.removeAttribute("value"); // an indeterminate bar: the size is not known
    } else {
      bar.hidden = true;
    }
    check.setAttribute("aria-busy", String(s.kind === "checking"));
    // The section sits at the end of a dialog that scrolls: a new answer is brought into view.
    if (shownKind !== null && shownKind !== s.kind && element.isConnected) element.scrollIntoView?.({ block: "nearest" });
    shownKind = s.kind;
    const usable = (b: HTMLButtonElement): boolean => !b.hidden && !b.disabled;
    if (active && !usable(active)) refocus = active;
    if (refocus) {
      const target = usable(refocus) ? refocus : buttons.find(usable);
      if (target) {
        target.focus();
        refocus = null;
      }
    }
  }
  const unsubscribe = updates.subscribe(render);

  return {
    element,
    auto,
    reveal() {
      heading.scrollIntoView?.({ block: "start" });
      const target = [restart, install, check].find((b) => !b.hidden && !b.disabled) ?? check;
      target.focus();
    },
    destroy: unsubscribe,
  };
}
