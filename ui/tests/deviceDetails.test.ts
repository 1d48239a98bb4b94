import { afterEach, describe, expect, it } from "vitest";
import { DeviceDetails } from "../src/views/deviceDetails";
import { rules, stylesheets } from "./cssText";
import { device, fleetStore, NOW, NOW_S, track, update } from "./fixtures";

afterEach(() => document.body.replaceChildren());

const field = (name: string) => document.querySelector(`[data-testid="device-details"] [data-field="${name}"]`)?.textContent;

function setup() {
  const { store, imeis } = fleetStore(2);
  store.setSettings({ ...store.settings, timeZone: "UTC" });
  const details = new DeviceDetails(store, { now: () => NOW });
  document.body.replaceChildren(details.element);
  return { store, imeis, details };
}

describe("device details", () => {
  it("is hidden until a device is selected", () => {
    const { store, imeis } = setup();
    const panel = document.querySelector<HTMLElement>('[data-testid="device-details"]')!;
    expect(panel.hidden).toBe(true);
    store.select(imeis[0]!);
    expect(panel.hidden).toBe(false);
    expect(panel.dataset.imei).toBe(imeis[0]);
    store.select(null);
    expect(panel.hidden).toBe(true);
  });

  it("shows every track and device field in words", () => {
    const { store, imeis } = setup();
    const imei = imeis[0]!;
    store.setDevices([device(imei, { devicename: "Truck 7", platenumber: "SZ-4821", simcard: "8613812345678", devicetype: "VT05S" })]);
    store.applyLiveUpdate(
      update([
        track(imei, {
          speed: 62,
          course: 195,
          accstatus: 1,
          acctime: 7500,
          doorstatus: 1,
          oilpowerstatus: 0,
          defencestatus: 1,
          chargestatus: -1,
          battery: 55,
          mileage: 51654,
          gpstime: NOW_S - 180,
          latitude: 22.583197,
          longitude: 113.909813,
        }),
      ]),
    );
    store.select(imei);
    expect(document.querySelector('[data-testid="device-details"] h2')?.textContent).toBe("Truck 7");
    expect(document.querySelector('[data-testid="details-status"]')?.textContent).toBe("Moving");
    expect(field("speed")).toBe("62 km/h");
    expect(field("course")).toBe("S (195°)");
    expect(field("position")).toBe("22.58320, 113.90981");
    expect(field("gpstime")).toBe("2024-05-03 11:57:00 UTC3 min ago");
    expect(field("accstatus")).toBe("On · for 2 h 5 min");
    expect(field("doorstatus")).toBe("Open");
    expect(field("oilpowerstatus")).toBe("Cut off");
    expect(field("defencestatus")).toBe("Armed");
    expect(field("chargestatus")).toBe("Not reported");
    expect(field("battery")).toBe("55 %");
    expect(field("mileage")).toBe("51.7 km");
    expect(field("datastatus")).toBe("Online");
    expect(field("imei")).toBe(imei);
    expect(field("simcard")).toBe("8613812345678");
    expect(field("devicetype")).toBe("VT05S");
    expect(field("platformduetime")).toBe("2025-02-27");
  });

  it("warns when a service expires within 30 days or has expired", () => {
    const { store, imeis } = setup();
    const imei = imeis[1]!;
    store.setDevices([device(imei, { userduetime: NOW_S + 12 * 86400 + 100, platformduetime: NOW_S - 2 * 86400 - 100 })]);
    store.select(imei);
    const warnings = [...document.querySelectorAll('[data-testid="expiry-warning"]')].map((w) => w.textContent);
    expect(warnings).toEqual(["Platform service expired 2 d ago (2024-05-01).", "User service expires in 12 d (2024-05-15)."]);
    expect(field("userduetime")).toBe("2024-05-15 · expires in 12 d");
  });

  it("follows live updates of the selected device and the chosen units and zone", () => {
    const { store, imeis } = setup();
    const imei = imeis[0]!;
    store.select(imei);
    store.applyLiveUpdate(update([track(imei, { speed: 100, gpstime: NOW_S - 60 })]));
    expect(field("speed")).toBe("100 km/h");
    store.setSettings({ ...store.settings, units: "mph", timeZone: "Asia/Shanghai" });
    expect(field("speed")).toBe("62 mph");
    expect(field("gpstime")).toContain("2024-05-03 19:59:00 GMT+8");
  });

  it("a live refresh keeps the panel's nodes: a focused command button keeps focus, a selected IMEI stays selected", () => {
    const { store, imeis } = fleetStore(2);
    const asked: string[] = [];
    const details = new DeviceDetails(store, { now: () => NOW, onCommand: ({ imei, command }) => asked.push(`${command} ${imei}`) });
    document.body.replaceChildren(details.element);
    const stopButton = () => document.querySelector<HTMLButtonElement>('[data-testid="command-stop-engine"]')!;
    store.select(imeis[0]!);
    const stop = stopButton();
    stop.focus();
    const imeiText = document.querySelector('[data-field="imei"]')!.firstChild!;
    const selection = document.getSelection()!;
    selection.selectAllChildren(imeiText);
    store.applyLiveUpdate(update([track(imeis[0]!, { speed: 88, gpstime: NOW_S - 5 })]));
    expect(field("speed")).toBe("88 km/h");
    expect(stopButton()).toBe(stop);
    expect(document.activeElement).toBe(stop);
    expect(document.querySelector('[data-field="imei"]')!.firstChild).toBe(imeiText);
    expect(selection.toString()).toBe(imeis[0]);
    // Another vehicle: its own buttons, that ask for it.
    store.select(imeis[1]!);
    expect(stopButton()).not.toBe(stop);
    stopButton().click();
    expect(asked).toEqual([`StopEngine ${imeis[1]}`]);
    details.destroy();
  });

  it("a refresh that adds a warning or takes the position away still shows exactly the new content", () => {
    const { store, imeis } = setup();
    const imei = imeis[0]!;
    store.select(imei);
    store.setDevices([device(imei, { userduetime: NOW_S + 5 * 86400 }), device(imeis[1]!)]);
    expect(document.querySelectorAll('[data-testid="expiry-warning"]').length).toBe(1);
    expect(document.querySelectorAll('[data-testid="command-stop-engine"]').length).toBe(1);
    store.setDevices([device(imei), device(imeis[1]!)]);
    expect(document.querySelectorAll('[data-testid="expiry-warning"]').length).toBe(0);
    const fresh = new DeviceDetails(store, { now: () => NOW });
    expect(document.querySelector('[data-testid="device-details"] .details-body')!.innerHTML).toBe(fresh.element.querySelector(".details-body")!.innerHTML);
    fresh.destroy();
  });

  it("says when the provider has no position for a device", () => {
    const { store } = setup();
    store.setDevices([device("358899051009999")]);
    store.select("358899051009999");
    expect(document.querySelector('[data-testid="device-details"]')?.textContent).toContain("The provider has no position for this device yet.");
    expect(field("onlinetime")).toBe("2023-03-30 12:00:00 UTC");
  });

  it("its buttons say what was asked, for the vehicle shown", () => {
    const { store, imeis } = fleetStore(2);
    const asked: string[] = [];
    const details = new DeviceDetails(store, {
      now: () => NOW,
      onLocate: (imei) => asked.push(`locate ${imei}`),
      onPlaybackOpen: (imei) => asked.push(`playback ${imei}`),
      onCommand: ({ imei, command }) => asked.push(`${command} ${imei}`),
      onAuditOpen: () => asked.push("log"),
    });
    document.body.replaceChildren(details.element);
    store.select(imeis[1]!);
    for (const id of ["details-locate", "playback-open", "command-lock", "audit-open"]) {
      document.querySelector<HTMLElement>(`[data-testid="${id}"]`)!.click();
    }
    expect(asked).toEqual([`locate ${imeis[1]}`, `playback ${imeis[1]}`, `LockDoor ${imeis[1]}`, "log"]);
    details.destroy();
  });

  it("cuts a long provider name to one line with an ellipsis, the full name on hover", () => {
    const { store, imeis } = setup();
    const long = "Refrigerated trailer of the north depot, second shift, Z";
    store.setDevices([device(imeis[0]!, { devicename: long }), device(imeis[1]!)]);
    store.select(imeis[0]!);
    const name = document.querySelector<HTMLElement>('[data-testid="details-name"]')!;
    expect(name.textContent).toBe(long);
    expect(name.title).toBe(long);
    const css = stylesheets().flatMap(([, text]) => rules(text));
    const rule = css.find((r) => r.selector.split(",").map((x) => x.trim()).includes(".details-title h2") && r.declarations.some(([p]) => p === "text-overflow"));
    expect(rule?.declarations).toEqual(
      expect.arrayContaining([
        ["text-overflow", "ellipsis"],
        ["white-space", "nowrap"],
        ["overflow", "hidden"],
      ]),
    );
  });
});
