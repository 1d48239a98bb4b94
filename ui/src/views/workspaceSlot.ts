/**
 * The place of the full-screen views (playback, alarms): one at a time takes the fleet workspace's
 * place under the top bar until it is closed, while live updates go on underneath so the fleet is
 * current when it comes back. Opening a view closes the one shown.
 */
import type { View } from "./view";

export class WorkspaceSlot {
  private shown: { view: View; onClosed: () => void } | null = null;

  /** `root`: the fleet view's element; its `.workspace` is hidden while a view is shown. */
  constructor(private readonly root: () => HTMLElement) {}

  /** The view shown, if any. */
  get view(): View | null {
    return this.shown?.view ?? null;
  }

  /** Shows `view` in the workspace's place; `onClosed` runs once it is closed, by whoever closes it. */
  show(view: View, onClosed: () => void): void {
    this.close();
    this.shown = { view, onClosed };
    this.setWorkspaceHidden(true);
    this.root().append(view.element);
  }

  /** Closes the view shown (only `view`, when given) and brings the workspace back. */
  close(view?: View): void {
    const shown = this.shown;
    if (!shown || (view && shown.view !== view)) return;
    this.shown = null;
    shown.view.destroy();
    shown.view.element.remove();
    this.setWorkspaceHidden(false);
    shown.onClosed();
  }

  private setWorkspaceHidden(hidden: boolean): void {
    const ws = this.root().querySelector<HTMLElement>(".workspace");
    if (ws) ws.hidden = hidden;
  }
}
