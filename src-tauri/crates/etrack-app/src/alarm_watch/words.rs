//! The words of the desktop notifications. They come from the UI's i18n layer (the command
//! `notice_words_set`), so a notification is in the user's language: the UI sends templates with
//! `{placeholders}` and this module only fills them. English defaults serve until the UI has sent
//! its words (and for a start with no window).

use etrack::{Alarm, AlarmType};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// A plural category of CLDR (`Intl.PluralRules`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum PluralCategory {
    /// "zero".
    Zero,
    /// "one".
    One,
    /// "two".
    Two,
    /// "few".
    Few,
    /// "many".
    Many,
    /// "other", every language's fallback.
    Other,
}

/// How many counts [`CountedTemplate::categories`] covers.
pub const PLURAL_TABLE_LEN: usize = 200;

/// A template that depends on a count, one per plural category of the language. The backend has
/// no plural rules: the UI sends the category of each count 0..200 as its language's
/// `Intl.PluralRules` gives it. From 200 on, a count takes the category of `100 + count % 100`:
/// CLDR's integer rules depend only on `count % 100` past 100 (bar the "many" of round millions in
/// a few Romance languages, which then fall back to `other`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CountedTemplate {
    /// The template of each category the language uses; `other` is the fallback.
    pub forms: HashMap<PluralCategory, String>,
    /// The category of each count from 0 to 199.
    pub categories: Vec<PluralCategory>,
}

impl CountedTemplate {
    /// The template for `count`, if there is one for its category or for `other`.
    pub fn pick(&self, count: usize) -> Option<&str> {
        let i = if count < PLURAL_TABLE_LEN {
            count
        } else {
            100 + count % 100
        };
        let category = self
            .categories
            .get(i)
            .copied()
            .unwrap_or(PluralCategory::Other);
        self.forms
            .get(&category)
            .or_else(|| self.forms.get(&PluralCategory::Other))
            .map(String::as_str)
    }
}

/// The words of the desktop notifications in the user's language: templates whose
/// `{placeholders}` the backend fills, and the alarm types' names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NoticeWords {
    /// One alarm's title: `{alarm} — {vehicle}`.
    pub single: String,
    /// A burst's summary title: `{count} new alarms — {vehicle}`.
    pub many: CountedTemplate,
    /// The geofence an alarm came from: `Geofence “{name}”`.
    pub geofence: String,
    /// The speed in the user's unit: `{speed} km/h`.
    pub speed: String,
    /// The user's speed unit per km/h (1 for km/h, 1 / 1.609344 for mph).
    pub speed_per_kmh: f64,
    /// Where: `at {coordinates}` (the coordinates are always "22.58320, 113.90981").
    pub place: String,
    /// Between the parts of a notification's text: ` · `.
    pub separator: String,
    /// Between the alarm types of a summary: `, `.
    pub list_separator: String,
    /// An alarm type with no name in `alarm_names`: `Alarm {code}`.
    pub unknown_alarm: String,
    /// The alarm types' names by the spec's number.
    pub alarm_names: HashMap<i64, String>,
}

impl Default for NoticeWords {
    /// English, as the notifications were before the UI gave its words.
    fn default() -> Self {
        let mut categories = vec![PluralCategory::Other; PLURAL_TABLE_LEN];
        categories[1] = PluralCategory::One;
        Self {
            single: "{alarm} — {vehicle}".into(),
            many: CountedTemplate {
                forms: HashMap::from([
                    (PluralCategory::One, "{count} new alarm — {vehicle}".into()),
                    (
                        PluralCategory::Other,
                        "{count} new alarms — {vehicle}".into(),
                    ),
                ]),
                categories,
            },
            geofence: "Geofence “{name}”".into(),
            speed: "{speed} km/h".into(),
            speed_per_kmh: 1.0,
            place: "at {coordinates}".into(),
            separator: " · ".into(),
            list_separator: ", ".into(),
            unknown_alarm: "Unknown alarm".into(),
            alarm_names: AlarmType::ALL
                .iter()
                .map(|t| (t.code(), t.words().to_owned()))
                .collect(),
        }
    }
}

