import { afterEach, describe, expect, it } from "vitest";
import { FakeBackend } from "../src/backend-fake";
import { FakeGeocoder } from "../src/fake/geocoderFake";
import { AddressBook, fillAddresses, addressElement, placeKey, setAddressBook } from "../src/lib/addresses";
import { createGeocoderSection, geocoderUrlProblem } from "../src/views/geocoderSettings";
import { openSettingsDialog } from "../src/views/settingsDialog";
import { DeviceDetails } from "../src/views/deviceDetails";
import { addressColumnsOf, exportHeaders } from "../src/lib/reportTable";
import { Store } from "../src/state";
import { LOCALES, useMessagesForTest } from "../src/i18n";
import { englishOutside, pseudoMessages } from "./pseudoLocale";
import { fleetStore, track, update } from "./fixtures";

afterEach(() => {
  setAddressBook(null);
  useMessagesForTest(LOCALES.get("en")!.messages);
  document.body.replaceChildren();
});

const $ = <T extends HTMLElement = HTMLInputElement>(id: string): T => document.querySelector<T>(`[data-testid="${id}"]`)!;
const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};
const GEO = "http://127.0.0.1:9/geo";

function backendWith(url: string): FakeBackend {
  const b = new FakeBackend();
  b.settings = { ...b.settings, geocoderUrl: url };
  return b;
}

describe("the geocoder settings section", () => {
  it("is empty (off) by default, keeps a URL trimmed and refuses what is not http(s)", () => {
    const b = new FakeBackend();
    const s = createGeocoderSection({ backend: b, settings: b.settings });
    document.body.append(s.element);
    expect($("settings-geocoder-url").value).toBe("");
    expect(s.read()).toEqual({ ok: true, value: { geocoderUrl: "" } });
    $("settings-geocoder-url").value = "  https://nominatim.example.org/ ";
    expect(s.read()).toEqual({ ok: true, value: { geocoderUrl: "https://nominatim.example.org" } });
    for (const bad of ["nominatim.example.org", "ftp://x.example", "https://x.example/?q=1"]) {
      $("settings-geocoder-url").value = bad;
      const r = s.read();
      expect(r.ok, bad).toBe(false);
      expect($("settings-geocoder-url").getAttribute("aria-invalid")).toBe("true");
    }
    expect(geocoderUrlProblem("http://127.0.0.1:8080")).toBe(false);
    // The policy's address is text, not a link: nothing navigates.
    expect($("settings-geocoder-policy").textContent).toContain("operations.osmfoundation.org/policies/nominatim");
    expect(s.element.querySelector("a")).toBeNull();
  });

  it("is saved through the Settings dialog", async () => {
    const b = new FakeBackend();
    const store = new Store(b.settings);
    const d = openSettingsDialog({ backend: b, store });
    $("settings-geocoder-url").value = GEO;
    $<HTMLButtonElement>("settings-save").click();
    await flush();
    expect(await d.closed).toBe(true);
    expect(b.settings.geocoderUrl).toBe(GEO);
    expect(store.settings.geocoderUrl).toBe(GEO);
  });

  it("shows no English through the pseudo-locale", () => {
    useMessagesForTest(pseudoMessages());
    const b = new FakeBackend();
    const s = createGeocoderSection({ backend: b, settings: { ...b.settings, geocoderUrl: GEO } });
    document.body.append(s.element);
    expect(englishOutside(s.element)).toEqual([]);
  });
});

