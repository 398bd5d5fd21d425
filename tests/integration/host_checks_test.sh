#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Checks the host checks against a private engine started with a
# daemon.json (--config-file) and flags. The exporter reads a rootfs tree
# that this test builds, holding a copy of that daemon.json at the path the
# engine was given, and the real process table, where it finds the
# engine's dockerd by its socket. The daemon checks must follow the real
# engine's configuration.
#
# Usage: EXPORTER_BIN=path/to/docker_compliance_exporter \
#          bash tests/integration/host_checks_test.sh
# Needs root, dockerd, the docker CLI, busybox-static and python3, and uses
# promtool when it is installed (scripts/bootstrap --test installs them).
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/engine.sh
source "$test_dir/lib/engine.sh"
# shellcheck source=lib/exporter.sh
source "$test_dir/lib/exporter.sh"

readonly TEST_IMAGE=dce-busybox

# expect_host_check CHECK VALUE
# VALUE is 1, 0, or empty for a check without a sample.
expect_host_check() {
  local series
  series=$(printf 'docker_compliance_host_check_passed{check="%s"}' "$1")
  assert_eq "$2" "$(exporter_series_value "$series")" "$series"
}

# report_reason CHECK
# Prints the reason of a host check in /api/v1/report.
report_reason() {
  curl -s --fail --max-time 5 "$EXPORTER_URL/api/v1/report" |
    python3 -c '
import json, sys
report = json.load(sys.stdin)
for check in report["host"]["checks"]:
    if check["check"] == sys.argv[1]:
        print(check["reason"])
' "$1"
}

# Prints 1 when PATH is a mount point in PID 1's mount table, else 0.
is_mount_point() {
  awk -v path="$1" '$5 == path { found = 1 } END { print found ? 1 : 0 }' \
    /proc/1/mountinfo
}

build_rootfs() {
  local rootfs=$1 config=$2
  mkdir -p "$rootfs/etc" "$rootfs$(dirname "$config")" "$rootfs$ENGINE_DIR/data"
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$rootfs/etc/passwd"
  # b\xe9atrice is Latin-1, not UTF-8, as on a host that predates UTF-8.
  printf 'root:x:0:\ndocker:x:4242:alice,b\xe9atrice\n' >"$rootfs/etc/group"
  cp "$config" "$rootfs$config"
  chmod 0666 "$rootfs$config"
}

check_daemon_settings() {
  expect_host_check log_level 0
  assert_eq "log-level is warn in daemon.json" "$(report_reason log_level)" \
    "log_level reason names daemon.json"
  # The harness starts every engine with --iptables=false.
  expect_host_check iptables 0
  assert_eq "--iptables is false on the dockerd command line" \
    "$(report_reason iptables)" "iptables reason names the flag"
  expect_host_check userland_proxy 1
  expect_host_check daemon_no_new_privileges 1
  expect_host_check daemon_cgroup_parent 0
  expect_host_check tcp_tls ""
  assert_eq "the daemon listens on no TCP address" "$(report_reason tcp_tls)" \
    "tcp_tls does not apply without a TCP listener"
}

check_files() {
  local config=$1
  expect_host_check daemon_json_mode 0
  assert_eq "$config is mode 0666, expected 0644 or stricter" \
    "$(report_reason daemon_json_mode)" "daemon_json_mode reason"
  assert_eq 438 "$(exporter_series_value \
    "docker_compliance_host_file_mode{path=\"$config\"}")" \
    "file mode fact of daemon.json"
  expect_host_check data_root_partition "$(is_mount_point "$ENGINE_DIR/data")"
  assert_eq 1 "$(exporter_series_value \
    'docker_compliance_host_docker_group_member_info{user="alice"}')" \
    "docker group member from the rootfs's group file"
  # The private engine's socket is not in the rootfs tree.
  expect_host_check docker_sock_mode ""
}

# A group member whose name is not UTF-8 must not make the exposition or
# the report invalid: each invalid byte becomes U+FFFD.
check_non_utf8_names() {
  local exposition report status=0 output
  exposition=$(exporter_scrape) || fail "scrape of /metrics failed"
  assert_contains "$exposition" \
    "$(printf 'docker_compliance_host_docker_group_member_info{user="b\xef\xbf\xbdatrice"} 1')" \
    "non-UTF-8 group member is exported with U+FFFD"
  if command -v promtool >/dev/null; then
    output=$(printf '%s\n' "$exposition" | promtool check metrics 2>&1) ||
      status=$?
    if ((status != 0)) || [[ -n $output ]]; then
      fail "promtool check metrics exited $status and printed:
$output"
    fi
    pass "promtool check metrics accepts /metrics with a non-UTF-8 name"
  fi
  report=$(curl -s --fail --max-time 5 "$EXPORTER_URL/api/v1/report") ||
    fail "GET /api/v1/report failed"
  printf '%s' "$report" |
    python3 -c 'import json, sys; json.load(sys.stdin.buffer)' ||
    fail "/api/v1/report is not valid JSON in UTF-8"
  pass "/api/v1/report parses"
}

