#!/usr/bin/env bash
# ladybug-step: prepare
# Makes a fresh Ubuntu VM ready for kubeadm: hostname, swap off, kernel modules and sysctls,
# the container runtime and kubeadm/kubelet/kubectl of the exact version, WireGuard for Kilo.
# Safe to run again: every change checks or overwrites what is there.
NODE_NAME="$(arg node-name)"
K8S_VERSION="$(arg kubernetes-version)"
BINARIES="$(arg binaries)"
RUNTIME="$(arg runtime)"
# The runtime from the Ubuntu archive of this node's release (docker.io, containerd; name=version pins one).
RUNTIME_PACKAGE="$(arg runtime-package)"
WIREGUARD="$(arg wireguard)"
ARCH="$(dpkg --print-architecture)"

log "Preparing ${NODE_NAME}: Kubernetes ${K8S_VERSION}, ${RUNTIME}, binaries from ${BINARIES}"

# A fresh cloud VM is still busy with itself: let cloud-init finish first boot (it may install packages and
# rewrite the network config), and keep the apt timers from starting unattended-upgrades mid-bootstrap; they
# start again when this step ends (the runtime and Kubernetes packages are held by then).
if command -v cloud-init >/dev/null; then
  log "waiting for cloud-init to finish first boot"
  timeout "$(arg_or apt-lock-wait-seconds 900)" cloud-init status --wait >/dev/null || log "cloud-init did not report done; going on"
fi
systemctl stop apt-daily.timer apt-daily-upgrade.timer 2>/dev/null || true
trap 'systemctl start apt-daily.timer apt-daily-upgrade.timer 2>/dev/null || true' EXIT

hostnamectl set-hostname "$NODE_NAME"
if ! grep -qE "[[:space:]]${NODE_NAME}([[:space:]]|\$)" /etc/hosts; then
  printf '127.0.1.1 %s\n' "$NODE_NAME" >> /etc/hosts
fi

swapoff -a
sed -ri '/^[^#].*[[:space:]]swap[[:space:]]/s/^/#/' /etc/fstab

cat > /etc/modules-load.d/ladybug-k8s.conf <<'MODULES'
overlay
br_netfilter
MODULES
modprobe overlay
modprobe br_netfilter
cat > /etc/sysctl.d/99-ladybug-k8s.conf <<'SYSCTL'
net.bridge.bridge-nf-call-iptables = 1
net.bridge.bridge-nf-call-ip6tables = 1
net.ipv4.ip_forward = 1
SYSCTL
sysctl --system >/dev/null

apt_install apt-transport-https ca-certificates curl gnupg conntrack socat ebtables ethtool iptables ipset

install_docker() {
  # Kubernetes 1.18 talks to Docker through the kubelet's built-in dockershim.
  apt_install "$RUNTIME_PACKAGE"
  mkdir -p /etc/docker
  cat > /etc/docker/daemon.json <<'DOCKER'
{
  "exec-opts": ["native.cgroupdriver=systemd"],
  "log-driver": "json-file",
  "log-opts": { "max-size": "100m" },
  "storage-driver": "overlay2"
}
DOCKER
  systemctl enable docker
  systemctl restart docker
}

# edit_containerd_config FILE PAUSE_IMAGE: containerd's default config with the systemd cgroup driver and kubeadm's pause
# image. containerd 1.x (config version 2) names the pause image sandbox_image; 2.x (version 3, Ubuntu 24.04's
# containerd since 2.2.1-0ubuntu1~24.04.3) pins it as "sandbox" under [plugins.'io.containerd.cri.v1.images'.pinned_images].
edit_containerd_config() {
  # The kubelet uses the systemd cgroup driver; the runtime must agree or pods restart forever.
  sed -i 's/SystemdCgroup = false/SystemdCgroup = true/' "$1"
  sed -i -e "s#sandbox_image = .*#sandbox_image = \"$2\"#" -e "s#^\([[:space:]]*\)sandbox = .*#\1sandbox = '$2'#" "$1"
  grep -q 'SystemdCgroup = true' "$1" || die "containerd's default config has no SystemdCgroup switch"
  grep -qF -e "sandbox_image = \"$2\"" -e "sandbox = '$2'" "$1" || die "containerd's default config names no sandbox image"
}

install_containerd() {
  apt_install "$RUNTIME_PACKAGE"
  mkdir -p /etc/containerd
  containerd config default > /etc/containerd/config.toml
  edit_containerd_config /etc/containerd/config.toml "$(arg pause-image)"
  printf 'runtime-endpoint: unix:///run/containerd/containerd.sock\nimage-endpoint: unix:///run/containerd/containerd.sock\n' > /etc/crictl.yaml
  systemctl enable containerd
  systemctl restart containerd
}

