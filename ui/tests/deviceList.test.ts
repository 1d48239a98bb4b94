import { afterEach, describe, expect, it } from "vitest";
import { DeviceList } from "../src/views/deviceList";
import { fleetStore, NOW, NOW_S, track, update } from "./fixtures";

function mount(list: DeviceList): void {
  document.body.replaceChildren(list.element);
}
const items = () => [...document.querySelectorAll<HTMLElement>('[data-testid="device-item"]')];
const visible = () => items().filter((li) => !li.hidden);
const chipCount = (status: string) =>
  document.querySelector(`[data-testid="status-filter-${status}"] .count`)?.textContent;

/** Collects the rows (data-imei) that had any DOM mutation while `fn` ran. */
async function mutatedRows(root: Element, fn: () => void): Promise<Set<string>> {
  const touched = new Set<string>();
  const collect = (records: MutationRecord[]): void => {
    for (const r of records) {
      const node = r.target instanceof Element ? r.target : r.target.parentElement;
      const li = node?.closest<HTMLElement>('[data-testid="device-item"]');
      if (li?.dataset.imei) touched.add(li.dataset.imei);
    }
  };
  const obs = new MutationObserver(collect);
  obs.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
  fn();
  await Promise.resolve();
  collect(obs.takeRecords());
  obs.disconnect();
  return touched;
}

afterEach(() => document.body.replaceChildren());

