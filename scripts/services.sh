#!/usr/bin/env bash
# Idempotent services bootstrap for Recon: PostgreSQL + RabbitMQ (with the
# management, prometheus and shovel plugins) + the orders/dispatch/recon
# databases. Run before the demo, the tests and CI.
#
#   scripts/services.sh           check, and start/install/create what is missing
#   scripts/services.sh --check   only check and report; never changes anything
#
# Configuration (environment, defaults in brackets):
#   RABBITMQ_URL             [amqp://guest:guest@127.0.0.1:5672]
#   RABBITMQ_MANAGEMENT_URL  [http://guest:guest@127.0.0.1:15672]
#   RECON_PG_ADMIN_URL       [postgres://postgres@127.0.0.1:5432/postgres]
#                            superuser connection, only used to create databases
#   ORDERS_DATABASE_URL      [postgres://postgres@127.0.0.1:5432/orders]
#   DISPATCH_DATABASE_URL    [postgres://postgres@127.0.0.1:5432/dispatch]
#   RECON_DATABASE_URL       [postgres://postgres@127.0.0.1:5432/recon]
#
# Installing/starting only ever happens for services on this machine
# (127.0.0.1 / localhost / ::1); installing needs root and apt-get.
# Passwords are never printed (URLs are shown as user:***@host).
set -euo pipefail

RABBITMQ_URL="${RABBITMQ_URL:-amqp://guest:guest@127.0.0.1:5672}"
RABBITMQ_MANAGEMENT_URL="${RABBITMQ_MANAGEMENT_URL:-http://guest:guest@127.0.0.1:15672}"
RECON_PG_ADMIN_URL="${RECON_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
ORDERS_DATABASE_URL="${ORDERS_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/orders}"
DISPATCH_DATABASE_URL="${DISPATCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/dispatch}"
RECON_DATABASE_URL="${RECON_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/recon}"

RABBITMQ_PLUGINS=(rabbitmq_management rabbitmq_prometheus rabbitmq_shovel rabbitmq_shovel_management)
DATABASE_VARS=(ORDERS_DATABASE_URL DISPATCH_DATABASE_URL RECON_DATABASE_URL)
PG_WAIT_SECONDS=60
RABBITMQ_WAIT_SECONDS=90
MGMT_WAIT_SECONDS=60

CHECK_ONLY=0
case "${1:-}" in
  "") ;;
  --check) CHECK_ONLY=1 ;;
  -h | --help)
    sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
    exit 0
    ;;
  *)
    echo "services: unknown argument '$1' (usage: $0 [--check])" >&2
    exit 2
    ;;
