#!/usr/bin/env bash
# Usage: scripts/e2e.sh [TEST FILES...]
#
# End-to-end tests of the REAL built app (target/debug/etrack-desktop, built by scripts/test.sh).
# Each test file (default: tests/e2e/*.e2e.mjs) runs with Node's test runner in its own world, so
# no file sees what another left behind (remembered accounts, keychain entries, settings): a
# throwaway HOME, a D-Bus session with an unlocked gnome-keyring (the app's keychain), a private X
# server (Xvfb) and tauri-driver (which launches the app through WebKitWebDriver). Everything
# started here is stopped by PID when the file is done. Every file runs, even after a failure; the
# exit status is 0 only when all passed.
# Output: test-output/e2e/ (or $E2E_OUTPUT): <file>/NN-step.png screenshots, junit-<file>.xml,
# logs/<file>/. ETRACK_APP picks another app binary (an installed one); E2E_HOME=DIR keeps each
# file's home in DIR/<file>/ instead of a throwaway one. E2E_LANG=zh-CN (a BCP 47 tag) runs the app
# with that system language (LANGUAGE, which WebKit reads for navigator.languages) and writes the
# output to test-output/e2e-<tag>/ unless E2E_OUTPUT says otherwise.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

E2E_LANG="${E2E_LANG:-en}"
export E2E_LANG
if [ "$E2E_LANG" = en ]; then
  OUT="${E2E_OUTPUT:-$ROOT/test-output/e2e}"
else
  OUT="${E2E_OUTPUT:-$ROOT/test-output/e2e-$E2E_LANG}"
fi

if [ "${1:-}" != --inner ]; then
  export ETRACK_APP="${ETRACK_APP:-$ROOT/target/debug/etrack-desktop}"
  export ETRACK_SIM_BIN="${ETRACK_SIM_BIN:-$ROOT/target/debug/etrack-sim}"
  if [ -z "${TAURI_DRIVER:-}" ]; then
    if [ -x "$ROOT/target/tools/bin/tauri-driver" ]; then
      TAURI_DRIVER="$ROOT/target/tools/bin/tauri-driver"
    else
      TAURI_DRIVER="$(command -v tauri-driver || true)"
    fi
  fi
  export TAURI_DRIVER
  problems=()
  [ -x "$ETRACK_APP" ] || problems+=("no app binary at $ETRACK_APP (npm run build && cargo build -p etrack-desktop)")
  [ -x "$ETRACK_SIM_BIN" ] || problems+=("no etrack-sim at $ETRACK_SIM_BIN (cargo build -p etrack-sim)")
  [ -n "$TAURI_DRIVER" ] && [ -x "$TAURI_DRIVER" ] ||
    problems+=("no tauri-driver (cargo install tauri-driver --locked --root target/tools)")
  command -v WebKitWebDriver >/dev/null 2>&1 || problems+=("no WebKitWebDriver (apt package webkit2gtk-driver)")
  command -v Xvfb >/dev/null 2>&1 || problems+=("no Xvfb (apt package xvfb)")
  if [ ${#problems[@]} -gt 0 ]; then
    printf 'e2e: cannot run:\n' >&2
    printf '  - %s\n' "${problems[@]}" >&2
    exit 1
  fi
  mkdir -p "$OUT/logs"
  if [ $# -eq 0 ]; then
    set -- tests/e2e/*.e2e.mjs
  fi
  results=()
  failed=0
  for file in "$@"; do
    name="$(basename "$file" .mjs)"
    name="${name%.e2e}"
    # Only this file's output is replaced: its screenshots live in $OUT/<name>/.
    rm -rf "${OUT:?}/$name" "$OUT/logs/$name" "$OUT/junit-$name.xml"
    printf '\n---- e2e: %s ----\n' "$file"
    # E2E_HOME keeps the app's home (its settings and data) after the run, for a caller to inspect.
    home_args=()
    if [ -n "${E2E_HOME:-}" ]; then
      home_args=(--home "$E2E_HOME/$name")
    fi
    if bash "$ROOT/scripts/with-keyring.sh" "${home_args[@]}" bash "${BASH_SOURCE[0]}" --inner "$name" "$file"; then
      results+=("passed  $file")
    else
      results+=("FAILED  $file")
      failed=1
    fi
  done
  shopt -s nullglob globstar
  shots=("$OUT"/**/*.png)
  echo
  echo "e2e results (screenshots: ${#shots[@]} in ${OUT#"$ROOT"/}/, logs in ${OUT#"$ROOT"/}/logs/):"
  printf '  %s\n' "${results[@]}"
  exit "$failed"
fi
shift
name="$1"
shift

# Inside with-keyring.sh: HOME and the XDG dirs are a throwaway dir, the session bus and keyring run.
pids=()
driver_pgid=""
cleanup() {
  local i
  # Reverse order: the driver (and the app it launched) before the X server.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[$i]}" 2>/dev/null || true
  done
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    wait "${pids[$i]}" 2>/dev/null || true
  done
  # tauri-driver stops WebKitWebDriver itself; an app left running by an aborted test is in the
  # same process group (started with setsid below), so sweep that group by its id.
  if [ -n "$driver_pgid" ]; then
    kill -KILL -- "-$driver_pgid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

# X server on the first free display; -displayfd reports the number once it accepts clients.
display_file="$XDG_RUNTIME_DIR/xvfb-display"
: >"$display_file"
LOGS="$OUT/logs/$name"
mkdir -p "$LOGS"
export E2E_LOG_DIR="$LOGS"
Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp -nolisten unix-abstract 3>"$display_file" \
  >"$LOGS/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  [ -s "$display_file" ] && break
  kill -0 "${pids[0]}" 2>/dev/null || {
    cat "$LOGS/xvfb.log" >&2
    echo "e2e: Xvfb exited" >&2
    exit 1
  }
  sleep 0.1
done
[ -s "$display_file" ] || {
  echo "e2e: Xvfb did not start in 10 s" >&2
  exit 1
}
export DISPLAY=":$(tr -d '[:space:]' <"$display_file")"

# The quiet update check at start asks only the loopback (nothing listens on port 9, the refusal is
# instant): the tests send nothing off this machine. updates.e2e.mjs starts the app with its own
# local update server instead. E2e builds only read this variable.
export ETRACK_UPDATE_ENDPOINT="${ETRACK_UPDATE_ENDPOINT:-http://127.0.0.1:9/latest.json}"

# The system language the app follows ("system" is its default). WebKitGTK reads it from the C
# library's locale (LANG), which must exist on the machine (scripts/test.sh generates zh_CN.UTF-8);
# GTK's simple input method keeps typed capitals under a Chinese locale (XIM lowercases them).
if [ "$E2E_LANG" = en ]; then
  export LANGUAGE=en
else
  posix_lang="${E2E_LANG//-/_}"
  if ! locale -a 2>/dev/null | grep -qix "${posix_lang}.utf8"; then
    echo "e2e: the locale ${posix_lang}.UTF-8 is missing (localedef -i ${posix_lang} -f UTF-8 ${posix_lang}.UTF-8)" >&2
    exit 1
  fi
  export LANG="${posix_lang}.UTF-8" LANGUAGE="$posix_lang" LC_ALL= GTK_IM_MODULE=gtk-im-context-simple
fi

# Two free loopback ports for tauri-driver and the WebKitWebDriver behind it.
read -r driver_port native_port < <(node -e '
  const net = require("node:net");
  const free = () => new Promise((ok) => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => ok(p)); }); });
  Promise.all([free(), free()]).then(([a, b]) => console.log(a, b));')