# A FIFO where a file is expected makes the checks that read it unknown at
# the next refresh, instead of blocking every refresh after it. Its mode
# and owner are still judged, because those need only stat(2).
check_fifo() {
  local rootfs=$1 config=$2
  rm -f "$rootfs$config"
  mkfifo -m 0666 "$rootfs$config"
  if ! wait_until 15 exporter_series_absent \
    'docker_compliance_host_check_passed{check="log_level"}'; then
    fail "log_level still has a sample after daemon.json became a FIFO"
  fi
  assert_eq "$config is a FIFO, not a regular file" \
    "$(report_reason log_level)" "log_level reason names the FIFO"
  expect_host_check daemon_json_mode 0
  mkdir -p "$rootfs/etc/audit/rules.d"
  mkfifo "$rootfs/etc/audit/rules.d/docker.rules"
  if ! wait_until 15 exporter_series_absent \
    'docker_compliance_host_check_passed{check="audit_daemon_json"}'; then
    fail "audit_daemon_json still has a sample after a rules file became a" \
      "FIFO"
  fi
  assert_contains "$(report_reason audit_daemon_json)" \
    "/etc/audit/rules.d/docker.rules is a FIFO, not a regular file" \
    "audit reason names the FIFO"
  # A refresh that had blocked would leave the timestamp behind.
  local before
  before=$(exporter_series_value \
    docker_compliance_last_refresh_success_timestamp_seconds)
  if ! wait_until 10 _refresh_after "$before"; then
    fail "no refresh succeeded after the FIFOs appeared"
  fi
  pass "refreshes go on with FIFOs in the rootfs"
}

_refresh_after() {
  local now
  now=$(exporter_series_value \
    docker_compliance_last_refresh_success_timestamp_seconds)
  python3 -c 'import sys; sys.exit(0 if float(sys.argv[2]) > float(sys.argv[1]) else 1)' \
    "$1" "${now:-0}"
}

check_conflict() {
  local rootfs=$1 config=$2
  # The same key as a flag and in daemon.json is a daemon error: dockerd
  # would not start with this file, so the value in use is unknown.
  printf '{"log-level": "warn", "iptables": true}\n' >"$rootfs$config"
  if ! wait_until 15 exporter_series_absent \
    'docker_compliance_host_check_passed{check="iptables"}'; then
    fail "iptables still has a sample after the conflicting daemon.json"
  fi
  assert_contains "$(report_reason iptables)" \
    "iptables is set both by --iptables and in $config" \
    "conflict reason names the flag and the file"
}

check_command_on_host() {
  local config=$1 output status=0 expected_owner
  # --collector.host reads the real /, where the engine's socket and
  # daemon.json are.
  output=$(timeout 30 "$EXPORTER_BIN" check "--docker.host=$ENGINE_HOST" \
    --collector.host --output=json \
    --checks=log_level,docker_sock_mode,docker_sock_owner 2>/dev/null) ||
    status=$?
  assert_eq 1 "$status" "check command fails on log_level"
  local outcomes
  outcomes=$(printf '%s' "$output" | python3 -c '
import json, sys
for check in json.load(sys.stdin)["host"]["checks"]:
    print(check["check"], check["outcome"])
')
  assert_contains "$outcomes" "log_level fail" "check command reads daemon.json"
  assert_contains "$outcomes" "docker_sock_mode pass" \
    "dockerd makes its socket 0660"
  # dockerd gives its socket to the docker group when the host has one.
  expected_owner=fail
  if getent group docker >/dev/null; then
    expected_owner=pass
  fi
  assert_contains "$outcomes" "docker_sock_owner $expected_owner" \
    "socket owner follows the host's docker group"
}

main() {
  exporter_require_bin
  local config=$HARNESS_DIR/etc-docker/daemon.json rootfs=$HARNESS_DIR/rootfs
  mkdir -p "$(dirname "$config")"
  printf '%s\n' '{"log-level": "warn", "userland-proxy": false,' \
    '"no-new-privileges": true}' >"$config"
  ENGINE_EXTRA_ARGS=(--config-file "$config" --cgroup-parent /dce-test)
  engine_start
  engine_import_busybox "$TEST_IMAGE"
  engine_docker create --name plain "$TEST_IMAGE" true >/dev/null
  build_rootfs "$rootfs" "$config"

  exporter_start "--docker.host=$ENGINE_HOST" --docker.refresh-interval=1s \
    "--path.rootfs=$rootfs" --path.procfs=/proc
  exporter_wait_ready 30
  check_daemon_settings
  # The daemon enforces no-new-privileges, so 5.26 passes without the
  # container's own option.
  assert_eq 1 "$(exporter_series_value \
    'docker_compliance_container_check_passed{check="no_new_privileges",name="plain"}')" \
    "no_new_privileges passes through the daemon's setting"
  check_files "$config"
  check_command_on_host "$config"
  check_non_utf8_names
  check_conflict "$rootfs" "$config"
  check_fifo "$rootfs" "$config"
  harness_log "host_checks_test passed"
}

main "$@"
