#!/usr/bin/env bash
# Builds Notify and runs every test: unit, contract and end-to-end (real processes, real HTTP).
# Needs only the .NET SDK; it installs anything else the tests need.
set -euo pipefail
cd "$(dirname "$0")"

configuration="${CONFIGURATION:-Release}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

dotnet build Notify.sln -c "$configuration" -warnaserror --nologo -v quiet
set +e
dotnet test Notify.sln -c "$configuration" --no-build --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line for the whole run, summed over the test assemblies.
awk '/(Passed|Failed)!/ {
       for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' FS='[ ,]+' "$log"
exit "$status"
