#!/usr/bin/env bash
# ladybug-step: pod-network
# Checks the pod network's tunnel from this node to every given peer (--peer=name,address): pings the peer's overlay
# address, which answers only through the tunnel (canal: VXLAN over 8472/udp; kilo: WireGuard over 51820/udp). A node
# is Ready as soon as its CNI config exists, whether or not the tunnel carries anything, so this is what shows a
# port the clouds drop. All peers are pinged at once, each until it answers or the time is up. One line per peer:
#   ladybug-pod-network: <name> <address> reachable|unreachable
CNI="$(arg cni)"
TIMEOUT_SECONDS="$(arg timeout-seconds)"
command -v ping >/dev/null || die "ping is not installed (package iputils-ping)"
results="$(mktemp -d)"
deadline=$((SECONDS + TIMEOUT_SECONDS))

probe() {
  local name="$1" address="$2" output
  until output="$(ping -n -q -c 1 -W 2 "$address" 2>&1)"; do
    if (( SECONDS >= deadline )); then
      printf '%s\n' "$output" | tail -n 2 >&2
      printf 'unreachable' > "${results}/${name}"
      return 0
    fi
    sleep 1
  done
  printf 'reachable' > "${results}/${name}"
}

peers=()
while IFS= read -r peer; do
  [[ -n "$peer" ]] || continue
  peers+=("$peer")
  probe "${peer%%,*}" "${peer#*,}" &
done < <(arg_list peer)
(( ${#peers[@]} > 0 )) || die "no --peer given"
log "pinging ${#peers[@]} peer(s) through the ${CNI} tunnel (up to ${TIMEOUT_SECONDS}s each, all at once)"
wait
for peer in "${peers[@]}"; do
  printf 'ladybug-pod-network: %s %s %s\n' "${peer%%,*}" "${peer#*,}" "$(cat "${results}/${peer%%,*}")"
done
rm -rf "$results"