impl NoticeWords {
    /// An alarm type's name.
    pub fn alarm(&self, t: AlarmType) -> String {
        match self.alarm_names.get(&t.code()) {
            Some(name) => name.clone(),
            None => fill(&self.unknown_alarm, &[("code", &t.code().to_string())]),
        }
    }

    /// One alarm's notification: title and text.
    pub fn single(
        &self,
        vehicle: &str,
        alarm: &Alarm,
        geofence_name: Option<&str>,
    ) -> (String, String) {
        let title = fill(
            &self.single,
            &[
                ("alarm", &self.alarm(alarm.alarm_type)),
                ("vehicle", vehicle),
            ],
        );
        let mut parts = Vec::new();
        if let Some(g) = geofence_name {
            parts.push(fill(&self.geofence, &[("name", g)]));
        }
        if alarm.speed > 0.0 {
            let speed = whole(alarm.speed * self.speed_per_kmh);
            parts.push(fill(&self.speed, &[("speed", &speed)]));
        }
        let coordinates = format!("{:.5}, {:.5}", alarm.latitude, alarm.longitude);
        parts.push(fill(&self.place, &[("coordinates", &coordinates)]));
        (title, parts.join(&self.separator))
    }

    /// A burst's summary notification: title and the alarm types in the order read.
    pub fn summary(&self, vehicle: &str, alarms: &[&Alarm]) -> (String, String) {
        let count = alarms.len().to_string();
        let template = self
            .many
            .pick(alarms.len())
            .unwrap_or("{count} — {vehicle}");
        let title = fill(template, &[("count", &count), ("vehicle", vehicle)]);
        let mut kinds: Vec<String> = alarms.iter().map(|a| self.alarm(a.alarm_type)).collect();
        kinds.dedup();
        (title, kinds.join(&self.list_separator))
    }
}

/// A speed as a dashboard shows it: a whole number.
fn whole(v: f64) -> String {
    format!("{:.0}", v.round())
}

