#!/usr/bin/env bash
# Installs the native libraries seqgen links (Debian/Ubuntu) when they are missing, and
# chooses OpenBLAS's AVX-512 kernel on CPUs that have it. Source it: `. scripts/setup.sh`.
# Build dependencies: OpenBLAS, zlib, HDF5, FreeType (figure text). At run time figures
# use the DejaVu Sans font (fonts-dejavu-core); the tests check .npz files with python3 + numpy,
# `unzip -t` (unzip) and `file` (file), and which writes are flushed with strace.
need=()
for pkg in libopenblas-dev zlib1g-dev libhdf5-dev libfreetype-dev fonts-dejavu-core unzip file strace; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
python3 -c 'import numpy' >/dev/null 2>&1 || need+=(python3-numpy)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]}" >&2
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
# The many-families workflow (workflow/) runs on Snakemake; its summary figure uses matplotlib.
# The slurm and lsf executor plugins let the checks dry-run those profiles (no batch system needed).
if ! python3 -c "import snakemake, snakemake_executor_plugin_cluster_generic, snakemake_executor_plugin_slurm, snakemake_executor_plugin_lsf, matplotlib" >/dev/null 2>&1; then
    echo "installing snakemake, its cluster-generic, slurm and lsf executors and matplotlib (pip)" >&2
    python3 -m pip install -q --disable-pip-version-check "snakemake>=9,<10" snakemake-executor-plugin-cluster-generic \
        snakemake-executor-plugin-slurm snakemake-executor-plugin-lsf matplotlib >/dev/null 2>&1 \
        || echo "warning: could not install snakemake with pip; the workflow checks will fail" >&2
fi
# Debian's OpenBLAS 0.3.21 picks its Haswell kernel on Zen 5 and Prescott on Sapphire Rapids; SkylakeX is 2-3x faster there.
# The same rule as seqgen's own (Tensors' BLAS.preferredKernel), for numpy and PyTorch in the benchmarks: SkylakeX only where
# the CPU has AVX-512 F/BW/DQ/VL (else SIGILL), Haswell where it has AVX2 and FMA.
if [ -z "${OPENBLAS_CORETYPE:-}" ] && [ -r /proc/cpuinfo ]; then
    cpu_flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
    has() { for f in "$@"; do case "$cpu_flags" in *" $f "*) ;; *) return 1 ;; esac; done; }
    if has avx512f avx512bw avx512dq avx512vl; then
        export OPENBLAS_CORETYPE=SkylakeX
    elif has avx2 fma; then
        export OPENBLAS_CORETYPE=Haswell
    fi
    unset -f has; unset cpu_flags
fi
# OpenBLAS's idle pool threads spin ≈ 0.1 s at start-up and after each threaded call; 4 = sleep at once
# (seqgen sets the same before it opens OpenBLAS; this is for numpy and PyTorch in the benchmarks).
export OPENBLAS_THREAD_TIMEOUT=${OPENBLAS_THREAD_TIMEOUT:-4}
