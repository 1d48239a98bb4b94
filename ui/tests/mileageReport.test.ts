import { afterEach, describe, expect, it } from "vitest";
import { FakeBackend } from "../src/backend-fake";
import { Store } from "../src/state";
import { openMileageReport } from "../src/views/mileageReport";

const NOW = Date.UTC(2024, 4, 15, 10, 20, 0);

afterEach(() => document.body.replaceChildren());

const q = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no ${id}`);
  return el;
};

async function setup() {
  const backend = new FakeBackend({ fleetSize: 5, nowMs: () => NOW });
  await backend.sessionDemo();
  const store = new Store({ ...backend.settings, timeZone: "UTC" });
  store.setDevices(backend.devices);
  return { backend, store };
}

function setInput(id: string, value: string): void {
  const el = q<HTMLInputElement>(id);
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

describe("the mileage report", () => {
  it("runs for the chosen vehicles and period and shows the snapped times, a row per vehicle and the total", async () => {
    const { backend, store } = await setup();
    const view = openMileageReport({ backend, store, now: () => NOW });
    expect(q("mileage-count").textContent).toBe("5 of 5 selected");
    const boxes = [...document.querySelectorAll<HTMLInputElement>('[data-testid="mileage-vehicle"]')];
    boxes[1]!.click();
    boxes[3]!.click();
    expect(q("mileage-count").textContent).toBe("3 of 5 selected");
    setInput("mileage-begin", "2024-04-01T08:10");
    setInput("mileage-end", "2024-04-22T18:31");
    await view.run();

    const call = backend.calls.find((c) => c.cmd === "mileage_report")?.args as { imeis: string[]; begin: number; end: number };
    expect(call.imeis).toEqual([0, 2, 4].map((i) => store.order[i]));
    expect(call.begin).toBe(Date.UTC(2024, 3, 1, 8, 10) / 1000);
    expect(q("mileage-period").textContent).toBe("2024-04-01 08:00 UTC → 2024-04-22 19:00 UTC");
    expect(q("mileage-summary").textContent).toContain("fetched in 4 windows of up to 7 days");
    const rows = [...q("mileage-table").querySelectorAll<HTMLElement>('[data-testid="mileage-row"]')];
    expect(rows.map((r) => r.dataset.imei)).toEqual(call.imeis);
    const sum = rows.reduce((s, r) => s + Number(r.dataset.km), 0);
    expect(Number(q("mileage-total").dataset.km)).toBeCloseTo(sum, 2);
    expect(q("mileage-chart").querySelectorAll(".bar-row")).toHaveLength(3);

    q("mileage-export").click();
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setTimeout(r, 0));
    const saved = backend.calls.find((c) => c.cmd === "mileage_save_csv")?.args as { csv: string };
    expect(saved.csv.split("\r\n")).toHaveLength(3 + 3);
    expect(saved.csv).toContain("2024-04-01 08:00 UTC,2024-04-22 19:00 UTC");
    expect(q("mileage-export-result").textContent).toContain("Saved to");
  });

  it("says 'No data' for a vehicle the provider reports nothing for, and leaves it out of the chart", async () => {
    const { backend, store } = await setup();
    const plain = backend.ops.mileage.bind(backend.ops);
    backend.ops.mileage = (imeis, begin, end) => {
      const report = plain(imeis, begin, end);
      const rows = report.rows.map((r, i) => (i === 1 ? { ...r, km: null } : r));
      const totalKm = rows.reduce((s, r) => s + (r.km ?? 0), 0);
      return { ...report, rows, totalKm, withoutData: 1 };
    };
    const view = openMileageReport({ backend, store, now: () => NOW });
    await view.run();
    const rows = [...q("mileage-table").querySelectorAll<HTMLElement>('[data-testid="mileage-row"]')];
    expect(rows[1]!.dataset.km).toBe("");
    expect(rows[1]!.textContent).toContain("No data");
    expect(rows[1]!.textContent).not.toContain("0.00");
    expect(q("mileage-chart").querySelectorAll(".bar-row")).toHaveLength(4);
    expect(q("mileage-without-data").textContent).toContain("no data from the provider for 1 vehicle");
  });

  it("filters the vehicle list and refuses an empty selection", async () => {
    const { backend, store } = await setup();
    openMileageReport({ backend, store, now: () => NOW, preselect: [store.order[2]!] });
    expect(q("mileage-count").textContent).toBe("1 of 5 selected");
    q("mileage-none").click();
    expect(q<HTMLButtonElement>("mileage-run").disabled).toBe(true);
    const name = store.devices.get(store.order[4]!)!.imei;
    setInput("mileage-filter", name);
    q("mileage-all").click();
    expect(q("mileage-count").textContent).toBe("1 of 5 selected");
  });

  it("shows the backend's refusal", async () => {
    const { backend, store } = await setup();
    const view = openMileageReport({ backend, store, now: () => NOW });
    setInput("mileage-begin", "2024-04-22T08:00");
    setInput("mileage-end", "2024-04-01T08:00");
    await view.run();
    expect(q("mileage-error").hidden).toBe(false);
    expect(q("mileage-error").textContent).toContain("end after it begins");
  });
});