esac
if [[ $# -gt 1 ]]; then
  echo "services: too many arguments (usage: $0 [--check])" >&2
  exit 2
fi

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/recon-services.XXXXXX")"
trap 'rm -rf "$WORK_DIR"' EXIT

PROBLEMS=() # --check mode collects every problem, then reports them all

# log TEXT... : every line of TEXT prefixed with "services: ", to stderr
log() {
  local line
  while IFS= read -r line; do printf 'services: %s\n' "$line" >&2; done <<<"$*"
}

# die LINE... : print the lines (how to fix) and exit 1.
die() {
  local line
  for line in "$@"; do log "$line"; done
  exit 1
}

# problem LINE... : in --check mode remember the problem, otherwise die.
problem() {
  if [[ $CHECK_ONLY == 1 ]]; then
    local line
    for line in "$@"; do PROBLEMS+=("$line"); done
  else
    die "$@"
  fi
}

# show the last lines of a command log (apt-get, pg_ctlcluster, ...)
show_log() {
  [[ -s $1 ]] || return 0
  log "last lines of output:"
  tail -n 15 "$1" | sed 's/^/services:   | /' >&2
}

# ---------------------------------------------------------------- URL helpers

urldecode() {
  local s="$1"
  [[ $s == *%* ]] || { printf '%s' "$s"; return; }
  s="${s//\\/\\\\}"
  printf '%b' "${s//%/\\x}"
}

# parse_url URL DEFAULT_PORT -> U_SCHEME U_USER U_PASS U_HOST U_HOSTPORT U_PORT U_PATH
# userinfo ends at the last '@' (so an unencoded '@' in a password works).
parse_url() {
  local url="$1" rest userinfo="" hostport
  U_SCHEME="" U_USER="" U_PASS="" U_HOST="" U_HOSTPORT="" U_PORT="" U_PATH=""
  if [[ $url == *://* ]]; then
    U_SCHEME="${url%%://*}"
    rest="${url#*://}"
  else
    rest="$url"
  fi
  if [[ $rest == *@* ]]; then
    userinfo="${rest%@*}"
    rest="${rest##*@}"
  fi
  if [[ -n $userinfo ]]; then
    if [[ $userinfo == *:* ]]; then
      U_USER="$(urldecode "${userinfo%%:*}")"
      U_PASS="$(urldecode "${userinfo#*:}")"
    else
      U_USER="$(urldecode "$userinfo")"
    fi
  fi
  hostport="${rest%%[/?#]*}"
  U_PATH="${rest:${#hostport}}"
  U_PATH="${U_PATH%%[?#]*}"
  if [[ $hostport == \[* ]]; then # [::1]:5432
    U_HOST="${hostport#\[}"
    U_HOST="${U_HOST%%\]*}"
    U_PORT="${hostport##*\]}"
    U_PORT="${U_PORT#:}"
  else
    U_HOST="${hostport%%:*}"
    if [[ $hostport == *:* ]]; then U_PORT="${hostport#*:}"; fi
  fi
  U_HOST="${U_HOST:-localhost}"
  U_PORT="${U_PORT:-$2}"
  if [[ $U_HOST == *:* ]]; then U_HOSTPORT="[$U_HOST]:$U_PORT"; else U_HOSTPORT="$U_HOST:$U_PORT"; fi
  if ! [[ $U_PORT =~ ^[0-9]+$ ]]; then
    die "cannot parse a port out of '$(mask_url "$url")'"
  fi
}

# mask_url URL : the URL with its password replaced by ***
mask_url() {
  local url="$1" rest userinfo prefix=""
  if [[ $url == *://* ]]; then prefix="${url%%://*}://"; fi
  rest="${url#"$prefix"}"
  [[ $rest == *@* ]] || { printf '%s' "$url"; return; }
  userinfo="${rest%@*}"
  [[ $userinfo == *:* ]] || { printf '%s' "$url"; return; }
  printf '%s%s:***@%s' "$prefix" "${userinfo%%:*}" "${rest##*@}"
}

is_local_host() {
  case "$1" in
    localhost | ::1 | 127.*) return 0 ;;
    *) return 1 ;;
  esac
}

port_open() { # host port
  # shellcheck disable=SC2016 # $1/$2 expand in the child bash
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" >/dev/null 2>&1
}

can_install() { [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; }

APT_UPDATED=0
apt_install() { # package...
  local out="$WORK_DIR/apt.log"
  log "installing $* with apt-get (this can take a minute)"
  if [[ $APT_UPDATED == 0 ]]; then
    if ! apt-get update >"$out" 2>&1; then
      show_log "$out"
      die "apt-get update failed; install $* by hand and re-run $0"
    fi
    APT_UPDATED=1
  fi
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >>"$out" 2>&1; then
    show_log "$out"
    die "apt-get install -y $* failed; install it by hand and re-run $0"
  fi
}

# ----------------------------------------------------------------- PostgreSQL

parse_url "$RECON_PG_ADMIN_URL" 5432
PG_HOST="$U_HOST" PG_PORT="$U_PORT" PG_HOSTPORT="$U_HOSTPORT" PG_USER="${U_USER:-${PGUSER:-$(id -un)}}" PG_PASS="$U_PASS"
PG_ADMIN_MASKED="$(mask_url "$RECON_PG_ADMIN_URL")"
PG_INSTALLED_NOW=0

pg_version() { # version of the Debian cluster "main" on our port, else the first installed one
  local ver=""
  if command -v pg_lsclusters >/dev/null 2>&1; then
    ver="$(pg_lsclusters -h 2>/dev/null | awk -v p="$PG_PORT" '$3 == p && $2 == "main" { print $1; exit }')" || ver=""
  fi
  if [[ -z $ver ]]; then
    # shellcheck disable=SC2012 # version directory names are plain
    ver="$(ls /etc/postgresql 2>/dev/null | head -1)" || ver=""
  fi
  printf '%s' "$ver"
}

pg_howto() { # reason
  local ver
  ver="$(pg_version)"
  ver="${ver:-15}"
  if is_local_host "$PG_HOST"; then
    printf '%s\n' \
      "$1" \
      "PostgreSQL must answer at $PG_HOSTPORT (RECON_PG_ADMIN_URL=$PG_ADMIN_MASKED). To fix, as root on this machine:" \
      "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql   # if not installed" \
      "  pg_ctlcluster --skip-systemctl-redirect $ver main start" \
      "or run $0 as root (without --check), which does exactly that."
  else
    printf '%s\n' \
      "$1" \
      "PostgreSQL must answer at $PG_HOSTPORT (RECON_PG_ADMIN_URL=$PG_ADMIN_MASKED); that host is not local, so start it there," \
      "or point RECON_PG_ADMIN_URL and ORDERS/DISPATCH/RECON_DATABASE_URL at a reachable server (e.g. postgres://postgres@127.0.0.1:5432/postgres)."
  fi
}

# pg_admin SQL : run SQL as the admin user; stderr goes to $WORK_DIR/psql.err
pg_admin() {
  PGCONNECT_TIMEOUT=3 psql "$RECON_PG_ADMIN_URL" -X -w -q -t -A -v ON_ERROR_STOP=1 -c "$1" 2>"$WORK_DIR/psql.err"
}

pg_error_is_transient() {
  grep -qiE 'connection refused|could not connect|starting up|shutting down|timeout expired|closed the connection|no such file or directory' \
    "$WORK_DIR/psql.err"
}

pg_error_is_auth() {
  grep -qiE 'password authentication failed|no password supplied|no pg_hba.conf entry|role .* does not exist|peer authentication failed' \
    "$WORK_DIR/psql.err"
}

# Only for a cluster this script installed a moment ago: make the admin URL
# work (Debian's default pg_hba asks for a password on TCP connections).
pg_fresh_install_auth() {
  local ver hba sql esc
  ver="$(pg_version)"
  hba="/etc/postgresql/$ver/main/pg_hba.conf"
  [[ -n $ver && -f $hba ]] || return 1
  [[ $PG_USER =~ ^[A-Za-z0-9_]+$ ]] || return 1
  log "configuring the freshly installed cluster for user $PG_USER"
  if [[ $PG_USER != postgres ]]; then
    runuser -u postgres -- psql -X -q -c "create role \"$PG_USER\" superuser login" >/dev/null 2>&1 || true
  fi
  if [[ -n $PG_PASS ]]; then
    esc="${PG_PASS//\'/\'\'}"
    sql="alter role \"$PG_USER\" password '$esc'"
    runuser -u postgres -- psql -X -q -c "$sql" >/dev/null 2>&1 || return 1
  else
    sed -i -e '1i host all all 127.0.0.1/32 trust' -e '1i host all all ::1/128 trust' "$hba" || return 1
  fi
  pg_ctlcluster --skip-systemctl-redirect "$ver" main reload >/dev/null 2>&1 || return 1
}

pg_start_local() {
  local ver out="$WORK_DIR/pg_start.log"
  ver="$(pg_version)"
  if [[ -z $ver ]]; then
    if ! can_install; then
      die "$(pg_howto "PostgreSQL is not running at $PG_HOSTPORT and is not installed; installing needs root and apt-get.")"
    fi
    apt_install postgresql
    PG_INSTALLED_NOW=1
    ver="$(pg_version)"
    [[ -n $ver ]] || die "$(pg_howto "apt-get installed postgresql but /etc/postgresql has no cluster.")"
    # the package may already have started the cluster
    port_open "$PG_HOST" "$PG_PORT" && return 0
  fi
  log "starting PostgreSQL $ver (pg_ctlcluster --skip-systemctl-redirect $ver main start)"
  if ! pg_ctlcluster --skip-systemctl-redirect "$ver" main start >"$out" 2>&1 </dev/null; then
    if grep -qi 'already running' "$out" && ! port_open "$PG_HOST" "$PG_PORT"; then
      die "$(pg_howto "PostgreSQL $ver/main is already running, but nothing answers at $PG_HOSTPORT (pg_lsclusters shows its port; fix the port in RECON_PG_ADMIN_URL).")"
    elif ! grep -qi 'already running' "$out"; then
      show_log "$out"
      die "$(pg_howto "pg_ctlcluster --skip-systemctl-redirect $ver main start failed.")"
    fi
  fi
}

PG_OK=0
pg_ensure() { # sets PG_OK=1 when PostgreSQL answers to RECON_PG_ADMIN_URL
  if ! command -v psql >/dev/null 2>&1; then
    if [[ $CHECK_ONLY == 0 ]] && can_install; then
      if is_local_host "$PG_HOST" && ! port_open "$PG_HOST" "$PG_PORT" && [[ -z $(pg_version) ]]; then
        : # the server install below brings psql along
      else
        apt_install postgresql-client
      fi
    else
      problem "psql is not installed; install the PostgreSQL client: apt-get install -y postgresql-client"
      return 0
    fi
  fi

  if ! port_open "$PG_HOST" "$PG_PORT"; then
    if [[ $CHECK_ONLY == 1 ]]; then
      problem "$(pg_howto "PostgreSQL is not answering at $PG_HOSTPORT.")"
      return 0
    fi
    is_local_host "$PG_HOST" || die "$(pg_howto "PostgreSQL is not answering at $PG_HOSTPORT.")"
    pg_start_local
  fi

  local deadline=$((SECONDS + PG_WAIT_SECONDS)) fixed_auth=0
  : >"$WORK_DIR/psql.err"
  while :; do
    if port_open "$PG_HOST" "$PG_PORT" && pg_admin 'select 1' >/dev/null; then
      PG_OK=1
      return 0
    fi
    if [[ -s $WORK_DIR/psql.err ]] && ! pg_error_is_transient; then
      if [[ $PG_INSTALLED_NOW == 1 && $fixed_auth == 0 ]] && pg_error_is_auth && pg_fresh_install_auth; then
        fixed_auth=1
        continue
      fi
      sed 's/^/services:   psql: /' "$WORK_DIR/psql.err" >&2
      problem "PostgreSQL answers at $PG_HOSTPORT but psql \"$PG_ADMIN_MASKED\" -c 'select 1' fails (see above)." \
        "RECON_PG_ADMIN_URL must be a superuser connection that works without a prompt (put the password in the URL, or allow it in pg_hba.conf)."
      return 0
    fi
    if [[ $CHECK_ONLY == 1 || $SECONDS -ge $deadline ]]; then
      if [[ -s $WORK_DIR/psql.err ]]; then sed 's/^/services:   psql: /' "$WORK_DIR/psql.err" >&2; fi
      problem "$(pg_howto "PostgreSQL did not become ready at $PG_HOSTPORT within ${PG_WAIT_SECONDS}s.")"
      return 0
    fi
    sleep 1
  done
}

# db_ensure_all : create the three application databases when absent
db_ensure_all() {
  local var url name existing missing=() others=() masked
  local -A seen=()
  local names=()
  for var in "${DATABASE_VARS[@]}"; do
    url="${!var}"
    masked="$(mask_url "$url")"
    parse_url "$url" 5432
    name="${U_PATH##*/}"
    if ! [[ $name =~ ^[A-Za-z0-9_]+$ ]]; then
      die "$var=$masked: the database name '${name}' must match [A-Za-z0-9_]+ (set $var to postgres://user@host:port/name)."
    fi
    if [[ $U_HOST != "$PG_HOST" || $U_PORT != "$PG_PORT" ]]; then
      others+=("$var") # lives on another server: the admin URL cannot create it
      continue
    fi
    [[ -n ${seen[$name]:-} ]] && continue
    seen[$name]=1
    names+=("$name")
  done

  for var in "${others[@]}"; do
    if ! PGCONNECT_TIMEOUT=3 psql "${!var}" -X -w -q -t -A -c 'select 1' >/dev/null 2>"$WORK_DIR/psql.err"; then
      sed 's/^/services:   psql: /' "$WORK_DIR/psql.err" >&2
      problem "$var=$(mask_url "${!var}") is on another server than RECON_PG_ADMIN_URL ($PG_HOSTPORT) and does not answer;" \
        "create that database on its server, or point $var at $PG_HOSTPORT."
    fi
  done
  [[ ${#names[@]} -gt 0 ]] || return 0

  local list
  list="$(printf "'%s'," "${names[@]}")"
  if ! existing="$(pg_admin "select datname from pg_database where datname in (${list%,})")"; then
    sed 's/^/services:   psql: /' "$WORK_DIR/psql.err" >&2
    problem "cannot list databases with RECON_PG_ADMIN_URL=$PG_ADMIN_MASKED (see above)."
    return 0
  fi
  for name in "${names[@]}"; do
    grep -qxF "$name" <<<"$existing" || missing+=("$name")
  done
  [[ ${#missing[@]} -gt 0 ]] || return 0

  if [[ $CHECK_ONLY == 1 ]]; then
    local howto=()
    for name in "${missing[@]}"; do
      howto+=("  psql \"$PG_ADMIN_MASKED\" -c 'create database \"$name\"'")
    done
    problem "databases missing on $PG_HOSTPORT: ${missing[*]}; create them with $0 (without --check), or:" "${howto[@]}"
    return 0
  fi
  for name in "${missing[@]}"; do
    log "creating database $name"
    if ! pg_admin "create database \"$name\"" >/dev/null; then
      # another process may have created it concurrently
      if ! grep -qiE 'already exists|duplicate key' "$WORK_DIR/psql.err"; then
        sed 's/^/services:   psql: /' "$WORK_DIR/psql.err" >&2
        die "could not create database $name with RECON_PG_ADMIN_URL=$PG_ADMIN_MASKED (needs a superuser or CREATEDB role)."
      fi
    fi
  done
}

# ------------------------------------------------------------------- RabbitMQ

if [[ $RABBITMQ_URL == amqps://* ]]; then parse_url "$RABBITMQ_URL" 5671; else parse_url "$RABBITMQ_URL" 5672; fi
RB_HOST="$U_HOST" RB_PORT="$U_PORT" RB_HOSTPORT="$U_HOSTPORT" RB_USER="$U_USER" RB_PASS="$U_PASS"
RB_MASKED="$(mask_url "$RABBITMQ_URL")"

if [[ $RABBITMQ_MANAGEMENT_URL == https://* ]]; then parse_url "$RABBITMQ_MANAGEMENT_URL" 443; else parse_url "$RABBITMQ_MANAGEMENT_URL" 80; fi
MGMT_USER="${U_USER:-${RB_USER:-guest}}"
if [[ -n $U_USER ]]; then MGMT_PASS="$U_PASS"; elif [[ -n $RB_USER ]]; then MGMT_PASS="$RB_PASS"; else MGMT_PASS=guest; fi
MGMT_PATH="${U_PATH%/}"
MGMT_BASE="${U_SCHEME:-http}://${U_HOSTPORT}${MGMT_PATH}" # no credentials: safe to print
MGMT_STATUS=""

# mgmt_get PATH : body to $WORK_DIR/mgmt.json, HTTP status to MGMT_STATUS
# (credentials go through a curl config on stdin, not the command line)
mgmt_get() {
  local cred="$MGMT_USER:$MGMT_PASS"
  cred="${cred//\\/\\\\}"
  cred="${cred//\"/\\\"}"
  MGMT_STATUS="$(printf 'user = "%s"\n' "$cred" |
    curl -sS -K - --max-time 5 -o "$WORK_DIR/mgmt.json" -w '%{http_code}' "$MGMT_BASE$1" 2>/dev/null)" || true
  MGMT_STATUS="${MGMT_STATUS:-000}"
}

# mgmt_node_plugins : after a 200 from /api/overview, fetch enabled_plugins of
# the node that answered into $WORK_DIR/mgmt.json; fails when unavailable
# (the plain /api/nodes listing of 3.10 has no enabled_plugins field).
mgmt_node_plugins() {
  local node
  node="$(grep -o '"node":"[^"]*"' "$WORK_DIR/mgmt.json" | head -1 | cut -d'"' -f4)" || node=""
  [[ -n $node ]] || return 1
  mgmt_get "/api/nodes/$node?columns=enabled_plugins"
  [[ $MGMT_STATUS == 200 ]] && grep -q '"enabled_plugins"' "$WORK_DIR/mgmt.json"
}

# names from "enabled_plugins":[...] (explicitly enabled plugins, like list -e)
api_enabled_plugins() {
  tr -d '\n' <"$WORK_DIR/mgmt.json" |
    sed -n 's/.*"enabled_plugins":\[\([^]]*\)\].*/\1/p' | tr -d '" ' | tr ',' '\n'
}

missing_plugins() { # stdin: enabled plugin names, one per line
  local enabled p
  enabled="$(cat)"
  for p in "${RABBITMQ_PLUGINS[@]}"; do
    grep -qxF "$p" <<<"$enabled" || printf '%s\n' "$p"
  done
}

rabbit_howto() { # reason
  if is_local_host "$RB_HOST"; then
    printf '%s\n' \
      "$1" \
      "RabbitMQ must answer at $RB_HOSTPORT (RABBITMQ_URL=$RB_MASKED). To fix, as root on this machine:" \
      "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y rabbitmq-server   # if not installed" \
      "  rabbitmq-server -detached" \
      "  rabbitmq-plugins enable ${RABBITMQ_PLUGINS[*]}" \
      "or run $0 as root (without --check), which does exactly that."
  else
    printf '%s\n' \
      "$1" \
      "RabbitMQ must answer at $RB_HOSTPORT (RABBITMQ_URL=$RB_MASKED); that host is not local, so start it there," \
      "or point RABBITMQ_URL and RABBITMQ_MANAGEMENT_URL at a reachable broker (e.g. amqp://guest:guest@127.0.0.1:5672)."
  fi
}

rabbit_start_local() {
  local out="$WORK_DIR/rabbitmq_start.log"
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    if ! can_install; then
      die "$(rabbit_howto "RabbitMQ is not running at $RB_HOSTPORT and is not installed; installing needs root and apt-get.")"
    fi
    apt_install rabbitmq-server
    sleep 2
    port_open "$RB_HOST" "$RB_PORT" && return 0 # the package may have started it
  fi
  log "starting RabbitMQ (rabbitmq-server -detached)"
  # detached: output to a file, never a pipe (the daemon would keep it open)
  if ! rabbitmq-server -detached >"$out" 2>&1 </dev/null; then
    show_log "$out"
    die "$(rabbit_howto "rabbitmq-server -detached failed.")"
  fi
  local deadline=$((SECONDS + RABBITMQ_WAIT_SECONDS))
  until port_open "$RB_HOST" "$RB_PORT"; do
    if [[ $SECONDS -ge $deadline ]]; then
      show_log "$out"
      die "$(rabbit_howto "RabbitMQ did not start listening on $RB_HOSTPORT within ${RABBITMQ_WAIT_SECONDS}s (log: /var/log/rabbitmq/).")"
    fi
    sleep 1
  done
}

rabbit_ensure() {
  if ! port_open "$RB_HOST" "$RB_PORT"; then
    if [[ $CHECK_ONLY == 1 ]]; then
      problem "$(rabbit_howto "RabbitMQ is not answering at $RB_HOSTPORT.")"
      return 0
    fi
    is_local_host "$RB_HOST" || die "$(rabbit_howto "RabbitMQ is not answering at $RB_HOSTPORT.")"
    rabbit_start_local
  fi

  # Fast path: the management API answers and reports all plugins enabled.
  local plugins_missing="" have_cli=0 api_checked=0
  mgmt_get /api/overview
  if [[ $MGMT_STATUS == 401 ]]; then
    problem "the management API at $MGMT_BASE rejects user '$MGMT_USER' (HTTP 401); fix the credentials in RABBITMQ_MANAGEMENT_URL" \
      "(the guest user only works from localhost)."
    return 0
  fi
  if [[ $MGMT_STATUS == 200 ]]; then
    if mgmt_node_plugins; then
      plugins_missing="$(api_enabled_plugins | missing_plugins)"
      api_checked=1
      [[ -z $plugins_missing ]] && return 0
    fi
  fi

  if is_local_host "$RB_HOST" && command -v rabbitmq-plugins >/dev/null 2>&1; then
    have_cli=1
    local enabled
    if ! enabled="$(rabbitmq-plugins list -e -m -q 2>"$WORK_DIR/plugins.err")"; then
      show_log "$WORK_DIR/plugins.err"
      problem "rabbitmq-plugins list -e -m failed; run: rabbitmq-plugins enable ${RABBITMQ_PLUGINS[*]}"
      return 0
    fi
    plugins_missing="$(missing_plugins <<<"$enabled")"
    api_checked=1
  fi

  if [[ -n $plugins_missing ]]; then
    # shellcheck disable=SC2086 # one plugin name per word
    set -- $plugins_missing
    if [[ $CHECK_ONLY == 1 || $have_cli == 0 ]]; then
      if [[ $have_cli == 1 ]]; then
        problem "RabbitMQ plugins not enabled: $*;" \
          "run $0 (without --check), or: rabbitmq-plugins enable ${RABBITMQ_PLUGINS[*]}"
      else
        problem "RabbitMQ plugins not enabled: $*;" \
          "enable the plugins on the broker ($RB_HOST) with: rabbitmq-plugins enable ${RABBITMQ_PLUGINS[*]}"
      fi
      return 0
    fi
    log "enabling RabbitMQ plugins: $*"
    if ! rabbitmq-plugins enable "$@" >"$WORK_DIR/plugins.log" 2>&1 </dev/null; then
      show_log "$WORK_DIR/plugins.log"
      die "rabbitmq-plugins enable $* failed."
    fi
  fi

  local deadline=$((SECONDS + MGMT_WAIT_SECONDS))
  while :; do
    mgmt_get /api/overview
    [[ $MGMT_STATUS == 200 ]] && break
    if [[ $MGMT_STATUS == 401 ]]; then
      problem "the management API at $MGMT_BASE rejects user '$MGMT_USER' (HTTP 401); fix the credentials in RABBITMQ_MANAGEMENT_URL."
      return 0
    fi
    if [[ $CHECK_ONLY == 1 || $SECONDS -ge $deadline ]]; then
      if is_local_host "$RB_HOST"; then
        problem "the RabbitMQ management API does not answer at $MGMT_BASE/api/overview (HTTP $MGMT_STATUS)." \
          "Run: rabbitmq-plugins enable ${RABBITMQ_PLUGINS[*]}   (or $0 without --check); check RABBITMQ_MANAGEMENT_URL and /var/log/rabbitmq/."
      else
        problem "the RabbitMQ management API does not answer at $MGMT_BASE/api/overview (HTTP $MGMT_STATUS)." \
          "Enable the plugins on the broker ($RB_HOST) with: rabbitmq-plugins enable ${RABBITMQ_PLUGINS[*]}"
      fi
      return 0
    fi
    sleep 1
  done
  if [[ $api_checked == 0 ]]; then
    # remote broker, API was down before: verify the plugin list now
    if mgmt_node_plugins; then
      plugins_missing="$(api_enabled_plugins | missing_plugins)"
      if [[ -n $plugins_missing ]]; then
        problem "RabbitMQ plugins not enabled: $(tr '\n' ' ' <<<"$plugins_missing")" \
          "enable the plugins on the broker ($RB_HOST) with: rabbitmq-plugins enable ${RABBITMQ_PLUGINS[*]}"
      fi
    fi
  fi
}

# ----------------------------------------------------------------------- main

pg_ensure
if [[ $PG_OK == 1 ]]; then db_ensure_all; fi
rabbit_ensure

if [[ ${#PROBLEMS[@]} -gt 0 ]]; then
  log "check failed:"
  for line in "${PROBLEMS[@]}"; do log "$line"; done
  exit 1
fi
log "ready (postgres $PG_HOSTPORT, rabbitmq $RB_HOSTPORT, management $MGMT_BASE)"
