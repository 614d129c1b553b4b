#!/usr/bin/env bash
# ladybug-step: cni
# Applies the pod network from its official manifest, pinned to the catalog's version, with the
# requested pod CIDR (the manifests are downloaded, patched and applied; never embedded).
#   canal: flannel's net-conf "Network" is set to the pod CIDR.
#   kilo:  Kilo is the CNI; each node's pod subnet comes from its podCIDR, which the controller
#          manager carves out of kubeadm's podSubnet. Every node is its own location (full mesh).
CNI="$(arg cni)"
POD_CIDR="$(arg pod-cidr)"
MANIFEST_URL="$(arg manifest-url)"
# Pinned manifests are checked, so what is applied is exactly the upstream file the catalog names.
MANIFEST_SHA256="$(arg_or manifest-sha256 '')"
MANIFEST=/tmp/ladybug-cni.yaml

grep -q -- "--cluster-cidr=${POD_CIDR}" /etc/kubernetes/manifests/kube-controller-manager.yaml \
  || die "the controller manager does not allocate node subnets from ${POD_CIDR}"

download "$MANIFEST_URL" "$MANIFEST"
if [[ -n "$MANIFEST_SHA256" ]]; then
  printf '%s  %s\n' "$MANIFEST_SHA256" "$MANIFEST" | sha256sum --check --quiet \
    || die "the manifest from ${MANIFEST_URL} does not have sha256 ${MANIFEST_SHA256}"
fi
case "$CNI" in
  canal)
    grep -qE '"Network": "[0-9./]+"' "$MANIFEST" || die "canal manifest has no flannel \"Network\" setting to patch"
    sed -i -E "s#\"Network\": \"[0-9./]+\"#\"Network\": \"${POD_CIDR}\"#" "$MANIFEST"
    grep -qF "\"Network\": \"${POD_CIDR}\"" "$MANIFEST" || die "could not set the pod CIDR in the canal manifest"
    ;;
  kilo)
    crds="$(arg crds-url)"
    image="$(arg image)"
    download "$crds" /tmp/ladybug-kilo-crds.yaml
    kubectl_admin apply -f /tmp/ladybug-kilo-crds.yaml
    rm -f /tmp/ladybug-kilo-crds.yaml
    sed -i -E "s#image: (docker\.io/)?squat/kilo(:[^[:space:]]*)?#image: ${image}#" "$MANIFEST"
    sed -i -E 's#^( *)- --hostname=\$\(NODE_NAME\)$#&\n\1- --mesh-granularity=full#' "$MANIFEST"
    grep -q -- '--mesh-granularity=full' "$MANIFEST" || die "could not configure Kilo's full mesh"
    grep -qF "image: ${image}" "$MANIFEST" || die "could not pin the Kilo image to ${image}"
    ;;
  *) die "unknown CNI '${CNI}'" ;;
esac
kubectl_admin apply -f "$MANIFEST"
rm -f "$MANIFEST"
log "${CNI} applied with pod CIDR ${POD_CIDR}"
