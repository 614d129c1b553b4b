#!/usr/bin/env bash
# ladybug-step: fetch-kubeconfig
# Prints the admin kubeconfig. Ladybug never logs this output: it rewrites the server to the
# public endpoint, seals the result and stores it.
[[ -f "$ADMIN_KUBECONFIG" ]] || die "${ADMIN_KUBECONFIG} does not exist on this node"
cat "$ADMIN_KUBECONFIG"
