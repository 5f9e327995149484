#!/usr/bin/env bash
# Installs wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock (the CLI
# and the crate must match), built with the CLI's own lockfile (`--locked`). When the registry lacks
# a version that lockfile pins (webpki-roots 1.0.11, pinned by 0.2.130's lockfile, is not in the
# index this project reaches), that one crate is moved to the newest version the registry offers
# for the same requirement, and everything else stays locked.
set -euo pipefail
cd "$(dirname "$0")/../.."

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$want" ] || { echo "wasm-bindgen is not in Cargo.lock" >&2; exit 1; }
if command -v wasm-bindgen >/dev/null 2>&1 && [ "$(wasm-bindgen --version | awk '{print $2}')" = "$want" ]; then
  exit 0
fi
echo "installing wasm-bindgen-cli $want"
log=$(mktemp)
src=$(mktemp -d)
trap 'rm -rf "$src" "$log"' EXIT
if cargo install --locked wasm-bindgen-cli --version "=$want" 2>"$log"; then
  exit 0
fi
grep -q "failed to select a version" "$log" || { cat "$log" >&2; exit 1; }
crate=$(ls ~/.cargo/registry/cache/*/wasm-bindgen-cli-"$want".crate | head -n 1)
tar -xzf "$crate" -C "$src"
dir="$src/wasm-bindgen-cli-$want"
for _ in 1 2 3 4 5; do
  # "failed to select a version for the requirement `NAME = "REQ"` (locked to OLD)" and the next
  # line "candidate versions found which didn't match: NEWEST, ..."
  name=$(sed -n 's/.*requirement `\([^ ]*\) = .*(locked to \([^)]*\)).*/\1@\2/p' "$log" | head -n 1)
  to=$(sed -n "s/^candidate versions found which didn't match: \([^,]*\).*/\1/p" "$log" | head -n 1)
  [ -n "$name" ] && [ -n "$to" ] || { cat "$log" >&2; exit 1; }
  echo "re-pinning $name to $to (the locked version is not in the registry)"
  (cd "$dir" && cargo update -p "$name" --precise "$to")
  if cargo install --locked --path "$dir" 2>"$log"; then
    exit 0
  fi
  grep -q "failed to select a version" "$log" || { cat "$log" >&2; exit 1; }
done
cat "$log" >&2
exit 1
