//! Where the sea and Hong Kong are around the simulated city, from Natural Earth, to check that the
//! fleet drives on land in Shenzhen (tests only).
//!
//! The outlines come from Natural Earth 1:10m (public domain, naturalearthdata.com): `SEA` is the
//! box lon 113.7-114.3, lat 22.4-22.8 minus the "land" layer, `HONG_KONG` the admin 0 "Hong Kong"
//! polygon in that box, as packaged by the world-atlas npm package and extracted by
//! `tools/extract-coast.mjs` (coordinates rounded to 5 decimals, about 1 m). 1:10m is coarse:
//! reclaimed land in Qianhai, Shekou or along the Bao'an coast shows as sea here. These outlines
//! are the truth for the tests all the same: every road keeps [`MARGIN_M`] from them.

use crate::fleet::{day_start, local_day, Activity, Fleet, Status};
use crate::geo;
use crate::history::Source;
use crate::plan::{CELL_M, NX, NY};
use crate::timeline::{PlanCache, Timeline};

/// The box the outlines cover: west, south, east, north.
const BOX: (f64, f64, f64, f64) = (113.7, 22.4, 114.3, 22.8);

/// The least distance, metres, from every road to the sea and to Hong Kong.
const MARGIN_M: f64 = 300.0;

/// The sea in the box: 3 polygons (Mirs Bay, Tolo Harbour, and the Pearl River
/// estuary with Shenzhen Bay), lon/lat degrees. From Natural Earth 1:10m land (public domain),
/// world-atlas 2.0.2 land-10m.json, extracted by tools/extract-coast.mjs.
#[rustfmt::skip]
const SEA: &[&[(f64, f64)]] = &[
    &[
        (114.3, 22.58418), (114.27774, 22.58866), (114.27054, 22.58359), (114.24894, 22.57008),
        (114.23814, 22.55995), (114.23094, 22.55657), (114.23454, 22.55657), (114.22734, 22.54644),
        (114.22374, 22.54138), (114.21654, 22.53462), (114.20934, 22.53462), (114.20934, 22.52449),
        (114.21654, 22.52618), (114.22014, 22.52955), (114.23094, 22.53293), (114.23454, 22.53631),
        (114.24174, 22.54982), (114.24534, 22.55151), (114.24894, 22.54813), (114.25614, 22.55151),
        (114.25614, 22.54813), (114.25254, 22.53969), (114.25974, 22.54138), (114.26694, 22.53462),
        (114.26694, 22.52787), (114.27054, 22.52618), (114.27774, 22.52955), (114.28134, 22.52618),
        (114.28134, 22.51942), (114.27774, 22.51098), (114.28494, 22.51098), (114.28854, 22.50591),
        (114.29934, 22.50085), (114.3, 22.50104),
    ],
    &[
        (114.3, 22.48074), (114.29214, 22.4789), (114.28134, 22.47214), (114.26694, 22.46539),
        (114.26334, 22.45863), (114.25254, 22.45188), (114.24534, 22.45188), (114.23094, 22.47045),
        (114.21654, 22.46708), (114.21294, 22.47045), (114.20934, 22.46539), (114.20934, 22.45695),
        (114.21654, 22.45526), (114.21654, 22.4485), (114.20934, 22.45019), (114.20934, 22.45357),
        (114.20214, 22.45863), (114.19134, 22.45695), (114.18774, 22.45188), (114.16614, 22.4485),
        (114.17694, 22.44344), (114.18774, 22.43668), (114.19854, 22.42824), (114.21294, 22.4198),
        (114.20934, 22.41304), (114.21654, 22.40967), (114.21065, 22.4), (114.21676, 22.4),
        (114.22374, 22.41473), (114.23454, 22.42486), (114.23814, 22.43499), (114.24534, 22.43499),
        (114.25254, 22.42993), (114.26694, 22.42993), (114.27054, 22.42486), (114.26694, 22.41642),
        (114.27414, 22.40967), (114.27774, 22.4198), (114.28854, 22.42655), (114.27774, 22.44344),
        (114.28854, 22.45357), (114.3, 22.45626), (114.3, 22.46385), (114.29934, 22.46539),
        (114.3, 22.46579),
    ],
    &[
        (113.90748, 22.4), (113.89614, 22.40798), (113.91054, 22.41811), (113.93214, 22.4198),
        (113.93934, 22.42655), (113.95374, 22.45019), (113.97894, 22.45863), (113.99694, 22.48903),
        (114.00414, 22.48903), (114.01134, 22.48565), (114.01134, 22.48059), (114.01134, 22.47214),
        (114.01494, 22.47552), (114.02574, 22.4789), (114.02934, 22.4789), (114.03294, 22.48227),
        (114.02934, 22.48734), (114.02934, 22.49578), (114.04374, 22.50085), (114.05814, 22.50423),
        (114.06174, 22.50929), (114.06534, 22.51605), (114.07254, 22.51773), (114.07974, 22.51942),
        (114.08694, 22.5228), (114.08334, 22.52955), (114.07974, 22.52787), (114.07974, 22.52449),
        (114.06894, 22.52111), (114.05814, 22.51773), (114.05454, 22.5076), (114.04374, 22.5076),
        (114.04014, 22.51098), (114.03654, 22.51098), (114.03654, 22.51436), (114.01854, 22.5228),
        (114.00054, 22.53124), (113.98614, 22.53124), (113.98614, 22.53293), (113.97174, 22.53293),
        (113.96454, 22.538), (113.96094, 22.52787), (113.95014, 22.52449), (113.95014, 22.51098),
        (113.95014, 22.50085), (113.94654, 22.49072), (113.93574, 22.48903), (113.92494, 22.48734),
        (113.91414, 22.48903), (113.91414, 22.48734), (113.91054, 22.48565), (113.91054, 22.47721),
        (113.88894, 22.45188), (113.88174, 22.47383), (113.87454, 22.4789), (113.86734, 22.49409),
        (113.86734, 22.51098), (113.88174, 22.51436), (113.89254, 22.52111), (113.87814, 22.53631),
        (113.84214, 22.56164), (113.83494, 22.57177), (113.82414, 22.58697), (113.81334, 22.60385),
        (113.79894, 22.63087), (113.79534, 22.66126), (113.77374, 22.67308), (113.76294, 22.73556),
        (113.75934, 22.75414), (113.74494, 22.76089), (113.71254, 22.76258), (113.7, 22.76111),
        (113.7, 22.4),
    ],
];

