#!/usr/bin/env bash
# Proves the console serves its static assets (the top-level wwwroot, Blazor's script, MudBlazor's styles) in
# Production both as ./run.sh runs it (dotnet run on the build output) and as `dotnet publish` lays it out.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
data="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$out" "$data"' EXIT

# Starts the console from the given directory with the given command, checks every asset, stops it.
check() {
  local mode="$1" dir="$2"; shift 2
  local port=$(( 20000 + RANDOM % 20000 ))
  (cd "$dir" && exec "$@" --urls "http://127.0.0.1:$port" --Ladybug:DataDir="$data/$mode") >"$data/$mode.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$data/$mode.log"; exit 1; }
  curl -fsS "http://127.0.0.1:$port/favicon.svg" | grep -q "<svg" || { echo "$mode: no wwwroot/favicon.svg"; exit 1; }
  curl -fsS "http://127.0.0.1:$port/maps/world-110m.svg" | grep -q "<svg" || { echo "$mode: no wwwroot/maps/world-110m.svg"; exit 1; }
  curl -fsS "http://127.0.0.1:$port/_framework/blazor.web.js" | grep -q "Blazor" || { echo "$mode: no _framework/blazor.web.js"; exit 1; }
  curl -fsS "http://127.0.0.1:$port/_content/MudBlazor/MudBlazor.min.css" | grep -q "mud-" || { echo "$mode: no MudBlazor styles"; exit 1; }
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  echo "$mode: the console serves wwwroot, Blazor and MudBlazor assets."
}

check run "$PWD" dotnet run --project src/Ladybug.Web/Ladybug.Web.csproj -c Release --no-build --no-launch-profile --
dotnet publish src/Ladybug.Web/Ladybug.Web.csproj -c Release -o "$out" --nologo -v quiet
check publish "$out" ./Ladybug.Web
