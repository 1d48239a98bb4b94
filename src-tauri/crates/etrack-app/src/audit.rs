//! The local audit log: every command sent to a device (and every account blocked or unblocked),
//! one JSON object per line in `audit.jsonl` in the app's data dir.
//!
//! Lines are only ever appended, so a crash loses at most the line being written and an older
//! entry is never rewritten. A line that cannot be read (a torn write) is skipped, not fatal.

use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use ts_rs::TS;

/// The file name of the log in the app's data dir.
pub const AUDIT_FILE: &str = "audit.jsonl";

/// How a recorded action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum AuditOutcome {
    /// The device answered (its reply is in `reply`).
    Replied,
    /// Sent, but no reply within the polls allowed; the device may still act later.
    TimedOut,
    /// The provider refused the action; nothing was done (the reason is in `reply`).
    Refused,
    /// The provider's answer was lost (network, server error): it may or may not have been sent.
    /// It is never re-sent automatically.
    Unknown,
    /// An account action the provider accepted.
    Done,
}

impl AuditOutcome {
    /// Words for the table and the CSV.
    pub fn words(self) -> &'static str {
        match self {
            AuditOutcome::Replied => "Device replied",
            AuditOutcome::TimedOut => "No reply in time",
            AuditOutcome::Refused => "Refused by the provider",
            AuditOutcome::Unknown => "Unknown (no answer from the provider)",
            AuditOutcome::Done => "Done",
        }
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// When the action ended, unix milliseconds.
    pub time: i64,
    /// The signed-in account that sent it.
    pub account: String,
    /// The provider's base URL (demo entries are told apart by it).
    pub provider_url: String,
    /// The vehicle ("name · plate") or, for account actions, "account NAME".
    pub target: String,
    /// The device's IMEI ("" for account actions).
    pub imei: String,
    /// What was done, in words ("Stop engine", "Block account").
    pub action: String,
    /// What was sent on the wire ("RELAY,1", "block").
    pub command: String,
    /// The provider's command id ("" when none was received).
    pub command_id: String,
    /// How it ended.
    pub outcome: AuditOutcome,
    /// The device's reply, or the reason of a refusal or failure.
    pub reply: String,
    /// Whether the user stopped waiting before the end (the reply was still recorded).
    pub stopped_waiting: bool,
}

/// The log file, with appends serialised inside this process.
pub struct AuditLog {
    path: PathBuf,
    lock: Mutex<()>,
}

impl AuditLog {
    /// The log at `dir/audit.jsonl` (created on the first append).
    pub fn in_dir(dir: &Path) -> Self {
        Self {
            path: dir.join(AUDIT_FILE),
            lock: Mutex::new(()),
        }
    }

    /// Where the log is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one entry as a line.
    pub fn append(&self, entry: &AuditEntry) -> std::io::Result<()> {
        let mut line = serde_json::to_string(entry).map_err(std::io::Error::other)?;
        line.push('\n');
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        // One write of the whole line: concurrent appenders never interleave inside a line.
        f.write_all(line.as_bytes())?;
        f.flush()
    }

    /// The latest `n` readable entries, oldest first, read from the end of the file (a log of
    /// years is not read whole to show its last page), and whether older ones exist.
    pub fn read_latest(&self, n: usize) -> std::io::Result<(Vec<AuditEntry>, bool)> {
        use std::io::{Read, Seek, SeekFrom};
        let mut f = match std::fs::File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), false)),
            Err(e) => return Err(e),
        };
        let mut pos = f.seek(SeekFrom::End(0))?;
        let mut tail: Vec<u8> = Vec::new();
        const BLOCK: u64 = 64 * 1024;
        // Enough lines for `n` entries (plus the one cut at the front), or the whole file.
        while pos > 0 && tail.iter().filter(|b| **b == b'\n').count() <= n + 1 {
            let step = BLOCK.min(pos);
            pos -= step;
            f.seek(SeekFrom::Start(pos))?;
            let mut block = vec![0u8; usize::try_from(step).unwrap_or(0)];
            f.read_exact(&mut block)?;
            block.extend_from_slice(&tail);
            tail = block;
        }
        let text = String::from_utf8_lossy(&tail);
        let mut lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        if pos > 0 && !lines.is_empty() {
            // The first line may start before the block read.
            lines.remove(0);
        }
        let more = pos > 0 || lines.len() > n;
        let start = lines.len().saturating_sub(n);
        let entries = lines[start..]
            .iter()
            .filter_map(|l| match serde_json::from_str(l) {
                Ok(e) => Some(e),
                Err(e) => {
                    tracing::warn!("skipping an unreadable audit line: {e}");
                    None
                }
            })
            .collect();
        Ok((entries, more))
    }

    /// Every readable entry, oldest first (the CSV export). No file yet is an empty log.
    pub fn read(&self) -> std::io::Result<Vec<AuditEntry>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        Ok(text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| match serde_json::from_str(l) {
                Ok(e) => Some(e),
                Err(e) => {
                    tracing::warn!("skipping an unreadable audit line: {e}");
                    None
                }
            })
            .collect())
    }
}

