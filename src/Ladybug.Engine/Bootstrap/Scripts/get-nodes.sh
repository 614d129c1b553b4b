#!/usr/bin/env bash
# ladybug-step: get-nodes
# The cluster watch's fallback when the console cannot reach the API endpoint: the Nodes as this control plane's own
# API server has them, as JSON on stdout (nothing else goes to stdout).
kubectl_admin get nodes -o json
