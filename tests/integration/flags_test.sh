#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Checks the exporter's command line: --help and --version, one-line errors
# with exit status 2 for invalid flags and values, and a clear error when
# the listen address is in use, and a clean stop on SIGINT and SIGTERM.
# Needs no Docker engine.
#
# Usage: EXPORTER_BIN=path/to/docker_compliance_exporter \
#          bash tests/integration/flags_test.sh
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/harness.sh
source "$test_dir/lib/harness.sh"
# shellcheck source=lib/exporter.sh
source "$test_dir/lib/exporter.sh"

# An exporter that wrongly accepts a flag starts serving, so each run gets a
# time limit, a free loopback port and an engine address where nothing
# listens. DOCKER_HOST covers the runs that pass no --docker.host, so that
# no run reaches a real engine through /var/run/docker.sock.
readonly RUN_TIMEOUT_SECONDS=10
export DOCKER_HOST=unix://$HARNESS_DIR/no-engine.sock

# run_exporter ARGS...
# Runs the exporter with a time limit and sets RUN_STATUS, RUN_STDOUT and
# RUN_STDERR.
run_exporter() {
  RUN_STATUS=0
  timeout "$RUN_TIMEOUT_SECONDS" "$EXPORTER_BIN" "$@" \
    >"$HARNESS_DIR/stdout" 2>"$HARNESS_DIR/stderr" </dev/null ||
    RUN_STATUS=$?
  RUN_STDOUT=$(<"$HARNESS_DIR/stdout")
  RUN_STDERR=$(<"$HARNESS_DIR/stderr")
  if ((RUN_STATUS == 124)); then
    fail "exporter $* still ran after ${RUN_TIMEOUT_SECONDS}s," \
      "expected it to exit"
  fi
}

check_help() {
  local flag
  run_exporter --help
  assert_eq 0 "$RUN_STATUS" "--help exit status"
  for flag in --web.listen-address --web.telemetry-path --docker.host \
    --docker.timeout --docker.refresh-interval --docker.stale-after \
    --docker.max-concurrent-requests --log.level --log.format --version; do
    assert_contains "$RUN_STDOUT" "$flag" "--help lists $flag"
  done
}

check_version() {
  run_exporter --version
  assert_eq 0 "$RUN_STATUS" "--version exit status"
  assert_contains "$RUN_STDOUT" docker_compliance_exporter \
    "--version names the program"
}

# check_rejected NEEDLE ARGS...
# Runs the exporter with ARGS and expects exit status 2 and exactly one line
# on stderr that contains NEEDLE, the flag or value at fault.
check_rejected() {
  local needle=$1
  shift
  local -a listen_flag=()
  # The exporter rejects a repeated --web.listen-address, so the free port
  # is added only when ARGS name no address of their own.
  if [[ " $* " != *" --web.listen-address"* ]]; then
    listen_flag=("--web.listen-address=127.0.0.1:$(harness_free_port)")
  fi
  run_exporter "${listen_flag[@]}" "$@"
  assert_eq 2 "$RUN_STATUS" "exit status for $*"
  local line_count
  line_count=$(printf '%s\n' "$RUN_STDERR" | grep -c .) || true
  if ((line_count != 1)); then
    fail "for $*: expected exactly one line on stderr, got $line_count:
$RUN_STDERR"
  fi
  pass "one line on stderr for $*"
  assert_contains "$RUN_STDERR" "$needle" "stderr for $* names $needle"
}

check_invalid_flags() {
  check_rejected --no-such-flag --no-such-flag
  check_rejected abc --docker.timeout=abc
  check_rejected abc --docker.timeout abc
  check_rejected 0s --docker.refresh-interval=0s
  check_rejected loud --log.level=loud
  check_rejected xml --log.format=xml
  check_rejected ftp://x --docker.host=ftp://x
  check_rejected nonsense --web.listen-address=nonsense
}

check_address_in_use() {
  local port address
  port=$(harness_free_port)
  address=127.0.0.1:$port
  harness_spawn "$HARNESS_DIR/first-exporter.log" "$EXPORTER_BIN" \
    "--web.listen-address=$address"
  local first_pid=$HARNESS_SPAWNED_PID
  if ! wait_until 10 _port_listening "$port"; then
    fail "first exporter (pid $first_pid) did not listen on $address" \
      "within 10s"
  fi
  run_exporter "--web.listen-address=$address"
  if ((RUN_STATUS == 0)); then
    fail "second exporter on $address exited 0, expected a failure"
  fi
  pass "second exporter on $address exits non-zero ($RUN_STATUS)"
  assert_contains "$RUN_STDERR" "$address" \
    "error for an address in use names $address"
  harness_stop_process "$first_pid"
}

# check_stop_signal SIGNAL
# Starts the exporter in the background, where bash ignores SIGINT, sends it
# SIGNAL, and expects a clean stop: exit status 0 and a "stopped" log line.
check_stop_signal() {
  local signal=$1 port log
  port=$(harness_free_port)
  log=$HARNESS_DIR/stop-$signal.log
  harness_spawn "$log" "$EXPORTER_BIN" "--web.listen-address=127.0.0.1:$port"
  local pid=$HARNESS_SPAWNED_PID
  if ! wait_until 10 _port_listening "$port"; then
    fail "exporter (pid $pid) did not listen on port $port within 10s"
  fi
  kill -s "$signal" "$pid"
  if ! wait_until 10 harness_process_gone "$pid"; then
    fail "exporter (pid $pid) still runs 10s after $signal"
  fi
  local status=0
  wait "$pid" 2>/dev/null || status=$?
  _harness_forget_pid "$pid"
  assert_eq 0 "$status" "exit status after $signal"
  assert_contains "$(<"$log")" "msg=stopped" "log after $signal"
}

_port_listening() {
  [[ -n $(ss -Hltn "sport = :$1") ]]
}

main() {
  exporter_require_bin
  check_help
  check_version
  check_invalid_flags
  check_address_in_use
  check_stop_signal INT
  check_stop_signal TERM
  harness_log "flags_test passed"
}

main "$@"
