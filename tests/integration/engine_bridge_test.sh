#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Checks 2.2 (inter-container communication on the default bridge) and
# 5.30 (containers on the default bridge) on a private engine with Docker's
# default networking, in a network namespace of its own. The test sends no
# traffic to container addresses.
#
# Usage: EXPORTER_BIN=path/to/docker_compliance_exporter \
#          bash tests/integration/engine_bridge_test.sh
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/engine.sh
source "$test_dir/lib/engine.sh"
# shellcheck source=lib/exporter.sh
source "$test_dir/lib/exporter.sh"

readonly IMAGE=dce-busybox

# expect_series SERIES VALUE
# Waits up to 10s, as the exporter refreshes every second.
expect_series() {
  if ! wait_until 10 exporter_series_is "$1" "$2"; then
    fail "$1: expected '$2', got '$(exporter_series_value "$1")'"
  fi
  pass "$1 is ${2:-absent}"
}

main() {
  exporter_require_bin
  command -v ip >/dev/null || fail "ip not found; install iproute2"
  command -v nsenter >/dev/null || fail "nsenter not found; install util-linux"
  ENGINE_DEFAULT_NETWORKING=1
  ENGINE_EXTRA_ARGS=(--icc=false)
  engine_start
  engine_import_busybox "$IMAGE"
  engine_docker create --name on-bridge "$IMAGE" sleep 3600 >/dev/null
  engine_docker create --name no-network --network none "$IMAGE" \
    sleep 3600 >/dev/null

  exporter_start "--docker.host=$ENGINE_HOST" --docker.refresh-interval=1s
  exporter_wait_ready 30
  expect_series 'docker_compliance_engine_check_passed{check="icc_disabled"}' 1
  expect_series \
    'docker_compliance_container_check_passed{check="default_bridge",name="on-bridge"}' 0
  expect_series \
    'docker_compliance_container_check_passed{check="default_bridge",name="no-network"}' 1
  harness_log "engine_bridge_test passed"
}

main "$@"
