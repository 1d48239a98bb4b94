/**
 * The desktop notifications' words the UI sends the backend: every template and every alarm name
 * in the language in use, sent at start and again after a change of language or units.
 */
import { afterEach, describe, expect, it } from "vitest";
import { FakeBackend } from "../src/backend-fake";
import type { NoticeWords } from "../src/bindings";
import { setLanguage } from "../src/i18n";
import { followNoticeWords, noticeWords } from "../src/lib/noticeWords";
import { Store } from "../src/state";

/** What the backend's `fill` does (alarm_watch/words.rs), enough for these checks. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (all, key: string) => values[key] ?? all);
}

const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

const KEYS: readonly (keyof NoticeWords)[] = [
  "single",
  "many",
  "geofence",
  "speed",
  "speedPerKmh",
  "place",
  "separator",
  "listSeparator",
  "unknownAlarm",
  "alarmNames",
];

afterEach(() => {
  setLanguage("en");
});

describe("notification words", () => {
  it("in Chinese: every key, every alarm name, templates with their placeholders", async () => {
    setLanguage("zh-CN");
    const backend = new FakeBackend();
    const stop = followNoticeWords(backend, new Store(backend.settings));
    await flush();
    const w = backend.noticeWords;
    if (!w) throw new Error("nothing sent");
    expect(Object.keys(w).sort()).toEqual([...KEYS].sort());
    for (const k of KEYS) {
      const v = w[k];
      if (typeof v === "string") expect(v.trim(), k).not.toBe("");
    }
    // The 27 types of the spec, each with its Chinese name.
    const codes = Array.from({ length: 27 }, (_, i) => i + 1);
    expect(Object.keys(w.alarmNames).map(Number).sort((a, b) => a - b)).toEqual(codes);
    for (const code of codes) expect(w.alarmNames[code], String(code)).toMatch(/\p{Script=Han}/u);
    expect(w.alarmNames[7]).toBe("超速");

    expect(fill(w.single, { alarm: "超速", vehicle: "粤B 12345" })).toBe("超速 — 粤B 12345");
    expect(fill(w.geofence, { name: "仓库" })).toBe("围栏“仓库”");
    expect(fill(w.speed, { speed: "40" })).toBe("40 公里/时");
    expect(w.speedPerKmh).toBe(1);
    expect(fill(w.place, { coordinates: "22.58320, 113.90981" })).toBe("位置 22.58320, 113.90981");
    expect(w.listSeparator).toBe("、");
    expect(fill(w.unknownAlarm, { code: "42" })).toBe("报警 42");
    // Chinese has one plural form.
    expect(w.many.categories).toHaveLength(200);
    expect(new Set(w.many.categories)).toEqual(new Set(["other"]));
    expect(fill(w.many.forms.other ?? "", { count: "5", vehicle: "粤B 12345" })).toBe("5 条新报警 — 粤B 12345");
    stop();
  });

  it("in English and Spanish, one form for 1 and another for the rest", () => {
    const en = noticeWords("kmh");
    expect(en.many.categories[1]).toBe("one");
    expect(en.many.categories[4]).toBe("other");
    expect(fill(en.many.forms.other ?? "", { count: "4", vehicle: "Van 7" })).toBe("4 new alarms — Van 7");
    expect(fill(en.single, { alarm: en.alarmNames[7] ?? "", vehicle: "Van 7" })).toBe("Speeding — Van 7");
    setLanguage("es");
    const es = noticeWords("mph");
    expect(es.many.forms.one).toBe("{count} alarma nueva — {vehicle}");
    expect(es.many.forms.other).toBe("{count} alarmas nuevas — {vehicle}");
    expect(es.speed).toBe("{speed} mph");
    expect(es.speedPerKmh).toBeCloseTo(1 / 1.609344);
  });

  it("are sent again when the language or the units change", async () => {
    const backend = new FakeBackend();
    const store = new Store(backend.settings);
    const stop = followNoticeWords(backend, store);
    const sent = () => backend.calls.filter((c) => c.cmd === "notice_words_set").length;
    await flush();
    expect(sent()).toBe(1);
    setLanguage("zh-CN");
    await flush();
    expect(sent()).toBe(2);
    expect(backend.noticeWords?.alarmNames[7]).toBe("超速");
    store.setSettings({ ...store.settings, units: "mph" });
    await flush();
    expect(sent()).toBe(3);
    expect(backend.noticeWords?.speed).toBe("{speed} 英里/时");
    stop();
    setLanguage("en");
    expect(sent()).toBe(3);
  });
});
