//! A device's history as the platform serves it: playback pages and mileage, from either the
//! simulation or a history a test put in place.

use crate::geo;
use crate::timeline::{Sample, Timeline};

/// One playback record.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// GPS time.
    pub t: i64,
    /// km/h.
    pub speed: i64,
    /// Degrees.
    pub course: i64,
}

impl From<Sample> for Point {
    fn from(s: Sample) -> Self {
        Point {
            lon: s.lon,
            lat: s.lat,
            t: s.t,
            speed: s.speed,
            course: s.course,
        }
    }
}

impl Point {
    /// The record as the spec writes it: `longitude,latitude,gpstime,speed,course`.
    pub fn wire(&self) -> String {
        format!(
            "{},{},{},{},{}",
            geo::fmt_coord(self.lon),
            geo::fmt_coord(self.lat),
            self.t,
            self.speed,
            self.course
        )
    }
}

/// Where a device's history comes from.
pub enum Source<'a> {
    /// The simulation.
    Generated(Timeline<'a>),
    /// Points set by a test, in gpstime order.
    Explicit(&'a [Point]),
}

impl Source<'_> {
    /// Up to `limit` records with `begin <= gpstime <= end`, ascending, as received by `now`.
    pub fn playback(&mut self, begin: i64, end: i64, now: i64, limit: usize) -> Vec<Point> {
        match self {
            Source::Generated(tl) => {
                let mut out = Vec::new();
                for (first, last) in tl.spans(begin, end, now) {
                    let (a, b) = (begin.max(first), end.min(last));
                    let mut t = tl.at_or_after(a);
                    while t <= b && out.len() < limit {
                        out.push(Point::from(tl.sample(t)));
                        t += tl.dev.interval;
                    }
                }
                out
            }
            Source::Explicit(points) => {
                let from = points.partition_point(|p| p.t < begin);
                points[from..]
                    .iter()
                    .take_while(|p| p.t <= end)
                    .take(limit)
                    .copied()
                    .collect()
            }
        }
    }

    /// Metres between consecutive records with `begin <= gpstime < end`.
    pub fn mileage_m(&mut self, begin: i64, end: i64, now: i64) -> f64 {
        match self {
            Source::Generated(tl) => {
                let end = end.saturating_sub(1);
                let mut sum = 0.0;
                // Consecutive records, across gaps between stretches of reports too.
                let mut prev: Option<(f64, f64)> = None;
                let step = tl.dev.interval;
                for (first, last) in tl.spans(begin, end, now) {
                    let (a, b) = (begin.max(first), end.min(last));
                    let mut t = tl.at_or_after(a);
                    while t <= b {
                        let s = tl.sample(t);
                        if let Some((lon, lat)) = prev {
                            sum += geo::distance_m(lon, lat, s.lon, s.lat);
                        }
                        prev = Some((s.lon, s.lat));
                        // Standing still, every record is at the same spot: skip to the last one.
                        let skip_to = tl.at_or_before(s.still_until.min(b));
                        t = if skip_to > t { skip_to } else { t + step };
                    }
                }
                sum
            }
            Source::Explicit(points) => {
                let from = points.partition_point(|p| p.t < begin);
                let to = points.partition_point(|p| p.t < end);
                points[from..to.max(from)]
                    .windows(2)
                    .map(|w| geo::distance_m(w[0].lon, w[0].lat, w[1].lon, w[1].lat))
                    .sum()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::Fleet;
    use crate::timeline::PlanCache;

    #[test]
    fn skipping_still_stretches_gives_the_same_mileage_as_summing_every_record() {
        let f = Fleet::new(11, 6, 1_700_000_000);
        let cache = PlanCache::default();
        let now = 1_700_000_000;
        for dev in &f.devices {
            let (begin, end) = (now - 2 * 86_400, now - 86_400);
            let mut src = Source::Generated(Timeline::new(&f, dev, &cache, Vec::new()));
            let fast = src.mileage_m(begin, end, now);
            let pts = src.playback(begin, end - 1, now, usize::MAX);
            let slow: f64 = pts
                .windows(2)
                .map(|w| geo::distance_m(w[0].lon, w[0].lat, w[1].lon, w[1].lat))
                .sum();
            assert!((fast - slow).abs() < 1e-6, "{fast} vs {slow}");
        }
    }

    #[test]
    fn explicit_history_pages_are_inclusive_of_both_ends() {
        let pts: Vec<Point> = (0..10)
            .map(|i| Point {
                lon: 113.9,
                lat: 22.5 + f64::from(i) * 0.001,
                t: 100 + i64::from(i) * 10,
                speed: 30,
                course: 0,
            })
            .collect();
        let mut src = Source::Explicit(&pts);
        let page = src.playback(110, 150, 0, 1000);
        assert_eq!(page.first().map(|p| p.t), Some(110));
        assert_eq!(page.last().map(|p| p.t), Some(150));
        assert_eq!(src.playback(110, 150, 0, 2).len(), 2);
        // Mileage excludes the end: 110..140 is three gaps of ~111 m.
        let m = src.mileage_m(110, 150, 0);
        assert!((m - 333.6).abs() < 1.0, "{m}");
    }
}
