/**
 * Watch settings: which alarm types notify, which vehicles are watched, how often each is read,
 * and what the watcher is doing, with the latest alarms it notified.
 */
import type { WatchedAlarm, WatchOverview, WatchStatus } from "../bindings";
import { toBackendError, type IBackend } from "../backend";
import type { Store } from "../state";
import { formatDateTime, relativeTime } from "../lib/time";
import { VehiclePicker } from "./alarmsVehiclePicker";
import { h, setText } from "../dom";
import { openDialog } from "./modal";
import type { DialogView } from "./view";

/** The types marked until the user changes them (as the backend's default). */
export const DEFAULT_WATCH_TYPES = [1, 3, 5, 6, 18, 20];

export interface WatchDialogOptions {
  backend: IBackend;
  store: Store;
  now?: () => number;
  onClosed?: () => void;
}

export function statusText(s: WatchStatus, nowMs: number): string {
  switch (s.state) {
    case "notSignedIn":
      return "Not signed in.";
    case "off":
      return s.message ?? "Not watching.";
    case "backingOff":
      return s.message ?? "The provider asked to slow down; trying again shortly.";
    case "watching": {
      const last = s.lastPollMs ? `, last read ${relativeTime(s.lastPollMs, nowMs)}` : "";
      const base = `Watching ${s.watching} vehicle${s.watching === 1 ? "" : "s"}${last}.`;
      return s.message ? `${base} ${s.message}` : base;
    }
  }
}

export function noticeItem(w: WatchedAlarm, tz: string): HTMLElement {
  const where = w.geofenceName ? ` · geofence “${w.geofenceName}”` : "";
  return h(
    "li",
    { "data-testid": "alarm-notice", "data-id": w.id, "data-imei": w.imei, "data-type": String(w.alarm.type), "data-desktop": w.desktop, title: w.desktopError ?? "" },
    h("strong", {}, w.words),
    h("span", {}, ` — ${w.vehicle}${where}`),
    h("span", { class: "muted small" }, ` · ${formatDateTime(w.alarm.gpstime, tz)}`),
    h("span", { class: `al-desktop ${w.desktop}`, "data-testid": "alarm-notice-desktop" }, w.desktop === "raised" ? "desktop notification raised" : "shown here only (no desktop notifications)"),
  );
}

/** Opens the dialog; resolves when it closes (saved or not). */
export function openWatchDialog(opts: WatchDialogOptions): DialogView<boolean> {
  const { backend, store } = opts;
  const now = opts.now ?? (() => Date.now());
  let saved = false;

  const enabled = h("input", { type: "checkbox", "data-testid": "alarms-watch-enabled" });
  const status = h("p", { class: "al-watch-status", role: "status", "data-testid": "alarms-watch-status" }, "Loading…");
  const types = h("div", { class: "al-watch-types", role: "group", "aria-label": "Alarm types", "data-testid": "alarms-watch-types" });
  const defaults = h("button", { type: "button", class: "btn link small" }, "Default types");
  const every = h("input", { type: "number", min: 30, max: 3600, step: 10, class: "mono", "data-testid": "alarms-watch-every", id: "al-watch-every" });
  const picker = new VehiclePicker({ store, testid: "alarms-watch-vehicles", rows: 7 });
  const recent = h("ol", { class: "al-watch-recent", "data-testid": "alarms-watch-recent" });
  const error = h("div", { class: "form-error", role: "alert", hidden: true, "data-testid": "alarms-watch-error" });
  const save = h("button", { type: "submit", class: "btn primary", "data-testid": "alarms-watch-save", disabled: true }, "Save");
  const cancel = h("button", { type: "button", class: "btn secondary", "data-testid": "alarms-watch-cancel" }, "Cancel");

  // The watcher's state changes while the dialog is open (a read, a back-off): follow it.
  const unsubscribe = backend.onAlarmWatchStatus((st) => {
    setText(status, statusText(st, now()));
    status.dataset.state = st.state;
  });
  const dialog = openDialog({
    title: "Alarm notifications",
    testid: "alarms-watch",
    className: "al-watch",
    onSubmit: submit,
    onClose: () => {
      void unsubscribe.then((u) => u());
      opts.onClosed?.();
    },
  });
  dialog.body.append(
    status,
    h("label", { class: "check" }, enabled, h("span", {}, "Notify me of new alarms (a desktop notification and the badge on Alarms)")),
    h("h3", {}, "Alarm types that notify"),
    types,
    defaults,
    h("h3", {}, "Vehicles to watch"),
    picker.element,
    h(
      "div",
      { class: "field" },
      h("label", { for: "al-watch-every" }, "Read each vehicle every (seconds)"),
      every,
      h("p", { class: "hint" }, "The app asks the provider about one vehicle at a time, at most once a second, so a large fleet takes longer per round; it slows down when the provider says it is busy. Each alarm is notified once, also after a restart."),
    ),
    h("h3", {}, "Latest notified"),
    recent,
    error,
  );
  dialog.footer.append(cancel, save);
  let overview: WatchOverview | null = null;

  function setTypes(codes: readonly number[]): void {
    for (const box of types.querySelectorAll<HTMLInputElement>("input[data-code]")) box.checked = codes.includes(Number(box.dataset.code));
  }

  function render(o: WatchOverview): void {
    overview = o;
    enabled.checked = o.settings.enabled;
    types.replaceChildren(
      ...o.types.map((t) => {
        const box = h("input", { type: "checkbox", "data-code": String(t.code) });
        return h("label", { class: "check small" }, box, h("span", {}, t.words));
      }),
    );
    setTypes(o.settings.types);
    picker.value = o.settings.imeis;
    every.value = String(o.settings.everySecs);
    setText(status, statusText(o.status, now()));
    status.dataset.state = o.status.state;
    recent.replaceChildren(...o.recent.map((w) => noticeItem(w, store.settings.timeZone)));
    if (o.recent.length === 0) recent.append(h("li", { class: "muted small" }, "None yet."));
    save.disabled = false;
  }

  cancel.addEventListener("click", () => dialog.close());
  defaults.addEventListener("click", () => setTypes(DEFAULT_WATCH_TYPES));

  function submit(): void {
    if (!overview) return;
    const secs = Number(every.value);
    if (!Number.isInteger(secs) || secs < 30 || secs > 3600) {
      error.textContent = "Read each vehicle every 30 to 3600 seconds.";
      error.hidden = false;
      every.focus();
      return;
    }
    const chosen = [...types.querySelectorAll<HTMLInputElement>("input[data-code]")].filter((b) => b.checked).map((b) => Number(b.dataset.code));
    save.disabled = true;
    error.hidden = true;
    backend
      .alarmsWatchSet({ enabled: enabled.checked, types: chosen, imeis: picker.value, everySecs: secs })
      .then(() => {
        saved = true;
        dialog.close();
      })
      .catch((e: unknown) => {
        error.textContent = toBackendError(e).message;
        error.hidden = false;
        save.disabled = false;
      });
  }

  backend
    .alarmsWatchGet()
    .then(render)
    .catch((e: unknown) => {
      setText(status, toBackendError(e).message);
      status.dataset.state = "error";
    });
  return { element: dialog.element, closed: dialog.closed.then(() => saved), close: () => dialog.close(), destroy: () => dialog.close() };
}
