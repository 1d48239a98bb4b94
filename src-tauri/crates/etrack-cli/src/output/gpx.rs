//! GPX 1.1 export of a playback: one track, one segment, a time on every point.

use crate::timespec;
use etrack::PlaybackPoint;
use std::fmt::Write;

/// The points as a GPX 1.1 document; `name` names the track (the device).
pub fn playback(name: &str, points: &[PlaybackPoint]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <gpx version=\"1.1\" creator=\"etrack\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n",
    );
    let _ = writeln!(
        out,
        "  <trk>\n    <name>{}</name>\n    <trkseg>",
        escape(name)
    );
    for p in points {
        let _ = writeln!(
            out,
            "      <trkpt lat=\"{}\" lon=\"{}\"><time>{}</time></trkpt>",
            p.latitude,
            p.longitude,
            timespec::rfc3339(p.gpstime)
        );
    }
    out.push_str("    </trkseg>\n  </trk>\n</gpx>\n");
    out
}

/// XML text escaping.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_carry_lat_lon_and_utc_time() {
        let doc = playback(
            "358899051025339",
            &[PlaybackPoint {
                longitude: 113.97196,
                latitude: 22.568616,
                gpstime: 1714550400,
                speed: 0,
                course: 228,
            }],
        );
        assert!(doc.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\""));
        assert!(doc.contains("xmlns=\"http://www.topografix.com/GPX/1/1\""));
        assert!(doc.contains("<name>358899051025339</name>"));
        assert!(doc.contains(
            "<trkpt lat=\"22.568616\" lon=\"113.97196\"><time>2024-05-01T08:00:00Z</time></trkpt>"
        ));
        assert!(doc.trim_end().ends_with("</gpx>"));
    }

    #[test]
    fn an_empty_track_is_still_a_document() {
        let doc = playback("x", &[]);
        assert!(doc.contains("<trkseg>\n    </trkseg>"), "{doc}");
    }

    #[test]
    fn names_are_escaped() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
