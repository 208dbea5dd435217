#!/usr/bin/env bash
# The machine section of docs/benchmarks.md: what the figures were measured on, when, and with what command.
set -euo pipefail
# A trial run with BENCH_OPTIONS (e.g. shorter windows) says so.
command="${BENCH_OPTIONS:+BENCH_OPTIONS=\"$BENCH_OPTIONS\" }./bench.sh${1:+ $1}"
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
memory="$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
os="$(. /etc/os-release && echo "$PRETTY_NAME")"
echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') with \`$command\` on $(nproc) cores ($cpu), $memory, $os,"
echo ".NET $(dotnet --version) (SDK), Release build, $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)."
