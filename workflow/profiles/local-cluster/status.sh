#!/usr/bin/env bash
# Usage: status.sh JOBID — prints running, success or failed (cluster-generic's protocol).
dir=.snakemake/local-cluster
id=$1
if [ -f "$dir/$id.exit" ]; then
    [ "$(cat "$dir/$id.exit")" = 0 ] && echo success || echo failed
elif [ -f "$dir/$id.pid" ] && kill -0 "$(cat "$dir/$id.pid")" 2>/dev/null; then
    echo running
else
    echo failed
fi
