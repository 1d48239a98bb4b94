/**
 * The modal frame of the commands, audit log, mileage and accounts views: an overlay with a
 * header (title, close), a body and a footer that the view fills and refills.
 */
import { h, icon, ICONS } from "../dom";
import "../styles/operations.css";

export interface ModalOptions {
  title: string;
  /** data-testid of the dialog element. */
  testid: string;
  /** "wide" for tables and charts. */
  size?: "normal" | "wide";
  /** Asked before closing by Escape, the close button or a click outside; false keeps it open. */
  canClose?: () => boolean;
  onClose?: () => void;
}

export interface Modal {
  readonly element: HTMLElement;
  readonly dialog: HTMLElement;
  readonly body: HTMLElement;
  readonly footer: HTMLElement;
  setTitle(title: string): void;
  close(): void;
  readonly closed: Promise<void>;
}

/** Open modals, the topmost last: only it answers Escape. */
const stack: HTMLElement[] = [];

export function openModal(opts: ModalOptions): Modal {
  const previousFocus = document.activeElement as HTMLElement | null;
  const title = h("h2", { id: `${opts.testid}-title` }, opts.title);
  const closeX = h("button", { type: "button", class: "icon-btn", "aria-label": "Close", "data-testid": `${opts.testid}-close` }, icon(ICONS.close));
  const body = h("div", { class: "dialog-body" });
  const footer = h("footer", { class: "dialog-footer" });
  const dialog = h(
    "div",
    {
      class: `dialog ops-dialog${opts.size === "wide" ? " wide" : ""}`,
      role: "dialog",
      "aria-modal": "true",
      "aria-labelledby": `${opts.testid}-title`,
      "data-testid": opts.testid,
      tabindex: "-1",
    },
    h("header", { class: "dialog-header" }, title, closeX),
    body,
    footer,
  );
  const element = h("div", { class: "overlay ops-overlay" }, dialog);
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  let open = true;

  function close(): void {
    if (!open) return;
    open = false;
    stack.splice(stack.indexOf(element), 1);
    document.removeEventListener("keydown", onKey, true);
    element.remove();
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
  };
}
