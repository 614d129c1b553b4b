# Shared by every Ladybug bootstrap step. The renderer puts it right after the step marker and
# wraps the step body in a function, so bash has read the whole script from stdin before any
# command runs (a command that reads stdin could otherwise swallow the rest of the script).
set -Eeuo pipefail
export DEBIAN_FRONTEND=noninteractive
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
readonly LADYBUG_STEP="__LADYBUG_STEP__"
readonly ADMIN_KUBECONFIG=/etc/kubernetes/admin.conf

log() { printf '[ladybug] %s\n' "$*"; }
die() { printf '[ladybug] error: %s\n' "$*" >&2; exit 1; }
ladybug_on_error() {
  printf '[ladybug] %s failed (exit %s) at line %s: %s\n' "$LADYBUG_STEP" "$1" "$2" "$BASH_COMMAND" >&2
}
trap 'ladybug_on_error $? $LINENO' ERR

# Arguments are --name=value; a name given more than once collects its values one per line.
declare -A LADYBUG_ARGS=()
for ladybug_arg in "$@"; do
  case "$ladybug_arg" in
    --*=*)
      ladybug_key="${ladybug_arg%%=*}"
      ladybug_key="${ladybug_key#--}"
      if [[ -n "${LADYBUG_ARGS[$ladybug_key]+set}" ]]; then
        LADYBUG_ARGS[$ladybug_key]+=$'\n'"${ladybug_arg#*=}"
      else
        LADYBUG_ARGS[$ladybug_key]="${ladybug_arg#*=}"
      fi
      ;;
    *) die "unexpected argument '${ladybug_arg}' (expected --name=value)" ;;
  esac
done

# arg NAME: the value of a required argument.
arg() {
  [[ -n "${LADYBUG_ARGS[$1]+set}" ]] || die "missing argument --$1"
  printf '%s' "${LADYBUG_ARGS[$1]}"
}

# arg_or NAME DEFAULT: the value of an optional argument.
arg_or() {
  if [[ -n "${LADYBUG_ARGS[$1]+set}" ]]; then printf '%s' "${LADYBUG_ARGS[$1]}"; else printf '%s' "$2"; fi
}

# arg_list NAME: every value of a repeatable argument, one per line.
arg_list() {
  arg "$1"
  printf '\n'
}

# retry ATTEMPTS DELAY COMMAND...: clouds and mirrors fail transiently; give them a few chances.
retry() {
  local attempts="$1" delay="$2" n=1
  shift 2
  until "$@"; do
    if (( n >= attempts )); then
      return 1
    fi
    log "retrying in ${delay}s (attempt ${n}/${attempts} failed): $*"
    sleep "$delay"
    n=$((n + 1))
  done
}

download() {
  retry 5 5 curl -fsSL --connect-timeout 20 -o "$2" "$1"
}

# apt_get ARGS...: apt-get that waits out the apt/dpkg locks that cloud-init and first-boot unattended-upgrades
# hold (for many minutes on a 2-vCPU VM), logging the wait, and fails at once on any other error. apt >= 1.9.11
# waits for the dpkg lock itself (DPkg::Lock::Timeout); 18.04's apt 1.6 ignores that option, so lock errors are
# also retried here until the same budget is spent. Transient mirror errors get apt's own retries.
apt_get() {
  local budget deadline errors status
  budget="$(arg_or apt-lock-wait-seconds 900)"
  deadline=$((SECONDS + budget))
  errors="$(mktemp)"
  while true; do
    status=0
    apt-get -o DPkg::Lock::Timeout="$budget" -o Acquire::Retries=3 "$@" 2>"$errors" || status=$?
    cat "$errors" >&2
    if (( status == 0 )); then
      rm -f "$errors"
      return 0
    fi
    if ! grep -qE 'Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock' "$errors" || (( SECONDS >= deadline )); then
      rm -f "$errors"
      return "$status"
    fi
    log "waiting for the apt/dpkg lock ($((deadline - SECONDS))s of ${budget}s left)"
    sleep 10
  done
}

apt_updated=no
apt_install() {
  if [[ "$apt_updated" == no ]]; then
    apt_get update -qq
    apt_updated=yes
  fi
  apt_get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"
}

# map_endpoint HOST IP: the API endpoint is a fixed name; each node decides where it points.
map_endpoint() {
  sed -i '/# ladybug-api$/d' /etc/hosts
  printf '%s %s # ladybug-api\n' "$2" "$1" >> /etc/hosts
  log "API endpoint $1 now resolves to $2 on this node"
}

kubectl_admin() {
  kubectl --kubeconfig "$ADMIN_KUBECONFIG" "$@"
}
