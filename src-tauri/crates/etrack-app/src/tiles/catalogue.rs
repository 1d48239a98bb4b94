//! The basemaps: the built-in layers and the user's custom ones, and how a layer's URL template
//! becomes one tile's URL.

use crate::settings::{CustomBasemap, Datum, Settings};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How tile rows are numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YOrder {
    /// Row 0 at the top (OpenStreetMap, Google, AutoNavi): `{y}`.
    Xyz,
    /// Row 0 at the bottom (TMS, Tencent): `{-y}`, that is 2^z − 1 − y.
    Tms,
}

/// A basemap as the UI lists it. The UI draws it from `etrack-tile://localhost/<id>/{z}/{x}/{y}`:
/// it never needs the upstream URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Basemap {
    /// `"osm"`, `"satellite"`, …, or a custom map's `"custom-…"`.
    pub id: String,
    /// The name shown (English for the built-in layers).
    pub name: String,
    /// Attribution shown with the tiles.
    pub attribution: String,
    /// The deepest zoom with tiles.
    pub max_zoom: u8,
    /// The datum the tiles are drawn in: positions are shifted to it before they are drawn.
    pub datum: Datum,
    /// Part of the app (not one of the user's custom maps).
    pub built_in: bool,
}

/// A tile source: a built-in layer or a custom one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layer {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The URL template: `{z}`, `{x}`, `{y}` or `{-y}`, optionally `{s}` (and Leaflet's `{r}`,
    /// left empty).
    pub url: String,
    /// One subdomain per character for `{s}`.
    pub subdomains: String,
    /// Attribution shown with the tiles.
    pub attribution: String,
    /// The deepest zoom with tiles.
    pub max_zoom: u8,
    /// The datum the tiles are drawn in.
    pub datum: Datum,
    /// Part of the app.
    pub built_in: bool,
}

struct BuiltIn {
    id: &'static str,
    name: &'static str,
    url: &'static str,
    subdomains: &'static str,
    attribution: &'static str,
    max_zoom: u8,
    datum: Datum,
}

const OSM_ATTRIBUTION: &str = "© OpenStreetMap contributors";
const AUTONAVI_ATTRIBUTION: &str = "© AutoNavi (高德地图)";

const BUILT_IN: &[BuiltIn] = &[
    BuiltIn {
        id: "osm",
        name: "OpenStreetMap",
        url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        subdomains: "",
        attribution: OSM_ATTRIBUTION,
        max_zoom: 19,
        datum: Datum::Wgs84,
    },
    BuiltIn {
        id: "satellite",
        name: "Satellite (Esri World Imagery)",
        url: "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        subdomains: "",
        attribution: "Imagery © Esri, Maxar, Earthstar Geographics",
        max_zoom: 19,
        datum: Datum::Wgs84,
    },
    BuiltIn {
        id: "gaode",
        name: "AutoNavi (Gaode) streets",
        url: "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        subdomains: "1234",
        attribution: AUTONAVI_ATTRIBUTION,
        max_zoom: 18,
        datum: Datum::Gcj02,
    },
    BuiltIn {
        id: "gaode-satellite",
        name: "AutoNavi (Gaode) satellite",
        url: "https://webst0{s}.is.autonavi.com/appmaptile?style=6&x={x}&y={y}&z={z}",
        subdomains: "1234",
        attribution: AUTONAVI_ATTRIBUTION,
        max_zoom: 18,
        datum: Datum::Gcj02,
    },
    BuiltIn {
        id: "tencent",
        name: "Tencent streets",
        url: "https://rt{s}.map.gtimg.com/tile?z={z}&x={x}&y={-y}&styleid=1000&scene=0&version=347",
        subdomains: "0123",
        attribution: "© Tencent (腾讯地图)",
        max_zoom: 18,
        datum: Datum::Gcj02,
    },
];

/// Whether `id` names a built-in layer.
pub fn is_built_in(id: &str) -> bool {
    BUILT_IN.iter().any(|b| b.id == id)
}

impl From<&BuiltIn> for Layer {
    fn from(b: &BuiltIn) -> Self {
        Self {
            id: b.id.to_owned(),
            name: b.name.to_owned(),
            url: b.url.to_owned(),
            subdomains: b.subdomains.to_owned(),
            attribution: b.attribution.to_owned(),
            max_zoom: b.max_zoom,
            datum: b.datum,
            built_in: true,
        }
    }
}

impl From<&CustomBasemap> for Layer {
    fn from(c: &CustomBasemap) -> Self {
        Self {
            id: c.id.clone(),
            name: c.name.clone(),
            url: c.url.clone(),
            subdomains: c.subdomains.clone(),
            attribution: c.attribution.clone(),
            max_zoom: c.max_zoom,
            datum: c.datum,
            built_in: false,
        }
    }
}

impl Layer {
    /// How its rows are numbered (its template's `{-y}` makes it TMS).
    pub fn y_order(&self) -> YOrder {
        if self.url.contains("{-y}") {
            YOrder::Tms
        } else {
            YOrder::Xyz
        }
    }

    /// What the UI gets.
    pub fn basemap(&self) -> Basemap {
        Basemap {
            id: self.id.clone(),
            name: self.name.clone(),
            attribution: self.attribution.clone(),
            max_zoom: self.max_zoom,
            datum: self.datum,
            built_in: self.built_in,
        }
    }
}

/// Every layer: the built-in ones, then the settings' custom ones.
pub fn layers(settings: &Settings) -> Vec<Layer> {
    BUILT_IN
        .iter()
        .map(Layer::from)
        .chain(settings.custom_basemaps.iter().map(Layer::from))
        .collect()
}

