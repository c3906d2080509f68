#!/usr/bin/env bash
# Builds Reservo (release) and serves it. The binary migrates the database,
# seeds demo data into an empty one and prints the URL and demo accounts.
#   DATABASE_URL      default sqlite://data/reservo.db
#   LEPTOS_SITE_ADDR  default 127.0.0.1:3000
#   RESERVO_MODE      default demo
set -euo pipefail

cd "$(dirname "$0")/.."

bash scripts/setup.sh
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"
export PATH="$PWD/node_modules/.bin:$PATH"

echo "[run] scripts/build_release.sh"
bash scripts/build_release.sh

mkdir -p data
export LEPTOS_SITE_ROOT=target/site
export RESERVO_MODE="${RESERVO_MODE:-demo}"
exec target/release/reservo serve
