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
import { locale, t } from "../i18n";
import { alarmName, errorText } from "../i18n/words";
import { splitAround } from "../lib/alarmsTable";

/** The types marked until the user changes them (as the backend's default). */
export const DEFAULT_WATCH_TYPES = [1, 3, 5, 6, 18, 20];

export interface WatchDialogOptions {
  backend: IBackend;
  store: Store;
  now?: () => number;
  onClosed?: () => void;
}

/**
 * The backend's own (English) words about the watcher, after ours: as they are in English (they
 * say more), as a detail in brackets in the other languages.
 */
function withDetail(ours: string, message: string | null | undefined, replaces: boolean): string {
  if (!message) return ours;
  const english = locale() === "en" || locale().startsWith("en-");
  if (english) return replaces ? message : `${ours} ${message}`;
  return `${ours} ${t().errors.detail({ text: message })}`;
}

export function statusText(s: WatchStatus, nowMs: number): string {
  const m = t().alarmsView.watch;
  switch (s.state) {
    case "notSignedIn":
      return m.notSignedIn;
    case "off": {
      // The backend's reasons for being off, in our words; any other as it said it.
      const known: Record<string, string> = { "Watching is off.": m.offDisabled, "No vehicle is watched.": m.offNoVehicles, "No alarm type is marked.": m.offNoTypes };
      return (s.message && known[s.message]) || withDetail(m.off, s.message, true);
    }
    case "backingOff":
      return withDetail(m.backingOff, s.message, true);
    case "watching":
      return withDetail(m.watching({ n: s.watching, last: s.lastPollMs ? relativeTime(s.lastPollMs, nowMs) : null }), s.message, false);
  }
}

export function noticeItem(w: WatchedAlarm, tz: string): HTMLElement {
  const m = t().alarmsView.watch;
  // Names (the vehicle's, the geofence's) are data: in elements of their own, left as they are.
  const [before, after] = splitAround((name) => m.inGeofence({ name }));
  const where = w.geofenceName ? [` · ${before}`, h("span", { translate: "no" }, w.geofenceName), after] : [];
  return h(
    "li",
    // The title is the desktop's own error (the system's words), when raising it failed.
    { "data-testid": "alarm-notice", "data-id": w.id, "data-imei": w.imei, "data-type": String(w.alarm.type), "data-desktop": w.desktop, title: w.desktopError ?? "" },
    h("strong", {}, alarmName(w.alarm.type)),
    h("span", {}, " — ", h("span", { translate: "no" }, w.vehicle), ...where),
    h("span", { class: "muted small" }, ` · ${formatDateTime(w.alarm.gpstime, tz)}`),
    h("span", { class: `al-desktop ${w.desktop}`, "data-testid": "alarm-notice-desktop" }, w.desktop === "raised" ? m.desktopRaised : m.desktopHere),
  );
}

/** Opens the dialog; resolves when it closes (saved or not). */
export function openWatchDialog(opts: WatchDialogOptions): DialogView<boolean> {
  const { backend, store } = opts;
  const now = opts.now ?? (() => Date.now());
  let saved = false;

  const m = t().alarmsView.watch;
  const enabled = h("input", { type: "checkbox", "data-testid": "alarms-watch-enabled" });
  const status = h("p", { class: "al-watch-status", role: "status", "data-testid": "alarms-watch-status" }, t().common.loading);
  const types = h("div", { class: "al-watch-types", role: "group", "aria-label": m.typesLabel, "data-testid": "alarms-watch-types" });
  const defaults = h("button", { type: "button", class: "btn link small" }, m.defaultTypes);
  const every = h("input", { type: "number", min: 30, max: 3600, step: 10, class: "mono", "data-testid": "alarms-watch-every", id: "al-watch-every" });
  const picker = new VehiclePicker({ store, testid: "alarms-watch-vehicles", rows: 7 });
  const recent = h("ol", { class: "al-watch-recent", "data-testid": "alarms-watch-recent" });
  const error = h("div", { class: "form-error", role: "alert", hidden: true, "data-testid": "alarms-watch-error" });
  const save = h("button", { type: "submit", class: "btn primary", "data-testid": "alarms-watch-save", disabled: true }, t().common.save);
  const cancel = h("button", { type: "button", class: "btn secondary", "data-testid": "alarms-watch-cancel" }, t().common.cancel);

  // The watcher's state changes while the dialog is open (a read, a back-off): follow it.
  const unsubscribe = backend.onAlarmWatchStatus((st) => {
    setText(status, statusText(st, now()));
    status.dataset.state = st.state;
  });
  const dialog = openDialog({
    title: m.title,
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
    h("label", { class: "check" }, enabled, h("span", {}, m.enable)),
    h("h3", {}, m.types),
    types,
    defaults,
    h("h3", {}, m.vehicles),
    picker.element,
    h("div", { class: "field" }, h("label", { for: "al-watch-every" }, m.every), every, h("p", { class: "hint" }, m.everyHint)),
    h("h3", {}, m.latest),
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
      ...o.types.map((ty) => {
        const box = h("input", { type: "checkbox", "data-code": String(ty.code) });
        return h("label", { class: "check small" }, box, h("span", {}, alarmName(ty.code)));
      }),
    );
    setTypes(o.settings.types);
    picker.value = o.settings.imeis;
    every.value = String(o.settings.everySecs);
    setText(status, statusText(o.status, now()));
    status.dataset.state = o.status.state;
    recent.replaceChildren(...o.recent.map((w) => noticeItem(w, store.settings.timeZone)));
    if (o.recent.length === 0) recent.append(h("li", { class: "muted small" }, m.noneYet));
    save.disabled = false;
  }

  cancel.addEventListener("click", () => dialog.close());
  defaults.addEventListener("click", () => setTypes(DEFAULT_WATCH_TYPES));

  function submit(): void {
    if (!overview) return;
    const secs = Number(every.value);
    if (!Number.isInteger(secs) || secs < 30 || secs > 3600) {
      error.textContent = m.everyRange({ min: 30, max: 3600 });
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
        error.textContent = errorText(toBackendError(e));
        error.hidden = false;
        save.disabled = false;
      });
  }

  backend
    .alarmsWatchGet()
    .then(render)
    .catch((e: unknown) => {
      setText(status, errorText(toBackendError(e)));
      status.dataset.state = "error";
    });
  return { element: dialog.element, closed: dialog.closed.then(() => saved), close: () => dialog.close(), destroy: () => dialog.close() };
}
