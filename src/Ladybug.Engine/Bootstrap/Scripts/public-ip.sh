#!/usr/bin/env bash
# ladybug-step: public-ip
# Nodes in different clouds reach each other only by public IP, but a cloud VM usually sees only
# its private IP on its NIC (the public one is 1:1 NAT). So the public IP is added to the NIC as a
# /32 alias and the kubelet registers it as the node IP (KUBELET_EXTRA_ARGS=--node-ip). The public
# IP can change on reboot, so two units re-apply this on every boot: the alias and node-ip before
# the kubelet starts, the CNI annotations (Kilo force-endpoint, flannel public-ip-overwrite) once
# the node is registered.
NODE_NAME="$(arg node-name)"
PUBLIC_IP="$(arg public-ip)"
CNI="$(arg cni)"

mkdir -p /etc/ladybug
cat > /etc/ladybug/node.env <<ENV
NODE_NAME=${NODE_NAME}
PUBLIC_IP=${PUBLIC_IP}
CNI=${CNI}
DETECT_URL=https://checkip.amazonaws.com
ENV

cat > /usr/local/sbin/ladybug-public-ip <<'HELPER'
#!/usr/bin/env bash
# Usage: ladybug-public-ip address [boot] | annotate
set -euo pipefail
# shellcheck source=/dev/null
. /etc/ladybug/node.env

valid_ipv4() { [[ "$1" =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}$ ]]; }

apply_address() {
  local ip="$PUBLIC_IP" detected iface old_iface
  if [[ "${1:-}" == boot ]]; then
    detected="$(curl -fsS --max-time 5 "$DETECT_URL" 2>/dev/null | tr -d '[:space:]' || true)"
    if valid_ipv4 "$detected" && [[ "$detected" != "$PUBLIC_IP" ]]; then
      echo "public IP changed from ${PUBLIC_IP} to ${detected}"
      old_iface="$(ip -4 -o addr show | awk -v a="${PUBLIC_IP}/32" '$4 == a {print $2; exit}')"
      if [[ -n "$old_iface" ]]; then
        ip addr del "${PUBLIC_IP}/32" dev "$old_iface"
      fi
      ip="$detected"
      sed -i "s/^PUBLIC_IP=.*/PUBLIC_IP=${ip}/" /etc/ladybug/node.env
    fi
  fi
  if ip -4 -o addr show | grep -q " ${ip}/"; then
    echo "public IP ${ip} is already on an interface"
  else
    iface="$(ip -4 route show default | awk '{print $5; exit}')"
    [[ -n "$iface" ]] || { echo "no default route to put the public IP on" >&2; exit 1; }
    ip addr add "${ip}/32" dev "$iface"
    echo "public IP ${ip} added to ${iface}"
  fi
  printf 'KUBELET_EXTRA_ARGS=--node-ip=%s\n' "$ip" > /etc/default/kubelet
}

annotate() {
  if [[ ! -f /etc/kubernetes/kubelet.conf ]]; then
    echo "node not joined yet; nothing to annotate"
    return 0
  fi
  local annotations=()
  case "$CNI" in
    kilo) annotations=("kilo.squat.ai/force-endpoint=${PUBLIC_IP}:51820") ;;
    canal) annotations=("flannel.alpha.coreos.com/public-ip-overwrite=${PUBLIC_IP}") ;;
    *) echo "unknown CNI ${CNI}" >&2; exit 1 ;;
  esac
  kubectl --kubeconfig /etc/kubernetes/kubelet.conf annotate --overwrite node "$NODE_NAME" "${annotations[@]}"
}

case "${1:-}" in
  address) apply_address "${2:-}" ;;
  annotate) annotate ;;
  *) echo "usage: $0 address [boot] | annotate" >&2; exit 2 ;;
esac
HELPER
chmod 0755 /usr/local/sbin/ladybug-public-ip

cat > /etc/systemd/system/ladybug-public-ip.service <<'UNIT'
[Unit]
Description=Ladybug: public IP alias and kubelet node-ip
Wants=network-online.target
After=network-online.target
Before=kubelet.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/sbin/ladybug-public-ip address boot

[Install]
WantedBy=multi-user.target
UNIT

cat > /etc/systemd/system/ladybug-annotate.service <<'UNIT'
[Unit]
Description=Ladybug: CNI public-IP annotations on this node
After=kubelet.service ladybug-public-ip.service
StartLimitIntervalSec=0

[Service]
Type=simple
ExecStart=/usr/local/sbin/ladybug-public-ip annotate
Restart=on-failure
RestartSec=10s

[Install]
WantedBy=multi-user.target
UNIT

systemctl daemon-reload
/usr/local/sbin/ladybug-public-ip address
systemctl enable ladybug-public-ip.service ladybug-annotate.service
if systemctl is-active --quiet kubelet; then
  systemctl restart kubelet
fi
log "Node ${NODE_NAME} registers as ${PUBLIC_IP} (${CNI} annotations re-applied on every boot)"
