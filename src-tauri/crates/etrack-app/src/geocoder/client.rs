//! One reverse-geocoding request and its answer.

use super::cache::PlaceKey;
use super::DECIMALS;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The fields of a Nominatim `jsonv2` answer that are read.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Answer {
    /// The whole address, in the language asked for.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Its parts (`road`, `house_number`, `city`, …).
    #[serde(default)]
    pub address: BTreeMap<String, serde_json::Value>,
    /// Set when the service knows no address there ("Unable to geocode").
    #[serde(default)]
    pub error: Option<serde_json::Value>,
}

/// The request URL for a place: `<url>/reverse?format=jsonv2&lat=..&lon=..` (a URL already
/// ending in `/reverse` is used as it is).
pub fn reverse_url(base: &str, lat: f64, lon: f64) -> Result<url::Url, String> {
    let base = base.trim().trim_end_matches('/');
    let full = if base.ends_with("/reverse") {
        base.to_owned()
    } else {
        format!("{base}/reverse")
    };
    let mut u = url::Url::parse(&full).map_err(|e| format!("bad geocoder URL: {e}"))?;
    let digits = usize::try_from(DECIMALS).unwrap_or(4);
    u.query_pairs_mut()
        .append_pair("format", "jsonv2")
        .append_pair("lat", &format!("{lat:.digits$}"))
        .append_pair("lon", &format!("{lon:.digits$}"));
    Ok(u)
}

/// The address of an answer's body: `Ok(None)` when the service knows none there, `Err` when
/// the body is not an answer at all.
pub fn parse_answer(body: &[u8]) -> Result<Option<String>, String> {
    let answer: Answer =
        serde_json::from_slice(body).map_err(|e| format!("not a geocoder answer: {e}"))?;
    if answer.error.is_some() {
        return Ok(None);
    }
    if let Some(name) = answer.display_name.map(|s| s.trim().to_owned()) {
        if !name.is_empty() {
            return Ok(Some(name));
        }
    }
    // No display name: the street and the place, from the parts.
    let part = |k: &str| {
        answer
            .address
            .get(k)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let street = match (part("road"), part("house_number")) {
        (Some(road), Some(n)) => Some(format!("{n} {road}")),
        (road, _) => road,
    };
    let place = ["city", "town", "village", "suburb", "county"]
        .iter()
        .find_map(|k| part(k));
    let parts: Vec<String> = [street, place].into_iter().flatten().collect();
    Ok((!parts.is_empty()).then(|| parts.join(", ")))
}

/// Asks the service for `key`'s place.
pub async fn reverse(
    client: &reqwest::Client,
    base: &str,
    lang: &str,
    key: &PlaceKey,
) -> Result<Option<String>, String> {
    let scale = 10f64.powi(DECIMALS);
    let url = reverse_url(base, key.lat as f64 / scale, key.lon as f64 / scale)?;
    let mut req = client.get(url).header("Accept", "application/json");
    if !lang.is_empty() {
        req = req.header("Accept-Language", lang);
    }
    let resp = req.send().await.map_err(|e| e.to_string())?;
    let status = resp.status();
    if status.as_u16() == 429 || status.is_server_error() {
        return Err(format!("HTTP {status}"));
    }
    if !status.is_success() {
        // 400 and the like: the service has no answer for this place.
        return Ok(None);
    }
    let body = resp.bytes().await.map_err(|e| e.to_string())?;
    parse_answer(&body)
}
