//! `etrack report KIND`: the desktop app's fleet reports (`etrack_app::reports`), the same code
//! and the same figures, as a table, CSV, JSON or an Excel workbook.
//!
//! Outside `--demo`, the history is read through the app's stored history for the account (in
//! the app's data dir, `$ETRACK_DATA_DIR` to change it), so a period the app or an earlier run
//! fetched is not asked again; the geofence report uses the geofences the app recorded.

use super::json_failure;
use crate::args::{Global, RangeArgs, ReportArgs, ReportOutput};
use crate::failure::Failure;
use crate::output::table;
use crate::session::{Session, Target};
use etrack_app::error::{AppError, ErrorKind};
use etrack_app::geofences::{GeofenceStore, Owner};
use etrack_app::history::{HistoryStore, DEFAULT_LIMIT_BYTES};
use etrack_app::reports::export;
use etrack_app::reports::zone::Zone;
use etrack_app::reports::{self, table as columns, ReportEnv, ReportKind, ReportRequest};
use std::collections::HashMap;
use std::io::IsTerminal;
use tokio_util::sync::CancellationToken;

fn app_failure(e: AppError) -> Failure {
    match e.kind() {
        ErrorKind::Validation => Failure::Usage(e.to_string()),
        _ => Failure::Other(e.to_string()),
    }
}

/// Whose records (stored history, geofences) in the app's data dir: the provider as the app
/// names it (`demo` for the built-in one) and the account.
fn owner(g: &Global) -> Option<Owner> {
    if g.demo {
        return Some(Owner {
            account: etrack_sim::DEMO_ACCOUNT.to_owned(),
            provider: "demo".to_owned(),
        });
    }
    let target = Target::from_args(g).ok()?;
    Some(Owner {
        account: target.account.trim().to_owned(),
        provider: etrack_app::settings::normalize_provider_url(&target.base_url).ok()?,
    })
}

/// Runs the report and writes it.
pub async fn run(g: &Global, kind: ReportKind, a: ReportArgs) -> Result<String, Failure> {
    let RangeArgs { from, to } = a.range;
    let zone = Zone::parse(&a.tz).map_err(app_failure)?;
    if a.format == ReportOutput::Xlsx && a.output.is_none() {
        return Err(Failure::usage(
            "--format xlsx writes a file: give it with --output FILE",
        ));
    }
    let mut request = ReportRequest {
        request_id: 1,
        kind,
        imeis: a.imeis.iter().map(|i| i.as_str().to_owned()).collect(),
        begin: from,
        end: to,
        time_zone: a.tz.clone(),
        min_stop_secs: a.min_stop,
        min_idle_secs: a.min_idle,
        speed_limit_kmh: a.speed_limit,
        min_speeding_secs: a.min_speeding,
    };
    // Refused before anything is sent: a bad period, zone or speed limit.
    reports::run::period(from, to).map_err(app_failure)?;
    reports::run::rules(&request, Vec::new()).map_err(app_failure)?;

    let owner = owner(g);
    let data_dir = etrack_app::launch::shared_data_dir();
    let circles = match (&owner, &data_dir) {
        (Some(owner), Some(dir)) => {
            reports::circles(&GeofenceStore::open(dir).list(owner).geofences)
        }
        _ => Vec::new(),
    };
    if kind == ReportKind::Geofences && circles.is_empty() {
        return Err(Failure::usage(
            "no geofence is recorded for this account: draw one in the desktop app first",
        ));
    }
    let store = match (&owner, &data_dir, g.demo) {
        (Some(owner), Some(dir), false) => {
            let path = etrack_app::history::path_for(dir, &owner.provider, &owner.account);
            match HistoryStore::open_async(&path, DEFAULT_LIMIT_BYTES).await {
                Ok(store) => Some(store),
                Err(e) => {
                    tracing::warn!("the stored history cannot be used: {e}");
                    None
                }
            }
        }
        _ => None,
    };

    let session = Session::open(g).await?;
    let client = session.client.clone();
    let outcome = async {
        let devices = client.device_list(None).await?;
        if a.all {
            request.imeis = devices.iter().map(|d| d.imei.clone()).collect();
        }
        let names: HashMap<String, String> = devices
            .into_iter()
            .map(|d| (d.imei, d.devicename))
            .collect();
        let watching = std::io::stderr().is_terminal();
        let progress = move |p: reports::ReportProgress| {
            if watching {
                eprint!(
                    "\rreport: {}/{} vehicles, {} requests   ",
                    p.vehicles_done, p.vehicles_total, p.requests
                );
            }
        };
        let env = ReportEnv {
            client: &client,
            store: store.as_ref(),
            now: now(),
            names: &names,
            circles,
            cancel: CancellationToken::new(),
            progress: &progress,
        };
        let result = reports::run(&env, &request).await.map_err(app_failure);
        if watching {
            eprint!("\r\x1b[2K");
        }
        result
    }
    .await;
    let outcome = outcome.map_err(|e| session.explain(e));
    session.close();
    let result = outcome?;

    let headers = columns::english(kind);
    let body: Vec<u8> = match a.format {
        ReportOutput::Table => {
            let names: Vec<&str> = headers.iter().map(String::as_str).collect();
            table::render(&names, &export::texts(&result, &zone, None)).into_bytes()
        }
        ReportOutput::Csv => export::csv(&result, &zone, &headers, None).into_bytes(),
        ReportOutput::Json => {
            let mut text = serde_json::to_string_pretty(&result).map_err(json_failure)?;
            text.push('\n');
            text.into_bytes()
        }
        ReportOutput::Xlsx => export::xlsx(&result, &zone, &headers, None).map_err(app_failure)?,
    };
    let out = match &a.output {
        Some(path) => {
            std::fs::write(path, &body)
                .map_err(|e| Failure::Other(format!("cannot write {}: {e}", path.display())))?;
            String::new()
        }
        None => String::from_utf8_lossy(&body).into_owned(),
    };
    match result.error {
        // The rows of the other vehicles are written; the run still fails, saying why.
        Some(e) => {
            print!("{out}");
            Err(Failure::Other(format!(
                "the report is incomplete: {}",
                e.message
            )))
        }
        None => Ok(out),
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