/// Hong Kong's mainland in the box, lon/lat degrees: its northern edge is the Shenzhen River
/// border. From Natural Earth 1:10m admin 0 countries (public domain), world-atlas 2.0.2
/// countries-10m.json, extracted by tools/extract-coast.mjs.
#[rustfmt::skip]
const HONG_KONG: &[(f64, f64)] = &[
    (114.23094, 22.55657), (114.23454, 22.55657), (114.22734, 22.54644), (114.22374, 22.54138),
    (114.21654, 22.53462), (114.20934, 22.53462), (114.20934, 22.52449), (114.21654, 22.52618),
    (114.22014, 22.52955), (114.23094, 22.53293), (114.23454, 22.53631), (114.24174, 22.54982),
    (114.24534, 22.55151), (114.24894, 22.54813), (114.25614, 22.55151), (114.25614, 22.54813),
    (114.25254, 22.53969), (114.25974, 22.54138), (114.26694, 22.53462), (114.26694, 22.52787),
    (114.27054, 22.52618), (114.27774, 22.52955), (114.28134, 22.52618), (114.28134, 22.51942),
    (114.27774, 22.51098), (114.28494, 22.51098), (114.28854, 22.50591), (114.29934, 22.50085),
    (114.3, 22.50104), (114.3, 22.48074), (114.29214, 22.4789), (114.28134, 22.47214),
    (114.26694, 22.46539), (114.26334, 22.45863), (114.25254, 22.45188), (114.24534, 22.45188),
    (114.23094, 22.47045), (114.21654, 22.46708), (114.21294, 22.47045), (114.20934, 22.46539),
    (114.20934, 22.45695), (114.21654, 22.45526), (114.21654, 22.4485), (114.20934, 22.45019),
    (114.20934, 22.45357), (114.20214, 22.45863), (114.19134, 22.45695), (114.18774, 22.45188),
    (114.16614, 22.4485), (114.17694, 22.44344), (114.18774, 22.43668), (114.19854, 22.42824),
    (114.21294, 22.4198), (114.20934, 22.41304), (114.21654, 22.40967), (114.21065, 22.4),
    (114.21676, 22.4), (114.22374, 22.41473), (114.23454, 22.42486), (114.23814, 22.43499),
    (114.24534, 22.43499), (114.25254, 22.42993), (114.26694, 22.42993), (114.27054, 22.42486),
    (114.26694, 22.41642), (114.27414, 22.40967), (114.27774, 22.4198), (114.28854, 22.42655),
    (114.27774, 22.44344), (114.28854, 22.45357), (114.3, 22.45626), (114.3, 22.46385),
    (114.29934, 22.46539), (114.3, 22.46579), (114.3, 22.4), (113.90748, 22.4),
    (113.89614, 22.40798), (113.91054, 22.41811), (113.93214, 22.4198), (113.93934, 22.42655),
    (113.95374, 22.45019), (113.97894, 22.45863), (113.99694, 22.48903), (114.00414, 22.48903),
    (114.01134, 22.48565), (114.01134, 22.48059), (114.01134, 22.47214), (114.01494, 22.47552),
    (114.02574, 22.4789), (114.02934, 22.4789), (114.03294, 22.48227), (114.02934, 22.48734),
    (114.02934, 22.49578), (114.04374, 22.50085), (114.05814, 22.50423), (114.06174, 22.50929),
    (114.06534, 22.51605), (114.07254, 22.51773), (114.07974, 22.51942), (114.08694, 22.5228),
    (114.08334, 22.52955), (114.09054, 22.53462), (114.10854, 22.53462), (114.11574, 22.52955),
    (114.11574, 22.52787), (114.13014, 22.538), (114.13734, 22.53969), (114.14814, 22.538),
    (114.15534, 22.55151), (114.16254, 22.55995), (114.17334, 22.56333), (114.18414, 22.55657),
    (114.19854, 22.55657), (114.22014, 22.55488),
];

