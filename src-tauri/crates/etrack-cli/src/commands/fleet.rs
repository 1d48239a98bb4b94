//! `etrack devices`, `etrack track`, `etrack device detail`.

use super::{empty_on_no_data, json_failure, with_session};
use crate::args::{Global, ListFormat};
use crate::failure::Failure;
use crate::output::{json, table};
use etrack::{Device, Imei};

/// The account's (or a sub-account's) devices.
pub async fn devices(
    g: &Global,
    for_account: Option<&str>,
    format: ListFormat,
) -> Result<String, Failure> {
    let list = with_session(g, |c| async move {
        Ok(empty_on_no_data(c.device_list(for_account).await)?)
    })
    .await?;
    render_devices(&list, format)
}

/// Latest positions.
pub async fn track(g: &Global, imeis: &[Imei], format: ListFormat) -> Result<String, Failure> {
    let tracks = with_session(g, |c| async move {
        Ok(empty_on_no_data(answered(c.track_each(imeis).await?))?)
    })
    .await?;
    match format {
        ListFormat::Json => json::to_json(&tracks).map_err(json_failure),
        ListFormat::Table => Ok(table::tracks(&tracks)),
    }
}

/// Registration data by IMEI.
pub async fn detail(g: &Global, imeis: &[Imei], format: ListFormat) -> Result<String, Failure> {
    let list = with_session(g, |c| async move {
        Ok(empty_on_no_data(answered(
            c.device_detail_each(imeis).await?,
        ))?)
    })
    .await?;
    render_devices(&list, format)
}

/// The devices the provider answered for; each one it refused is named on stderr (all refused:
/// the first refusal is the error).
fn answered<T>(each: etrack::ByImei<T>) -> etrack::Result<Vec<T>> {
    if !each.found.is_empty() {
        for (imei, e) in &each.refused {
            eprintln!("warning: {imei}: {e}");
        }
    }
    each.or_first_error()
}

fn render_devices(list: &[Device], format: ListFormat) -> Result<String, Failure> {
    match format {
        ListFormat::Json => json::to_json(list).map_err(json_failure),
        ListFormat::Table => Ok(table::devices(list)),
    }
}
