#!/usr/bin/env bash
# ladybug-step: label
# Labels every node with where it runs, in one pass from the first control plane, and sets the
# CNI annotations that make cross-cloud traffic use public IPs:
#   kilo:  location = the node itself (full mesh), persistent keepalive, force-endpoint = public IP
#   canal: flannel public-ip-overwrite = public IP; a node whose annotation changed, or whose flannel
#          still publishes another address (the boot helper rewrote the overwrite after canal had
#          started), gets its canal pod restarted, because flannel reads the overwrite only when it
#          starts and other nodes send VXLAN to the public-ip it publishes.
# Each --node is name,csp,region,zone,public-ip.
CNI="$(arg cni)"
restart=()

while IFS=, read -r name csp region zone public_ip; do
  [[ -n "$name" ]] || continue
  kubectl_admin label --overwrite node "$name" \
    "topology.cloud-barista.github.io/csp=${csp}" \
    "topology.kubernetes.io/region=${region}" \
    "topology.kubernetes.io/zone=${zone}" >/dev/null
  case "$CNI" in
    kilo)
      kubectl_admin annotate --overwrite node "$name" \
        "kilo.squat.ai/location=${name}" \
        "kilo.squat.ai/persistent-keepalive=25" \
        "kilo.squat.ai/force-endpoint=${public_ip}:51820" >/dev/null
      ;;
    canal)
      current="$(kubectl_admin get node "$name" -o 'jsonpath={.metadata.annotations.flannel\.alpha\.coreos\.com/public-ip-overwrite}')"
      published="$(kubectl_admin get node "$name" -o 'jsonpath={.metadata.annotations.flannel\.alpha\.coreos\.com/public-ip}')"
      if [[ "$current" != "$public_ip" ]]; then
        kubectl_admin annotate --overwrite node "$name" "flannel.alpha.coreos.com/public-ip-overwrite=${public_ip}" >/dev/null
        restart+=("$name")
      elif [[ -n "$published" && "$published" != "$public_ip" ]]; then
        log "${name}: flannel still publishes ${published}; restarting it to take ${public_ip}"
        restart+=("$name")
      fi
      ;;
    *) die "unknown CNI '${CNI}'" ;;
  esac
  log "${name}: csp=${csp} region=${region} zone=${zone} public-ip=${public_ip}"
done < <(arg_list node)

for name in ${restart[@]+"${restart[@]}"}; do
  kubectl_admin -n kube-system delete pod -l k8s-app=canal --field-selector "spec.nodeName=${name}" --ignore-not-found --wait=false
done
