#!/usr/bin/env bash
# The browser verifier's CI steps (.ci/run calls this after the Rust tests):
#   1. its wasm32 dependency tree holds no rayon, tract or prover features (check-deps.sh);
#   2. it builds (build.sh: crates/wasm, wasm-bindgen --target web into web/pkg/);
#   3. in headless Chromium (Debian's chromium, driven by playwright-core), the page shows honest
#      proofs of the bundled fixtures (made here by the zkinfer CLI, both modes) as valid and
#      tampered ones as invalid (web/tests/verify.test.mjs).
# Installs what is missing: the wasm32 target, wasm-bindgen-cli, chromium (apt-get), playwright-core (npm).
set -euo pipefail
cd "$(dirname "$0")/../.."

step() { echo "== web: $1 ($(date -u +%T)) =="; }

if ! command -v chromium >/dev/null 2>&1; then
  step "installing chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ! -d web/node_modules/playwright-core ]; then
  step "installing playwright-core"
  npm ci --prefix web --no-audit --no-fund
fi

step "wasm dependency tree"
bash scripts/web/check-deps.sh
step "build"
bash scripts/web/build.sh

step "keys and proofs of the fixtures (zkinfer CLI)"
proofs=$(mktemp -d)
trap 'rm -rf "$proofs"' EXIT
bash scripts/web/make-proofs.sh "$proofs" fixtures/models/*/

step "headless Chromium"
ZKINFER_WEB_PROOFS="$proofs" node --test web/tests/verify.test.mjs
