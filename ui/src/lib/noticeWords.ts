/**
 * The words of the backend's desktop notifications of new alarms, in the language in use. The
 * backend has no words of its own but English: the UI sends it templates built from `t().notices`
 * (each message called with `{placeholder}`s, which the backend fills), the alarm types' names and
 * the speed unit, at start and after every change of language or units.
 *
 * Plurals: the summary of several alarms ("4 new alarms") has one template per plural category of
 * the language, and the category of each count 0..199 as `Intl.PluralRules` gives it; the backend
 * picks with that table (see `CountedTemplate` in alarm_watch/words.rs).
 */
import type { NoticeWords, PluralCategory, Units } from "../bindings";
import type { IBackend } from "../backend";
import type { Store } from "../state";
import { locale, onLanguageChange, t } from "../i18n";
import { alarmName } from "../i18n/words";
import { KM_PER_MILE, speedUnitLabel } from "./units";

/** How many counts the plural table covers (PLURAL_TABLE_LEN in Rust). */
const PLURAL_TABLE_LEN = 200;

/** The notifications' words in the language in use, with speeds in `units`. */
export function noticeWords(units: Units): NoticeWords {
  const m = t().notices;
  const rules = new Intl.PluralRules(locale());
  const categories = Array.from({ length: PLURAL_TABLE_LEN }, (_, n) => rules.select(n) as PluralCategory);
  const forms: { [key in PluralCategory]?: string } = {};
  categories.forEach((category, n) => {
    forms[category] ??= m.many({ n, count: "{count}", vehicle: "{vehicle}" });
  });
  const alarmNames: Record<number, string> = {};
  for (const code of Object.keys(t().alarms.names).map(Number)) alarmNames[code] = alarmName(code);
  return {
    single: m.single({ alarm: "{alarm}", vehicle: "{vehicle}" }),
    many: { forms, categories },
    geofence: m.geofence({ name: "{name}" }),
    speed: `{speed} ${speedUnitLabel(units)}`,
    speedPerKmh: units === "mph" ? 1 / KM_PER_MILE : 1,
    place: m.place({ coordinates: "{coordinates}" }),
    separator: m.separator,
    listSeparator: m.listSeparator,
    unknownAlarm: m.unknownAlarm({ code: "{code}" }),
    alarmNames,
  };
}

/**
 * Sends the notifications' words now and again after every change of language or units; returns
 * the function that stops following. A failed send keeps the backend's previous words (English at
 * worst): it is only logged.
 */
export function followNoticeWords(backend: IBackend, store: Store): () => void {
  const send = (): void => {
    backend.noticeWordsSet(noticeWords(store.settings.units)).catch((e: unknown) => {
      console.warn("notification words not sent", e);
    });
  };
  send();
  const stopLanguage = onLanguageChange(send);
  const stopSettings = store.subscribe((change, s) => {
    if (change.kind === "settings" && change.previous.units !== s.settings.units) send();
  });
  return () => {
    stopLanguage();
    stopSettings();
  };
}
