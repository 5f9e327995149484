#!/usr/bin/env bash
# The browser verifier's dependency tree for wasm32 must hold neither rayon, tract (ONNX import) nor
# the prover: protocol without its `prover` and `parallel` features, no crate with `parallel` on.
# (p3-maybe-rayon is allowed: without `parallel` it is Plonky3's sequential stand-in for rayon.)
set -euo pipefail
cd "$(dirname "$0")/../.."
target=wasm32-unknown-unknown
crates=$(cargo tree --target "$target" -p zkinfer-wasm -e normal --prefix none | awk '{print $1}' | sort -u)
# Not vacuous: the verifier is there.
grep -qx zkinfer-protocol <<<"$crates" || { echo "zkinfer-protocol is not in the tree" >&2; exit 1; }
bad=$(grep -E '^(rayon|rayon-core|crossbeam-.*|tract-.*|zkinfer-onnx|zkinfer-bench|zkinfer)$' <<<"$crates" || true)
if [ -n "$bad" ]; then
  echo "the wasm verifier's dependency tree holds crates it must not:" >&2
  echo "$bad" >&2
  exit 1
fi
features=$(cargo tree --target "$target" -p zkinfer-wasm -e normal,features --prefix none)
bad=$(grep -E '^zkinfer-[a-z0-9]+ feature "(parallel|prover|test-support)"|^p3-[a-z0-9-]+ feature "parallel"' <<<"$features" | sort -u || true)
if [ -n "$bad" ]; then
  echo "the wasm verifier turns on prover or parallel features:" >&2
  echo "$bad" >&2
  exit 1
fi
echo "wasm verifier dependencies: $(wc -l <<<"$crates") crates, no rayon, tract or prover features"
