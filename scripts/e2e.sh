#!/usr/bin/env bash
# The Playwright tests against the release build (target/release/reservo and
# target/site, from `cargo leptos build --release`), on a temporary SQLite
# database with demo data and a real SMTP server on loopback whose messages
# the tests read. Arguments go to `playwright test`, e.g.
#   bash scripts/e2e.sh tests/auth.spec.ts --repeat-each=20
# Tests tagged @clock move the server's clock ([testing] controllable_clock),
# which would upset the others: they run afterwards against a server of their own.
set -uo pipefail

cd "$(dirname "$0")/.."
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"
export PATH="$PWD/node_modules/.bin:$PATH"

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
}
trap cleanup EXIT
trap 'exit 130' INT TERM

end2end() {  # end2end CLOCK PLAYWRIGHT-ARGS...: CLOCK=true lets tests move the server's clock
  local clock=$1 port url rc=0
  shift
  port=$(free_port) || return 1
  url="http://127.0.0.1:$port"
  e2e_tmp=$(mktemp -d) || return 1
  # A real SMTP server on loopback; the tests read what it received.
  local smtp_port
  smtp_port=$(free_port) || return 1
  python3 scripts/smtp_sink.py "$smtp_port" "$e2e_tmp/mail" >"$e2e_tmp/smtp.log" 2>&1 &
  sink_pid=$!
  # Every browser test comes from one address and a few accounts, faster than
  # people do: the rate limits are lifted here (tests/hardening.rs and
  # tests/http_auth.rs test them).
  DATABASE_URL="sqlite://$e2e_tmp/e2e.db" RESERVO_MODE=demo \
    LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site \
    RESERVO_MAIL__SMTP_HOST=127.0.0.1 RESERVO_MAIL__SMTP_PORT="$smtp_port" RESERVO_MAIL__SMTP_SECURITY=none \
    RESERVO_LIMITS__API_PER_ACCOUNT_PER_MINUTE=100000 RESERVO_LIMITS__API_PER_ADDRESS_PER_MINUTE=100000 \
    RESERVO_LIMITS__LOGINS_PER_ADDRESS_PER_MINUTE=100000 RESERVO_LIMITS__REGISTRATIONS_PER_ADDRESS_PER_HOUR=100000 \
    RESERVO_LIMITS__BOOKING_REQUESTS_PER_ACCOUNT_PER_HOUR=100000 RESERVO_AUTH__LOGIN_MAX_FAILURES=100000 \
    RESERVO_TESTING__CONTROLLABLE_CLOCK="$clock" \
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
    (cd end2end && BASE_URL="$url" MAIL_DIR="$e2e_tmp/mail" npx --no-install playwright test "$@") || rc=$?
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

status=0
end2end false --grep-invert @clock "$@" || status=$?
end2end true --grep @clock --pass-with-no-tests "$@" || status=$?
exit "$status"