/// Whether (lon, lat) is inside `poly` (even-odd rule).
fn inside(poly: &[(f64, f64)], lon: f64, lat: f64) -> bool {
    let mut c = false;
    let mut j = poly.len() - 1;
    for (i, &(xi, yi)) in poly.iter().enumerate() {
        let (xj, yj) = poly[j];
        if (yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi {
            c = !c;
        }
        j = i;
    }
    c
}

/// Metres from (lon, lat) to the nearest edge of `poly` (flat Earth: fine over a few km).
fn distance_to_edge_m(poly: &[(f64, f64)], lon: f64, lat: f64) -> f64 {
    let kx = 111_320.0 * lat.to_radians().cos();
    let ky = 110_574.0;
    let mut best = f64::INFINITY;
    let mut j = poly.len() - 1;
    for (i, &(xi, yi)) in poly.iter().enumerate() {
        let (xj, yj) = poly[j];
        let (ax, ay) = ((xj - lon) * kx, (yj - lat) * ky);
        let (dx, dy) = ((xi - xj) * kx, (yi - yj) * ky);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        best = best.min((ax + t * dx).hypot(ay + t * dy));
        j = i;
    }
    best
}

/// Metres from (lon, lat) to the nearest sea, Hong Kong or edge of the box the outlines cover;
/// negative when in the sea, in Hong Kong or outside the box.
fn land_margin_m(lon: f64, lat: f64) -> f64 {
    let (w, s, e, n) = BOX;
    if !(w < lon && lon < e && s < lat && lat < n) {
        return -1.0;
    }
    let edge = [(w, s), (e, s), (e, n), (w, n)];
    let mut margin = distance_to_edge_m(&edge, lon, lat);
    for poly in SEA.iter().copied().chain([HONG_KONG]) {
        if inside(poly, lon, lat) {
            return -1.0;
        }
        margin = margin.min(distance_to_edge_m(poly, lon, lat));
    }
    margin
}

/// Panics unless (lon, lat) is on land in Shenzhen, [`MARGIN_M`] from the sea and Hong Kong; the
/// margin otherwise.
fn assert_on_land(lon: f64, lat: f64, what: &dyn Fn() -> String) -> f64 {
    let m = land_margin_m(lon, lat);
    assert!(
        m >= MARGIN_M,
        "{} at {lon}, {lat}: {m:.0} m from the sea or Hong Kong",
        what()
    );
    m
}

mod tests {
    use super::*;

    const START: i64 = 1_700_000_000;

    #[test]
    fn the_outlines_put_sea_and_hong_kong_where_they_are() {
        for (lon, lat, what) in [
            (113.75, 22.55, "the Pearl River estuary"),
            (113.96, 22.505, "Shenzhen Bay"),
            (114.26, 22.57, "Mirs Bay"),
            (114.26, 22.44, "Tolo Harbour"),
        ] {
            assert!(SEA.iter().any(|p| inside(p, lon, lat)), "{what}");
        }
        for (lon, lat, what) in [(114.10, 22.45, "Yuen Long"), (114.15, 22.50, "Sheung Shui")] {
            assert!(inside(HONG_KONG, lon, lat), "{what}");
        }
        for (lon, lat, what) in [
            (114.055, 22.56, "Futian"),
            (114.12, 22.56, "Luohu"),
            (113.94, 22.57, "Nanshan"),
            (113.88, 22.58, "Bao'an"),
            (114.03, 22.65, "Longhua"),
        ] {
            assert!(land_margin_m(lon, lat) > 500.0, "{what}");
        }
        assert!(
            land_margin_m(113.6, 22.6) < 0.0,
            "outside the outlines' box"
        );
    }

    #[test]
    fn every_road_is_on_land_in_shenzhen_away_from_the_coast() {
        let (mut least, mut points) = (f64::INFINITY, 0);
        let (w, h) = (f64::from(NX - 1) * CELL_M, f64::from(NY - 1) * CELL_M);
        // Every road, sampled every 100 m: east-west along each row, north-south along each column.
        let steps = |len: f64| (0..=(len / 100.0).round() as i32).map(|k| f64::from(k) * 100.0);
        for j in 0..NY {
            let y = f64::from(j) * CELL_M;
            for x in steps(w) {
                let (lon, lat) = geo::to_lonlat(x, y);
                least = least.min(assert_on_land(lon, lat, &|| format!("row {j}, {x} m")));
                points += 1;
            }
        }
        for i in 0..NX {
            let x = f64::from(i) * CELL_M;
            for y in steps(h) {
                let (lon, lat) = geo::to_lonlat(x, y);
                least = least.min(assert_on_land(lon, lat, &|| format!("column {i}, {y} m")));
                points += 1;
            }
        }
        assert!(points > 15_000, "{points}");
        // The grid reaches as far south-west as the coast allows: no more than 1 km spare.
        assert!(
            least < 1000.0,
            "{least:.0} m from the sea or Hong Kong at the closest"
        );
    }

    #[test]
    fn homes_and_workplaces_are_on_land() {
        for seed in [1, 7, 8, 42] {
            let f = Fleet::new(seed, 500, START);
            for d in &f.devices {
                for (node, kind) in [(d.home, "home"), (d.work, "work")] {
                    let (x, y) = (f64::from(node.0) * CELL_M, f64::from(node.1) * CELL_M);
                    let (lon, lat) = geo::to_lonlat(x, y);
                    assert_on_land(lon, lat, &|| {
                        format!("{} of {} (seed {seed})", kind, d.name)
                    });
                }
            }
        }
    }

    #[test]
    fn a_weekday_of_the_demo_fleet_stays_on_land_and_spreads_over_the_city() {
        let f = Fleet::new(7, 40, START);
        let cache = PlanCache::default();
        // Local day 0 was a Thursday: (day + 3) % 7 is 0 on Mondays.
        let weekday = local_day(START) - 1;
        assert!((weekday + 3).rem_euclid(7) < 5, "a weekday");
        let (mut moving, mut fastest, mut records) = (Vec::new(), 0, 0);
        let mut seen = std::collections::HashSet::new();
        for dev in &f.devices {
            // Also the days the idle vehicles last drove.
            let mut days = vec![weekday];
            match &dev.activity {
                Activity::Parked { since } => days.push(since - 1),
                Activity::Seasonal { days: worked } => days.extend(worked),
                Activity::Daily => {}
            }
            let mut src = Source::Generated(Timeline::new(&f, dev, &cache, Vec::new()));
            for day in days {
                let (a, b) = (day_start(day), day_start(day + 1) - 1);
                let mut minute = i64::MIN;
                for p in src.playback(a, b, START, usize::MAX) {
                    // One record a minute.
                    if p.t / 60 == minute {
                        continue;
                    }
                    minute = p.t / 60;
                    records += 1;
                    if p.speed > 0 && day == weekday {
                        moving.push((p.lon, p.lat));
                        fastest = fastest.max(p.speed);
                    }
                    if seen.insert((p.lon.to_bits(), p.lat.to_bits())) {
                        let t = p.t;
                        assert_on_land(p.lon, p.lat, &|| format!("{} at {t}", dev.name));
                    }
                }
            }
        }
        let reporting = f
            .devices
            .iter()
            .filter(|d| d.status == Status::Ok && d.activity == Activity::Daily)
            .count();
        // A minute of each reporting vehicle's day, and of the idle ones' last working days.
        assert!(reporting >= 25, "{reporting}");
        assert!(records >= (reporting + 3) * 1440, "{records} records");
        // Vehicles drive all over the city, on its expressways too.
        assert!(fastest > 80, "{fastest} km/h at most");
        let (w, s) = geo::to_lonlat(0.0, 0.0);
        let (e, n) = geo::to_lonlat(f64::from(NX - 1) * CELL_M, f64::from(NY - 1) * CELL_M);
        let (mid_lon, mid_lat) = ((w + e) / 2.0, (s + n) / 2.0);
        for (west, south) in [(true, true), (true, false), (false, true), (false, false)] {
            let share = moving
                .iter()
                .filter(|&&(lon, lat)| (lon < mid_lon) == west && (lat < mid_lat) == south)
                .count() as f64
                / moving.len() as f64;
            let quarter = match (south, west) {
                (true, true) => "south-west",
                (true, false) => "south-east",
                (false, true) => "north-west",
                (false, false) => "north-east",
            };
            assert!(share > 0.08, "{share:.2} of the driving in the {quarter}");
        }
        let span = |v: &dyn Fn(&(f64, f64)) -> f64| {
            let (lo, hi) = moving
                .iter()
                .map(v)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), x| {
                    (l.min(x), h.max(x))
                });
            hi - lo
        };
        assert!(span(&|p| p.0) > 0.8 * (e - w), "east-west spread");
        assert!(span(&|p| p.1) > 0.8 * (n - s), "north-south spread");
    }
}
