//! `etrack-sim`: runs the simulated Open API service until Ctrl-C.

use clap::Parser;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

/// A simulated GPS-tracker Open API service on 127.0.0.1.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Port on 127.0.0.1 (0 for any free port).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Seed of the simulated fleet.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Number of vehicles (1 to 500).
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u16).range(1..=500))]
    devices: u16,
    /// Latency added to every request, milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Share of requests answered 10009 "too frequent" (0 to 1).
    #[arg(long, default_value_t = 0.0, value_parser = share)]
    too_frequent_share: f64,
    /// Share of requests answered HTTP 500 (0 to 1).
    #[arg(long, default_value_t = 0.0, value_parser = share)]
    server_error_share: f64,
    /// Lifetime of access tokens, seconds.
    #[arg(long, default_value_t = 7200)]
    token_lifetime_secs: u64,
    /// Seconds a device takes to answer a command.
    #[arg(long, default_value_t = 3)]
    command_reply_secs: u64,
}

fn share(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|e| format!("{e}"))?;
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err("must be between 0 and 1".to_owned())
    }
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let config = etrack_sim::SimConfig {
        seed: args.seed,
        devices: usize::from(args.devices),
        latency: Duration::from_millis(args.latency_ms),
        too_frequent_share: args.too_frequent_share,
        server_error_share: args.server_error_share,
        token_lifetime: Duration::from_secs(args.token_lifetime_secs),
        command_reply_delay: Duration::from_secs(args.command_reply_secs),
        ..etrack_sim::SimConfig::default()
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let sim = match etrack_sim::spawn_on(config, addr).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("etrack-sim: cannot listen on {addr}: {e}");
            std::process::exit(1);
        }
    };
    println!("etrack-sim listening on {}", sim.base_url());
    println!("account:  {}", etrack_sim::DEMO_ACCOUNT);
    println!("password: {}", etrack_sim::DEMO_PASSWORD);
    println!(
        "sub-accounts (same password): {}, {}, {} (virtual), {} (blocked)",
        etrack_sim::EAST_ACCOUNT,
        etrack_sim::WEST_ACCOUNT,
        etrack_sim::VIRTUAL_ACCOUNT,
        etrack_sim::BLOCKED_ACCOUNT
    );
    println!(
        "{} devices, seed {}; Ctrl-C to stop",
        args.devices, args.seed
    );
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("etrack-sim: cannot wait for Ctrl-C: {e}");
    }
    sim.shutdown();
}