describe("the address book", () => {
  it("asks nothing while no geocoder is set", async () => {
    const b = new FakeBackend();
    const book = new AddressBook(b, () => b.settings);
    expect(await book.lookup([{ lat: 22.5, lon: 113.9 }], "t")).toEqual([null]);
    const el = addressElement();
    await fillAddresses(book, [{ el, point: { lat: 22.5, lon: 113.9 } }], "t");
    expect(el.hidden).toBe(true);
    expect(b.calls.filter((c) => c.cmd === "address_lookup")).toEqual([]);
  });

  it("asks once per rounded place, in batches, in the UI's language", async () => {
    const b = backendWith(GEO);
    const book = new AddressBook(b, () => b.settings);
    const points = Array.from({ length: 20 }, (_, k) => ({ lat: 22.5 + k * 0.001, lon: 113.9 }));
    const found = await book.lookup([...points, { lat: 22.50001, lon: 113.90001 }], "t");
    expect(found[0]).toBe(FakeGeocoder.address(points[0]!));
    expect(found[20]).toBe(found[0]);
    expect(found.every((a) => typeof a === "string")).toBe(true);
    const calls = b.geocoder.calls;
    expect(calls.map((c) => c.points.length)).toEqual([8, 8, 4]);
    expect(calls[0]!.language).toBe("en");
    // Again: all known, no call.
    await book.lookup(points, "t");
    expect(b.geocoder.calls.length).toBe(3);
    expect(b.geocoder.asked.get(placeKey(22.5, 113.9))).toBe(1);
  });

  it("a newer call on a channel stops the older one's batches", async () => {
    const b = backendWith(GEO);
    const book = new AddressBook(b, () => b.settings);
    const many = Array.from({ length: 40 }, (_, k) => ({ lat: 10 + k * 0.01, lon: 10 }));
    const first = book.lookup(many, "list");
    const second = book.lookup([{ lat: 50, lon: 5 }], "list");
    await Promise.all([first, second]);
    expect(b.geocoder.calls.length).toBeLessThan(5);
  });

  it("a failing service leaves the addresses empty", async () => {
    const b = backendWith(GEO);
    b.geocoder.failing = true;
    const book = new AddressBook(b, () => b.settings);
    const el = addressElement();
    await fillAddresses(book, [{ el, point: { lat: 1, lon: 1 } }], "t");
    expect(el.hidden).toBe(true);
    expect(el.textContent).toBe("");
  });
});

describe("addresses on screen", () => {
  it("the vehicle panel shows its vehicle's address, marked as data, and again after a move of more than 50 m", async () => {
    const b = backendWith(GEO);
    const { store, imeis } = fleetStore(2);
    store.setSettings({ ...store.settings, geocoderUrl: GEO });
    const book = new AddressBook(b, () => store.settings);
    const details = new DeviceDetails(store, { addresses: book });
    document.body.append(details.element);
    store.select(imeis[0]!);
    await flush();
    const el = $<HTMLElement>("details-address");
    expect(el.getAttribute("translate")).toBe("no");
    expect(el.textContent).toBe(FakeGeocoder.address({ lat: 22.5, lon: 113.9 }));
    const asked = b.geocoder.calls.length;
    // 10 m: not looked up again.
    store.applyLiveUpdate(update([track(imeis[0]!, { latitude: 22.50009, longitude: 113.9 })]));
    await flush();
    expect(b.geocoder.calls.length).toBe(asked);
    // 300 m: looked up again.
    store.applyLiveUpdate(update([track(imeis[0]!, { latitude: 22.503, longitude: 113.9 })]));
    await flush();
    expect(b.geocoder.calls.length).toBe(asked + 1);
    expect($<HTMLElement>("details-address").textContent).toBe(FakeGeocoder.address({ lat: 22.503, lon: 113.9 }));
    details.destroy();
  });

  it("while off, the panel has no address row and asks nothing", async () => {
    const b = new FakeBackend();
    const { store, imeis } = fleetStore(1);
    const details = new DeviceDetails(store, { addresses: new AddressBook(b, () => store.settings) });
    document.body.append(details.element);
    store.select(imeis[0]!);
    await flush();
    expect(document.querySelector('[data-field="address"]')).toBeNull();
    expect(b.calls.filter((c) => c.cmd === "address_lookup")).toEqual([]);
    details.destroy();
  });

  it("the panel shows no English through the pseudo-locale", async () => {
    useMessagesForTest(pseudoMessages());
    const b = backendWith(GEO);
    const { store, imeis } = fleetStore(1);
    store.setSettings({ ...store.settings, geocoderUrl: GEO });
    const details = new DeviceDetails(store, { addresses: new AddressBook(b, () => store.settings) });
    document.body.append(details.element);
    store.select(imeis[0]!);
    await flush();
    expect($<HTMLElement>("details-address").textContent).not.toBe("");
    // The address row: its label translated, its address data (dates elsewhere are the time formatter's).
    const dd = document.querySelector<HTMLElement>('[data-field="address"]')!;
    const row = document.createElement("div");
    row.append(dd.previousElementSibling!.cloneNode(true), dd.cloneNode(true));
    expect(englishOutside(row)).toEqual([]);
    details.destroy();
  });

  it("reports name their address columns, also in the export's headers", () => {
    expect(addressColumnsOf("trips").map((c) => c.label())).toEqual(["Start address", "End address"]);
    expect(addressColumnsOf("summary")).toEqual([]);
    expect(exportHeaders("stops", true).at(-1)).toBe("Address");
    expect(exportHeaders("stops").length).toBe(exportHeaders("stops", true).length - 1);
  });
});
