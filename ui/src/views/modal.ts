/**
 * The app's modal dialog: an overlay with a header (title, close), a body and a footer that the
 * caller fills and refills. Escape (topmost dialog only), the close button and a click outside
 * close it; focus goes back where it was.
 */
import { h, icon, ICONS } from "../dom";
import { t } from "../i18n";
import type { DialogView } from "./view";

export interface DialogOptions {
  title: string;
  /** data-testid of the dialog element; the close button is `<testid>-close`. */
  testid: string;
  /** Extra classes of the dialog element (its size and look). */
  className?: string;
  /**
   * Makes the dialog a form: Enter in a field and a `type="submit"` button in the footer call
   * this (the browser's own submission is prevented).
   */
  onSubmit?: () => void;
  /** Asked before closing by Escape, the close button or a click outside; false keeps it open. */
  canClose?: () => boolean;
  onClose?: () => void;
}

/** `element`: the overlay; `dialog`: the box on it, whose body and footer the caller fills. */
export interface Dialog extends DialogView<void> {
  readonly dialog: HTMLElement;
  readonly body: HTMLElement;
  readonly footer: HTMLElement;
  setTitle(title: string): void;
}

/** Open dialogs, the topmost last: only it answers Escape. */
const stack: HTMLElement[] = [];

/**
 * Everything in the page but the topmost dialog is `inert` while a dialog is open: Tab and
 * Shift+Tab stay inside the dialog, a screen reader reads only it, and nothing behind can be
 * clicked. Elements that were inert already are left as they were.
 */
const madeInert = new Set<HTMLElement>();
function syncInert(): void {
  for (const el of madeInert) el.inert = false;
  madeInert.clear();
  const top = stack[stack.length - 1];
  if (!top) return;
  for (const el of Array.from(document.body.children)) {
    if (el !== top && el instanceof HTMLElement && !el.inert) {
      el.inert = true;
      madeInert.add(el);
    }
  }
}

export function openDialog(opts: DialogOptions): Dialog {
  const previousFocus = document.activeElement as HTMLElement | null;
  const title = h("h2", { id: `${opts.testid}-title` }, opts.title);
  const closeX = h("button", { type: "button", class: "icon-btn", "aria-label": t().common.close, "data-testid": `${opts.testid}-close` }, icon(ICONS.close));
  const body = h("div", { class: "dialog-body" });
  const footer = h("footer", { class: "dialog-footer" });
  const dialog = h(
    opts.onSubmit ? "form" : "div",
    {
      class: opts.className ? `dialog ${opts.className}` : "dialog",
      role: "dialog",
      "aria-modal": "true",
      "aria-labelledby": `${opts.testid}-title`,
      "data-testid": opts.testid,
      tabindex: "-1",
      novalidate: Boolean(opts.onSubmit),
    },
    h("header", { class: "dialog-header" }, title, closeX),
    body,
    footer,
  );
  const onSubmit = opts.onSubmit;
  if (onSubmit) {
    dialog.addEventListener("submit", (ev) => {
      ev.preventDefault();
      onSubmit();
    });
  }
  const element = h("div", { class: "overlay" }, dialog);
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  let open = true;

  function close(): void {
    if (!open) return;
    open = false;
    stack.splice(stack.indexOf(element), 1);
    document.removeEventListener("keydown", onKey, true);
    element.remove();
    syncInert();
    previousFocus?.focus?.();
    opts.onClose?.();
    resolveClosed();
  }
  function tryClose(): void {
    if (!opts.canClose || opts.canClose()) close();
  }
  function onKey(ev: KeyboardEvent): void {
    // Only the topmost dialog answers Escape (a confirmation may sit over the accounts view).
    if (ev.key === "Escape" && stack[stack.length - 1] === element) {
      ev.preventDefault();
      ev.stopPropagation();
      tryClose();
    }
  }
  document.addEventListener("keydown", onKey, true);
  closeX.addEventListener("click", tryClose);
  element.addEventListener("mousedown", (ev) => {
    if (ev.target === element) tryClose();
  });
  document.body.append(element);
  stack.push(element);
  syncInert();
  queueMicrotask(() => dialog.focus());
  return {
    element,
    dialog,
    body,
    footer,
    setTitle: (t) => {
      title.textContent = t;
    },
    close,
    closed,
    destroy: close,
  };
}
