#!/usr/bin/env bash
# Runs every Ladybug test on a fresh machine: installs what is missing (apt: chromium for the
# browser tests, openssh-server for the sandbox VMs, shellcheck for the bootstrap scripts,
# kubernetes-client for kubectl against the sandbox clusters' API unless a kubectl is there,
# postgresql and redis-server for the replica tests, which run their own servers on loopback ports),
# restores NuGet packages, builds with warnings as errors, runs unit, integration and end-to-end tests, and
# checks that a published console serves the top-level wwwroot.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v chromium >/dev/null || missing+=(chromium)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh-keygen >/dev/null || missing+=(openssh-client)
command -v shellcheck >/dev/null || missing+=(shellcheck)
command -v kubectl >/dev/null || missing+=(kubernetes-client)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-liberation >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet restore Ladybug.sln
dotnet build Ladybug.sln -c Release --no-restore
echo "== Unit tests (no process, socket or database file)"
dotnet test tests/Unit/Ladybug.Tests.Unit.csproj -c Release --no-build --filter "Category=Unit" --logger "console;verbosity=minimal"
echo "== Integration tests (sshd, the sandbox cloud, consoles, SQLite and PostgreSQL)"
dotnet test tests/Unit/Ladybug.Tests.Unit.csproj -c Release --no-build --filter "Category!=Unit" --logger "console;verbosity=normal"
echo "== End-to-end tests (Chromium)"
dotnet test tests/E2E/Ladybug.Tests.E2E.csproj -c Release --no-build --logger "console;verbosity=normal"
./scripts/check-assets.sh
echo "All tests passed."
