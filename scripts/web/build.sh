#!/usr/bin/env bash
# Builds the browser verifier into web/pkg/: crates/wasm for wasm32-unknown-unknown (release: the
# verifier's field arithmetic needs the optimiser), then wasm-bindgen --target web. Installs the
# wasm32 target and the matching wasm-bindgen-cli first if they are missing. Prints the module's size.
set -euo pipefail
cd "$(dirname "$0")/../.."

target=wasm32-unknown-unknown
if command -v rustup >/dev/null 2>&1 && ! rustup target list --installed | grep -qx "$target"; then
  rustup target add "$target"
fi
bash scripts/web/install-wasm-bindgen.sh

cargo build -p zkinfer-wasm --target "$target" --release
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
wasm-bindgen --target web --no-typescript --out-dir web/pkg \
  "$target_dir/$target/release/zkinfer_wasm.wasm"

bytes=$(wc -c < web/pkg/zkinfer_wasm_bg.wasm)
gz=$(gzip -9 -c web/pkg/zkinfer_wasm_bg.wasm | wc -c)
echo "web/pkg/zkinfer_wasm_bg.wasm: $bytes bytes ($gz gzipped)"
