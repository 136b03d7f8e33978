#!/usr/bin/env bash
# Usage: cancel.sh JOBID… — sends SIGTERM to each job's process session (seqgen fits checkpoint on it).
dir=.snakemake/local-cluster
for id in "$@"; do
    [ -f "$dir/$id.pid" ] && kill -TERM -- "-$(cat "$dir/$id.pid")" 2>/dev/null || true
done
