#!/usr/bin/env bash
# ladybug-step: reset
# Undoes a failed or partial kubeadm init/join on this node so the join can be tried again:
# kubeadm reset, CNI configuration and interfaces, and the iptables rules kube-proxy left.
CRI_SOCKET="$(arg cri-socket)"

if command -v kubeadm >/dev/null; then
  kubeadm reset -f --cri-socket "$CRI_SOCKET"
fi
rm -rf /etc/cni/net.d/* /var/lib/kilo
for link in kube-bridge kilo0 cni0 flannel.1 cali.tunl0 tunl0; do
  if ip link show "$link" >/dev/null 2>&1; then
    ip link delete "$link" || log "could not delete interface ${link}"
  fi
done
iptables-save | grep -vE 'KUBE-|CALI-|cali:|flannel|KILO' | iptables-restore
for runtime in containerd docker; do
  if systemctl is-active --quiet "$runtime"; then
    systemctl restart "$runtime"
  fi
done
log "kubeadm state on $(hostname) reset"
