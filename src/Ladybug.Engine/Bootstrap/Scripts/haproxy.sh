#!/usr/bin/env bash
# ladybug-step: haproxy
# Node-local load balancer for HA clusters (the Kubespray way): every worker runs its own haproxy
# on 127.0.0.1 that balances over all control planes, and the fixed API endpoint name resolves to
# 127.0.0.1 on that worker. No shared load balancer, so no single point of failure.
ENDPOINT_HOST="$(arg endpoint-host)"
PORT="$(arg port)"

apt_install haproxy

servers=""
index=0
while IFS= read -r backend; do
  [[ -n "$backend" ]] || continue
  index=$((index + 1))
  servers+="    server control-plane-${index} ${backend} check check-ssl verify none inter 5s fall 3 rise 2"$'\n'
done < <(arg_list backend)
(( index > 0 )) || die "no --backend given"

cat > /etc/haproxy/haproxy.cfg.ladybug <<CFG
# Written by Ladybug: node-local load balancer for the Kubernetes API.
global
    log /dev/log local0
    maxconn 4000

defaults
    log global
    mode tcp
    option tcplog
    option dontlognull
    timeout connect 5s
    timeout client 1h
    timeout server 1h

frontend kubernetes-api
    bind 127.0.0.1:${PORT}
    default_backend control-planes

backend control-planes
    balance roundrobin
    # An API server that accepts connections is not yet one that serves: ask /readyz over TLS (anonymous
    # access to it is allowed by the system:public-info-viewer role). The CA is not on the worker, so no verify.
    option httpchk GET /readyz
    http-check expect status 200
${servers}
CFG
haproxy -c -f /etc/haproxy/haproxy.cfg.ladybug
mv /etc/haproxy/haproxy.cfg.ladybug /etc/haproxy/haproxy.cfg
systemctl enable haproxy
systemctl restart haproxy
map_endpoint "$ENDPOINT_HOST" 127.0.0.1
log "haproxy on 127.0.0.1:${PORT} balances over ${index} control planes"
