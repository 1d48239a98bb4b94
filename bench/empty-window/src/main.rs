//! An empty Tauri 2 window with the same window size as etrack: what the release benchmark
//! (scripts/bench-release.sh) compares the app's start-up time and memory with.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("the empty window cannot start: {e}");
        std::process::exit(1);
    }
}
