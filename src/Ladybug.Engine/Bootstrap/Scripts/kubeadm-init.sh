#!/usr/bin/env bash
# ladybug-step: kubeadm-init
# Initialises the first control plane. The API endpoint is a fixed name (every node maps it in
# /etc/hosts), the certificate carries that name and every control-plane public IP, and the
# bootstrap token and certificate key come from Ladybug so it can redact them from every log.
NODE_NAME="$(arg node-name)"
K8S_VERSION="$(arg kubernetes-version)"
API_VERSION="$(arg kubeadm-api-version)"
ADVERTISE_ADDRESS="$(arg advertise-address)"
ENDPOINT="$(arg endpoint)"
CERT_SANS="$(arg cert-sans)"
POD_CIDR="$(arg pod-cidr)"
SERVICE_CIDR="$(arg service-cidr)"
DNS_DOMAIN="$(arg dns-domain)"
CRI_SOCKET="$(arg cri-socket)"
IMAGE_REPOSITORY="$(arg image-repository)"
# Only where kubeadm's own default is not registry.k8s.io (1.23.0-1.23.14): kubeadm then calls registry.k8s.io
# "custom" and asks for the flat registry.k8s.io/coredns:<tag>, which does not exist; the nested path does.
DNS_IMAGE_REPOSITORY="$(arg_or dns-image-repository '')"
CLUSTER_NAME="$(arg cluster-name)"
TOKEN="$(arg token)"
CERTIFICATE_KEY="$(arg certificate-key)"
ETCD_LISTEN_CLIENT_URLS="$(arg etcd-listen-client-urls)"
ETCD_LISTEN_PEER_URLS="$(arg etcd-listen-peer-urls)"
EXTRA_ARGS_FORM="$(arg extra-args-form)"
ENDPOINT_HOST="${ENDPOINT%:*}"
BIND_PORT="${ENDPOINT##*:}"
CONFIG=/etc/kubernetes/ladybug-kubeadm-init.yaml

if [[ -f "$ADMIN_KUBECONFIG" ]]; then
  die "this node already ran kubeadm init (${ADMIN_KUBECONFIG} exists); reset it before initialising again"
fi

# Control planes reach the API through themselves.
map_endpoint "$ENDPOINT_HOST" 127.0.0.1

sans=""
IFS=, read -ra san_list <<< "$CERT_SANS"
for san in "${san_list[@]}"; do
  sans+="  - \"${san}\""$'\n'
done

# etcd listens on every address and keeps advertising the public one: the cloud's 1:1 NAT delivers traffic for
# the public IP to the private one, where kubeadm's default listeners (the advertise address) are not.
# extraArgs is a map up to kubeadm v1beta3 and a list of name/value pairs from v1beta4.
case "$EXTRA_ARGS_FORM" in
  map)
    etcd_extra_args="    extraArgs:
      listen-client-urls: \"${ETCD_LISTEN_CLIENT_URLS}\"
      listen-peer-urls: \"${ETCD_LISTEN_PEER_URLS}\"" ;;
  list)
    etcd_extra_args="    extraArgs:
    - name: listen-client-urls
      value: \"${ETCD_LISTEN_CLIENT_URLS}\"
    - name: listen-peer-urls
      value: \"${ETCD_LISTEN_PEER_URLS}\"" ;;
  *) die "--extra-args-form=${EXTRA_ARGS_FORM} is neither map nor list" ;;
esac

dns=""
if [[ -n "$DNS_IMAGE_REPOSITORY" ]]; then
  printf -v dns 'dns:\n  imageRepository: "%s"\n' "$DNS_IMAGE_REPOSITORY"
fi

mkdir -p /etc/kubernetes
umask 077
trap 'rm -f "$CONFIG"' EXIT
cat > "$CONFIG" <<CFG
apiVersion: ${API_VERSION}
kind: InitConfiguration
bootstrapTokens:
- token: "${TOKEN}"
  ttl: 24h0m0s
  usages: [signing, authentication]
  groups: [system:bootstrappers:kubeadm:default-node-token]
certificateKey: "${CERTIFICATE_KEY}"
localAPIEndpoint:
  advertiseAddress: "${ADVERTISE_ADDRESS}"
  bindPort: ${BIND_PORT}
nodeRegistration:
  name: "${NODE_NAME}"
  criSocket: "${CRI_SOCKET}"
---
apiVersion: ${API_VERSION}
kind: ClusterConfiguration
clusterName: "${CLUSTER_NAME}"
kubernetesVersion: "v${K8S_VERSION}"
controlPlaneEndpoint: "${ENDPOINT}"
imageRepository: "${IMAGE_REPOSITORY}"
${dns}networking:
  podSubnet: "${POD_CIDR}"
  serviceSubnet: "${SERVICE_CIDR}"
  dnsDomain: "${DNS_DOMAIN}"
etcd:
  local:
${etcd_extra_args}
apiServer:
  certSANs:
${sans}---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
CFG
umask 022

log "kubeadm init: endpoint ${ENDPOINT}, pods ${POD_CIDR}, services ${SERVICE_CIDR}, domain ${DNS_DOMAIN}"
kubeadm init --config "$CONFIG" --upload-certs
