#!/usr/bin/env bash
# ladybug-step: overlay-addresses
# Prints, for every given node, the address its pod network's tunnel answers on, once the CNI has published it:
#   canal: the node's podCIDR; flanneld puts that subnet's network address on flannel.1 (flannel
#          pkg/backend/vxlan/vxlan.go: lease.Subnet.IP/32, the lease being the node's spec.podCIDR).
#   kilo:  the kilo.squat.ai/wireguard-ip annotation Kilo writes for the address of the node's kilo0.
# One machine-readable line per node:
#   ladybug-overlay: <name> <podCIDR | WireGuard IP/prefix>
CNI="$(arg cni)"
TIMEOUT_SECONDS="$(arg timeout-seconds)"
case "$CNI" in
  canal) field='{.spec.podCIDR}' ;;
  kilo) field='{.metadata.annotations.kilo\.squat\.ai/wireguard-ip}' ;;
  *) die "unknown CNI '${CNI}'" ;;
esac
deadline=$((SECONDS + TIMEOUT_SECONDS))
while IFS= read -r name; do
  [[ -n "$name" ]] || continue
  value="$(kubectl_admin get node "$name" -o "jsonpath=${field}")"
  while [[ -z "$value" ]]; do
    (( SECONDS < deadline )) || die "node ${name} has no ${CNI} overlay address after ${TIMEOUT_SECONDS}s"
    sleep 2
    value="$(kubectl_admin get node "$name" -o "jsonpath=${field}")"
  done
  printf 'ladybug-overlay: %s %s\n' "$name" "$value"
done < <(arg_list node)
