#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Checks scripts/run --sandbox: the exporter reports the three sample
# containers, and SIGINT to the script stops the exporter and the engine it
# started and removes the engine's directory.
#
# Usage: EXPORTER_BIN=path/to/docker_compliance_exporter \
#          bash tests/integration/sandbox_test.sh
# EXPORTER_BIN makes scripts/run skip its build. Needs root and what
# scripts/bootstrap --test installs; scripts/run runs that bootstrap, which
# returns at once when nothing is missing.
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$test_dir/../.." && pwd)
# shellcheck source=lib/engine.sh
source "$test_dir/lib/engine.sh"
# shellcheck source=lib/exporter.sh
source "$test_dir/lib/exporter.sh"

readonly RUN_LOG=$HARNESS_DIR/scripts-run.log
sandbox_exporter_pid=

# run_log_field PATTERN
# Prints group 1 of the first line of RUN_LOG that matches the extended
# regular expression PATTERN, which must match the whole line, or nothing.
run_log_field() {
  sed -nE "s/$1/\\1/p" "$RUN_LOG" | head -n 1
}

sandbox_started() {
  [[ -n $(run_log_field '^Exporter: +pid ([0-9]+)$') ]]
}

# sample_is CONTAINER_NAME VALUE
sample_is() {
  exporter_series_is "docker_container_rootfs_readonly{name=\"$1\"}" "$2"
}

samples_reported() {
  sample_is readonly-sample 1 &&
    sample_is writable-sample 0 &&
    sample_is created-sample 0
}

# Stops the sandbox's exporter if the cleanup of scripts/run failed. Hooks
# run in reverse order of registration, so this runs before engine.sh's
# engine_stop, which stops the sandbox's engine through ENGINE_DIR if it is
# still there.
stop_sandbox_leftovers() {
  if [[ -n $sandbox_exporter_pid ]] &&
    harness_process_alive "$sandbox_exporter_pid"; then
    harness_stop_process "$sandbox_exporter_pid"
  fi
}

main() {
  exporter_require_bin
  local port run_pid
  port=$(harness_free_port)
  EXPORTER_URL=http://127.0.0.1:$port
  harness_add_cleanup stop_sandbox_leftovers

  # Bash ignores SIGINT in background commands, and a script cannot trap a
  # signal that was ignored when it started, so env restores the default.
  EXPORTER_BIN=$EXPORTER_BIN harness_spawn "$RUN_LOG" \
    env --default-signal=INT "$repo_root/scripts/run" --sandbox \
    "--web.listen-address=127.0.0.1:$port" --docker.refresh-interval=1s
  run_pid=$HARNESS_SPAWNED_PID

  if ! wait_until 90 sandbox_started; then
    fail "scripts/run --sandbox printed no exporter pid within 90s"
  fi
  local dockerd_pid
  ENGINE_DIR=$(run_log_field \
    '^Sandbox engine: dockerd pid [0-9]+, data in (.*)$')
  dockerd_pid=$(run_log_field '^Sandbox engine: dockerd pid ([0-9]+),.*$')
  sandbox_exporter_pid=$(run_log_field '^Exporter: +pid ([0-9]+)$')
  [[ -n $ENGINE_DIR && -n $dockerd_pid ]] ||
    fail "scripts/run --sandbox did not print the engine's pid and directory"
  assert_contains "$(<"$RUN_LOG")" "Metrics:        $EXPORTER_URL/metrics" \
    "scripts/run prints the metrics URL"

  if ! wait_until 30 samples_reported; then
    fail "the three sample containers were not reported within 30s;" \
      "last scrape:
$(exporter_scrape || true)"
  fi
  pass "exporter reports readonly-sample 1, writable-sample 0 and" \
    "created-sample 0"

  kill -INT "$run_pid"
  if ! wait_until 60 harness_process_gone "$run_pid"; then
    fail "scripts/run (pid $run_pid) still runs 60s after SIGINT"
  fi
  harness_stop_process "$run_pid"
  assert_eq 130 "$HARNESS_EXIT_STATUS" "scripts/run exit status after SIGINT"
  harness_process_gone "$dockerd_pid" ||
    fail "sandbox dockerd (pid $dockerd_pid) still runs after SIGINT"
  pass "sandbox dockerd is gone"
  harness_process_gone "$sandbox_exporter_pid" ||
    fail "sandbox exporter (pid $sandbox_exporter_pid) still runs after SIGINT"
  pass "sandbox exporter is gone"
  [[ ! -e $ENGINE_DIR ]] ||
    fail "sandbox engine directory $ENGINE_DIR still exists after SIGINT"
  pass "sandbox engine directory is removed"
  harness_log "sandbox_test passed"
}

main "$@"
