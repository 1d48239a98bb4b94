//! A device's route as files other tools read: GPX 1.1, KML 2.2, CSV and GeoJSON.
//!
//! The desktop app and the command-line tool both export through here, so a route exported from
//! either is byte for byte the same. Every writer is pure (points in, text out) and writes every
//! point it is given, in the order given: [`in_order`] puts a fetched history in the order the
//! formats promise (ascending time, no exact repeats) first.
//!
//! ```
//! use etrack::export::{self, Format};
//! use etrack::PlaybackPoint;
//! let route = [PlaybackPoint { longitude: 113.97196, latitude: 22.568616, gpstime: 1714550400, speed: 0.0, course: 228.0 }];
//! let gpx = export::render(Format::Gpx, "Taxi 7", &route);
//! assert!(gpx.contains("<trkpt lat=\"22.568616\" lon=\"113.97196\"><time>2024-05-01T08:00:00Z</time></trkpt>"));
//! assert_eq!(export::render(Format::Csv, "Taxi 7", &route), "gpstime,longitude,latitude,speed,course\n1714550400,113.97196,22.568616,0,228\n");
//! ```

use crate::error::{Error, Result};
use crate::model::PlaybackPoint;
use chrono::{DateTime, SecondsFormat, Utc};
use std::fmt::Write;
use std::str::FromStr;

/// The header line of a CSV export.
pub const CSV_HEADER: &str = "gpstime,longitude,latitude,speed,course";

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ExportFormat"))]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// GPX 1.1: one track, one segment, a time on every point.
    Gpx,
    /// KML 2.2: the route as a line with its time span, and start and end points.
    Kml,
    /// `gpstime,longitude,latitude,speed,course`, times in unix seconds.
    Csv,
    /// GeoJSON (RFC 7946): one line feature with the points' times, speeds and courses.
    Geojson,
}

impl Format {
    /// Every format, in the order a menu lists them.
    pub const ALL: [Format; 4] = [Format::Gpx, Format::Kml, Format::Csv, Format::Geojson];

    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Gpx => "gpx",
            Format::Kml => "kml",
            Format::Csv => "csv",
            Format::Geojson => "geojson",
        }
    }

    /// What people call it, e.g. in a save dialog's filter.
    pub fn label(self) -> &'static str {
        match self {
            Format::Gpx => "GPX track",
            Format::Kml => "KML (Google Earth)",
            Format::Csv => "CSV table",
            Format::Geojson => "GeoJSON",
        }
    }
}

impl FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Format::ALL
            .into_iter()
            .find(|f| f.extension().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                Error::validation(format!(
                    "unknown export format {s:?}: expected gpx, kml, csv or geojson"
                ))
            })
    }
}

/// The route in `format`; `name` names the track (a vehicle's name or IMEI).
pub fn render(format: Format, name: &str, points: &[PlaybackPoint]) -> String {
    match format {
        Format::Gpx => gpx(name, points),
        Format::Kml => kml(name, points),
        Format::Csv => csv(points),
        Format::Geojson => geojson(name, points),
    }
}

/// Rows stably sorted by `key`, every row equal to an earlier one with the same key dropped.
///
/// Providers send exact repeats (the spec's own playback example has four identical rows) and
/// page boundaries repeat rows; an export or a replay wants each moment once.
///
/// ```
/// let rows = etrack::export::in_order(vec![(3, 'c'), (1, 'a'), (3, 'c'), (3, 'd')], |r| r.0);
/// assert_eq!(rows, vec![(1, 'a'), (3, 'c'), (3, 'd')]);
/// ```
pub fn in_order<T: PartialEq>(mut rows: Vec<T>, key: impl Fn(&T) -> i64) -> Vec<T> {
    rows.sort_by_key(|r| key(r));
    let mut out: Vec<T> = Vec::with_capacity(rows.len());
    let mut run_start = 0;
    for row in rows {
        if out.last().is_some_and(|last| key(last) != key(&row)) {
            run_start = out.len();
        }
        // Sorted by key: only the run of rows with this key can hold a repeat.
        if !out[run_start..].contains(&row) {
            out.push(row);
        }
    }
    out
}

/// A playback history ascending by GPS time, exact repeats dropped.
pub fn playback_in_order(points: Vec<PlaybackPoint>) -> Vec<PlaybackPoint> {
    in_order(points, |p| p.gpstime)
}

/// Unix seconds as RFC 3339 UTC, e.g. `2024-05-01T08:00:00Z` (the number itself if out of range).
pub fn rfc3339(secs: i64) -> String {
    match DateTime::<Utc>::from_timestamp(secs, 0) {
        Some(d) => d.to_rfc3339_opts(SecondsFormat::Secs, true),
        None => secs.to_string(),
    }
}

