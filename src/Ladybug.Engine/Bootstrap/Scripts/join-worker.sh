#!/usr/bin/env bash
# ladybug-step: join-worker
# Joins a worker. The API endpoint name points at the local haproxy (HA) or at the control plane.
# A node that is already registered is left alone, so a resumed job can run this again.
NODE_NAME="$(arg node-name)"
ENDPOINT="$(arg endpoint)"
ENDPOINT_IP="$(arg endpoint-ip)"
CRI_SOCKET="$(arg cri-socket)"
TOKEN="$(arg token)"
DISCOVERY_HASH="$(arg discovery-hash)"
ENDPOINT_HOST="${ENDPOINT%:*}"

map_endpoint "$ENDPOINT_HOST" "$ENDPOINT_IP"
if [[ -f /etc/kubernetes/kubelet.conf ]] && kubectl --kubeconfig /etc/kubernetes/kubelet.conf get node "$NODE_NAME" >/dev/null 2>&1; then
  log "${NODE_NAME} has already joined this cluster"
  exit 0
fi

kubeadm join "$ENDPOINT" --token "$TOKEN" --discovery-token-ca-cert-hash "$DISCOVERY_HASH" \
  --node-name "$NODE_NAME" --cri-socket "$CRI_SOCKET"
log "${NODE_NAME} joined as a worker"
