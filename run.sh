#!/usr/bin/env bash
# Runs the Ladybug console on the embedded sandbox cloud at http://localhost:1470.
# On a fresh machine it first installs OpenSSH's server (the sandbox's VMs are real sshd processes).
# The console logs warnings and errors only, so its start-up output ends with one block: where to open it, the user,
# the password (first start) or how to reset it, and the sandbox emulator's own address. More detail:
# ./run.sh --Logging:LogLevel:Default=Information
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x /usr/sbin/sshd ] || ! command -v ssh-keygen >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends openssh-server openssh-client >/dev/null
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# A build of its own, with MSBuild's progress on screen: 'dotnet run' builds silently, a quiet minute on a first run.
echo "Building Ladybug (a minute or two the first time)..."
dotnet build src/Ladybug.Web/Ladybug.Web.csproj -c Release -v:minimal
echo "Starting Ladybug..."
# Kestrel warns once per response of the sandbox clusters' Kubernetes APIs about HTTP/2 headers it drops: noise here.
exec dotnet run --project src/Ladybug.Web/Ladybug.Web.csproj -c Release --no-build --no-launch-profile -- \
  --urls "${LADYBUG_URLS:-http://localhost:1470}" --Ladybug:Sandbox:DemoCluster=true \
  --Logging:LogLevel:Default=Warning --Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel=Error "$@"
