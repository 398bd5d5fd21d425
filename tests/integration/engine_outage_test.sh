#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Checks that the exporter survives its engine going away. Started while
# the engine is absent, it serves with docker_compliance_up 0 and is not
# ready until the engine comes. When the engine stops, it keeps serving
# with docker_compliance_up 0, counts the failed refreshes, drops the
# container series once they are older than --docker.stale-after, and
# recovers when the same engine comes back. The same holds when dockerd is
# killed with SIGKILL while the exporter refreshes every second, and, through
# the lost event stream, while it refreshes once an hour.
#
# Usage: EXPORTER_BIN=path/to/docker_compliance_exporter \
#          bash tests/integration/engine_outage_test.sh
# Needs root, dockerd, the docker CLI, busybox-static, curl and ss
# (scripts/bootstrap --test installs them).
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/engine.sh
source "$test_dir/lib/engine.sh"
# shellcheck source=lib/exporter.sh
source "$test_dir/lib/exporter.sh"

readonly TEST_IMAGE=dce-busybox
readonly RO_SERIES='docker_container_rootfs_readonly{name="ro"}'
readonly VERSION_FAILURES='docker_compliance_refresh_failures_total{stage="version"}'
readonly STALE_AFTER_SECONDS=5

# Succeeds when the number VALUE is greater than zero. Counters may be
# written as 3 or 3e+00, so the comparison is numeric.
is_positive() {
  awk -v value="$1" 'BEGIN { exit !(value + 0 > 0) }'
}

# A created container is listed but has no processes, so stopping the
# engine is quick and the container is still there after the restart.
create_container() {
  engine_docker create --name ro --read-only "$TEST_IMAGE" sleep 3600 \
    >/dev/null
}

check_outage() {
  local exposition
  # The engine's socket is gone, so the next refresh (every 1 s) fails at
  # once instead of waiting for --docker.timeout.
  if ! wait_until 10 exporter_series_is docker_compliance_up 0; then
    fail "docker_compliance_up is" \
      "'$(exporter_series_value docker_compliance_up)' 10s after the" \
      "engine stopped, expected 0"
  fi
  pass "docker_compliance_up drops to 0"
  exposition=$(exporter_scrape) ||
    fail "GET /metrics did not return 200 while the engine is down"
  pass "/metrics returns 200 while the engine is down"
  assert_eq 1 "$(series_value "$exposition" "$RO_SERIES")" \
    "container series is kept within --docker.stale-after"
  is_positive "$(series_value "$exposition" "$VERSION_FAILURES")" ||
    fail "$VERSION_FAILURES is" \
      "'$(series_value "$exposition" "$VERSION_FAILURES")', expected > 0"
  pass "failed refreshes are counted at stage version"
  harness_process_alive "$EXPORTER_PID" ||
    fail "exporter (pid $EXPORTER_PID) exited when the engine stopped"
  pass "exporter keeps running"
}

check_stale_series_dropped() {
  local timeout=$((STALE_AFTER_SECONDS + 10))
  if ! wait_until "$timeout" exporter_series_absent "$RO_SERIES"; then
    fail "$RO_SERIES still exported ${timeout}s into the outage," \
      "with --docker.stale-after=${STALE_AFTER_SECONDS}s; last scrape:
$(exporter_scrape || true)"
  fi
  pass "container series dropped after --docker.stale-after"
  assert_eq 0 "$(exporter_series_value docker_compliance_up)" \
    "docker_compliance_up stays 0"
  harness_process_alive "$EXPORTER_PID" ||
    fail "exporter (pid $EXPORTER_PID) exited during the outage"
}

check_recovery() {
  if ! wait_until 15 exporter_series_is docker_compliance_up 1; then
    fail "docker_compliance_up is" \
      "'$(exporter_series_value docker_compliance_up)' 15s after the" \
      "engine came back, expected 1"
  fi
  pass "docker_compliance_up returns to 1"
  if ! wait_until 5 exporter_series_is "$RO_SERIES" 1; then
    fail "$RO_SERIES is '$(exporter_series_value "$RO_SERIES")' after" \
      "the engine came back, expected 1"
  fi
  pass "container series returns"
}

