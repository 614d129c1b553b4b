#!/usr/bin/env bash
# ladybug-step: join-control-plane
# Joins a further control plane. While it joins, the API endpoint name points at a control plane
# that already runs; once its own API server is up, the name points at itself (127.0.0.1).
NODE_NAME="$(arg node-name)"
ENDPOINT="$(arg endpoint)"
BOOTSTRAP_IP="$(arg bootstrap-ip)"
ADVERTISE_ADDRESS="$(arg advertise-address)"
CRI_SOCKET="$(arg cri-socket)"
TOKEN="$(arg token)"
DISCOVERY_HASH="$(arg discovery-hash)"
CERTIFICATE_KEY="$(arg certificate-key)"
ENDPOINT_HOST="${ENDPOINT%:*}"

if [[ -f "$ADMIN_KUBECONFIG" ]] && kubectl_admin get node "$NODE_NAME" >/dev/null 2>&1; then
  map_endpoint "$ENDPOINT_HOST" 127.0.0.1
  log "${NODE_NAME} is already a control plane of this cluster"
  exit 0
fi

map_endpoint "$ENDPOINT_HOST" "$BOOTSTRAP_IP"
kubeadm join "$ENDPOINT" --token "$TOKEN" --discovery-token-ca-cert-hash "$DISCOVERY_HASH" \
  --control-plane --certificate-key "$CERTIFICATE_KEY" \
  --apiserver-advertise-address "$ADVERTISE_ADDRESS" --node-name "$NODE_NAME" --cri-socket "$CRI_SOCKET"
map_endpoint "$ENDPOINT_HOST" 127.0.0.1
# kube-proxy and Kilo run with hostNetwork and reach the API by the endpoint name from the kube-proxy
# kubeconfig; the kubelet copied /etc/hosts into their containers when they started during the join,
# when the name still pointed at the bootstrap control plane. Restarted, they use this node's API server.
kubectl_admin -n kube-system delete pod -l k8s-app=kube-proxy --field-selector "spec.nodeName=${NODE_NAME}" --ignore-not-found --wait=false
kubectl_admin -n kube-system delete pod -l app.kubernetes.io/name=kilo --field-selector "spec.nodeName=${NODE_NAME}" --ignore-not-found --wait=false
log "${NODE_NAME} joined as a control plane"
