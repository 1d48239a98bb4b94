/**
 * Whose fleet is shown: a distributor opens a sub-customer's fleet from Accounts, a bar above the
 * workspace says whose it is, and its button goes back to the account's own. The backend keeps the
 * choice (the poller and the device list follow it); the store's `fleet` mirrors it.
 */
import type { FleetScope } from "../bindings";
import { toBackendError, type IBackend } from "../backend";
import type { Store, SubFleet } from "../state";
import { h } from "../dom";
import { t } from "../i18n";
import { errorText } from "../i18n/words";

/** What to show when a fleet could not be opened (nothing changed). */
export function fleetErrorText(account: string, e: unknown): string {
  const err = toBackendError(e);
  const m = t().subfleet;
  if (err.apiCode === 20005) return m.notFound({ account });
  if (err.apiCode === 10007) return m.notYours({ account });
  return m.openFailed({ account, reason: errorText(err) });
}

/** A refusal to open a fleet, in the user's words. */
export class FleetOpenError extends Error {}

/**
 * Shows `fleet` (null: the account's own) in the list and on the map; resolves once the store has
 * its devices (and the positions the new poller may already have). Rejects with a FleetOpenError
 * whose message is for people when the provider refuses; then nothing changed.
 */
export async function openFleet(backend: IBackend, store: Store, fleet: SubFleet | null): Promise<void> {
  let opened;
  try {
    opened = await backend.fleetOpen(fleet?.account ?? null);
  } catch (e) {
    throw new FleetOpenError(fleetErrorText(fleet?.account ?? store.session?.account ?? "", e));
  }
  const shown = opened.account === null ? null : { account: opened.account, username: fleet?.account === opened.account ? fleet.username : "" };
  store.setFleet(shown, opened.devices);
  // The new poller polls at once: its first positions may have come before this answer.
  const snap = await backend.liveSnapshot().catch(() => null);
  if (snap) store.applyLiveUpdate(snap);
}

/** The store's fleet for the backend's scope (the user name is kept while it is the same account). */
export function fleetOfScope(store: Store, scope: FleetScope): SubFleet | null {
  if (scope.account === null) return null;
  return { account: scope.account, username: store.fleet?.account === scope.account ? store.fleet.username : "" };
}

export interface FleetScopeBarOptions {
  backend: IBackend;
  store: Store;
}

/** The bar above the workspace while a sub-customer's fleet is shown. */
export class FleetScopeBar {
  readonly element: HTMLElement;
  private readonly text: HTMLElement;
  private readonly back: HTMLButtonElement;
  private readonly error: HTMLElement;
  private readonly unsubscribe: () => void;

  constructor(private readonly opts: FleetScopeBarOptions) {
    const m = t().subfleet;
    this.text = h("span", { class: "fleet-scope-text", "data-testid": "fleet-scope-text" });
    this.back = h("button", { type: "button", class: "btn small banner-btn", "data-testid": "fleet-own" }, m.backToOwn);
    this.error = h("span", { class: "fleet-scope-error", role: "alert", hidden: true, "data-testid": "fleet-scope-error" });
    this.element = h(
      "div",
      { class: "fleet-scope", role: "region", "aria-label": m.region, hidden: true, "data-testid": "fleet-scope" },
      this.text,
      this.error,
      this.back,
    );
    this.back.addEventListener("click", () => void this.backToOwn());
    this.unsubscribe = opts.store.subscribe((c) => {
      if (c.kind === "devices" || c.kind === "session") this.render();
    });
    this.render();
  }

  render(): void {
    const m = t().subfleet;
    const { store } = this.opts;
    const fleet = store.fleet;
    this.element.hidden = fleet === null;
    if (!fleet) {
      this.element.removeAttribute("data-account");
      this.error.hidden = true;
      return;
    }
    this.element.dataset.account = fleet.account;
    this.text.textContent = fleet.username ? m.fleetOfNamed({ account: fleet.account, name: fleet.username }) : m.fleetOf({ account: fleet.account });
    this.back.title = m.backTitle({ account: store.session?.account ?? "" });
  }

  private async backToOwn(): Promise<void> {
    this.back.disabled = true;
    this.error.hidden = true;
    try {
      await openFleet(this.opts.backend, this.opts.store, null);
    } catch (e) {
      this.error.textContent = e instanceof FleetOpenError ? e.message : errorText(toBackendError(e));
      this.error.hidden = false;
    } finally {
      this.back.disabled = false;
    }
  }

  destroy(): void {
    this.unsubscribe();
  }
}