setsid "$TAURI_DRIVER" --port "$driver_port" --native-port "$native_port" >"$LOGS/tauri-driver.log" 2>&1 &
pids+=($!)
driver_pgid=$!
export E2E_DRIVER_URL="http://127.0.0.1:$driver_port"

# WebKitWebDriver drops the app's stdout and stderr: the app is started through a wrapper that
# appends them (its log, WebKit's and GLib's messages, a web process that went away) to
# logs/<file>/app.log, across the restarts a test file makes.
real_app="$ETRACK_APP"
export ETRACK_REAL_APP="$real_app"
export ETRACK_APP="$LOGS/etrack-desktop"
cat >"$ETRACK_APP" <<WRAPPER
#!/bin/sh
echo "---- \$(date -u +%FT%TZ) \$*" >>"$LOGS/app.log"
exec "$real_app" "\$@" >>"$LOGS/app.log" 2>&1
WRAPPER
chmod +x "$ETRACK_APP"
export E2E_OUTPUT="$OUT"

echo "e2e: DISPLAY=$DISPLAY, language $E2E_LANG, tauri-driver on $E2E_DRIVER_URL, app $real_app, HOME=$HOME"
set +e
node --test \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=junit --test-reporter-destination="$OUT/junit-$name.xml" \
  "$@"
status=$?
set -e
# The app's own output (its tracing log, WebKit's messages) reaches tauri-driver's log through
# WebKitWebDriver; a web process that crashed shows in the kernel's log, kept when readable.
if [ "$status" -ne 0 ] && dmesg >/dev/null 2>&1; then
  dmesg | tail -n 50 >"$LOGS/kernel.log" || true
fi
exit "$status"
