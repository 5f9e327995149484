#!/usr/bin/env bash
# EZKL 23.0.5 and zkinfer side by side on the same machine, in the same run.
#
#   scripts/ezkl_side_by_side.sh [--models digits_linear,digits_mlp,digits_cnn]
#                                [--configs default,private,polycommit] [--reps 3] [--acc-n 0]
#                                [--work DIR] [--skip-ezkl] [--skip-zkinfer]
#
# 1. Creates a venv in DIR (default $TMPDIR/zkinfer-ezkl-side-by-side) and pip-installs ezkl==23.0.5 with
#    what ../shared/ezkl/run_ezkl.py needs (onnx, onnxruntime, numpy, scikit-learn, scipy).
# 2. Runs EZKL on --models in each --configs visibility mode through a copy of run_ezkl.py (the shared
#    copy writes next to itself and ../shared is read-only; the copy reads the models through a
#    symlink), SRS and keys under DIR.
# 3. Builds zkinfer-bench (release) and measures each model, and lenet5_28 and attention, with
#    `zkinfer-bench --one MODEL` (median of 3, peak memory of that process).
# 4. Prints the zkinfer/EZKL ratios for prove time, verify time, proof size and peak memory; for
#    lenet5_28 and attention (minutes and ~10 GB per EZKL run) it uses the stored EZKL figures of
#    ../shared/ezkl/results.json and says so. The table is also written to DIR/side_by_side.md.
# --acc-n N > 0 also has EZKL measure quantized accuracy on N test digits (default config only; slow).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${SHARED:-$(cd "$ROOT/../shared" && pwd)}
MODELS=digits_linear,digits_mlp,digits_cnn
STORED_MODELS=lenet5_28,attention
CONFIGS=default,private,polycommit
REPS=3
ACC_N=0
WORK=${TMPDIR:-/tmp}/zkinfer-ezkl-side-by-side
SKIP_EZKL=0
SKIP_ZKINFER=0
while [ $# -gt 0 ]; do
  case "$1" in
    --models) MODELS=$2; shift 2 ;;
    --configs) CONFIGS=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    --acc-n) ACC_N=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --skip-ezkl) SKIP_EZKL=1; shift ;;
    --skip-zkinfer) SKIP_ZKINFER=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
echo "== work directory $WORK"

# --- EZKL --------------------------------------------------------------------------------------------
if [ "$SKIP_EZKL" = 0 ]; then
  if [ ! -x "$WORK/venv/bin/python" ]; then
    python3 -m venv "$WORK/venv"
  fi
  "$WORK/venv/bin/pip" install --quiet --upgrade pip
  "$WORK/venv/bin/pip" install --quiet ezkl==23.0.5 onnx onnxruntime numpy scikit-learn scipy
  "$WORK/venv/bin/python" -c 'import ezkl; print("== ezkl", getattr(ezkl, "__version__", "?"))'
  # run_ezkl.py reads ../models and writes results/ beside itself: run a copy whose ../models is a link.
  mkdir -p "$WORK/ezkl"
  cp "$SHARED/ezkl/run_ezkl.py" "$SHARED/ezkl/build_models.py" "$WORK/ezkl/"
  ln -sfn "$SHARED/models" "$WORK/models"
  rm -f "$WORK/ezkl/results.json" "$WORK/ezkl/results.md"
  echo "== EZKL on $MODELS, configs $CONFIGS, $REPS reps"
  "$WORK/venv/bin/python" "$WORK/ezkl/run_ezkl.py" --models "$MODELS" --configs "$CONFIGS" \
    --reps "$REPS" --acc-n "$ACC_N" --workdir "$WORK/ezkl-work" --srs-dir "$WORK/srs" \
    --out "$WORK/ezkl/results.json"
fi

# --- zkinfer -----------------------------------------------------------------------------------------
mkdir -p "$WORK/zkinfer"
if [ "$SKIP_ZKINFER" = 0 ]; then
  (cd "$ROOT" && cargo build --release -p zkinfer-bench)
  BENCH=${CARGO_TARGET_DIR:-$ROOT/target}/release/zkinfer-bench
  for m in ${MODELS//,/ } ${STORED_MODELS//,/ }; do
    echo "== zkinfer on $m"
    if ! "$BENCH" --one "$m" > "$WORK/zkinfer/$m.json" 2> "$WORK/zkinfer/$m.log"; then
      why=$(grep -m1 '^Error' "$WORK/zkinfer/$m.log" || tail -n 1 "$WORK/zkinfer/$m.log")
      echo "   zkinfer could not prove $m: $why"
      : > "$WORK/zkinfer/$m.json"
    fi
  done
fi

# --- the table ---------------------------------------------------------------------------------------
python3 "$ROOT/scripts/ezkl_side_by_side.py" --ezkl "$WORK/ezkl/results.json" \
  --stored "$SHARED/ezkl/results.json" --zkinfer "$WORK/zkinfer" --models "$MODELS" \
  --stored-models "$STORED_MODELS" --configs "$CONFIGS" | tee "$WORK/side_by_side.md"
