import { afterEach, describe, expect, it } from "vitest";
import L from "../src/map/leaflet";
import { FakeBackend } from "../src/backend-fake";
import { Store } from "../src/state";
import { mountGeofences, type Geofences } from "../src/views/geofencePanel";
import { sizedContainer } from "./mapDom";

const q = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no ${id}`);
  return el;
};
const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

let geo: Geofences | null = null;
let map: L.Map | null = null;
afterEach(() => {
  geo?.destroy();
  map?.remove();
  geo = map = null;
  document.body.replaceChildren();
  localStorage.clear();
});

async function setup(): Promise<{ backend: FakeBackend; store: Store; imeis: string[] }> {
  const backend = new FakeBackend({ fleetSize: 6 });
  const session = await backend.sessionDemo();
  const store = new Store(backend.settings);
  store.setSession(session);
  store.setDevices(await backend.fleetDevices());
  const workspace = document.createElement("div");
  workspace.className = "workspace";
  const mapArea = document.createElement("section");
  const tools = document.createElement("div");
  tools.className = "map-tools";
  const container = sizedContainer();
  mapArea.append(container, tools);
  workspace.append(mapArea);
  document.body.append(workspace);
  map = L.map(container, { center: [22.55, 113.95], zoom: 13 });
  geo = mountGeofences({ backend, store, mapArea, map });
  await flush();
  return { backend, store, imeis: store.order };
}

function tick(imei: string): void {
  const box = document.querySelector<HTMLInputElement>(`[data-testid="geofence-devices"] input[data-imei="${imei}"]`)!;
  box.checked = !box.checked;
  box.dispatchEvent(new Event("change", { bubbles: true }));
}

function typeName(text: string): void {
  const name = q<HTMLInputElement>("geofence-name");
  name.value = text;
}

describe("the geofence form", () => {
  it("saves once per vehicle, shows each vehicle's outcome and records only the successes", async () => {
    const { backend, imeis } = await setup();
    backend.geo.refuse.set(imeis[1]!, { kind: "api", message: "The device is blocked.", apiCode: 20089 });
    q("geofence-new").click();
    expect(q("geofence-step").textContent).toMatch(/Click the map/);
    expect(q<HTMLButtonElement>("geofence-save").disabled).toBe(true);
    geo!.tool.setShape(22.55, 113.95, 800);
    typeName("Depot");
    for (const i of imeis.slice(0, 3)) tick(i);
    expect(q<HTMLButtonElement>("geofence-save").disabled).toBe(false);
    q<HTMLFormElement>("geofence-form").requestSubmit();
    await flush();
    await flush();

    expect(backend.geo.sent.map((s) => s.imei)).toEqual(imeis.slice(0, 3));
    const result = q("geofence-result");
    expect(result.dataset.state).toBe("partial");
    expect(q("geofence-summary").textContent).toBe("Saved for 2 of 3 vehicles; not saved for 1 (see below). Nothing was re-sent.");
    const rows = [...result.querySelectorAll<HTMLElement>('[data-testid="geofence-result-vehicle"]')];
    expect(rows.map((r) => [r.dataset.imei, r.dataset.ok])).toEqual([
      [imeis[0], "true"],
      [imeis[1], "false"],
      [imeis[2], "true"],
    ]);
    expect(rows[1]!.textContent).toContain("The device is blocked.");
    expect(backend.geo.geofences).toHaveLength(1);
    expect(backend.geo.geofences[0]!.imeis).toEqual([imeis[0], imeis[2]]);
    expect(document.querySelectorAll('[data-testid="geofence-circle"]')).toHaveLength(1);

    // Only the failed vehicle is sent again, and only when asked; it joins the same geofence.
    backend.geo.refuse.clear();
    q("geofence-retry").click();
    await flush();
    await flush();
    expect(backend.geo.sent.map((s) => s.imei)).toEqual([...imeis.slice(0, 3), imeis[1]]);
    expect(backend.geo.geofences).toHaveLength(1);
    expect(backend.geo.geofences[0]!.imeis).toEqual([imeis[0], imeis[2], imeis[1]]);
    expect(q("geofence-result").dataset.state).toBe("saved");
    expect(q("geofence-summary").textContent).toBe("Saved for all 3 vehicles.");
    expect(q<HTMLButtonElement>("geofence-save").disabled).toBe(true);
  });

  it("sends nothing without a name, a circle or a vehicle, and says what is missing", async () => {
    const { backend, imeis } = await setup();
    q("geofence-new").click();
    geo!.tool.setShape(22.55, 113.95, 800);
    q<HTMLFormElement>("geofence-form").requestSubmit();
    await flush();
    expect(q("geofence-error").textContent).toBe("Give the geofence a name.");
    typeName("Depot");
    for (const box of document.querySelectorAll<HTMLInputElement>('[data-testid="geofence-devices"] input:checked')) {
      box.checked = false;
      box.dispatchEvent(new Event("change", { bubbles: true }));
    }
    q<HTMLFormElement>("geofence-form").requestSubmit();
    await flush();
    expect(q("geofence-error").textContent).toBe("Choose at least one vehicle.");
    expect(backend.geo.sent).toEqual([]);
    expect(imeis.length).toBeGreaterThan(0);
  });

  it("takes typed values: a radius out of range is held with a hint, a bad centre is refused", async () => {
    await setup();
    q("geofence-new").click();
    const lat = q<HTMLInputElement>("geofence-lat");
    const lng = q<HTMLInputElement>("geofence-lng");
    const radius = q<HTMLInputElement>("geofence-radius");
    lat.value = "22.56";
    lng.value = "113.97";
    radius.value = "12000";
    radius.dispatchEvent(new Event("change"));
    expect(geo!.tool.shape).toMatchObject({ lat: 22.56, lng: 113.97, radius: 5000 });
    expect(radius.value).toBe("5000");
    expect(q("geofence-radius-hint").hidden).toBe(false);
    expect(q("geofence-radius-hint").textContent).toMatch(/At most 5000 m/);
    radius.value = "700";
    radius.dispatchEvent(new Event("change"));
    expect(geo!.tool.shape?.radius).toBe(700);
    expect(q("geofence-radius-hint").hidden).toBe(true);
    lat.value = "95";
    lat.dispatchEvent(new Event("change"));
    expect(q("geofence-error").textContent).toMatch(/latitude \(-90 to 90\)/);
    expect(geo!.tool.shape?.lat).toBe(22.56);
  });

  it("the layer can be hidden; the list says geofences made elsewhere do not appear, and shows a damaged file's notice", async () => {
    const { backend, imeis } = await setup();
    backend.geo.create({ name: "Port", alarm: "in", latitude: 22.5, longitude: 113.9, radiusM: 300, imeis: [imeis[0]!], watch: false, extends: null });
    backend.geo.notice = "The saved geofences could not be read (EOF). The file was kept as /x/geofences.corrupt-1.json and nothing was deleted.";
    await geo!.refresh();
    expect(document.querySelectorAll('[data-testid="geofence-circle"]')).toHaveLength(1);
    const toggle = q<HTMLInputElement>("geofence-layer");
    toggle.click();
    expect(toggle.checked).toBe(false);
    expect(document.querySelectorAll('[data-testid="geofence-circle"]')).toHaveLength(0);
    expect(localStorage.getItem("etrack.geofences.visible")).toBe("0");
    toggle.click();
    expect(document.querySelectorAll('[data-testid="geofence-circle"]')).toHaveLength(1);

    q("geofence-list-open").click();
    expect(q("geofence-elsewhere-note").textContent).toMatch(/Only geofences made in this app are shown/);
    expect(q("geofence-notice").textContent).toMatch(/kept as \/x\/geofences.corrupt-1.json/);
    const items = document.querySelectorAll('[data-testid="geofence-item"]');
    expect(items).toHaveLength(1);
    expect(items[0]!.textContent).toMatch(/Port.*300 m · Entering/);

    // Forgetting asks first, says the provider keeps it, and takes it off the map.
    const forget = [...items[0]!.querySelectorAll("button")].find((b) => b.textContent === "Forget")!;
    forget.click();
    expect(items[0]!.textContent).toMatch(/The provider keeps it/);
    [...items[0]!.querySelectorAll("button")].find((b) => b.textContent === "Forget it")!.click();
    await flush();
    await flush();
    expect(backend.geo.geofences).toEqual([]);
    expect(document.querySelectorAll('[data-testid="geofence-circle"]')).toHaveLength(0);
    expect(q("geofence-items").textContent).toMatch(/No geofences made in this app yet/);
  });

  it("imports a GeoJSON file the user picks and exports to the place the backend chose", async () => {
    const { backend } = await setup();
    q("geofence-list-open").click();
    const text = JSON.stringify({
      type: "FeatureCollection",
      features: [
        { type: "Feature", geometry: { type: "Point", coordinates: [113.9, 22.5] }, properties: { name: "Yard", radius: 400 } },
        { type: "Feature", geometry: { type: "Point", coordinates: [113.9, 22.5] }, properties: { name: "Huge", radius: 9000 } },
      ],
    });
    const input = q<HTMLInputElement>("geofence-import");
    Object.defineProperty(input, "files", { configurable: true, value: [new File([text], "fences.geojson")] });
    input.dispatchEvent(new Event("change"));
    for (let i = 0; i < 10 && !q("geofence-io-status").textContent; i++) await flush();
    expect(backend.geo.lastImport).toBe(text);
    expect(q("geofence-io-status").textContent).toMatch(/^Added 1 geofence \(shown on the map only; the provider was not told\)\. Skipped 1:/);
    expect(document.querySelectorAll('[data-testid="geofence-item"]')).toHaveLength(1);
    expect(document.querySelectorAll('[data-testid="geofence-circle"]')).toHaveLength(1);
    q("geofence-export").click();
    for (let i = 0; i < 10 && !/Saved/.test(q("geofence-io-status").textContent ?? ""); i++) await flush();
    expect(q("geofence-io-status").textContent).toBe("Saved 1 geofence to /home/user/Downloads/etrack-export.geojson");
  });
});
