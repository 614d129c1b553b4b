#!/usr/bin/env bash
# Proves `dotnet publish` carries the top-level wwwroot: publish, start, fetch an asset, stop.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
data="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$out" "$data"' EXIT
dotnet publish src/Ladybug.Web/Ladybug.Web.csproj -c Release -o "$out" --nologo -v quiet
port=$(( 20000 + RANDOM % 20000 ))
(cd "$out" && exec ./Ladybug.Web --urls "http://127.0.0.1:$port" --Ladybug:DataDir="$data") >"$data/console.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$data/console.log"; exit 1; }
curl -fsS "http://127.0.0.1:$port/favicon.svg" | grep -q "<svg" || { echo "published console does not serve wwwroot/favicon.svg"; exit 1; }
echo "Published console serves the top-level wwwroot."
