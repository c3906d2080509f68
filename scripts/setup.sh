#!/usr/bin/env bash
# Installs what building (and, with --test, testing) Reservo needs.
# Idempotent: every step is skipped when its tool is already present.
# Only package registries are used (crates.io, npm, PyPI, Debian apt): nothing else
# can be downloaded on this project's machines.
#
#   scripts/setup.sh          build tools: wasm target, cargo-leptos, wasm-bindgen, npm tools
#   scripts/setup.sh --test   also Chromium, PostgreSQL, the Playwright harness and Schemathesis
set -euo pipefail

cd "$(dirname "$0")/.."

with_test=0
case "${1:-}" in
  --test) with_test=1 ;;
  "") ;;
  *) echo "usage: $0 [--test]" >&2; exit 2 ;;
esac

CARGO_LEPTOS_VERSION=0.3.10   # 0.3.11 needs rustc 1.96
SCHEMATHESIS_VERSION=4.32.5
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"
export PATH="$PWD/node_modules/.bin:$PATH"
export DEBIAN_FRONTEND=noninteractive

say() { echo "[setup] $*"; }

# --- Rust ------------------------------------------------------------------
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "wasm32-unknown-unknown target: present"
else
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if cargo leptos --version 2>/dev/null | grep -qF " $CARGO_LEPTOS_VERSION"; then
  say "cargo-leptos $CARGO_LEPTOS_VERSION: present"
else
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 12 minutes, once per machine)"
  # no_downloads: use wasm-bindgen, wasm-opt, sass, tailwindcss from PATH.
  cargo install cargo-leptos --version "=$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

# The wasm-bindgen CLI must match the wasm-bindgen crate exactly.
wb_version=""
if [ -f Cargo.lock ]; then
  wb_version=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
fi
if [ -z "$wb_version" ]; then
  wb_version=$(grep -E '^wasm-bindgen *=' Cargo.toml | grep -oE '=[0-9]+\.[0-9]+\.[0-9]+' | head -1 | tr -d '=')
fi
[ -n "$wb_version" ] || { echo "[setup] cannot find the wasm-bindgen version in Cargo.lock or Cargo.toml" >&2; exit 1; }
if wasm-bindgen --version 2>/dev/null | grep -qF " $wb_version"; then
  say "wasm-bindgen-cli $wb_version: present"
else
  say "installing wasm-bindgen-cli $wb_version (about 3 minutes)"
  # No --locked: its lock file names a webpki-roots release the registry lacks.
  cargo install wasm-bindgen-cli --version "=$wb_version"
fi

# --- npm tools (wasm-opt, tailwindcss, sass; Playwright) ---------------------
npm_ci() {  # npm_ci DIR: clean install when node_modules is missing or stale
  local dir=$1
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund)
  else
    say "npm packages in $dir: up to date"
  fi
}
npm_ci .

[ "$with_test" = 1 ] || { say "done"; exit 0; }

# --- Test tools ----------------------------------------------------------------
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then apt-get update; apt_updated=1; fi
  apt-get install -y "$@"
}

if [ -x /usr/bin/chromium ]; then
  say "chromium: present"
else
  say "installing Debian's chromium"
  apt_install chromium
fi

npm_ci end2end   # Playwright (uses /usr/bin/chromium; never `npx playwright install`)

# Schemathesis for scripts/api_schema.sh, from PyPI into .venv/ (git-ignored).
if .venv/bin/st --version 2>/dev/null | grep -qF " $SCHEMATHESIS_VERSION"; then
  say "schemathesis $SCHEMATHESIS_VERSION: present"
else
  say "installing schemathesis $SCHEMATHESIS_VERSION into .venv"
  command -v python3 >/dev/null || apt_install python3
  python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
  [ -x .venv/bin/pip ] || python3 -m venv .venv
  .venv/bin/pip install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
fi

# PostgreSQL for the Rust tests (skipped when RESERVO_TEST_PG_URL points elsewhere).
if [ -n "${RESERVO_TEST_PG_URL:-}" ]; then
  say "RESERVO_TEST_PG_URL is set: not checking the local PostgreSQL"
else
  if ! command -v pg_lsclusters >/dev/null; then
    say "installing PostgreSQL"
    apt_install postgresql
  fi
  # shellcheck disable=SC2012
  pg_version=$(ls /etc/postgresql | head -1)
  if pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main" && $4 == "online" { up = 1 } END { exit !up }'; then
    say "PostgreSQL $pg_version: running"
  else
    say "starting PostgreSQL $pg_version"
    pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start
  fi
  for _ in $(seq 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 1
  done
  pg_isready -h 127.0.0.1 -p 5432 >/dev/null || { echo "[setup] PostgreSQL does not answer on 127.0.0.1:5432" >&2; exit 1; }

  pg_ok() { psql -w -h 127.0.0.1 -p 5432 -U postgres -Atqc 'select 1' >/dev/null 2>&1; }
  if ! pg_ok; then
    say "allowing trust authentication from localhost"
    hba="/etc/postgresql/$pg_version/main/pg_hba.conf"
    { printf 'host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n'; cat "$hba"; } > "$hba.new"
    cat "$hba.new" > "$hba" && rm "$hba.new"   # keep the file's owner and mode
    pg_ctlcluster --skip-systemctl-redirect "$pg_version" main reload
    for _ in 1 2 3 4 5; do pg_ok && break; sleep 1; done
    pg_ok || { echo "[setup] psql -h 127.0.0.1 -U postgres still fails" >&2; exit 1; }
  fi
  say "PostgreSQL: postgres@127.0.0.1:5432 accepts connections"
fi

# pg_dump / pg_restore for `reservo backup` and `restore` (tests/backup.rs), on PATH.
if command -v pg_dump >/dev/null && command -v pg_restore >/dev/null; then
  say "pg_dump, pg_restore: present"
else
  say "installing Debian's postgresql-client (pg_dump, pg_restore)"
  apt_install postgresql-client
fi

say "done"
