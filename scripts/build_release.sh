#!/usr/bin/env bash
# The release build: target/release/reservo and target/site, with the browser
# code split per page group (`cargo leptos build --release --split`) and the
# code that three or more groups share joined into one file
# (scripts/merge_chunks.mjs). Needs the tools of scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d "$HOME/.cargo/bin" ] && export PATH="$HOME/.cargo/bin:$PATH"
export PATH="$PWD/node_modules/.bin:$PATH"

cargo leptos build --release --split
node scripts/merge_chunks.mjs
