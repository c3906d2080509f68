#!/usr/bin/env bash
# The Playwright tests against the release build (target/release/reservo and
# target/site, from `scripts/build_release.sh`), on a temporary SQLite
# database with demo data and a real SMTP server on loopback whose messages
# the tests read. Arguments go to `playwright test`, e.g.
#   bash scripts/e2e.sh tests/auth.spec.ts --repeat-each=20
# Tests tagged @clock move the server's clock ([testing] controllable_clock),
# which would upset the others: they run afterwards against a server of their own.
set -uo pipefail

cd "$(dirname "$0")/.."
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"
export PATH="$PWD/node_modules/.bin:$PATH"

# shellcheck source=scripts/release_server.sh
source scripts/release_server.sh

sink_pid=""
e2e_tmp=""
cleanup() {
  if [ -n "$sink_pid" ]; then
    kill "$sink_pid" 2>/dev/null || true
    wait "$sink_pid" 2>/dev/null || true
    sink_pid=""
  fi
  stop_release_server
  if [ -n "$e2e_tmp" ]; then rm -rf "$e2e_tmp"; e2e_tmp=""; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

end2end() {  # end2end CLOCK PLAYWRIGHT-ARGS...: CLOCK=true lets tests move the server's clock
  local clock=$1 rc=0
  shift
  e2e_tmp=$(mktemp -d) || return 1
  # A real SMTP server on loopback; the tests read what it received.
  local smtp_port
  smtp_port=$(free_port) || return 1
  python3 scripts/smtp_sink.py "$smtp_port" "$e2e_tmp/mail" >"$e2e_tmp/smtp.log" 2>&1 &
  sink_pid=$!
  if start_release_server "$e2e_tmp" \
    RESERVO_MAIL__SMTP_HOST=127.0.0.1 RESERVO_MAIL__SMTP_PORT="$smtp_port" RESERVO_MAIL__SMTP_SECURITY=none \
    RESERVO_TESTING__CONTROLLABLE_CLOCK="$clock"; then
    (cd end2end && BASE_URL="$server_url" MAIL_DIR="$e2e_tmp/mail" npx --no-install playwright test "$@") || rc=$?
  else
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