describe("device list", () => {
  it("shows one item per device with name, plate, status, speed and last fix", () => {
    const { store, imeis } = fleetStore(3);
    mount(new DeviceList(store, { now: () => NOW, tickMs: 0 }));
    expect(items().map((li) => li.dataset.imei)).toEqual(imeis);
    const first = items()[0]!;
    expect(first.querySelector(".di-name")?.textContent).toBe("Truck 00");
    expect(first.querySelector(".di-sub")?.textContent).toBe("SZ-0100");
    expect(first.querySelector(".chip")?.textContent).toBe("Moving");
    expect(first.querySelector(".di-speed")?.textContent).toBe("40 km/h");
    expect(first.querySelector(".di-ago")?.textContent).toBe("30 s ago");
    expect(first.querySelector(".di-battery")?.textContent).toContain("80 %");
  });

  it("says when an offline vehicle was last seen, even when the provider calls it online", () => {
    const { store, imeis } = fleetStore(1);
    const twoYears = 2 * 365 * 86_400;
    // A provider whose data ended long ago still reports it online, at speed.
    store.applyLiveUpdate(
      update([track(imeis[0]!, { speed: 62, gpstime: NOW_S - twoYears, hearttime: NOW_S - twoYears + 60, systemtime: NOW_S - twoYears })]),
    );
    mount(new DeviceList(store, { now: () => NOW, tickMs: 0 }));
    const first = items()[0]!;
    expect(first.querySelector(".chip")?.textContent).toBe("Offline");
    expect(first.querySelector(".di-ago")?.textContent).toMatch(/^last seen \S.* ago$/);
    expect(first.querySelector(".di-speed")?.textContent).toBe("");
  });

  it("filters by name, plate or IMEI as the user types", () => {
    const { store, imeis } = fleetStore(30);
    const list = new DeviceList(store, { now: () => NOW, tickMs: 0 });
    mount(list);
    const search = document.querySelector<HTMLInputElement>('[data-testid="device-search"]')!;
    search.value = "SZ-0112";
    search.dispatchEvent(new Event("input"));
    expect(visible().map((li) => li.dataset.imei)).toEqual([imeis[12]]);
    search.value = imeis[7]!.slice(-6);
    search.dispatchEvent(new Event("input"));
    expect(visible().map((li) => li.dataset.imei)).toEqual([imeis[7]]);
    search.value = "no such truck";
    search.dispatchEvent(new Event("input"));
    expect(visible()).toHaveLength(0);
    expect(document.querySelector('[data-testid="list-empty"]')?.textContent).toContain("No devices match “no such truck”");
    search.value = "";
    search.dispatchEvent(new Event("input"));
    expect(visible()).toHaveLength(30);
  });

  it("counts devices per status and filters by a clicked status", () => {
    const { store, imeis } = fleetStore(6);
    mount(new DeviceList(store, { now: () => NOW, tickMs: 0 }));
    store.applyLiveUpdate(
      update([
        track(imeis[0]!, { speed: 0 }),
        track(imeis[1]!, { speed: 0 }),
        track(imeis[2]!, { datastatus: 4 }),
        track(imeis[3]!, { datastatus: 5 }),
      ]),
    );
    expect(chipCount("all")).toBe("6");
    expect(chipCount("moving")).toBe("2");
    expect(chipCount("stopped")).toBe("2");
    expect(chipCount("offline")).toBe("1");
    expect(chipCount("blocked")).toBe("1");
    expect(chipCount("expired")).toBe("0");

    document.querySelector<HTMLButtonElement>('[data-testid="status-filter-stopped"]')!.click();
    expect(visible().map((li) => li.dataset.imei)).toEqual([imeis[0], imeis[1]]);
    expect(document.querySelector('[data-testid="status-filter-stopped"]')?.getAttribute("aria-pressed")).toBe("true");

    // A stopped truck drives off: it leaves the "stopped" list and the counts follow.
    store.applyLiveUpdate(update([track(imeis[0]!, { speed: 30 })]));
    expect(visible().map((li) => li.dataset.imei)).toEqual([imeis[1]]);
    expect(chipCount("stopped")).toBe("1");
    expect(chipCount("moving")).toBe("3");
  });

  it("counts only devices matching the search", () => {
    const { store, imeis } = fleetStore(20);
    mount(new DeviceList(store, { now: () => NOW, tickMs: 0 }));
    store.setQuery(imeis[5]!);
    expect(chipCount("all")).toBe("1");
    expect(chipCount("moving")).toBe("1");
  });

  it("redraws only the rows whose device changed on a live refresh", async () => {
    const { store, imeis } = fleetStore(50);
    const list = new DeviceList(store, { now: () => NOW, tickMs: 0 });
    mount(list);
    const all = store.order.map((imei) => store.tracks.get(imei)!);
    const next = all.map((t, i) =>
      i === 3 ? { ...t, speed: 75 } : i === 17 ? { ...t, speed: 0 } : i === 40 ? { ...t, latitude: t.latitude + 0.01 } : { ...t, servertime: t.servertime + 10 },
    );
    const touched = await mutatedRows(list.element, () => store.applyLiveUpdate(update(next, NOW + 10_000)));
    // Row 40 moved on the map but shows nothing new in the list.
    expect([...touched].sort()).toEqual([imeis[3], imeis[17]].sort());
    expect(list.lastRendered.sort()).toEqual([imeis[3], imeis[17]].sort());
    const row17 = items().find((li) => li.dataset.imei === imeis[17])!;
    expect(row17.querySelector(".chip")?.textContent).toBe("Stopped");
  });

  it("shows speeds in mph after the user switches units", () => {
    const { store } = fleetStore(2);
    mount(new DeviceList(store, { now: () => NOW, tickMs: 0 }));
    store.setSettings({ ...store.settings, units: "mph" });
    expect(items()[0]!.querySelector(".di-speed")?.textContent).toBe("25 mph");
  });

  it("selects a device on click and with the arrow keys", () => {
    const { store, imeis } = fleetStore(3);
    mount(new DeviceList(store, { now: () => NOW, tickMs: 0 }));
    items()[1]!.click();
    expect(store.selected).toBe(imeis[1]);
    expect(items()[1]!.getAttribute("aria-selected")).toBe("true");
    document.querySelector('[data-testid="device-list"]')!.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    expect(store.selected).toBe(imeis[2]);
    expect(items()[1]!.getAttribute("aria-selected")).toBe("false");
  });

  it("keeps 'x min ago' current without other redraws", () => {
    let now = NOW;
    const { store } = fleetStore(1);
    const list = new DeviceList(store, { now: () => now, tickMs: 0 });
    mount(list);
    now = NOW + 3 * 60_000;
    list.refreshAges();
    expect(items()[0]!.querySelector(".di-ago")?.textContent).toBe("3 min ago");
  });
});
