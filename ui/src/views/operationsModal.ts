/** The modal frame of the commands, audit log, mileage and accounts views: the app's dialog, sized by styles/operations.css. */
import { openDialog, type Dialog, type DialogOptions } from "./modal";

export interface ModalOptions extends Omit<DialogOptions, "className" | "onSubmit"> {
  /** "wide" for tables and charts. */
  size?: "normal" | "wide";
}

export type Modal = Dialog;

export function openModal(opts: ModalOptions): Modal {
  return openDialog({ ...opts, className: `ops-dialog${opts.size === "wide" ? " wide" : ""}` });
}
