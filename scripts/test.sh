#!/usr/bin/env bash
# The README's second command: installs what the tests need (system packages, npm packages,
# tauri-driver), then runs every test, stopping at the first failure:
#   formatting, clippy, TypeScript typecheck, UI unit tests (vitest), Rust unit + integration
#   tests (with a real Secret Service), the UI and app build, the end-to-end tests of the real
#   app under Xvfb, the release workflows' offline checks, and the .deb/.rpm round trip (built,
#   installed with apt, started, removed; scripts/package-test.sh).
# Prints a summary of the steps at the end; the exit status is 0 only when every step passed.
# Works unattended (CI=true, no stdin). Output of the e2e tests: test-output/e2e/ (English) and
# test-output/e2e-zh-CN/ (the same suite with the system language Chinese).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

export CARGO_TERM_PROGRESS_WHEN=never
# Keeps vitest out of watch mode even on a terminal.
export CI="${CI:-true}"

ensure_tauri_driver() {
  local bin="$ROOT/target/tools/bin/tauri-driver"
  if [ -x "$bin" ]; then
    say "tauri-driver: present ($bin)"
    return 0
  fi
  say "installing tauri-driver into target/tools"
  cargo install tauri-driver --version '^2.1' --locked --root "$ROOT/target/tools"
}

# The Chinese end-to-end pass runs the app with the system language zh_CN.UTF-8: WebKitGTK takes
# navigator.languages from the C library's locale, which must exist (package `locales`).
ensure_test_locale() {
  if locale -a 2>/dev/null | grep -qix 'zh_CN.utf8'; then
    say "locale zh_CN.UTF-8: present"
    return 0
  fi
  say "generating the locale zh_CN.UTF-8 (for the Chinese end-to-end pass)"
  as_root localedef -i zh_CN -f UTF-8 zh_CN.UTF-8
}

install_everything() {
  ensure_system_packages
  ensure_test_locale
  ensure_rust
  ensure_node
  ensure_npm_packages
  ensure_tauri_driver
}

# The end-to-end tests drive a build with the `e2e` feature (the demo-only commands they read the
# simulator's request log through, and exports without a Save dialog). Every cargo step below uses
# the same features, so nothing is compiled twice.
E2E_FEATURES=(--features etrack-desktop/e2e)

# One build for the Rust tests and the e2e tests: --all-targets builds the test binaries and the
# app + sim binaries with the same features (dev-dependencies included), so `cargo test` after
# it compiles nothing and target/debug/etrack-desktop embeds the ui/dist just built.
build_rust() {
  cargo build --workspace --all-targets --locked "${E2E_FEATURES[@]}"
}

rust_tests() {
  bash "$ROOT/scripts/with-keyring.sh" cargo test --workspace --locked "${E2E_FEATURES[@]}"
}

# Clippy over the e2e build, then over the release shell alone (its cfg'd code differs; seconds).
clippy_all() {
  cargo clippy --workspace --all-targets --locked "${E2E_FEATURES[@]}" -- -D warnings
  cargo clippy -p etrack-desktop --lib --locked -- -D warnings
}

STEP_NAMES=(
  "install what the tests need"
  "cargo fmt --check"
  "workflows (check-jsonschema, zizmor)"
  "open-source notices up to date"
  "typecheck (tsc)"
  "UI unit tests (vitest)"
  "UI build (vite)"
  "clippy -D warnings"
  "Rust build (app, sim, CLI, tests)"
  "Rust tests (with Secret Service)"
  "end-to-end tests (real app, Xvfb)"
  "end-to-end tests in Chinese (zh-CN)"
  ".deb/.rpm: build, install, run, remove"
)
STEP_COMMANDS=(
  "install_everything"
  "cargo fmt --all --check"
  "bash scripts/check-workflows.sh"
  "npm run notices:check"
  "npm run typecheck"
  "npm test"
  "npm run build"
  "clippy_all"
  "build_rust"
  "rust_tests"
  "bash scripts/e2e.sh"
  "E2E_LANG=zh-CN bash scripts/e2e.sh"
  "bash scripts/package-test.sh"
)
STEP_RESULTS=()
STEP_TIMES=()
started=$SECONDS

fmt_time() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

summary() {
  local i status
  echo
  printf '%s== test summary ==%s\n' "$C_BOLD" "$C_RESET"
  for i in "${!STEP_NAMES[@]}"; do
    status="${STEP_RESULTS[$i]:-not run}"
    case "$status" in
      passed) printf '  %s%-8s%s %-40s %s\n' "$C_GREEN" "$status" "$C_RESET" "${STEP_NAMES[$i]}" "$(fmt_time "${STEP_TIMES[$i]}")" ;;
      FAILED) printf '  %s%-8s%s %-40s %s\n' "$C_RED" "$status" "$C_RESET" "${STEP_NAMES[$i]}" "$(fmt_time "${STEP_TIMES[$i]}")" ;;
      *) printf '  %-8s %s\n' "$status" "${STEP_NAMES[$i]}" ;;
    esac
  done
  printf '  total %s\n' "$(fmt_time $((SECONDS - started)))"
}

for i in "${!STEP_NAMES[@]}"; do
  printf '\n%s==== [%d/%d] %s ====%s\n' "$C_BOLD" $((i + 1)) ${#STEP_NAMES[@]} "${STEP_NAMES[$i]}" "$C_RESET"
  t0=$SECONDS
  set +e
  # Each step runs in a subshell with -e so a failing command inside a function stops the step.
  (
    set -e
    eval "${STEP_COMMANDS[$i]}"
  ) </dev/null
  status=$?
  set -e
  STEP_TIMES[i]=$((SECONDS - t0))
  if [ "$status" -eq 0 ]; then
    STEP_RESULTS[i]=passed
  else
    STEP_RESULTS[i]=FAILED
    summary
    printf '\n%sFAILED:%s %s (exit %d); later steps not run\n' "$C_RED" "$C_RESET" "${STEP_NAMES[$i]}" "$status"
    exit 1
  fi
done
summary
printf '\n%sall %d steps passed%s\n' "$C_GREEN" ${#STEP_NAMES[@]} "$C_RESET"
