#!/usr/bin/env bash
# ladybug-step: wait-ready
# Waits until every given node reports Ready, then prints one machine-readable line per node:
#   ladybug-node: <name> <kubelet version>
TIMEOUT_SECONDS="$(arg timeout-seconds)"
nodes=()
while IFS= read -r name; do
  [[ -n "$name" ]] || continue
  nodes+=("node/${name}")
done < <(arg_list node)
(( ${#nodes[@]} > 0 )) || die "no --node given"

if ! kubectl_admin wait --for=condition=Ready --timeout="${TIMEOUT_SECONDS}s" "${nodes[@]}"; then
  kubectl_admin get nodes -o wide >&2 || true
  die "not every node was Ready within ${TIMEOUT_SECONDS}s"
fi
for node in "${nodes[@]}"; do
  printf 'ladybug-node: %s %s\n' "${node#node/}" "$(kubectl_admin get "$node" -o 'jsonpath={.status.nodeInfo.kubeletVersion}')"
done