/// XML text and attribute escaping.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0 at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// GPX 1.1: a track named `name` with one segment; every point has its time.
pub fn gpx(name: &str, points: &[PlaybackPoint]) -> String {
    let mut out = String::with_capacity(128 + points.len() * 80);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <gpx version=\"1.1\" creator=\"etrack\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n",
    );
    let _ = writeln!(
        out,
        "  <trk>\n    <name>{}</name>\n    <trkseg>",
        xml_escape(name)
    );
    for p in points {
        let _ = writeln!(
            out,
            "      <trkpt lat=\"{}\" lon=\"{}\"><time>{}</time></trkpt>",
            p.latitude,
            p.longitude,
            rfc3339(p.gpstime)
        );
    }
    out.push_str("    </trkseg>\n  </trk>\n</gpx>\n");
    out
}

/// KML 2.2: the route as a line (two points or more) with its time span, and the start and end
/// as points with their times.
pub fn kml(name: &str, points: &[PlaybackPoint]) -> String {
    let name = xml_escape(name);
    let mut out = String::with_capacity(512 + points.len() * 24);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <kml xmlns=\"http://www.opengis.net/kml/2.2\">\n  <Document>\n",
    );
    let _ = writeln!(out, "    <name>{name}</name>");
    out.push_str(
        "    <Style id=\"route\"><LineStyle><color>ffeb6325</color><width>3</width></LineStyle></Style>\n",
    );
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        if points.len() >= 2 {
            let _ = writeln!(
                out,
                "    <Placemark>\n      <name>{name}</name>\n      \
                 <TimeSpan><begin>{}</begin><end>{}</end></TimeSpan>\n      \
                 <styleUrl>#route</styleUrl>\n      \
                 <LineString>\n        <tessellate>1</tessellate>\n        <coordinates>",
                rfc3339(first.gpstime),
                rfc3339(last.gpstime)
            );
            for p in points {
                let _ = writeln!(out, "{},{}", p.longitude, p.latitude);
            }
            out.push_str("        </coordinates>\n      </LineString>\n    </Placemark>\n");
        }
        for (label, p) in [("Start", first), ("End", last)] {
            let _ = writeln!(
                out,
                "    <Placemark>\n      <name>{label}</name>\n      \
                 <TimeStamp><when>{}</when></TimeStamp>\n      \
                 <Point><coordinates>{},{}</coordinates></Point>\n    </Placemark>",
                rfc3339(p.gpstime),
                p.longitude,
                p.latitude
            );
        }
    }
    out.push_str("  </Document>\n</kml>\n");
    out
}

/// CSV: [`CSV_HEADER`], then one row per point.
pub fn csv(points: &[PlaybackPoint]) -> String {
    let mut out = String::with_capacity(64 + points.len() * 48);
    out.push_str(CSV_HEADER);
    out.push('\n');
    for p in points {
        let _ = writeln!(
            out,
            "{},{},{},{},{}",
            p.gpstime, p.longitude, p.latitude, p.speed, p.course
        );
    }
    out
}

/// One CSV field: quoted when it holds a comma, quote or line break. A leading `=`, `+`, `-`, `@`,
/// tab or carriage return gets a quote mark in front, so a spreadsheet shows a provider's text (a
/// device name, a command reply) as text instead of running it as a formula.
///
/// ```
/// use etrack::export::csv_field;
/// assert_eq!(csv_field("plain"), "plain");
/// assert_eq!(csv_field("a,b"), "\"a,b\"");
/// assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
/// assert_eq!(csv_field("\tcmd"), "'\tcmd");
/// ```
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A JSON string literal.
fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

