#!/usr/bin/env bash
# Usage: submit.sh THREADS MEM_MB JOBSCRIPT — starts the job script in the background (a new process
# session, like a batch system's job) and prints a job id; status.sh reads its exit code later.
set -euo pipefail
threads=$1; mem_mb=$2; jobscript=$3
dir=.snakemake/local-cluster
mkdir -p "$dir"
id="job$$-$RANDOM"
echo "$threads threads, $mem_mb MB: $jobscript" > "$dir/$id.request"
setsid bash -c 'bash "$1" > "$2.log" 2>&1; echo $? > "$2.exit.tmp"; mv "$2.exit.tmp" "$2.exit"' _ "$jobscript" "$dir/$id" < /dev/null > /dev/null 2>&1 &
echo $! > "$dir/$id.pid"
echo "$id"