install_release_binaries() {
  # The legacy apt repositories are gone and pkgs.k8s.io starts at 1.24: use the release
  # binaries with the kubelet unit and kubeadm drop-in ("without a package manager").
  local base bin cri_tools cni_plugins
  cri_tools="$(arg cri-tools-version)"
  cni_plugins="$(arg cni-plugins-version)"
  base="https://dl.k8s.io/release/v${K8S_VERSION}/bin/linux/${ARCH}"
  if [[ -x /usr/local/bin/kubeadm && "$(/usr/local/bin/kubeadm version -o short)" == "v${K8S_VERSION}" ]]; then
    log "kubeadm v${K8S_VERSION} is already installed"
  else
    for bin in kubeadm kubelet kubectl; do
      download "${base}/${bin}" "/tmp/ladybug-${bin}"
      download "${base}/${bin}.sha256" "/tmp/ladybug-${bin}.sha256"
      printf '%s  %s\n' "$(tr -d '[:space:]' < "/tmp/ladybug-${bin}.sha256")" "/tmp/ladybug-${bin}" | sha256sum --check --quiet
      install -m 0755 "/tmp/ladybug-${bin}" "/usr/local/bin/${bin}"
      rm -f "/tmp/ladybug-${bin}" "/tmp/ladybug-${bin}.sha256"
    done
  fi
  mkdir -p /opt/cni/bin
  download "https://github.com/containernetworking/plugins/releases/download/${cni_plugins}/cni-plugins-linux-${ARCH}-${cni_plugins}.tgz" /tmp/ladybug-cni-plugins.tgz
  tar -C /opt/cni/bin -xzf /tmp/ladybug-cni-plugins.tgz
  download "https://github.com/kubernetes-sigs/cri-tools/releases/download/${cri_tools}/crictl-${cri_tools}-linux-${ARCH}.tar.gz" /tmp/ladybug-crictl.tgz
  tar -C /usr/local/bin -xzf /tmp/ladybug-crictl.tgz
  rm -f /tmp/ladybug-cni-plugins.tgz /tmp/ladybug-crictl.tgz

  cat > /etc/systemd/system/kubelet.service <<'UNIT'
[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/local/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
UNIT
  mkdir -p /etc/systemd/system/kubelet.service.d
  cat > /etc/systemd/system/kubelet.service.d/10-kubeadm.conf <<'DROPIN'
# Note: This dropin only works with kubeadm and kubelet v1.11+
[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
# Written by "kubeadm init" and "kubeadm join" at runtime.
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
# Written by Ladybug's public-ip step: KUBELET_EXTRA_ARGS=--node-ip=<public ip>.
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/local/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
DROPIN
  systemctl daemon-reload
}

install_from_pkgs() {
  local repository
  repository="$(arg package-repository)"
  install -d -m 0755 /etc/apt/keyrings
  download "${repository}Release.key" /tmp/ladybug-kubernetes-release.key
  gpg --batch --yes --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg /tmp/ladybug-kubernetes-release.key
  rm -f /tmp/ladybug-kubernetes-release.key
  printf 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] %s /\n' "$repository" > /etc/apt/sources.list.d/kubernetes.list
  apt_updated=no
  apt_install --allow-change-held-packages "kubelet=${K8S_VERSION}-*" "kubeadm=${K8S_VERSION}-*" "kubectl=${K8S_VERSION}-*"
}

case "$RUNTIME" in
  docker) install_docker ;;
  containerd) install_containerd ;;
  *) die "unknown container runtime '${RUNTIME}'" ;;
esac

case "$BINARIES" in
  release) install_release_binaries ;;
  pkgs) install_from_pkgs ;;
  *) die "unknown binary source '${BINARIES}'" ;;
esac

if [[ "$WIREGUARD" == yes ]]; then
  # Kilo builds its encrypted mesh between clouds with WireGuard.
  apt_install wireguard
  modprobe wireguard || log "wireguard module not loadable yet; Kilo falls back to loading it itself"
fi

# An unattended upgrade must not restart the container runtime under running pods, nor move the
# Kubernetes packages off their pinned patch.
mapfile -t held < <(arg_list hold)
apt-mark hold "${held[@]}" >/dev/null
log "held against unattended upgrades: ${held[*]}"

systemctl enable kubelet
log "kubeadm $(kubeadm version -o short), kubelet $(kubelet --version | awk '{print $2}') ready on ${NODE_NAME}"
