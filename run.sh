#!/usr/bin/env bash
# Runs the Ladybug console on the embedded sandbox cloud at http://localhost:1470.
# On a fresh machine it first installs OpenSSH's server (the sandbox's VMs are real sshd processes).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x /usr/sbin/sshd ] || ! command -v ssh-keygen >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends openssh-server openssh-client >/dev/null
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
exec dotnet run --project src/Ladybug.Web/Ladybug.Web.csproj -c Release --no-launch-profile -- --urls "${LADYBUG_URLS:-http://localhost:1470}" --Ladybug:Sandbox:DemoCluster=true "$@"