/// `template` with each `{key}` of `values` replaced by its value, in one pass: a value is never
/// read for placeholders itself (a vehicle named "{count}" stays "{count}"), and a `{...}` that
/// names no value is kept as it is.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let key = &after[..close];
            values
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alarm(code: i64, speed: f64) -> Alarm {
        Alarm {
            alarm_type: AlarmType::from_code(code),
            longitude: 113.909811,
            latitude: 22.583201,
            gpstime: 1_700_000_000,
            systemtime: 1_700_000_001,
            speed,
            course: 90.0,
            geofence_id: String::new(),
        }
    }

    fn chinese() -> NoticeWords {
        NoticeWords {
            single: "{alarm} — {vehicle}".into(),
            many: CountedTemplate {
                forms: HashMap::from([(
                    PluralCategory::Other,
                    "{count} 条新报警 — {vehicle}".into(),
                )]),
                categories: vec![PluralCategory::Other; PLURAL_TABLE_LEN],
            },
            geofence: "围栏“{name}”".into(),
            speed: "{speed} 公里/时".into(),
            speed_per_kmh: 1.0,
            place: "位置 {coordinates}".into(),
            separator: " · ".into(),
            list_separator: "、".into(),
            unknown_alarm: "报警 {code}".into(),
            alarm_names: HashMap::from([
                (5, "进入围栏".into()),
                (6, "离开围栏".into()),
                (7, "超速".into()),
            ]),
        }
    }

    #[test]
    fn alarm_notices_in_english_by_default() {
        let w = NoticeWords::default();
        let a = alarm(5, 40.0);
        assert_eq!(
            w.single("Van 7", &a, Some("Depot")),
            (
                "Entered geofence — Van 7".to_owned(),
                "Geofence “Depot” · 40 km/h · at 22.58320, 113.90981".to_owned()
            )
        );
        let still = alarm(1, 0.0);
        assert_eq!(w.single("Van 7", &still, None).1, "at 22.58320, 113.90981");
        let burst = [alarm(7, 80.0), alarm(7, 90.0), alarm(5, 0.0), alarm(6, 0.0)];
        let refs: Vec<&Alarm> = burst.iter().collect();
        assert_eq!(
            w.summary("Van 7", &refs),
            (
                "4 new alarms — Van 7".to_owned(),
                "Speeding, Entered geofence, Left geofence".to_owned()
            )
        );
        assert_eq!(w.alarm(AlarmType::Unknown(42)), "Unknown alarm");
        assert_eq!(w.alarm_names.len(), 27);
    }

    #[test]
    fn alarm_notices_in_chinese_from_the_ui_words() {
        let w = chinese();
        let a = alarm(6, 35.0);
        assert_eq!(
            w.single("粤B 12345", &a, Some("仓库")),
            (
                "离开围栏 — 粤B 12345".to_owned(),
                "围栏“仓库” · 35 公里/时 · 位置 22.58320, 113.90981".to_owned()
            )
        );
        let burst = [alarm(7, 1.0), alarm(5, 0.0), alarm(6, 0.0), alarm(99, 0.0)];
        let refs: Vec<&Alarm> = burst.iter().collect();
        assert_eq!(
            w.summary("粤B 12345", &refs),
            (
                "4 条新报警 — 粤B 12345".to_owned(),
                "超速、进入围栏、离开围栏、报警 99".to_owned()
            )
        );
    }

    #[test]
    fn alarm_words_are_filled_once_so_a_name_cannot_inject_a_placeholder() {
        let w = NoticeWords::default();
        let a = alarm(5, 0.0);
        let (title, body) = w.single("{alarm} {count}", &a, Some("{name}{vehicle}"));
        assert_eq!(title, "Entered geofence — {alarm} {count}");
        assert!(body.starts_with("Geofence “{name}{vehicle}”"), "{body}");
        let mut evil = NoticeWords::default();
        evil.alarm_names.insert(5, "{vehicle}".into());
        assert_eq!(evil.single("Van", &a, None).0, "{vehicle} — Van");
        // Unknown placeholders and stray braces are kept as written.
        assert_eq!(fill("{a} {b} { {", &[("a", "1")]), "1 {b} { {");
        assert_eq!(fill("{{a}}", &[("a", "x")]), "{x}");
        assert_eq!(fill("", &[("a", "x")]), "");
    }

    #[test]
    fn alarm_summaries_pick_the_plural_form_of_the_count() {
        // Russian-like rules: one / few / many by count % 10 and count % 100.
        let cat = |n: usize| match (n % 10, n % 100) {
            (1, r) if r != 11 => PluralCategory::One,
            (2..=4, r) if !(12..=14).contains(&r) => PluralCategory::Few,
            _ => PluralCategory::Many,
        };
        let t = CountedTemplate {
            forms: HashMap::from([
                (PluralCategory::One, "one".into()),
                (PluralCategory::Few, "few".into()),
                (PluralCategory::Many, "many".into()),
            ]),
            categories: (0..PLURAL_TABLE_LEN).map(cat).collect(),
        };
        for n in [1, 4, 5, 11, 21, 22, 111, 1001, 1004, 1012, 12345] {
            let want = match cat(n) {
                PluralCategory::One => "one",
                PluralCategory::Few => "few",
                _ => "many",
            };
            assert_eq!(t.pick(n), Some(want), "{n}");
        }
        // A category with no form falls back to `other`; no `other` either: none.
        let sparse = CountedTemplate {
            forms: HashMap::from([(PluralCategory::Other, "other".into())]),
            categories: Vec::new(),
        };
        assert_eq!(sparse.pick(3), Some("other"));
        let no_other = CountedTemplate {
            forms: HashMap::from([(PluralCategory::One, "one".into())]),
            categories: Vec::new(),
        };
        assert_eq!(no_other.pick(3), None);
    }
}
