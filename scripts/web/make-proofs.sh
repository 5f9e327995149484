#!/usr/bin/env bash
# Makes keys and proofs for the browser tests and figures with the zkinfer CLI:
#   scripts/web/make-proofs.sh OUT MODEL_DIR...
# For each model folder (network.onnx, calibration.json, input.json) it writes
#   OUT/NAME/zk/{verifier.key,proof.bin,proof-private.bin}  zero-knowledge keys, a proof of the public
#                                                          input and one of a private input
#   OUT/NAME/plain/{verifier.key,proof.bin}                 plain keys and proof
#   OUT/NAME/input.json                                     the input both public proofs are for
#   OUT/zkinfer                                             the CLI that made them (web/bench.mjs times
#                                                          its verify next to the browser's)
# Prover keys stay in OUT too (the tests only read the verifier's files).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 2 ] || { echo "usage: $0 OUT MODEL_DIR..." >&2; exit 2; }
out=$1
shift

# The CLI of this checkout, copied out of the target directory as soon as it is built: a target
# directory shared with other checkouts may get their zkinfer binary in the same place, so the copy's
# version is compared with this workspace's.
want=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"name":"zkinfer","version":"\([^"]*\)".*/\1/p')
mkdir -p "$out"
zkinfer="$out/zkinfer"
for _ in 1 2 3; do
  exe=$(cargo build -p zkinfer --message-format=json-render-diagnostics |
    sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
  cp "$exe" "$zkinfer"
  [ "$("$zkinfer" --version)" = "zkinfer $want" ] && break
  echo "$exe is not this checkout's zkinfer $want; building again" >&2
done
[ "$("$zkinfer" --version)" = "zkinfer $want" ] || { echo "cannot get this checkout's zkinfer" >&2; exit 1; }

for m in "$@"; do
  name=$(basename "$m")
  d="$out/$name"
  mkdir -p "$d"
  cp "$m/input.json" "$d/input.json"
  for mode in zk plain; do
    flag=--zk
    [ "$mode" = plain ] && flag=--no-zk
    "$zkinfer" setup "$m/network.onnx" --calibration "$m/calibration.json" --out "$d/$mode" \
      "$flag" --force --json >/dev/null
    "$zkinfer" prove "$d/$mode" --input "$m/input.json" --out "$d/$mode/proof.bin" --json >/dev/null
  done
  "$zkinfer" prove "$d/zk" --input "$m/input.json" --out "$d/zk/proof-private.bin" \
    --private-input --json >/dev/null
  echo "$name: keys and proofs in $d"
done
