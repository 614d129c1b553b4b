#!/usr/bin/env bash
# ladybug-step: drain-delete-node
# Runs on a control plane that stays: drains the node, removes its etcd member when it is a
# control plane (kubeadm does not, and a dead member costs quorum), and deletes the Node object.
# A node that is already gone is not an error, so the step can run again.
NODE_NAME="$(arg node-name)"
ROLE="$(arg role)"
DELETE_DATA_FLAG="$(arg delete-data-flag)"
TIMEOUT_SECONDS="$(arg timeout-seconds)"

if ! kubectl_admin get node "$NODE_NAME" >/dev/null 2>&1; then
  log "${NODE_NAME} is not part of the cluster (any more)"
else
  kubectl_admin drain "$NODE_NAME" --ignore-daemonsets --force "$DELETE_DATA_FLAG" --timeout="${TIMEOUT_SECONDS}s"
fi

if [[ "$ROLE" == control-plane ]]; then
  etcd_pod="$(kubectl_admin -n kube-system get pods -l component=etcd --field-selector "spec.nodeName!=${NODE_NAME}" \
    -o 'jsonpath={.items[0].metadata.name}')"
  [[ -n "$etcd_pod" ]] || die "no other etcd member is running; refusing to remove ${NODE_NAME}'s member"
  etcdctl=(kubectl_admin -n kube-system exec "$etcd_pod" -- etcdctl --endpoints=https://127.0.0.1:2379
    --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt
    --key=/etc/kubernetes/pki/etcd/server.key)
  member_id="$("${etcdctl[@]}" member list | awk -F', ' -v n="$NODE_NAME" '$3 == n {print $1}')"
  if [[ -n "$member_id" ]]; then
    "${etcdctl[@]}" member remove "$member_id"
    log "etcd member ${member_id} of ${NODE_NAME} removed"
  else
    log "${NODE_NAME} has no etcd member (any more)"
  fi
fi

kubectl_admin delete node "$NODE_NAME" --ignore-not-found
log "${NODE_NAME} removed from the cluster"
