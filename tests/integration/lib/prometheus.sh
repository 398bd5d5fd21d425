# shellcheck shell=bash source-path=SCRIPTDIR
# Starts Debian's Prometheus and Alertmanager servers, and a webhook
# receiver that records Alertmanager's notifications, for the tests of the
# shipped rules and dashboard. Source it after harness.sh or engine.sh.
#
# Every server listens on a free loopback port and keeps its storage under
# HARNESS_DIR. harness_spawn stops them by pid in the EXIT trap, and the
# trap then removes HARNESS_DIR.
#
# To run Prometheus in a network namespace in /var/run/netns, on that
# namespace's loopback address, set PROMETHEUS_NETNS to its name before
# prometheus_start. prometheus_curl and prometheus_query then enter it too.
PROMETHEUS_NETNS=${PROMETHEUS_NETNS:-}

_prometheus_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=harness.sh
source "$_prometheus_lib_dir/harness.sh"

PROMETHEUS_REPO_ROOT=$(cd "$_prometheus_lib_dir/../../.." && pwd)
export PROMETHEUS_REPO_ROOT

# Sets the caller's array "launcher" to the command prefix that runs a
# program in PROMETHEUS_NETNS, or to nothing when that is empty. Only the
# network namespace is entered, as engine.sh does for dockerd. nsenter
# executes the program in its own process, so its pid is the program's.
_prometheus_netns_launcher() {
  launcher=()
  if [[ -n $PROMETHEUS_NETNS ]]; then
    launcher=(nsenter "--net=/var/run/netns/$PROMETHEUS_NETNS")
  fi
}

# _prometheus_status URL IN_NETNS
# Prints the HTTP status of a GET of URL, or 000 when the connection
# failed. IN_NETNS 1 sends the request from PROMETHEUS_NETNS.
_prometheus_status() {
  local url=$1 in_netns=$2
  local -a launcher=()
  if ((in_netns)); then
    _prometheus_netns_launcher
  fi
  "${launcher[@]}" curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
    "$url" || true
}

# _prometheus_wait_ready NAME PID URL TIMEOUT_SECONDS IN_NETNS
# Waits until URL returns 200, and fails when the process exits first.
_prometheus_wait_ready() {
  local name=$1 pid=$2 url=$3 timeout=$4 in_netns=$5
  local deadline=$((SECONDS + timeout))
  until [[ $(_prometheus_status "$url" "$in_netns") == 200 ]]; do
    if harness_process_gone "$pid"; then
      fail "$name (pid $pid) exited at startup; its log is printed below"
    fi
    if ((SECONDS >= deadline)); then
      fail "$name (pid $pid) did not answer $url with 200 within" \
        "${timeout}s"
    fi
    sleep 0.2
  done
}

# alertmanager_start CONFIG_FILE
# Starts prometheus-alertmanager with CONFIG_FILE and clustering turned
# off, and waits for /-/ready. Sets ALERTMANAGER_PID, ALERTMANAGER_URL and
# ALERTMANAGER_ADDRESS (host:port).
alertmanager_start() {
  local config=$1 port log=$HARNESS_DIR/alertmanager.log
  command -v prometheus-alertmanager >/dev/null ||
    fail "prometheus-alertmanager not found; install it" \
      "(scripts/bootstrap --test)"
  port=$(harness_free_port)
  ALERTMANAGER_ADDRESS=127.0.0.1:$port
  ALERTMANAGER_URL=http://$ALERTMANAGER_ADDRESS
  mkdir -p "$HARNESS_DIR/alertmanager-data"
  # An empty --cluster.listen-address turns off the gossip listener, which
  # otherwise binds 0.0.0.0:9094.
  harness_spawn "$log" prometheus-alertmanager \
    "--config.file=$config" \
    "--storage.path=$HARNESS_DIR/alertmanager-data" \
    "--web.listen-address=$ALERTMANAGER_ADDRESS" \
    --cluster.listen-address=
  ALERTMANAGER_PID=$HARNESS_SPAWNED_PID
  _prometheus_wait_ready alertmanager "$ALERTMANAGER_PID" \
    "$ALERTMANAGER_URL/-/ready" 20 0
  harness_log "alertmanager serving on $ALERTMANAGER_URL" \
    "(pid $ALERTMANAGER_PID)"
}

# prometheus_start CONFIG_FILE
# Starts Debian's prometheus with CONFIG_FILE and waits for /-/ready. Sets
# PROMETHEUS_PID and PROMETHEUS_URL.
prometheus_start() {
  local config=$1 port log=$HARNESS_DIR/prometheus.log
  local -a launcher
  _prometheus_netns_launcher
  command -v prometheus >/dev/null ||
    fail "prometheus not found; install it (scripts/bootstrap --test)"
  port=$(harness_free_port)
  PROMETHEUS_URL=http://127.0.0.1:$port
  mkdir -p "$HARNESS_DIR/prometheus-data"
  harness_spawn "$log" "${launcher[@]}" prometheus \
    "--config.file=$config" \
    "--storage.tsdb.path=$HARNESS_DIR/prometheus-data" \
    "--web.listen-address=127.0.0.1:$port"
  PROMETHEUS_PID=$HARNESS_SPAWNED_PID
  _prometheus_wait_ready prometheus "$PROMETHEUS_PID" \
    "$PROMETHEUS_URL/-/ready" 30 1
  harness_log "prometheus serving on $PROMETHEUS_URL (pid $PROMETHEUS_PID)"
}

# webhook_receiver_start
# Starts webhook_receiver.py on a free loopback port. Sets
# WEBHOOK_URL and WEBHOOK_LOG, the file with one notification a line.
webhook_receiver_start() {
  local port
  port=$(harness_free_port)
  # shellcheck disable=SC2034 # read by the scripts that source this file
  WEBHOOK_URL=http://127.0.0.1:$port/
  WEBHOOK_LOG=$HARNESS_DIR/notifications.jsonl
  : >"$WEBHOOK_LOG"
  harness_spawn "$HARNESS_DIR/webhook_receiver.log" python3 \
    "$_prometheus_lib_dir/webhook_receiver.py" "$port" "$WEBHOOK_LOG"
  WEBHOOK_PID=$HARNESS_SPAWNED_PID
  # Any HTTP status shows that the receiver listens: GET returns 501.
  if ! wait_until 10 _webhook_receiver_listening "$port"; then
    fail "webhook receiver (pid $WEBHOOK_PID) did not listen on port" \
      "$port within 10s"
  fi
}

_webhook_receiver_listening() {
  harness_process_alive "$WEBHOOK_PID" &&
    [[ $(_prometheus_status "http://127.0.0.1:$1/" 0) != 000 ]]
}

# prometheus_curl PATH [CURL_ARGS...]
# Prints the body of a request to PROMETHEUS_URL/PATH. Fails (without
# exiting) when the request fails.
prometheus_curl() {
  local path=$1
  shift
  local -a launcher
  _prometheus_netns_launcher
  "${launcher[@]}" curl -s --fail --max-time 10 "$@" "$PROMETHEUS_URL$path"
}

# prometheus_query EXPR
# Prints the JSON response of an instant query. Fails (without exiting)
# when the request fails.
prometheus_query() {
  prometheus_curl /api/v1/query --data-urlencode "query=$1"
}
