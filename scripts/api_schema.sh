#!/usr/bin/env bash
# Schemathesis against the release build (scripts/release_server.sh): every
# operation of /api/openapi.json is called with generated requests, valid and
# invalid, as the demo administrator, and each answer must be no 5xx and fit
# the document (a documented status, its content type and its schema).
# Bounded and reproducible: a fixed seed and a fixed number of examples per
# operation. Schemathesis comes from `scripts/setup.sh --test` (.venv/).
# Arguments go to `st run`, e.g. --include-operation-id createBooking.
set -uo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=scripts/release_server.sh
source scripts/release_server.sh

ST=.venv/bin/st
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
ADMIN='{"email": "admin@reservo.test", "password": "demo-password"}'

work=""
cleanup() {
  stop_release_server
  if [ -n "$work" ]; then rm -rf "$work"; work=""; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

admin_token() {
  curl -fsS -X POST -H 'content-type: application/json' -d "$ADMIN" "$server_url/api/auth/token" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

# run_schemathesis SECONDS ST-ARGS...: as a fresh token of the demo
# administrator; a run over SECONDS is stopped and fails (about 40 s is usual).
run_schemathesis() {
  local seconds=$1 token
  shift
  token=$(admin_token) && [ -n "$token" ] || { echo "[api] no token for $ADMIN" >&2; return 1; }
  timeout "$seconds" "$ST" run "$server_url/api/openapi.json" --url "$server_url/api" \
    --checks "$CHECKS" --header "Authorization: Bearer $token" \
    --max-examples 50 --seed 20261124 --generation-database none --workers 1 \
    --request-timeout 10 --no-color "$@"
}

[ -x "$ST" ] || { echo "[api] $ST is missing: run scripts/setup.sh --test" >&2; exit 1; }
work=$(mktemp -d) || exit 1
start_release_server "$work" || { tail -n 60 "$work/server.log"; exit 1; }

status=0
# Every operation but revokeToken, which would revoke the token the run uses.
run_schemathesis 150 --exclude-operation-id revokeToken "$@" || status=$?
# revokeToken on a token of its own: 204 the first time, 401 after. Alone,
# it links to nothing: no stateful phase.
run_schemathesis 30 --include-operation-id revokeToken --phases examples,coverage,fuzzing "$@" || status=$?

if [ "$status" != 0 ]; then
  echo "--- last lines of the server log ($work/server.log)"
  tail -n 60 "$work/server.log"
fi
exit "$status"
