//! Runs the built `etrack` binary against an `etrack-sim` served over loopback HTTP.
#![allow(clippy::unwrap_used, dead_code)]

use etrack_sim::{SimConfig, SimHandle};
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

/// A simulated provider on its own runtime, so tests can stay synchronous and run the CLI as a
/// child process while the server keeps serving.
pub struct Sim {
    pub handle: SimHandle,
    _rt: tokio::runtime::Runtime,
}

impl Sim {
    pub fn start() -> Self {
        Self::with(SimConfig::default())
    }

    pub fn with(config: SimConfig) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let handle = rt.block_on(etrack_sim::spawn(config)).expect("sim starts");
        Self { handle, _rt: rt }
    }

    pub fn url(&self) -> String {
        self.handle.base_url()
    }

    /// `etrack --base-url SIM --account demo ARGS...` with the demo password in the environment.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut full = vec![
            "--base-url",
            "PLACEHOLDER",
            "--account",
            etrack_sim::DEMO_ACCOUNT,
        ];
        let url = self.url();
        full[1] = &url;
        full.extend_from_slice(args);
        run_with(&full, &[("ETRACK_PASSWORD", etrack_sim::DEMO_PASSWORD)])
    }

    /// Paths of the requests the sim received, in order.
    pub fn paths(&self) -> Vec<String> {
        self.handle
            .request_log()
            .into_iter()
            .map(|r| r.path)
            .collect()
    }

    /// The first device that is online, from the CLI's own `track` output.
    pub fn online_imei(&self) -> String {
        let imeis = self.handle.imeis();
        let mut args = vec!["track", "--format", "json"];
        args.extend(imeis.iter().map(String::as_str));
        let r = self.run(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .find(|t| t["datastatus"] == 2)
            .map(|t| t["imei"].as_str().unwrap().to_owned())
            .expect("an online device in the demo fleet")
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.handle.shutdown();
    }
}

/// What a run of the CLI left.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary with no terminal on stdin and none of the caller's ETRACK_* settings.
pub fn run_with(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_etrack"));
    cmd.args(args)
        .stdin(Stdio::null())
        .env_remove("ETRACK_PASSWORD")
        .env_remove("ETRACK_ACCOUNT")
        .env_remove("ETRACK_BASE_URL")
        .env_remove("RUST_LOG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the etrack binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The last full half hour before now.
pub fn aligned_now() -> i64 {
    now() / 1800 * 1800
}