check_absent_at_startup() {
  local exposition
  if ! wait_until 10 exporter_series_is docker_compliance_up 0; then
    fail "docker_compliance_up is" \
      "'$(exporter_series_value docker_compliance_up)' with no engine," \
      "expected 0"
  fi
  exposition=$(exporter_scrape) ||
    fail "GET /metrics did not return 200 with no engine"
  pass "/metrics returns 200 when the engine is absent at startup"
  assert_eq 503 "$(http_status "$EXPORTER_URL/-/ready")" \
    "/-/ready returns 503 until the first refresh succeeds"
  assert_eq 0 "$(series_value "$exposition" \
    docker_compliance_event_stream_connected)" \
    "the event stream is not connected"
}

check_killed_engine() {
  harness_log "killing dockerd with SIGKILL"
  engine_kill
  if ! wait_until 10 exporter_series_is docker_compliance_up 0; then
    fail "docker_compliance_up is" \
      "'$(exporter_series_value docker_compliance_up)' 10s after dockerd" \
      "was killed, expected 0"
  fi
  pass "docker_compliance_up drops to 0 when dockerd is killed"
  harness_process_alive "$EXPORTER_PID" ||
    fail "exporter (pid $EXPORTER_PID) exited when dockerd was killed"

  engine_start
  if ! wait_until 15 exporter_series_is docker_compliance_up 1; then
    fail "docker_compliance_up is" \
      "'$(exporter_series_value docker_compliance_up)' 15s after the" \
      "killed engine came back, expected 1"
  fi
  pass "the exporter recovers from a killed engine"
  if ! wait_until 15 exporter_series_is \
    docker_compliance_event_stream_connected 1; then
    fail "the event stream did not reconnect after dockerd was killed"
  fi
  pass "the event stream reconnects after dockerd was killed"
}

# With a refresh interval of an hour, only the lost event stream can tell
# the exporter that the engine has gone.
check_lost_stream_refreshes() {
  harness_stop_process "$EXPORTER_PID"
  exporter_start "--docker.host=$ENGINE_HOST" --docker.refresh-interval=1h \
    --docker.timeout=2s
  exporter_wait_ready 15
  wait_until 15 exporter_series_is docker_compliance_event_stream_connected 1 ||
    fail "the event stream did not connect"

  harness_log "killing dockerd with SIGKILL, refresh interval 1h"
  engine_kill
  if ! wait_until 10 exporter_series_is docker_compliance_up 0; then
    fail "docker_compliance_up is" \
      "'$(exporter_series_value docker_compliance_up)' 10s after dockerd" \
      "was killed with a refresh interval of 1h, expected 0"
  fi
  pass "a lost event stream refreshes at once: up drops to 0 within 10s"
}

main() {
  exporter_require_bin
  engine_start
  engine_import_busybox "$TEST_IMAGE"
  create_container
  # The exporter starts while the engine is down, as after a host reboot
  # where the exporter's unit comes up first.
  engine_stop_daemon

  exporter_start "--docker.host=$ENGINE_HOST" \
    --docker.refresh-interval=1s \
    "--docker.stale-after=${STALE_AFTER_SECONDS}s" \
    --docker.timeout=2s
  check_absent_at_startup

  engine_start
  exporter_wait_ready 15
  assert_eq 1 "$(exporter_series_value "$RO_SERIES")" \
    "read-only container is 1 before the outage"

  harness_log "stopping the engine"
  engine_stop_daemon
  check_outage
  check_stale_series_dropped

  harness_log "starting the engine again"
  engine_start
  check_recovery
  check_killed_engine
  check_lost_stream_refreshes
  harness_log "engine_outage_test passed"
}

main "$@"
