#!/usr/bin/env bash
# Checks the GitHub Actions workflows (.github/workflows/*.yml), offline:
#   1. check-jsonschema against its bundled GitHub workflow schema (keys, types, event names);
#   2. zizmor, the Actions security linter, with only its offline audits (template injection,
#      credentials left in checkouts, unpinned actions, permissions, cache poisoning, ...);
#      its settings, if any, are in .github/zizmor.yml.
# Both tools are installed from PyPI, at the versions below, into a virtualenv under
# target/tools/pyenv the first time (or when the versions change); later runs need no network.
# Exit status 0 only when both pass.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

CHECK_JSONSCHEMA_VERSION=0.39.0
ZIZMOR_VERSION=1.33.1

VENV="$ROOT/target/tools/pyenv"
STAMP="$VENV/.etrack-tools"
WANT="check-jsonschema==$CHECK_JSONSCHEMA_VERSION zizmor==$ZIZMOR_VERSION"

ensure_tools() {
  if [ -x "$VENV/bin/check-jsonschema" ] && [ -x "$VENV/bin/zizmor" ] &&
    [ "$(cat "$STAMP" 2>/dev/null)" = "$WANT" ]; then
    say "workflow tools: present ($WANT in target/tools/pyenv)"
    return 0
  fi
  command -v python3 >/dev/null 2>&1 || die "python3 is needed (Debian/Ubuntu: apt-get install python3-venv)"
  say "installing $WANT into target/tools/pyenv"
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  if ! python3 -m venv "$VENV"; then
    rm -rf "$VENV"
    die "python3 -m venv failed: on Debian/Ubuntu install python3-venv (bash scripts/test.sh installs it)"
  fi
  # shellcheck disable=SC2086
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input $WANT
  printf '%s\n' "$WANT" >"$STAMP"
}

ensure_tools

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
shopt -u nullglob
[ ${#workflows[@]} -gt 0 ] || die "no workflows in .github/workflows/"

failed=()

say "check-jsonschema $CHECK_JSONSCHEMA_VERSION (schema: vendor.github-workflows): ${workflows[*]}"
if "$VENV/bin/check-jsonschema" --builtin-schema vendor.github-workflows "${workflows[@]}"; then
  :
else
  failed+=(check-jsonschema)
fi

# --offline: no GitHub API calls (the online audits, e.g. known-vulnerable action versions, are
# skipped). Exit status: 0 no findings, 1 an error, 10-14 findings (by their highest severity).
# --strict-collection: a workflow zizmor cannot parse is a failure, not a warning.
say "zizmor $ZIZMOR_VERSION --offline: .github/workflows/"
if "$VENV/bin/zizmor" --offline --strict-collection --no-progress --color never .github/workflows/; then
  :
else
  failed+=("zizmor (exit $?)")
fi

if [ ${#failed[@]} -gt 0 ]; then
  printf '%sFAILED:%s %s\n' "$C_RED" "$C_RESET" "${failed[*]}" >&2
  exit 1
fi
printf '%sworkflows OK:%s %d files pass check-jsonschema and zizmor\n' "$C_GREEN" "$C_RESET" ${#workflows[@]}
