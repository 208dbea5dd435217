#!/usr/bin/env bash
# Builds Notify in Release, runs every benchmark and rewrites the measured sections of docs/benchmarks.md
# (between "<!-- bench:NAME begin -->" and "<!-- bench:NAME end -->") with this run's figures, the machine,
# the date and the command. Not part of ./test.sh: it takes the whole machine for a while.
#   ./bench.sh                    every benchmark
#   ./bench.sh PublishBench ...   only those named (folders of bench/)
#   BENCH_OPTIONS="--duration 3 --messages 1000" ./bench.sh ...   extra options for every benchmark (each
#                                 reads the ones it knows and ignores the rest), e.g. a short trial run
# Needs the .NET SDK; installs wrk (the HTTP load generator) from the system's packages when it is missing.
set -euo pipefail
cd "$(dirname "$0")"

sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk (HTTP load)..."
  $sudo_cmd apt-get update -qq || echo "apt-get update failed; trying the package lists already on this machine"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk >/dev/null
fi

dotnet build Notify.sln -c Release --nologo -v quiet
# dotnet-trace and dotnet-counters (dotnet-tools.json), for profiling a server a benchmark keeps running.
dotnet tool restore >/dev/null

all=(QueueBench PublishBench FanOutBench DeliveryBench ControlPlaneBench AwsBench)
if [ $# -gt 0 ]; then selected=("$@"); else selected=("${all[@]}"); fi

reports="$(mktemp -d)"
trap 'rm -rf "$reports"' EXIT

# Each benchmark writes its section (markdown) to --report; it exits non-zero when a check failed.
for name in "${selected[@]}"; do
  echo "== $name"
  # shellcheck disable=SC2086 # BENCH_OPTIONS is split into words on purpose
  dotnet run -c Release --no-build --project "bench/$name" -- --report "$reports/$name.md" ${BENCH_OPTIONS:-}
done

bench/machine.sh "$*" > "$reports/machine.md"
bench/splice-reports.sh docs/benchmarks.md "$reports"
echo "docs/benchmarks.md rewritten: git diff docs/benchmarks.md"
