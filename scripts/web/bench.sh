#!/usr/bin/env bash
# The browser verifier's figures in BENCHMARKS.md ("Browser verifier"): builds the module, makes keys
# and proofs (both modes, and a private input) for the shared models and the bundled fixtures with
# the zkinfer CLI, then times the verifier in headless Chromium next to the native `zkinfer verify`
# (web/bench.mjs writes the block). Run it on an idle machine:
#   bash scripts/web/bench.sh [MODEL_DIR...]   (default: ../shared/models/{digits_linear,digits_mlp,
#                                               digits_cnn,lenet5_28} and fixtures/models/*)
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ $# -eq 0 ]; then
  set -- ../shared/models/{digits_linear,digits_mlp,digits_cnn,lenet5_28} fixtures/models/*/
fi
[ -d web/node_modules/playwright-core ] || npm ci --prefix web --no-audit --no-fund
bash scripts/web/build.sh
proofs=$(mktemp -d)
trap 'rm -rf "$proofs"' EXIT
bash scripts/web/make-proofs.sh "$proofs" "$@"
ZKINFER_WEB_PROOFS="$proofs" ZKINFER_BIN="$proofs/zkinfer" node web/bench.mjs
