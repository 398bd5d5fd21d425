#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Checks that no engine response can take the exporter down or blank its
# metrics: responses that are not JSON, JSON of the wrong shape, truncated,
# larger than the client accepts or slower than --docker.timeout are
# counted by stage, logged at most once a minute per stage, and the rest of
# the snapshot is kept; a scrape while the engine hangs answers from the last
# snapshot; file descriptors and memory stay flat across 50 engine
# restarts.
#
# A real engine cannot be made to send these responses, so a fake engine on
# a unix socket (lib/fake_engine.py) stands in for it here. The tests with
# real engines, including a real engine stopped, killed and restarted, are
# engine_outage_test.sh and engine_events_test.sh.
#
# Usage: EXPORTER_BIN=path/to/docker_compliance_exporter \
#          bash tests/integration/engine_faults_test.sh
# Needs python3, curl and ss (scripts/bootstrap --test installs them).
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/harness.sh
source "$test_dir/lib/harness.sh"
# shellcheck source=lib/exporter.sh
source "$test_dir/lib/exporter.sh"

readonly FAKE_SOCKET=$HARNESS_DIR/fake.sock
readonly SCENARIO=$HARNESS_DIR/scenario.json
readonly REQUESTS=$HARNESS_DIR/requests.log
readonly WEB='docker_container_rootfs_readonly{name="web"}'
readonly DB='docker_container_rootfs_readonly{name="db"}'
readonly RESTARTS=50
FAKE_PID=

fake_engine_start() {
  harness_spawn "$HARNESS_DIR/fake-engine.log" \
    python3 "$test_dir/lib/fake_engine.py" "$FAKE_SOCKET" "$SCENARIO" \
    "$REQUESTS"
  FAKE_PID=$HARNESS_SPAWNED_PID
  wait_until 10 test -S "$FAKE_SOCKET" ||
    fail "the fake engine did not create $FAKE_SOCKET within 10s"
}

fake_engine_stop() {
  harness_stop_process "$FAKE_PID" 5
  rm -f "$FAKE_SOCKET"
}

# set_scenario JSON
# Replaces the fake engine's overrides. Written to a temporary file first,
# so the fake never reads half a file.
set_scenario() {
  printf '%s\n' "$1" >"$SCENARIO.new"
  mv "$SCENARIO.new" "$SCENARIO"
}

failures() {
  exporter_series_value "docker_compliance_refresh_failures_total{stage=\"$1\"}"
}

# Waits until the failure counter of STAGE exceeds BEFORE.
expect_failures_counted() {
  local stage=$1 before=$2 description=$3
  if ! wait_until 15 counter_above "$stage" "$before"; then
    fail "$description: failures at stage $stage stayed at" \
      "'$(failures "$stage")'"
  fi
  pass "$description is counted at stage $stage"
}

counter_above() {
  local value
  value=$(failures "$1")
  awk -v value="$value" -v before="$2" 'BEGIN { exit !(value > before) }'
}

# The rest of the snapshot is kept: both containers keep their values and
# the exporter reports the engine as up.
expect_snapshot_stands() {
  local description=$1 exposition
  exposition=$(exporter_scrape) || fail "$description: /metrics failed"
  assert_eq 1 "$(series_value "$exposition" "$WEB")" \
    "$description: web keeps its value"
  assert_eq 0 "$(series_value "$exposition" "$DB")" \
    "$description: db keeps its value"
  harness_process_alive "$EXPORTER_PID" ||
    fail "$description: the exporter exited"
}

# expect_bad_response STAGE SCENARIO DESCRIPTION
# Serves SCENARIO and expects a failure counted at STAGE, with the rest of
# the snapshot standing.
expect_bad_response() {
  local stage=$1 scenario=$2 description=$3 before
  before=$(failures "$stage")
  set_scenario "$scenario"
  expect_failures_counted "$stage" "$before" "$description"
  expect_snapshot_stands "after $description"
}

