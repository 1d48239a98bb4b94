import { afterEach, describe, expect, it } from "vitest";
import { LOCALES, resolveLanguage, setLanguage, t, locale, onLanguageChange } from "../src/i18n";
import { errorText, alarmName } from "../src/i18n/words";

/** Every leaf of a message tree as "path: kind" (string, function, or array of n). */
function shape(v: unknown, path = ""): string[] {
  if (typeof v === "string") return [`${path}: string`];
  if (typeof v === "function") return [`${path}: function`];
  if (Array.isArray(v)) return [`${path}: array of ${v.length}`];
  if (v && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => shape(x, path ? `${path}.${k}` : k));
  return [`${path}: ${typeof v}`];
}

/** Every leaf value, to find empty translations. */
function leaves(v: unknown, path = ""): [string, unknown][] {
  if (v && typeof v === "object" && !Array.isArray(v)) return Object.entries(v).flatMap(([k, x]) => leaves(x, path ? `${path}.${k}` : k));
  return [[path, v]];
}

afterEach(() => {
  setLanguage("en");
});

describe("languages", () => {
  it("has English, Simplified Chinese and Spanish, each named in its own language", () => {
    expect([...LOCALES.keys()]).toEqual(["en", "es", "zh-CN"]);
    expect(LOCALES.get("zh-CN")?.name).toBe("简体中文");
    expect(LOCALES.get("es")?.name).toBe("Español");
  });

  it("every language has every key of English, of the same kind, and no extra", () => {
    const en = shape(LOCALES.get("en")?.messages).sort();
    expect(en.length).toBeGreaterThan(100);
    for (const [tag, loc] of LOCALES) {
      expect(shape(loc.messages).sort(), tag).toEqual(en);
    }
  });

  it("no translation is empty, and every message with parameters uses them", () => {
    for (const [tag, loc] of LOCALES) {
      for (const [path, v] of leaves(loc.messages)) {
        if (typeof v === "string") expect(v.trim(), `${tag} ${path}`).not.toBe("");
      }
    }
    // A function message given a marker for each parameter must show it.
    setLanguage("zh-CN");
    expect(t().common.ago({ span: "§" })).toContain("§");
    expect(t().errors.withCode({ code: 10013, text: "§" })).toContain("10013");
  });

  it("the system language picks the closest translation, else English", () => {
    expect(resolveLanguage("system", ["zh-CN", "en"])).toBe("zh-CN");
    expect(resolveLanguage("system", ["zh-SG"])).toBe("zh-CN");
    expect(resolveLanguage("system", ["es-MX", "en"])).toBe("es");
    expect(resolveLanguage("system", ["fr-FR", "es"])).toBe("es");
    expect(resolveLanguage("system", ["fr-FR"])).toBe("en");
    expect(resolveLanguage("system", [])).toBe("en");
    expect(resolveLanguage("zh-cn", [])).toBe("zh-CN");
    expect(resolveLanguage("es", ["zh-CN"])).toBe("es");
  });

  it("switching language changes the words, <html lang> and tells listeners at once", () => {
    const heard: string[] = [];
    const stop = onLanguageChange((tag) => heard.push(tag));
    expect(setLanguage("es")).toBe("es");
    expect(t().common.cancel).toBe("Cancelar");
    expect(document.documentElement.lang).toBe("es");
    expect(locale()).toBe("es");
    setLanguage("es");
    setLanguage("zh-CN");
    stop();
    setLanguage("en");
    expect(heard).toEqual(["es", "zh-CN"]);
    expect(t().common.cancel).toBe("Cancel");
  });
});

describe("errors and alarms in the user's language", () => {
  it("words each of the spec's 23 error codes in every language, with the code", () => {
    const codes = [10000, 10001, 10002, 10003, 10004, 10005, 10006, 10007, 10009, 10010, 10011, 10012, 10013, 10014, 10016, 20001, 20005, 20017, 20018, 20023, 20046, 20048, 20089];
    expect(codes).toHaveLength(23);
    for (const tag of LOCALES.keys()) {
      setLanguage(tag);
      const texts = codes.map((apiCode) => errorText({ kind: "api", message: "provider text", apiCode }));
      for (const [i, text] of texts.entries()) {
        expect(text, `${tag} ${codes[i]}`).toContain(String(codes[i]));
        expect(text, `${tag} ${codes[i]}`).not.toContain("provider text");
      }
      expect(new Set(texts).size, tag).toBe(23);
    }
  });

  it("falls back to the provider's own text for a code the spec does not list", () => {
    setLanguage("zh-CN");
    expect(errorText({ kind: "api", message: "Quota exceeded", apiCode: 20999 })).toBe("Quota exceeded（代码 20999）");
  });

  it("words other errors by their kind, keeping the backend's detail where it says what to fix", () => {
    setLanguage("es");
    // The network error keeps the backend's detail: it names the address to check.
    expect(errorText({ kind: "network", message: "Cannot reach the provider at http://127.0.0.1:9", apiCode: null })).toBe(
      "No se puede conectar con el proveedor. Compruebe la conexión de red y la URL del proveedor. (Cannot reach the provider at http://127.0.0.1:9)",
    );
    expect(errorText({ kind: "cancelled", message: "Cancelled by the user.", apiCode: null })).toBe("Cancelado.");
    expect(errorText({ kind: "validation", message: "The refresh interval must be between 5 and 3600 seconds.", apiCode: null })).toContain("3600");
    setLanguage("en");
    expect(errorText({ kind: "validation", message: "The refresh interval must be between 5 and 3600 seconds.", apiCode: null })).toBe(
      "The refresh interval must be between 5 and 3600 seconds.",
    );
  });

  it("names the spec's 27 alarm types in every language, all different", () => {
    for (const tag of LOCALES.keys()) {
      setLanguage(tag);
      const names = Array.from({ length: 27 }, (_, i) => alarmName(i + 1));
      expect(new Set(names).size, tag).toBe(27);
      expect(alarmName(99), tag).toContain("99");
    }
    setLanguage("zh-CN");
    expect(alarmName(7)).toBe("超速");
  });
});

describe("errors named by their reason", () => {
  it("words an update's bad signature in the user's language, not as a typing mistake", () => {
    const e = { kind: "validation" as const, message: "The update's signature does not match etrack's signing key…", apiCode: null, reason: "updateBadSignature" };
    setLanguage("zh-CN");
    expect(errorText(e)).toContain("签名");
    expect(errorText(e)).not.toContain(t().errors.kind.validation);
    setLanguage("en");
    expect(errorText(e)).toBe(e.message);
  });

  it("keeps the system's words for a failed install after the translated sentence", () => {
    setLanguage("es");
    const text = errorText({ kind: "internal", message: "(the administrator password was refused)", apiCode: null, reason: "updateInstallFailed" });
    expect(text).toContain("no se pudo instalar");
    expect(text).toContain("administrator password was refused");
  });
});
