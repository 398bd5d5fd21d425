#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Checks that the exporter follows the engine's event stream: with a full
# refresh only once an hour, a container that is created, renamed, made
# read-only by recreation or removed shows in /metrics within seconds; no
# container is inspected while nothing happens; and after an engine restart
# the stream reconnects and events are followed again.
#
# Usage: EXPORTER_BIN=path/to/docker_compliance_exporter \
#          bash tests/integration/engine_events_test.sh
# Needs root, dockerd, the docker CLI, busybox-static, curl and ss
# (scripts/bootstrap --test installs them).
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/engine.sh
source "$test_dir/lib/engine.sh"
# shellcheck source=lib/exporter.sh
source "$test_dir/lib/exporter.sh"

readonly TEST_IMAGE=dce-busybox
readonly CONNECTED=docker_compliance_event_stream_connected
# Far longer than the test, so that only events can explain a change.
readonly REFRESH_INTERVAL=1h
# Generous for a loaded CI machine; the delay itself is printed, not
# asserted, and is normally a fraction of a second.
readonly EVENT_TIMEOUT=10

readonly_series() {
  printf 'docker_container_rootfs_readonly{name="%s"}' "$1"
}

# Inspect requests dockerd has logged so far. With --debug it logs every API
# call as `Calling GET /v1.47/containers/ID/json`.
inspect_calls() {
  grep -c 'Calling GET /v[0-9.]*/containers/[^/]*/json' \
    "$ENGINE_DIR/dockerd.log" || true
}

# Waits for SERIES to have VALUE and prints how long it took.
expect_series_soon() {
  local series=$1 value=$2 description=$3 started elapsed
  started=$(date +%s.%N)
  if ! wait_until "$EVENT_TIMEOUT" exporter_series_is "$series" "$value"; then
    fail "$description: $series is '$(exporter_series_value "$series")'" \
      "${EVENT_TIMEOUT}s later, expected $value, with full refreshes only" \
      "every $REFRESH_INTERVAL"
  fi
  elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" \
    'BEGIN { printf "%.2f", b - a }')
  pass "$description (seen after ${elapsed}s)"
}

expect_series_gone_soon() {
  local series=$1 description=$2
  if ! wait_until "$EVENT_TIMEOUT" exporter_series_absent "$series"; then
    fail "$description: $series still exported ${EVENT_TIMEOUT}s later"
  fi
  pass "$description"
}

check_container_lifecycle() {
  engine_docker run -d --name app --stop-timeout 1 "$TEST_IMAGE" \
    sleep 3600 >/dev/null
  expect_series_soon "$(readonly_series app)" 0 \
    "a new writable container appears"

  engine_docker rename app renamed
  expect_series_soon "$(readonly_series renamed)" 0 \
    "a renamed container appears under its new name"
  expect_series_gone_soon "$(readonly_series app)" \
    "its old name is dropped"

  engine_docker rm -f renamed >/dev/null
  engine_docker run -d --name renamed --read-only --stop-timeout 1 \
    "$TEST_IMAGE" sleep 3600 >/dev/null
  expect_series_soon "$(readonly_series renamed)" 1 \
    "a container recreated read-only under the same name passes"

  engine_docker rm -f renamed >/dev/null
  expect_series_gone_soon "$(readonly_series renamed)" \
    "a removed container is dropped"
  assert_eq 0 "$(exporter_series_value docker_compliance_containers)" \
    "docker_compliance_containers counts no container"

  local starts
  starts=$(exporter_series_value 'docker_compliance_events_total{action="start"}')
  awk -v value="$starts" 'BEGIN { exit !(value + 0 >= 2) }' ||
    fail "docker_compliance_events_total{action=\"start\"} is '$starts'," \
      "expected at least 2"
  pass "events are counted by action"
}

check_idle() {
  local before after
  # The events of the last removal (kill, die, destroy) may still be on
  # their way; wait until a second passes without an inspection.
  before=$(inspect_calls)
  for _ in 1 2 3 4 5; do
    sleep 1
    after=$(inspect_calls)
    [[ $after == "$before" ]] && break
    before=$after
  done
  sleep 3
  after=$(inspect_calls)
  assert_eq "$before" "$after" \
    "no container is inspected while the engine sends no event"
}

check_reconnect() {
  harness_log "restarting the engine"
  engine_restart
  if ! wait_until 20 exporter_series_is "$CONNECTED" 1; then
    fail "$CONNECTED is '$(exporter_series_value "$CONNECTED")' 20s after" \
      "the engine restarted, expected 1"
  fi
  pass "the event stream reconnects after an engine restart"

  engine_docker run -d --name after-restart --read-only --stop-timeout 1 \
    "$TEST_IMAGE" sleep 3600 >/dev/null
  expect_series_soon "$(readonly_series after-restart)" 1 \
    "events are followed again after the restart"
}

main() {
  ENGINE_EXTRA_ARGS="--debug" engine_start
  engine_import_busybox "$TEST_IMAGE"
  exporter_start "--docker.host=$ENGINE_HOST" \
    "--docker.refresh-interval=$REFRESH_INTERVAL"
  exporter_wait_ready 15
  if ! wait_until 10 exporter_series_is "$CONNECTED" 1; then
    fail "$CONNECTED is '$(exporter_series_value "$CONNECTED")', expected 1"
  fi
  pass "the exporter follows the event stream"

  check_container_lifecycle
  check_idle
  check_reconnect
  harness_log "engine_events_test passed"
}

main "$@"
