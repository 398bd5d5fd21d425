# shellcheck shell=bash source-path=SCRIPTDIR
# Starts the exporter under test and reads its HTTP endpoints. Source it
# after harness.sh or engine.sh.
#
# EXPORTER_BIN names the binary. When it is unset, the dev preset's build
# output is used (build with `cmake --preset dev && cmake --build --preset
# dev`).

_exporter_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=harness.sh
source "$_exporter_lib_dir/harness.sh"

_exporter_repo_root=$(cd "$_exporter_lib_dir/../../.." && pwd)
_exporter_dev_bin=$_exporter_repo_root/build/dev/exporter/docker_compliance_exporter
EXPORTER_BIN=${EXPORTER_BIN:-$_exporter_dev_bin}
_exporter_count=0

# exporter_require_bin
# Exits the script unless EXPORTER_BIN is an executable file.
exporter_require_bin() {
  if [[ ! -x $EXPORTER_BIN ]]; then
    fail "exporter binary $EXPORTER_BIN not found or not executable;" \
      "build it or set EXPORTER_BIN to its path"
  fi
}

# http_status URL [CURL_ARGS...]
# Prints the HTTP status code of a GET, or 000 when the connection failed.
http_status() {
  local url=$1
  shift
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" "$url" || true
}

# exporter_start [FLAGS...]
# Starts the exporter on a free loopback port with FLAGS, and waits up to
# 10 s until /-/healthy returns 200. Sets EXPORTER_PID, EXPORTER_PORT,
# EXPORTER_URL (http://127.0.0.1:PORT) and EXPORTER_LOG.
exporter_start() {
  exporter_require_bin
  EXPORTER_PORT=$(harness_free_port)
  EXPORTER_URL=http://127.0.0.1:$EXPORTER_PORT
  _exporter_count=$((_exporter_count + 1))
  EXPORTER_LOG=$HARNESS_DIR/exporter-$_exporter_count.log
  harness_spawn "$EXPORTER_LOG" "$EXPORTER_BIN" \
    "--web.listen-address=127.0.0.1:$EXPORTER_PORT" "$@"
  EXPORTER_PID=$HARNESS_SPAWNED_PID
  if ! wait_until 10 _exporter_healthy_or_gone; then
    fail "exporter (pid $EXPORTER_PID) did not serve $EXPORTER_URL/-/healthy" \
      "within 10s"
  fi
  if harness_process_gone "$EXPORTER_PID"; then
    fail "exporter exited at startup; its log is printed below"
  fi
  harness_log "exporter serving on $EXPORTER_URL (pid $EXPORTER_PID)"
}

_exporter_healthy_or_gone() {
  harness_process_gone "$EXPORTER_PID" ||
    [[ $(http_status "$EXPORTER_URL/-/healthy") == 200 ]]
}

# exporter_scrape
# Prints the body of /metrics. Fails (without exiting) unless the status is
# 200, so that it can be polled.
exporter_scrape() {
  curl -s --fail --max-time 5 "$EXPORTER_URL/metrics"
}

# series_value EXPOSITION SERIES
# Prints the value of SERIES, such as up or up{job="x"}, written exactly as
# the exposition writes it, or nothing when the series is absent.
series_value() {
  local exposition=$1 series=$2
  printf '%s\n' "$exposition" |
    awk -v series="$series" 'index($0, series " ") == 1 { print $2 }'
}

# exporter_series_value SERIES
# Prints the value of SERIES in a fresh scrape, or nothing when the series
# is absent or the scrape failed.
exporter_series_value() {
  local exposition
  exposition=$(exporter_scrape) || return 0
  series_value "$exposition" "$1"
}

# exporter_series_is SERIES VALUE
exporter_series_is() {
  [[ $(exporter_series_value "$1") == "$2" ]]
}

# exporter_series_absent SERIES
# Succeeds when a scrape succeeds and does not contain SERIES.
exporter_series_absent() {
  local exposition
  exposition=$(exporter_scrape) || return 1
  [[ -z $(series_value "$exposition" "$1") ]]
}

# exporter_wait_ready TIMEOUT_SECONDS
# Waits until /-/ready returns 200, which the exporter does after its first
# successful refresh.
exporter_wait_ready() {
  local timeout=$1
  if ! wait_until "$timeout" _exporter_ready; then
    fail "/-/ready did not return 200 within ${timeout}s; last status" \
      "$(http_status "$EXPORTER_URL/-/ready")"
  fi
  pass "/-/ready returns 200"
}

_exporter_ready() {
  [[ $(http_status "$EXPORTER_URL/-/ready") == 200 ]]
}
