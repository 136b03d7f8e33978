#!/usr/bin/env bash
# End-to-end checks of the Snakemake workflow (workflow/): a small configuration runs to its summary,
# a rerun has nothing to do, a run killed during a fit finishes on rerun (the fit resuming from its
# checkpoint) without redoing finished jobs, and the cluster-generic executor runs the same jobs.
# Needs snakemake (scripts/setup.sh installs it) and the release build. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
seqgen=.build/release/seqgen
[ -x "$seqgen" ] || { echo "workflow-check: build seqgen first (swift build -c release)"; exit 1; }
command -v snakemake >/dev/null || { echo "workflow-check: snakemake is not installed (. scripts/setup.sh installs it)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work" .snakemake/local-cluster' EXIT
fail() { echo "workflow-check: FAILED: $*"; exit 1; }
pass=0
SECONDS=0
ok() { pass=$((pass + 1)); echo "ok - $* (${SECONDS} s)"; }
sm() { snakemake -s workflow/Snakefile --cores 2 "$@"; }

# 1. The CI configuration (bundled example + GFP when ../shared/data is present) runs to its summary.
sm --configfile workflow/config-ci.yaml --config outdir="$work/ci" -q > "$work/run1.log" 2>&1 || { cat "$work/run1.log"; fail "workflow run"; }
[ -s "$work/ci/summary.csv" ] && [ -s "$work/ci/summary.png" ] || fail "no summary"
rows=$(($(wc -l < "$work/ci/summary.csv") - 1))
expected=2; [ -d ../shared/data ] && expected=4
[ "$rows" = "$expected" ] || fail "summary has $rows rows, expected $expected"
grep -q '^example,potts,2000,64,' "$work/ci/summary.csv" || fail "example potts row missing"
python3 - "$work/ci/summary.csv" <<'PY' || fail "summary values"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
potts = next(r for r in rows if r["family"] == "example" and r["model"] == "potts")
assert float(potts["P@L2"]) >= 0.8, potts          # planted contacts are recovered
assert float(potts["fit_seconds"]) > 0, potts
# Snakemake's sampled CPU and memory are left empty for a fit too short to be sampled, never 0.
assert all(r["peak_memory_mb"] == "" or float(r["peak_memory_mb"]) > 10 for r in rows), rows
for r in rows:
    if r["family"] == "GFP_AEQVI":
        assert 0.5 < float(r["spearman"]) < 0.8 and r["scored"] == "51714", r
PY
ok "workflow runs to summary.csv ($rows rows) and summary.png"

# 2. A rerun is up to date.
sm --configfile workflow/config-ci.yaml --config outdir="$work/ci" -n 2>&1 | grep -q "Nothing to be done" || fail "rerun is not up to date"
ok "rerun has nothing to do"

# 3. Killed during a Potts fit (after a checkpoint), the rerun resumes that fit and redoes nothing else.
cat > "$work/kill.yaml" <<YAML
families: workflow/families/ci.tsv
skip_missing: true
models: [pssm, potts]
outdir: $work/kill
seqgen: $seqgen
threads: 1
checkpoint_every: 10
fit_options: {potts: "--tolerance 0 --max-iterations 40"}
YAML
sm "$work/kill/example/pssm.npz" --configfile "$work/kill.yaml" -q > /dev/null 2>&1 || fail "partial run"
before=$(stat -c %Y "$work/kill/example/pssm.npz")
setsid snakemake -s workflow/Snakefile --cores 1 --configfile "$work/kill.yaml" -q > "$work/kill.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do [ -f "$work/kill/example/potts.ckpt.npz" ] && break; sleep 0.1; done
[ -f "$work/kill/example/potts.ckpt.npz" ] || { kill -TERM -- -$pid 2>/dev/null || true; fail "no checkpoint appeared"; }
kill -TERM -- -$pid; wait $pid 2>/dev/null || true
[ ! -f "$work/kill/example/potts.npz" ] || fail "the killed fit left a model"
[ -f "$work/kill/example/potts.ckpt.npz" ] || fail "the killed fit left no checkpoint"
cp "$work/kill/example/potts.ckpt.npz" "$work/stale.ckpt.npz"
sm --configfile "$work/kill.yaml" --rerun-incomplete -q > "$work/rerun.log" 2>&1 || { cat "$work/rerun.log"; fail "rerun after kill"; }
grep -q "resuming from .*potts.ckpt.npz" "$work/kill/example/potts.fit.log" || fail "the rerun did not resume the fit"
[ "$(stat -c %Y "$work/kill/example/pssm.npz")" = "$before" ] || fail "a finished job was redone"
[ -s "$work/kill/summary.csv" ] || fail "no summary after the rerun"
ok "killed mid-fit: the rerun resumed from the checkpoint and kept finished jobs"
# A checkpoint from other fit settings cannot be resumed: it is dropped and the fit starts over.
sed -e "s|outdir: .*|outdir: $work/stale|" -e 's|--max-iterations 40|--max-iterations 40 --lambda-j 0.3|' "$work/kill.yaml" > "$work/stale.yaml"
mkdir -p "$work/stale/example" && cp "$work/stale.ckpt.npz" "$work/stale/example/potts.ckpt.npz"
sm "$work/stale/example/potts.npz" --configfile "$work/stale.yaml" > "$work/stale.log" 2>&1 || { tail -20 "$work/stale.log"; fail "a stale checkpoint blocked the fit"; }
grep -q "from another run's settings; starting the fit over" "$work/stale.log" || fail "no word of the stale checkpoint"
ok "a checkpoint from other settings is dropped and the fit starts over"

# 4. The cluster-generic executor (jobs submitted to a simulated batch system on this machine).
cat > "$work/cluster.yaml" <<YAML
families: workflow/families/ci.tsv
skip_missing: true
models: [pssm, potts]
outdir: $work/cluster
seqgen: $seqgen
threads: 1
checkpoint_every: 10
fit_options: {}
YAML
snakemake "$work/cluster/example/potts.eval-contacts.json" -s workflow/Snakefile --configfile "$work/cluster.yaml" --profile workflow/profiles/local-cluster > "$work/cluster.log" 2>&1 || { tail -30 "$work/cluster.log"; fail "cluster-generic run"; }
grep -q "with external jobid" "$work/cluster.log" || fail "no job went through the cluster executor"
cmp -s "$work/cluster/example/potts.npz" "$work/ci/example/potts.npz" || fail "the cluster's model differs from the local run's"
python3 -c 'import json, sys; a, b = (json.load(open(p))["precision"] for p in sys.argv[1:]); sys.exit(a != b)' \
    "$work/cluster/example/potts.eval-contacts.json" "$work/ci/example/potts.eval-contacts.json" || fail "the cluster's evaluation differs"
grep -q "group job" "$work/cluster.log" || fail "the profile's groups ran no group job"
ok "cluster-generic executor, the slurm/lsf groups: the same model file, byte for byte, as the local run"

# The slurm and lsf profiles plan the whole run (a dry run: their groups and resources are valid for
# this Snakemake; no batch system is contacted).
for profile in slurm lsf; do
    snakemake -s workflow/Snakefile --configfile workflow/config-ci.yaml --config outdir="$work/$profile" \
        --profile "workflow/profiles/$profile" -n > "$work/$profile.log" 2>&1 || { tail -5 "$work/$profile.log"; fail "the $profile profile cannot plan the run"; }
done
ok "the slurm and lsf profiles plan the run"

# 5. Configuration mistakes are refused before any job runs, naming the problem.
refused() {  # NAME EXPECTED-MESSAGE: the config in $work/bad.yaml and the table in $work/bad.tsv
    out=$(snakemake -s workflow/Snakefile --cores 1 --configfile "$work/bad.yaml" -n 2>&1) && fail "$1: accepted"
    echo "$out" | grep -q -- "$2" || { echo "$out" | tail -5; fail "$1: expected '$2'"; }
}
table() { printf 'family\talignment\tstructure\n%s\n' "$1" > "$work/bad.tsv"; }
config() { printf 'families: %s\noutdir: %s\n%s\n' "$work/bad.tsv" "$work/bad" "$1" > "$work/bad.yaml"; }
table "$(printf 'ex\tdata/example.a3m\t')"
config "skip_mising: false"; refused "a misspelt key" "unknown key 'skip_mising'"
config "models: [pots]"; refused "a misspelt model" "models: 'pots' is not a seqgen model"
config "fit_options: {gaussian: '--shrinkage 0.5'}"; refused "fit options for a model not run" "fit_options: 'gaussian' is not one of the models run"
config ""
table "$(printf 'my fam\tdata/example.a3m\t')"; refused "a family name with a space" "family name 'my fam'"
printf 'family\talignment\tstructur\nex\tdata/example.a3m\tx.pdb\n' > "$work/bad.tsv"; refused "a misspelt column" "unknown column 'structur'"
table "$(printf 'ex\tnope.a3m\t')"; refused "a missing alignment" "no such file nope.a3m"
config "skip_missing: true"; refused "nothing left to run" "no family to run"
table "$(printf 'ex\tdata/example.a3m\tnope.pdb')"
snakemake -s workflow/Snakefile --cores 1 --configfile "$work/bad.yaml" -n > "$work/skip.log" 2>&1 || { tail -5 "$work/skip.log"; fail "a missing structure with skip_missing"; }
grep -q "family ex: no contact evaluation: missing nope.pdb" "$work/skip.log" && grep -q "rule fit" "$work/skip.log" || fail "a missing structure should drop only the contact evaluation"
ok "configuration mistakes refused before any job; a missing structure drops only its step"
echo "workflow: $pass passed, 0 failed"
