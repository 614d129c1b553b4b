#!/usr/bin/env bash
# ladybug-step: renew-certificates
# On one control plane: renews every certificate kubeadm manages here (kubeadm certs renew all: the PKI's leaf
# certificates and those embedded in admin.conf, controller-manager.conf and scheduler.conf), then restarts the
# control-plane static pods so they load them. kubeadm does not restart them, and the kubelet restarts a static pod
# only when its manifest leaves /etc/kubernetes/manifests and comes back (kubeadm's "Manual certificate renewal").
# The engine runs it on one control plane at a time; it ends once this API server answers again with the
# renewed admin.conf. It may run again: renewing twice only issues newer certificates.
NODE_NAME="$(arg node-name)"
TIMEOUT_SECONDS="$(arg timeout-seconds)"
# "certs", or "alpha certs" before kubeadm v1.20 graduated the command.
read -ra CERTS_COMMAND <<<"$(arg certs-command)"
readonly MANIFESTS=/etc/kubernetes/manifests
readonly PARKED=/etc/kubernetes/manifests.ladybug-restart
readonly LIVEZ=https://127.0.0.1:6443/livez

[[ "$(hostname)" == "$NODE_NAME" ]] || die "this node is $(hostname), not ${NODE_NAME}"

# Manifests parked by this run (or by one cut short) go back whatever happens: a control plane is never left down.
restore_manifests() {
  if compgen -G "${PARKED}/*.yaml" >/dev/null; then
    mv -f "${PARKED}"/*.yaml "${MANIFESTS}/"
    log "static pod manifests are back in ${MANIFESTS}"
  fi
}
trap restore_manifests EXIT
restore_manifests
[[ -f "${MANIFESTS}/kube-apiserver.yaml" ]] || die "${NODE_NAME} is not a control plane: ${MANIFESTS}/kube-apiserver.yaml does not exist"

api_answers() { curl -ksf --max-time 5 -o /dev/null "$LIVEZ"; }
api_silent() { ! api_answers; }
# Ready (etcd restarts with it) and accepting the renewed admin.conf, which the engine fetches next.
admin_ready() { kubectl_admin get --raw=/readyz >/dev/null 2>&1; }
# wait_for WHAT CHECK: polls CHECK every 2 s for at most TIMEOUT_SECONDS.
wait_for() {
  local deadline=$((SECONDS + TIMEOUT_SECONDS))
  until "$2"; do
    (( SECONDS < deadline )) || die "$1 did not happen within ${TIMEOUT_SECONDS}s"
    sleep 2
  done
}

kubeadm "${CERTS_COMMAND[@]}" renew all

mkdir -p "$PARKED"
mv "${MANIFESTS}"/*.yaml "${PARKED}/"
log "static pod manifests moved to ${PARKED}; waiting for the kubelet to stop the control-plane pods"
wait_for "the API server stopping" api_silent
restore_manifests
log "waiting for the API server to start with the renewed certificates"
wait_for "the API server answering again" api_answers
wait_for "the API server being ready for the renewed admin.conf" admin_ready
log "${NODE_NAME}: certificates renewed; its API server is healthy with them"