check_bad_documents() {
  expect_bad_response inspect '{"inspect:b2": {"body": "not json"}}' \
    "an inspection that is not JSON"
  expect_bad_response inspect '{"inspect:b2": {"body": "\"a string\""}}' \
    "an inspection that is a string"
  expect_bad_response info '{"info": {"body": "[1, 2]"}}' \
    "an /info that is an array"
  expect_bad_response networks '{"networks": {"body": "null"}}' \
    "a /networks that is null"
  expect_bad_response images \
    '{"images": {"body": "[{\"Id\": \"sha256:1\"}]", "truncate": true}}' \
    "a truncated image list"

  # The process list is the one stage not yet failed, so this failure is
  # the first of its stage and is logged despite the rate limit.
  expect_bad_response top '{"top:a1": {"size": 70000000}}' \
    "a process list larger than 64 MiB"
  grep -q 'larger than 67108864 bytes' "$EXPORTER_LOG" ||
    fail "the log does not say the response was too large"
  pass "the log names the size limit"

  # Nulls everywhere but the id (without which the document is rejected,
  # as above): every check that reads a field finds none, so its outcome
  # is unknown, and the exporter stays up.
  set_scenario '{"inspect:a1": {"body": "{\"Id\": \"a1\", \"Name\": null, \"Config\": null, \"State\": null, \"HostConfig\": null, \"Mounts\": null}"}}'
  if ! wait_until 15 exporter_series_absent "$WEB"; then
    fail "web's read-only series is '$(exporter_series_value "$WEB")'" \
      "with a null HostConfig, expected no sample"
  fi
  pass "an inspection of nulls leaves the check unknown"
  assert_eq 1 "$(exporter_series_value docker_compliance_up)" \
    "docker_compliance_up stays 1 with a null inspection"
  set_scenario '{}'
  wait_until 15 exporter_series_is "$WEB" 1 ||
    fail "web did not come back after the fake engine recovered"
}

check_failure_log_is_limited() {
  # The scenario above made inspect fail at every refresh (one a second)
  # for several seconds, and all of it within a minute.
  local lines
  lines=$(grep -c 'msg="engine request failed" stage=inspect' \
    "$EXPORTER_LOG" || true)
  assert_eq 1 "$lines" "repeated inspect failures are logged once a minute"
}

check_hanging_engine() {
  set_scenario '{"version": {"delay": 30}, "list": {"delay": 30}}'
  # The refresh that hangs starts within a second; give it time to start.
  sleep 2
  local started status
  started=$(date +%s%N)
  status=$(http_status "$EXPORTER_URL/metrics" --max-time 2)
  assert_eq 200 "$status" \
    "a scrape while the engine hangs answers from the last snapshot"
  harness_log "scrape during the hang took" \
    "$((($(date +%s%N) - started) / 1000000)) ms"
  if ! wait_until 15 exporter_series_is docker_compliance_up 0; then
    fail "docker_compliance_up is '$(exporter_series_value docker_compliance_up)'" \
      "with the engine hanging past --docker.timeout, expected 0"
  fi
  pass "a request slower than --docker.timeout makes docker_compliance_up 0"

  set_scenario '{}'
  if ! wait_until 15 exporter_series_is docker_compliance_up 1; then
    fail "docker_compliance_up did not return to 1 when the engine answered"
  fi
  pass "docker_compliance_up returns to 1"
}

fd_count() {
  find "/proc/$EXPORTER_PID/fd" -mindepth 1 -maxdepth 1 | wc -l
}

rss_kib() {
  awk '/^VmRSS:/ { print $2 }' "/proc/$EXPORTER_PID/status"
}

version_requests() {
  grep -c '^/version$' "$REQUESTS" || true
}

version_requests_above() {
  (($(version_requests) > $1))
}

check_restarts() {
  local fds_before rss_before fds_after rss_after seen
  fds_before=$(fd_count)
  rss_before=$(rss_kib)
  for ((i = 1; i <= RESTARTS; i++)); do
    fake_engine_stop
    seen=$(version_requests)
    fake_engine_start
    # The event stream reconnects and requests a full refresh, which starts
    # with GET /version.
    wait_until 15 version_requests_above "$seen" ||
      fail "no refresh reached the fake engine after restart $i"
  done
  wait_until 15 exporter_series_is docker_compliance_up 1 ||
    fail "docker_compliance_up is not 1 after $RESTARTS restarts"
  wait_until 15 exporter_series_is docker_compliance_event_stream_connected 1 ||
    fail "the event stream did not reconnect after $RESTARTS restarts"
  fds_after=$(fd_count)
  rss_after=$(rss_kib)
  harness_log "after $RESTARTS restarts: fds $fds_before -> $fds_after," \
    "RSS ${rss_before} KiB -> ${rss_after} KiB"
  # A few descriptors may differ with the moment each pooled connection is
  # reopened; a leak grows with the number of restarts.
  ((fds_after <= fds_before + 5)) ||
    fail "file descriptors grew from $fds_before to $fds_after" \
      "across $RESTARTS restarts"
  pass "file descriptors stay flat across $RESTARTS restarts"
  ((rss_after <= rss_before + 8192)) ||
    fail "RSS grew from ${rss_before} KiB to ${rss_after} KiB" \
      "across $RESTARTS restarts"
  pass "memory stays flat across $RESTARTS restarts"
}

main() {
  set_scenario '{}'
  : >"$REQUESTS"
  fake_engine_start
  exporter_start "--docker.host=unix://$FAKE_SOCKET" \
    --docker.refresh-interval=1s --docker.timeout=5s
  exporter_wait_ready 15
  expect_snapshot_stands "against the fake engine"

  check_bad_documents
  check_failure_log_is_limited
  check_hanging_engine
  check_restarts
  harness_log "engine_faults_test passed"
}

main "$@"