/// The latest entries of the log, as the command log view shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditPage {
    /// Oldest first.
    pub entries: Vec<AuditEntry>,
    /// Older entries exist (they are in the CSV export).
    pub more: bool,
}

/// The entries as CSV (RFC 4180, UTC ISO-8601 times), with a header row.
pub fn to_csv(entries: &[AuditEntry]) -> String {
    let mut out = String::from(
        "Time (UTC),Account,Provider,Target,IMEI,Action,Command,Command ID,Outcome,Reply,Stopped waiting\r\n",
    );
    for e in entries {
        let fields = [
            etrack::export::rfc3339(e.time.div_euclid(1000)),
            e.account.clone(),
            e.provider_url.clone(),
            e.target.clone(),
            e.imei.clone(),
            e.action.clone(),
            e.command.clone(),
            e.command_id.clone(),
            e.outcome.words().to_owned(),
            e.reply.clone(),
            if e.stopped_waiting { "yes" } else { "no" }.to_owned(),
        ];
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

pub use etrack::export::csv_field;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn entry(reply: &str) -> AuditEntry {
        AuditEntry {
            time: 1_714_737_605_000,
            account: "demo".into(),
            provider_url: "http://127.0.0.1:1".into(),
            target: "Taxi 1 · 粤B12345".into(),
            imei: "358899051025339".into(),
            action: "Stop engine".into(),
            command: "RELAY,1".into(),
            command_id: "1B454".into(),
            outcome: AuditOutcome::Replied,
            reply: reply.into(),
            stopped_waiting: false,
        }
    }

    #[test]
    fn the_latest_page_is_read_from_the_end_of_a_long_log() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::in_dir(dir.path());
        assert_eq!(log.read_latest(10).unwrap(), (Vec::new(), false));
        for i in 0..3000 {
            log.append(&entry(&format!("reply {i}"))).unwrap();
        }
        let (page, more) = log.read_latest(500).unwrap();
        assert!(more);
        assert_eq!(page.len(), 500);
        assert_eq!(page[0].reply, "reply 2500");
        assert_eq!(page[499].reply, "reply 2999");
        let (all, more) = log.read_latest(5000).unwrap();
        assert!(!more);
        assert_eq!(all.len(), 3000);
        assert_eq!(all, log.read().unwrap());
    }

    #[test]
    fn appended_lines_read_back_and_torn_lines_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::in_dir(&dir.path().join("nested"));
        assert!(log.read().unwrap().is_empty(), "no file is an empty log");
        log.append(&entry("Cut off the fuel supply: Success!"))
            .unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .unwrap()
            .write_all(b"{\"time\": 1, \"acc")
            .unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .unwrap()
            .write_all(b"\n")
            .unwrap();
        log.append(&entry("second")).unwrap();
        let read = log.read().unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].reply, "Cut off the fuel supply: Success!");
        assert_eq!(read[1].reply, "second");
        let text = std::fs::read_to_string(log.path()).unwrap();
        assert!(text
            .lines()
            .next()
            .unwrap()
            .contains("\"commandId\":\"1B454\""));
    }

    #[test]
    fn csv_has_a_header_quotes_and_defuses_formulas() {
        let csv = to_csv(&[entry("Done, \"ok\"\nnext"), entry("=HYPERLINK(1)")]);
        let mut lines = csv.split("\r\n");
        assert!(lines.next().unwrap().starts_with("Time (UTC),Account,"));
        assert!(csv.contains(
            "\r\n2024-05-03T12:00:05Z,demo,http://127.0.0.1:1,Taxi 1 · 粤B12345,358899051025339,Stop engine,\"RELAY,1\","
        ));
        assert!(csv.contains(",\"RELAY,1\",1B454,Device replied,\"Done, \"\"ok\"\"\nnext\",no\r\n"));
        assert!(csv.contains(",'=HYPERLINK(1),no\r\n"));
    }
}
