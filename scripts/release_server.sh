# The release server for the tests that drive it from outside (source this
# file): scripts/e2e.sh (Playwright) and scripts/api_schema.sh (Schemathesis).
# It runs target/release/reservo with target/site from scripts/build_release.sh, on a free loopback port, on a fresh SQLite database with demo
# data, and with the rate limits lifted. RESERVO_BIN runs another build of
# the server (e.g. target/debug/reservo, which also panics on overflows).

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
server_url=""

# start_release_server DIR [NAME=VALUE...]: the database and server.log go in
# DIR; the settings given override the defaults. Sets server_pid and
# server_url, and fails unless /healthz answers within 60 s.
start_release_server() {
  local dir=$1 port
  shift
  port=$(free_port) || return 1
  server_url="http://127.0.0.1:$port"
  # Test clients send everything from one address and a few accounts, faster
  # than people do: the rate limits are lifted here (tests/hardening.rs and
  # tests/http_auth.rs test them).
  env DATABASE_URL="sqlite://$dir/reservo.db" RESERVO_MODE=demo \
    LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site \
    RESERVO_LIMITS__ENABLED=false RESERVO_AUTH__LOGIN_MAX_FAILURES=100000 \
    "$@" "${RESERVO_BIN:-target/release/reservo}" serve >"$dir/server.log" 2>&1 &
  server_pid=$!

  for _ in $(seq 120); do
    if curl -fsS --max-time 2 -o /dev/null "$server_url/healthz" 2>/dev/null; then
      echo "[test] server up at $server_url"
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || break   # the server exited
    sleep 0.5
  done
  if kill -0 "$server_pid" 2>/dev/null; then
    echo "[test] the server did not answer $server_url/healthz within 60 s" >&2
  else
    echo "[test] the server exited before answering $server_url/healthz" >&2
  fi
  return 1
}

stop_release_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
