#!/usr/bin/env bash
# ladybug-step: join-token
# Mints a join token (for adding nodes later, or when a resumed job lost the one from init) and
# prints the join command. With --certificate-key it also re-uploads the control-plane
# certificates under that key and prints the control-plane join command.
TOKEN="$(arg token)"
TTL="$(arg ttl)"
CERTIFICATE_KEY="$(arg_or certificate-key "")"

# Creating a token that exists fails; this step may run again after a restart.
kubeadm token delete "${TOKEN%%.*}" >/dev/null 2>&1 || true
if [[ -n "$CERTIFICATE_KEY" ]]; then
  kubeadm init phase upload-certs --upload-certs --certificate-key "$CERTIFICATE_KEY"
  kubeadm token create "$TOKEN" --ttl "$TTL" --print-join-command --certificate-key "$CERTIFICATE_KEY"
else
  kubeadm token create "$TOKEN" --ttl "$TTL" --print-join-command
fi
