#!/usr/bin/env bash
# Builds Notify and runs every test: unit, contract and end-to-end (real processes, real HTTP).
# Needs the .NET SDK, Node.js with npm and Python 3; it installs the servers the tests start for real:
# redis-server (and curl, for the README's commands) from the system's packages, dynalite (DynamoDB)
# and maildev (SMTP) from tests/servers/package-lock.json, and moto's server (SQS) with pip when it is
# not there.
set -euo pipefail
cd "$(dirname "$0")"

sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    $sudo_cmd apt-get update -qq || echo "apt-get update failed; trying the package lists already on this machine"
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@" >/dev/null
}

if ! command -v redis-server >/dev/null 2>&1; then
  echo "Installing redis-server (the cache ring's nodes in the tests)..."
  apt_install redis-server
  # The package starts a system-wide instance on 6379; the tests start their own on free ports.
  ($sudo_cmd systemctl disable --now redis-server >/dev/null 2>&1 || $sudo_cmd service redis-server stop >/dev/null 2>&1) || true
fi

# The cdk app's tests synthesize it, and the CDK's library runs in Node (jsii).
if ! command -v node >/dev/null 2>&1; then
  echo "Installing Node.js (the CDK synthesis in Notify.Cdk.Tests)..."
  apt_install nodejs
fi

# The README's commands are run as written by ReadmeTests: with curl, and each service in a process
# group of its own (setsid) so that stopping it stops everything it started.
if ! command -v curl >/dev/null 2>&1 || ! command -v setsid >/dev/null 2>&1; then
  echo "Installing curl and util-linux (the README's commands in the tests)..."
  apt_install curl util-linux
fi

# moto comes with some machines' Python; elsewhere it goes into a virtual environment of the tests'
# own (tests/servers/.venv), which the test fixtures prefer when it exists.
if ! python3 -c "import moto.server" >/dev/null 2>&1 && [ ! -x tests/servers/.venv/bin/python3 ]; then
  echo "Installing moto's server (the SQS server of the tests) into tests/servers/.venv..."
  python3 -m venv tests/servers/.venv
  tests/servers/.venv/bin/python3 -m pip install --quiet "moto[server]>=5,<6"
fi

if [ ! -f tests/servers/node_modules/.package-lock.json ] ||
   [ tests/servers/package-lock.json -nt tests/servers/node_modules/.package-lock.json ]; then
  echo "Installing the local AWS and SMTP servers (npm ci in tests/servers)..."
  (cd tests/servers && npm ci --no-audit --no-fund --loglevel=error)
fi

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
