#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Checks the engine-level results of a private engine started with live
# restore, experimental features and an insecure registry range.
#
# Usage: EXPORTER_BIN=path/to/docker_compliance_exporter \
#          bash tests/integration/engine_options_test.sh
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/engine.sh
source "$test_dir/lib/engine.sh"
# shellcheck source=lib/exporter.sh
source "$test_dir/lib/exporter.sh"

# expect_engine_check CHECK VALUE
expect_engine_check() {
  local series
  series=$(printf 'docker_compliance_engine_check_passed{check="%s"}' "$1")
  assert_eq "$2" "$(exporter_series_value "$series")" "$series"
}

main() {
  exporter_require_bin
  # 10.1.0.0/16 is only named in the engine's configuration; the test sends
  # no traffic there.
  ENGINE_EXTRA_ARGS=(--live-restore --experimental
    --insecure-registry 10.1.0.0/16)
  engine_start
  exporter_start "--docker.host=$ENGINE_HOST" --docker.refresh-interval=1s
  exporter_wait_ready 30
  expect_engine_check live_restore 1
  expect_engine_check experimental 0
  expect_engine_check insecure_registries 0
  harness_log "engine_options_test passed"
}

main "$@"
