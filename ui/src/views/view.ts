/**
 * What every view in this folder is. A view owns the DOM under `element` and tells its owner what
 * the user did through typed `on…` callbacks in its options, never through DOM events the owner
 * would have to catch and cast. Its owner places `element` and calls `destroy()` when done.
 */
export interface View {
  readonly element: HTMLElement;
  /**
   * Stops what the view started: subscriptions, timers, maps, requests under way. A view that put
   * itself in the document (a dialog) also takes itself out; any other view is removed by its
   * owner.
   */
  destroy(): void;
}

/** A view shown over the app until it is closed; `closed` settles with what came of it. */
export interface DialogView<T> extends View {
  readonly closed: Promise<T>;
  /** Closes it as its close button would; `destroy()` does the same. */
  close(): void;
}
