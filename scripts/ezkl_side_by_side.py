#!/usr/bin/env python3
"""Table of zkinfer/EZKL ratios from one side-by-side run (called by ezkl_side_by_side.sh).

  ezkl_side_by_side.py --ezkl RUN.json --stored STORED.json --zkinfer DIR \
      --models digits_linear,... --stored-models lenet5_28,attention --configs default,private,polycommit

RUN.json is run_ezkl.py's output for this run, STORED.json ../shared/ezkl/results.json (the stored
figures, used for --stored-models), DIR holds zkinfer-bench's `--one MODEL` output as MODEL.json (a
missing or empty file means zkinfer could not prove that model). Ratios are zkinfer / EZKL: below 1
means zkinfer is faster, smaller or lighter.
"""
import argparse
import json
import os
import sys

FIGS = [  # (label, zkinfer figure in that unit, EZKL figure in that unit)
    ("prove s", lambda z: z["prove_ms"] / 1e3, lambda e: e["prove"]["median_s"]),
    ("verify s", lambda z: z["verify_ms"] / 1e3, lambda e: e["verify"]["median_s"]),
    ("proof KiB", lambda z: z["proof_kib"], lambda e: e["proof_bytes"] / 1024.0),
    ("peak MB", lambda z: z["peak_mb"], lambda e: e["prove"]["peak_rss_mb"]),
]


def load_ezkl(path):
    if not path or not os.path.exists(path):
        return {}
    with open(path) as f:
        return {(r["model"], r["config"]): r for r in json.load(f).get("results", [])}


def load_zkinfer(d, model):
    """zkinfer's figures, or why there are none."""
    p = os.path.join(d, model + ".json")
    if not os.path.exists(p):
        return None, "zkinfer not measured in this run"
    if os.path.getsize(p) == 0:
        log = os.path.join(d, model + ".log")
        lines = open(log).read().splitlines() if os.path.exists(log) else []
        err = next((l for l in lines if l.startswith("Error")), lines[-1] if lines else "?")
        return None, f"zkinfer could not prove it: {err}"
    with open(p) as f:
        return json.load(f), None


def fmt(v):
    if v is None:
        return "-"
    return f"{v:.3g}" if v < 100 else f"{v:,.0f}"


def ratio(z, e):
    if z is None or e is None or e == 0:
        return "-"
    r = z / e
    return f"{r:.2g}x" if r < 1 else f"{r:.1f}x"


def rows(models, configs, ezkl, zk_dir, source):
    out = []
    for m in models:
        z, why = load_zkinfer(zk_dir, m)
        for c in configs:
            rec = ezkl.get((m, c))
            if rec is None:
                continue
            ok = rec.get("status") == "ok"
            cells = [m, c, source if ok else f"{source}, EZKL {rec.get('status')}"]
            for _, zf, ef in FIGS:
                zv = zf(z) if z else None
                try:
                    ev = ef(rec) if ok else None
                except (KeyError, TypeError):
                    ev = None
                cells += [fmt(zv), fmt(ev), ratio(zv, ev)]
            out.append(cells)
        if z is None:
            out.append([m, "-", why] + ["-"] * 3 * len(FIGS))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ezkl", help="run_ezkl.py results.json of this run")
    ap.add_argument("--stored", required=True, help="../shared/ezkl/results.json")
    ap.add_argument("--zkinfer", required=True, help="directory of zkinfer MODEL.json files")
    ap.add_argument("--models", default="digits_linear,digits_mlp,digits_cnn")
    ap.add_argument("--stored-models", default="lenet5_28,attention")
    ap.add_argument("--configs", default="default,private,polycommit")
    a = ap.parse_args()
    split = lambda s: [x for x in s.split(",") if x]
    configs = split(a.configs)
    hdr = ["model", "EZKL config", "EZKL figures"]
    for label, _, _ in FIGS:
        hdr += [f"zkinfer {label}", f"EZKL {label}", "ratio"]
    lines = ["| " + " | ".join(hdr) + " |", "|" + "|".join(["---"] * 3 + ["---:"] * 3 * len(FIGS)) + "|"]
    body = rows(split(a.models), configs, load_ezkl(a.ezkl), a.zkinfer, "measured in this run")
    body += rows(split(a.stored_models), configs, load_ezkl(a.stored), a.zkinfer,
                 "stored (../shared/ezkl/results.json), not re-run")
    lines += ["| " + " | ".join(r) + " |" for r in body]
    print("\n".join(lines))
    print()
    print("Ratios are zkinfer / EZKL (below 1: zkinfer faster, smaller, lighter). zkinfer is not "
          "zero-knowledge yet: the `private` and `polycommit` rows compare it with EZKL hiding the input "
          "and weights. zkinfer peak MB: VmHWM of one process over 3 setups, proves and verifies from "
          "after import; EZKL peak MB: ru_maxrss of the prove subprocess (includes the Python + ezkl "
          "import). EZKL proof KiB: the binary proof, not the JSON file.")
    return 0 if body else 1


if __name__ == "__main__":
    sys.exit(main())
