#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Checks deploy/systemd/docker_compliance_exporter.service offline with
# systemd-analyze: the unit loads without warnings, and its sandbox keeps
# the exposure score that `systemd-analyze security` computes at 1.5 or
# below. The unit is not started: the test machines do not run systemd as
# PID 1.
#
# Usage: EXPORTER_BIN=path/to/docker_compliance_exporter \
#          bash tests/integration/systemd_unit_test.sh
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$test_dir/../.." && pwd)
# shellcheck source=lib/exporter.sh
source "$test_dir/lib/exporter.sh"

readonly UNIT_NAME=docker_compliance_exporter.service
# systemd-analyze takes the threshold in tenths of the printed score.
readonly MAX_EXPOSURE_TENTHS=15

main() {
  exporter_require_bin
  command -v systemd-analyze >/dev/null ||
    fail "systemd-analyze not found; install systemd"

  # verify checks that ExecStart names an executable, so the copy points
  # at the built binary instead of /usr/local/bin.
  local unit=$HARNESS_DIR/$UNIT_NAME output
  sed "s#/usr/local/bin/docker_compliance_exporter#$EXPORTER_BIN#" \
    "$repo_root/deploy/systemd/$UNIT_NAME" >"$unit"
  output=$(systemd-analyze verify "$unit" 2>&1) ||
    fail "systemd-analyze verify rejected the unit: $output"
  assert_eq "" "$output" "systemd-analyze verify prints no warning"

  if ! output=$(systemd-analyze security --offline=true \
    "--threshold=$MAX_EXPOSURE_TENTHS" "$unit" 2>&1); then
    fail "exposure above $((MAX_EXPOSURE_TENTHS / 10)).$((MAX_EXPOSURE_TENTHS % 10)):
$output"
  fi
  pass "$(printf '%s\n' "$output" | grep -F 'Overall exposure level' |
    sed 's/^→ //')"

  local setting
  for setting in NoNewPrivileges= ProtectSystem= ProtectHome= \
    PrivateDevices= PrivateTmp= RestrictSUIDSGID= \
    CapabilityBoundingSet=~CAP_SYS_ADMIN MemoryDenyWriteExecute=; do
    assert_contains "$output" "✓ $setting" "unit sets $setting"
  done
}

main "$@"
