#!/usr/bin/env bash
# Runs every test: set-up, Rust tests (SQLite and PostgreSQL), release build,
# Playwright end2end tests against the built server. Runs all steps that make
# sense, prints each step's time, and exits non-zero if any step failed.
#   RESERVO_TEST_PG_URL  default postgres://postgres@127.0.0.1:5432/postgres
#                        (the Rust tests create a fresh database per test from it)
set -euo pipefail

cd "$(dirname "$0")/.."
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"
export PATH="$PWD/node_modules/.bin:$PATH"

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

free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    return
  fi
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  return 1
}

server_pid=""
sink_pid=""
e2e_tmp=""
cleanup() {
  if [ -n "$sink_pid" ]; then
    kill "$sink_pid" 2>/dev/null || true
    wait "$sink_pid" 2>/dev/null || true
    sink_pid=""
  fi
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
  if [ -n "$e2e_tmp" ]; then rm -rf "$e2e_tmp"; e2e_tmp=""; fi
  rm -f "$rust_log"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Called as a step, i.e. with `set -e` off: every failure is checked by hand.
end2end() {
  local port url rc=0
  port=$(free_port) || return 1
  url="http://127.0.0.1:$port"
  e2e_tmp=$(mktemp -d) || return 1
  # A real SMTP server on loopback; the tests read what it received.
  local smtp_port
  smtp_port=$(free_port) || return 1
  python3 scripts/smtp_sink.py "$smtp_port" "$e2e_tmp/mail" >"$e2e_tmp/smtp.log" 2>&1 &
  sink_pid=$!
  DATABASE_URL="sqlite://$e2e_tmp/e2e.db" RESERVO_MODE=demo \
    LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site \
    RESERVO_MAIL__SMTP_HOST=127.0.0.1 RESERVO_MAIL__SMTP_PORT="$smtp_port" RESERVO_MAIL__SMTP_SECURITY=none \
    target/release/reservo serve >"$e2e_tmp/server.log" 2>&1 &
  server_pid=$!

  local up=0
  for _ in $(seq 120); do
    if curl -fsS --max-time 2 -o /dev/null "$url/healthz" 2>/dev/null; then up=1; break; fi
    kill -0 "$server_pid" 2>/dev/null || break   # the server exited
    sleep 0.5
  done
  if [ "$up" = 1 ]; then
    echo "[test] server up at $url"
    (cd end2end && BASE_URL="$url" MAIL_DIR="$e2e_tmp/mail" npx --no-install playwright test) || rc=$?
  else
    if kill -0 "$server_pid" 2>/dev/null; then
      echo "[test] the server did not answer $url/healthz within 60 s" >&2
    else
      echo "[test] the server exited before answering $url/healthz" >&2
    fi
    rc=1
  fi
  if [ "$rc" != 0 ]; then
    echo "--- last lines of the server log ($e2e_tmp/server.log)"
    tail -n 60 "$e2e_tmp/server.log"
  fi
  cleanup
  return "$rc"
}

step setup bash scripts/setup.sh --test || summary   # nothing else can run without it
step "cargo test" rust_tests || true
if step "cargo leptos build" cargo leptos build --release; then
  step end2end end2end || true
fi
summary
