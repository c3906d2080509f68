#!/usr/bin/env bash
# Runs every test: set-up, Rust tests (SQLite and PostgreSQL), release build,
# Schemathesis and the Playwright end2end tests against the built server.
# Runs all steps that make sense, prints each step's time, and exits non-zero
# if any step failed.
#   RESERVO_TEST_PG_URL  default postgres://postgres@127.0.0.1:5432/postgres
#                        (the Rust tests create a fresh database per test from it)
set -euo pipefail

cd "$(dirname "$0")/.."
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"
export PATH="$PWD/node_modules/.bin:$PATH"

# A CI clone builds once: incremental caches would only take disk.
if [ "${CI:-}" = true ]; then export CARGO_INCREMENTAL=0; fi
# The Rust tests and the release build need about 10 GB; a full disk shows up
# as a linker crash (signal 7), so say how much there is.
echo "[test] free disk: $(df -h --output=avail . | tail -1 | tr -d ' ')"

failed=()
report=()
step() {  # step NAME CMD...: run CMD, record its time and result
  local name=$1 start=$SECONDS status=ok
  shift
  echo "=== [test] $name"
  "$@" || status=FAILED
  [ "$status" = ok ] || failed+=("$name")
  report+=("$(printf '%-22s %6ss  %s' "$name" "$((SECONDS - start))" "$status")")
  [ "$status" = ok ]
}
failure_details=()
summary() {
  if [ "${#failure_details[@]}" -gt 0 ]; then
    echo "=== [test] what failed"
    printf '%s\n' "${failure_details[@]}"
  fi
  echo "=== [test] summary"
  printf '  %s\n' "${report[@]}"
  if [ "${#failed[@]}" -gt 0 ]; then
    echo "[test] FAILED: ${failed[*]}"
    exit 1
  fi
  echo "[test] all steps passed"
}

rust_log=$(mktemp)
rust_tests() {
  RESERVO_TEST_PG_URL="${RESERVO_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}" \
    cargo test --features ssr --no-fail-fast 2>&1 | tee "$rust_log"
  local rc=${PIPESTATUS[0]}
  if [ "$rc" -ne 0 ]; then
    # Repeated at the end so that a CI log's tail names what failed.
    failure_details+=("$(grep -E -A12 "^---- |^failures:$|panicked at|WARNING|error(\[E[0-9]+\])?:" "$rust_log" | head -150)")
  fi
  return "$rc"
}

trap 'rm -f "$rust_log"' EXIT

step setup bash scripts/setup.sh --test || summary   # nothing else can run without it
step "cargo test" rust_tests || true
if step "release build" bash scripts/build_release.sh; then
  # The heaviest first page (main module + that route's chunks), brotli: fails over 600 KB.
  step "bundle size" node scripts/bundle_size.mjs || true
  step "api schema" bash scripts/api_schema.sh || true
  step end2end bash scripts/e2e.sh || true
fi
summary
