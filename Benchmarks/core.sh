#!/usr/bin/env bash
# Core kernel benchmark, seqgen beside numpy in one run (same machine, same moment, same threads).
# The OpenBLAS kernel is named for both sides: numpy's pip OpenBLAS is run with the same
# OPENBLAS_CORETYPE that seqgen uses.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
swift build -c release --product seqgen >/dev/null
sizes=${SIZES:-256,512,1024,2048}
.build/release/seqgen bench core --sizes "$sizes" --json > /tmp/seqgen-core.jsonl
python3 Benchmarks/sgemm_numpy.py "$sizes" > /tmp/numpy-core.jsonl
python3 - <<'PY'
import json
s = [json.loads(l) for l in open("/tmp/seqgen-core.jsonl") if l.startswith("{")]
n = {r["shape"]: r["rate"] for r in map(json.loads, open("/tmp/numpy-core.jsonl"))}
print(f"{'op':16} {'shape':30} {'seqgen':>10} {'numpy':>10} {'ratio':>7}")
for r in s:
    ref = n.get(r["shape"]) if r["op"] == "sgemm" else None
    ratio = f"{r['rate'] / ref:7.2f}" if ref else ""
    print(f"{r['op']:16} {r['shape']:30} {r['rate']:10.2f} {ref if ref is None else round(ref, 2)!s:>10} {ratio} {r['unit']}")
PY