/// GeoJSON: a FeatureCollection with one feature: a LineString (a Point for a single point, no
/// feature for none) whose properties carry the name, the time span and, per point, the time
/// (`coordTimes`, RFC 3339), speed (km/h) and course (degrees).
pub fn geojson(name: &str, points: &[PlaybackPoint]) -> String {
    let mut out = String::with_capacity(256 + points.len() * 64);
    out.push_str("{\"type\":\"FeatureCollection\",\"features\":[");
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        let _ = write!(
            out,
            "{{\"type\":\"Feature\",\"properties\":{{\"name\":{},\"begin\":\"{}\",\"end\":\"{}\",\"points\":{}",
            json_string(name),
            rfc3339(first.gpstime),
            rfc3339(last.gpstime),
            points.len()
        );
        let list = |out: &mut String, key: &str, item: &dyn Fn(&PlaybackPoint) -> String| {
            let _ = write!(out, ",\"{key}\":[");
            for (i, p) in points.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&item(p));
            }
            out.push(']');
        };
        list(&mut out, "coordTimes", &|p| {
            format!("\"{}\"", rfc3339(p.gpstime))
        });
        list(&mut out, "speeds", &|p| p.speed.to_string());
        list(&mut out, "courses", &|p| p.course.to_string());
        out.push_str("},\"geometry\":");
        if points.len() == 1 {
            let _ = write!(
                out,
                "{{\"type\":\"Point\",\"coordinates\":[{},{}]}}",
                first.longitude, first.latitude
            );
        } else {
            out.push_str("{\"type\":\"LineString\",\"coordinates\":[");
            for (i, p) in points.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(out, "[{},{}]", p.longitude, p.latitude);
            }
            out.push_str("]}");
        }
        out.push('}');
    }
    out.push_str("]}\n");
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn pt(t: i64, lon: f64, lat: f64, speed: i64, course: i64) -> PlaybackPoint {
        PlaybackPoint {
            longitude: lon,
            latitude: lat,
            gpstime: t,
            speed: speed as f64,
            course: course as f64,
        }
    }

    fn route() -> Vec<PlaybackPoint> {
        vec![
            pt(1714550400, 113.97196, 22.568616, 0, 228),
            pt(1714550410, 113.971934, 22.568583, 12, 61),
            pt(1714550420, 113.9712, 22.5679, 35, 90),
        ]
    }

    /// The elements of an XML document as (depth, name) in document order, checking that every
    /// tag is closed in order: a small well-formedness check without an XML crate.
    fn xml_elements(doc: &str) -> Vec<(usize, String)> {
        let body = doc
            .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .expect("an XML declaration");
        let mut stack: Vec<String> = Vec::new();
        let mut seen = Vec::new();
        let mut rest = body;
        while let Some(start) = rest.find('<') {
            let text = &rest[..start];
            assert!(!text.contains(['<', '>']), "stray markup in {text:?}");
            let end = rest[start..].find('>').expect("a closed tag") + start;
            let tag = &rest[start + 1..end];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "closes what it opened");
            } else {
                let name = tag
                    .trim_end_matches('/')
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .to_owned();
                seen.push((stack.len(), name.clone()));
                if !tag.ends_with('/') {
                    stack.push(name);
                }
            }
            rest = &rest[end + 1..];
        }
        assert!(stack.is_empty(), "unclosed: {stack:?}");
        assert!(rest.trim().is_empty());
        seen
    }

    #[test]
    fn gpx_follows_the_gpx_1_1_structure_with_a_time_on_every_point() {
        let doc = gpx("Taxi <7> & co", &route());
        let els = xml_elements(&doc);
        let names: Vec<&str> = els.iter().map(|(_, n)| n.as_str()).collect();
        // gpx > trk > (name, trkseg > trkpt* > time): the order GPX 1.1's schema requires.
        assert_eq!(
            names,
            ["gpx", "trk", "name", "trkseg", "trkpt", "time", "trkpt", "time", "trkpt", "time"]
        );
        assert_eq!(els[4].0, 3, "trkpt sits in gpx/trk/trkseg");
        assert!(doc.contains(
            "<gpx version=\"1.1\" creator=\"etrack\" xmlns=\"http://www.topografix.com/GPX/1/1\">"
        ));
        assert!(doc.contains("<name>Taxi &lt;7&gt; &amp; co</name>"));
        assert!(doc.contains(
            "<trkpt lat=\"22.568583\" lon=\"113.971934\"><time>2024-05-01T08:00:10Z</time></trkpt>"
        ));
    }

    #[test]
    fn an_empty_gpx_track_is_still_a_document() {
        let doc = gpx("x", &[]);
        assert!(doc.contains("<trkseg>\n    </trkseg>"), "{doc}");
        assert_eq!(xml_elements(&doc).len(), 4);
    }

    #[test]
    fn kml_is_well_formed_with_the_route_its_span_and_its_ends() {
        let doc = kml("Taxi 7", &route());
        let names: Vec<String> = xml_elements(&doc).into_iter().map(|(_, n)| n).collect();
        assert_eq!(names[..2], ["kml", "Document"]);
        assert_eq!(names.iter().filter(|n| *n == "Placemark").count(), 3);
        assert_eq!(names.iter().filter(|n| *n == "LineString").count(), 1);
        assert!(doc.contains("<kml xmlns=\"http://www.opengis.net/kml/2.2\">"));
        assert!(doc.contains(
            "<TimeSpan><begin>2024-05-01T08:00:00Z</begin><end>2024-05-01T08:00:20Z</end></TimeSpan>"
        ));
        let coords = doc
            .split("<coordinates>")
            .nth(1)
            .unwrap()
            .split("</coordinates>")
            .next()
            .unwrap();
        let tuples: Vec<&str> = coords.split_whitespace().collect();
        assert_eq!(
            tuples,
            [
                "113.97196,22.568616",
                "113.971934,22.568583",
                "113.9712,22.5679"
            ],
            "longitude first, every point"
        );
        // One point: no line (KML needs two), but its start and end.
        let one = kml("x", &route()[..1]);
        assert!(!one.contains("LineString"));
        assert_eq!(one.matches("<Placemark>").count(), 2);
        xml_elements(&one);
        xml_elements(&kml("x", &[]));
    }

    #[test]
    fn csv_has_the_header_and_a_row_per_point() {
        assert_eq!(
            csv(&route()[..2]),
            "gpstime,longitude,latitude,speed,course\n\
             1714550400,113.97196,22.568616,0,228\n\
             1714550410,113.971934,22.568583,12,61\n"
        );
        assert_eq!(csv(&[]), "gpstime,longitude,latitude,speed,course\n");
    }

    #[test]
    fn geojson_is_a_feature_collection_with_a_line_and_per_point_properties() {
        let v: serde_json::Value = serde_json::from_str(&geojson("Taxi \"7\"", &route())).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        let f = &v["features"][0];
        assert_eq!(f["geometry"]["type"], "LineString");
        assert_eq!(
            f["geometry"]["coordinates"][1],
            serde_json::json!([113.971934, 22.568583])
        );
        assert_eq!(f["properties"]["name"], "Taxi \"7\"");
        assert_eq!(f["properties"]["coordTimes"][2], "2024-05-01T08:00:20Z");
        assert_eq!(f["properties"]["speeds"], serde_json::json!([0, 12, 35]));
        assert_eq!(f["properties"]["courses"], serde_json::json!([228, 61, 90]));
        let one: serde_json::Value = serde_json::from_str(&geojson("x", &route()[..1])).unwrap();
        assert_eq!(one["features"][0]["geometry"]["type"], "Point");
        let none: serde_json::Value = serde_json::from_str(&geojson("x", &[])).unwrap();
        assert_eq!(none["features"], serde_json::json!([]));
    }

    #[test]
    fn every_format_writes_every_point() {
        let long: Vec<PlaybackPoint> = (0..2500)
            .map(|i| {
                pt(
                    1_700_000_000 + i * 10,
                    113.9 + i as f64 * 1e-5,
                    22.5,
                    40,
                    90,
                )
            })
            .collect();
        assert_eq!(
            render(Format::Gpx, "x", &long).matches("<trkpt ").count(),
            2500
        );
        assert_eq!(render(Format::Csv, "x", &long).lines().count(), 2501);
        let kml = render(Format::Kml, "x", &long);
        let line = kml.split("<coordinates>").nth(1).unwrap();
        assert_eq!(
            line.split("</coordinates>")
                .next()
                .unwrap()
                .split_whitespace()
                .count(),
            2500
        );
        let g: serde_json::Value =
            serde_json::from_str(&render(Format::Geojson, "x", &long)).unwrap();
        assert_eq!(
            g["features"][0]["geometry"]["coordinates"]
                .as_array()
                .unwrap()
                .len(),
            2500
        );
    }

    #[test]
    fn formats_parse_from_their_extension() {
        assert_eq!("GPX".parse::<Format>().unwrap(), Format::Gpx);
        assert_eq!("geojson".parse::<Format>().unwrap(), Format::Geojson);
        assert!(matches!("shp".parse::<Format>(), Err(Error::Validation(_))));
        assert_eq!(
            serde_json::to_string(&Format::Geojson).unwrap(),
            "\"geojson\""
        );
    }

    #[test]
    fn in_order_sorts_and_drops_exact_repeats_only() {
        let a = pt(10, 1.0, 1.0, 0, 0);
        let b = pt(10, 2.0, 1.0, 0, 0);
        let c = pt(5, 1.0, 1.0, 0, 0);
        assert_eq!(playback_in_order(vec![a, b, a, c, a]), vec![c, a, b]);
    }

    #[test]
    fn xml_escaping_covers_markup_and_drops_control_characters() {
        assert_eq!(
            xml_escape("a<b & \"c\" 'd'\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;"
        );
    }
}
