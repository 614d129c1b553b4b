#!/usr/bin/env bash
# ladybug-step: public-ip
# Nodes in different clouds reach each other only by public IP, but a cloud VM usually sees only
# its private IP on its NIC (the public one is 1:1 NAT). So the public IP is added to the VM as a
# /32 and the kubelet registers it as the node IP (KUBELET_EXTRA_ARGS=--node-ip). The address lives
# on a dummy interface of its own, not on the NIC: systemd-networkd manages the NIC (netplan on
# Ubuntu cloud images) and drops addresses it did not configure whenever it restarts (an upgrade
# of systemd, a netplan apply), while it leaves an interface declared Unmanaged=yes alone. Not lo:
# software that lists a node's addresses (flannel, Kilo, kube-proxy) skips loopback. The public
# IP can change on reboot, so two units re-apply this on every boot: the alias and node-ip before
# the kubelet starts, the CNI annotations (Kilo force-endpoint, flannel public-ip-overwrite) once
# the node is registered.
NODE_NAME="$(arg node-name)"
PUBLIC_IP="$(arg public-ip)"
CNI="$(arg cni)"
ADDRESS_INTERFACE="$(arg address-interface)"

mkdir -p /etc/ladybug
cat > /etc/ladybug/node.env <<ENV
NODE_NAME=${NODE_NAME}
PUBLIC_IP=${PUBLIC_IP}
CNI=${CNI}
ADDRESS_INTERFACE=${ADDRESS_INTERFACE}
DETECT_URL=https://checkip.amazonaws.com
ENV

mkdir -p /etc/systemd/network
cat > "/etc/systemd/network/10-${ADDRESS_INTERFACE}.network" <<NETWORK
# Written by Ladybug: the public IP lives here; systemd-networkd must not manage (and flush) it.
[Match]
Name=${ADDRESS_INTERFACE}

[Link]
Unmanaged=yes
NETWORK

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
  if ! ip link show "$ADDRESS_INTERFACE" >/dev/null 2>&1; then
    ip link add "$ADDRESS_INTERFACE" type dummy
  fi
  ip link set "$ADDRESS_INTERFACE" up
  iface="$(ip -4 -o addr show | awk -v a="${ip}/32" '$4 == a {print $2; exit}')"
  if [[ "$iface" == "$ADDRESS_INTERFACE" ]]; then
    echo "public IP ${ip} is already on ${iface}"
  else
    if [[ -n "$iface" ]]; then
      # Left on the NIC by an older Ladybug: move it where networkd cannot flush it.
      ip addr del "${ip}/32" dev "$iface"
    fi
    ip addr add "${ip}/32" dev "$ADDRESS_INTERFACE"
    echo "public IP ${ip} added to ${ADDRESS_INTERFACE}"
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
Description=Ladybug: public IP address and kubelet node-ip
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
