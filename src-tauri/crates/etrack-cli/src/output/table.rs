//! Aligned text tables for people. Times are UTC; scripts should use `--format json`.

use crate::timespec::table_time;
use etrack::{Device, Track, UserInfo};

/// Left-aligned columns separated by two spaces, a header line first.
pub fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let mut out = String::new();
    let header: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            let width = widths.get(i).copied().unwrap_or(0);
            let pad = width.saturating_sub(cell.chars().count());
            line.extend(std::iter::repeat_n(' ', pad));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `-` for an empty cell, so columns stay readable.
fn text(s: &str) -> String {
    if s.trim().is_empty() {
        "-".to_owned()
    } else {
        s.to_owned()
    }
}

/// The spec's `datastatus` in words.
pub fn data_status(code: i64) -> &'static str {
    match code {
        1 => "never online",
        2 => "online",
        3 => "expired",
        4 => "offline",
        5 => "blocked",
        _ => "unknown",
    }
}

fn acc(code: i64) -> &'static str {
    match code {
        1 => "on",
        0 => "off",
        _ => "-",
    }
}

fn known(v: i64) -> String {
    if v < 0 {
        "-".to_owned()
    } else {
        v.to_string()
    }
}

/// Devices (spec 2.7 / 2.12).
pub fn devices(devices: &[Device]) -> String {
    let rows: Vec<Vec<String>> = devices
        .iter()
        .map(|d| {
            vec![
                d.imei.clone(),
                text(&d.devicename),
                text(&d.devicetype),
                text(&d.platenumber),
                text(&d.simcard),
                table_time(d.activatedtime),
                table_time(d.platformduetime),
                table_time(d.userduetime),
            ]
        })
        .collect();
    render(
        &[
            "IMEI",
            "NAME",
            "TYPE",
            "PLATE",
            "SIM",
            "ACTIVATED (UTC)",
            "PLATFORM DUE (UTC)",
            "USER DUE (UTC)",
        ],
        &rows,
    )
}

/// Latest positions (spec 2.2).
pub fn tracks(tracks: &[Track]) -> String {
    let rows: Vec<Vec<String>> = tracks
        .iter()
        .map(|t| {
            vec![
                t.imei.clone(),
                data_status(t.datastatus).to_owned(),
                table_time(t.gpstime),
                format!("{:.6}", t.longitude),
                format!("{:.6}", t.latitude),
                t.speed.to_string(),
                t.course.to_string(),
                acc(t.accstatus).to_owned(),
                known(t.battery),
            ]
        })
        .collect();
    render(
        &[
            "IMEI",
            "STATUS",
            "GPS TIME (UTC)",
            "LONGITUDE",
            "LATITUDE",
            "KM/H",
            "COURSE",
            "ACC",
            "BATTERY",
        ],
        &rows,
    )
}

/// Accounts (spec 2.11 / 2.15).
pub fn users(users: &[UserInfo]) -> String {
    let rows: Vec<Vec<String>> = users
        .iter()
        .map(|u| {
            vec![
                u.account.clone(),
                text(&u.username),
                u.role_words().to_owned(),
                if u.is_blocked() { "yes" } else { "no" }.to_owned(),
                text(&u.email),
                text(&u.mobile),
                table_time(u.createtime),
            ]
        })
        .collect();
    render(
        &[
            "ACCOUNT",
            "NAME",
            "ROLE",
            "BLOCKED",
            "EMAIL",
            "MOBILE",
            "CREATED (UTC)",
        ],
        &rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_aligned_and_lines_not_padded_at_the_end() {
        let t = render(
            &["A", "LONG HEADER", "C"],
            &[
                vec!["wide cell".into(), "x".into(), "".into()],
                vec!["y".into(), "z".into(), "end".into()],
            ],
        );
        assert_eq!(
            t,
            "A          LONG HEADER  C\n\
             wide cell  x\n\
             y          z            end\n"
        );
    }

    #[test]
    fn an_empty_table_is_its_header() {
        assert_eq!(render(&["IMEI", "NAME"], &[]), "IMEI  NAME\n");
    }

    #[test]
    fn track_rows_read_in_words() {
        let t: Track = serde_json::from_str(
            r#"{"imei":"358899051025339","gpstime":1714550400,"longitude":113.909813,
            "latitude":22.583197,"speed":54,"course":195,"accstatus":1,"datastatus":4}"#,
        )
        .unwrap_or_else(|e| panic!("decode: {e}"));
        let out = tracks(&[t]);
        let row = out.lines().nth(1).unwrap_or_default();
        for part in [
            "358899051025339",
            "offline",
            "2024-05-01 08:00:00",
            "113.909813",
            "22.583197",
            "54",
            "on",
        ] {
            assert!(row.contains(part), "{part} missing in {row:?}");
        }
        // battery absent -> -1 -> shown as "-"
        assert!(row.trim_end().ends_with('-'), "{row:?}");
    }

    #[test]
    fn user_rows_name_role_and_block_state() {
        let u = UserInfo {
            account: "demo-east".into(),
            username: "East depot".into(),
            email: String::new(),
            mobile: String::new(),
            telephone: String::new(),
            createtime: 0,
            roletype: 2,
            blockstatus: 0,
        };
        let out = users(&[u]);
        let row = out.lines().nth(1).unwrap_or_default();
        assert!(
            row.starts_with("demo-east  East depot  End user  yes"),
            "{row:?}"
        );
    }
}