/// The layer `id` in the catalogue and the settings, if there is one.
pub fn find(settings: &Settings, id: &str) -> Option<Layer> {
    if let Some(b) = BUILT_IN.iter().find(|b| b.id == id) {
        return Some(b.into());
    }
    settings
        .custom_basemaps
        .iter()
        .find(|c| c.id == id)
        .map(Layer::from)
}

/// The URL of tile `z`/`x`/`y` (XYZ numbering, row 0 at the top) of `layer`, or `None` when the
/// tile does not exist: deeper than the layer's maximum zoom, or `x`/`y` outside `0..2^z`.
pub fn tile_url(layer: &Layer, z: u8, x: u32, y: u32) -> Option<String> {
    if z > layer.max_zoom || z > 30 {
        return None;
    }
    let n = 1u64 << z;
    let (x64, y64) = (u64::from(x), u64::from(y));
    if x64 >= n || y64 >= n {
        return None;
    }
    let subdomains: Vec<char> = layer.subdomains.chars().collect();
    let mut url = layer.url.clone();
    if url.contains("{s}") {
        // Leaflet's choice, so a tile always comes from the same server (and its HTTP cache).
        let s = subdomains.get(((x64 + y64) % subdomains.len().max(1) as u64) as usize)?;
        url = url.replace("{s}", &s.to_string());
    }
    Some(
        url.replace("{z}", &z.to_string())
            .replace("{x}", &x.to_string())
            .replace("{-y}", &(n - 1 - y64).to_string())
            .replace("{y}", &y.to_string())
            .replace("{r}", ""),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built_in(id: &str) -> Layer {
        find(&Settings::default(), id).expect(id)
    }

    #[test]
    fn the_catalogue_lists_the_built_in_layers_then_the_custom_ones() {
        let s = Settings {
            custom_basemaps: vec![CustomBasemap {
                id: "custom-1".into(),
                name: "Mine".into(),
                url: "https://t.example/{z}/{x}/{y}.png".into(),
                subdomains: String::new(),
                attribution: "© Me".into(),
                max_zoom: 17,
                datum: Datum::Wgs84,
            }],
            ..Settings::default()
        };
        let ids: Vec<String> = layers(&s).into_iter().map(|l| l.id).collect();
        assert_eq!(
            ids,
            [
                "osm",
                "satellite",
                "gaode",
                "gaode-satellite",
                "tencent",
                "custom-1"
            ]
        );
        let mine = find(&s, "custom-1").expect("custom").basemap();
        assert_eq!(
            (mine.max_zoom, mine.built_in, mine.attribution.as_str()),
            (17, false, "© Me")
        );
        assert!(find(&s, "custom-2").is_none());
        assert!(find(&Settings::default(), "custom-1").is_none());
        let osm = serde_json::to_value(built_in("osm").basemap()).expect("json");
        assert_eq!(
            osm,
            serde_json::json!({
                "id": "osm", "name": "OpenStreetMap", "attribution": "© OpenStreetMap contributors",
                "maxZoom": 19, "datum": "wgs84", "builtIn": true
            })
        );
        for id in ["gaode", "gaode-satellite", "tencent"] {
            assert_eq!(built_in(id).datum, Datum::Gcj02, "{id}");
            assert_eq!(built_in(id).max_zoom, 18, "{id}");
        }
    }

    #[test]
    fn templates_expand_with_subdomains_and_tms_rows() {
        assert_eq!(
            tile_url(&built_in("osm"), 3, 4, 2).as_deref(),
            Some("https://tile.openstreetmap.org/3/4/2.png")
        );
        assert_eq!(
            tile_url(&built_in("satellite"), 3, 4, 2).as_deref(),
            Some("https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/3/2/4")
        );
        // (x + y) % 4 picks among "1234": (10 + 3) % 4 = 1 -> "2".
        assert_eq!(
            tile_url(&built_in("gaode"), 5, 10, 3).as_deref(),
            Some("https://webrd02.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x=10&y=3&z=5")
        );
        assert_eq!(
            tile_url(&built_in("gaode-satellite"), 5, 8, 4).as_deref(),
            Some("https://webst01.is.autonavi.com/appmaptile?style=6&x=8&y=4&z=5")
        );
        // TMS: row 2 of 8 (z = 3) from the top is row 5 from the bottom; (4 + 2) % 4 = 2 -> "2".
        let tencent = built_in("tencent");
        assert_eq!(tencent.y_order(), YOrder::Tms);
        assert_eq!(built_in("osm").y_order(), YOrder::Xyz);
        assert_eq!(
            tile_url(&tencent, 3, 4, 2).as_deref(),
            Some("https://rt2.map.gtimg.com/tile?z=3&x=4&y=5&styleid=1000&scene=0&version=347")
        );
        assert_eq!(
            tile_url(&tencent, 0, 0, 0).as_deref(),
            Some("https://rt0.map.gtimg.com/tile?z=0&x=0&y=0&styleid=1000&scene=0&version=347")
        );
    }

    #[test]
    fn tiles_that_do_not_exist_have_no_url() {
        let osm = built_in("osm");
        assert!(tile_url(&osm, 19, 0, 0).is_some());
        assert!(
            tile_url(&osm, 20, 0, 0).is_none(),
            "deeper than the max zoom"
        );
        assert!(tile_url(&osm, 3, 8, 0).is_none(), "x past 2^z - 1");
        assert!(tile_url(&osm, 3, 0, 8).is_none(), "y past 2^z - 1");
        assert!(tile_url(&osm, 0, 1, 0).is_none());
        assert!(tile_url(&built_in("gaode"), 19, 0, 0).is_none());
        assert!(tile_url(&osm, 255, 0, 0).is_none());
    }
}
