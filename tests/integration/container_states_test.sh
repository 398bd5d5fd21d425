#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Checks the exporter's metrics and endpoints against a private engine with
# one container in each state that matters for the read-only root check:
# running read-only, running writable, created and exited.
#
# Usage: EXPORTER_BIN=path/to/docker_compliance_exporter \
#          bash tests/integration/container_states_test.sh
# Needs root, dockerd, the docker CLI, busybox-static, promtool, curl and ss
# (scripts/bootstrap --test installs them).
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/engine.sh
source "$test_dir/lib/engine.sh"
# shellcheck source=lib/exporter.sh
source "$test_dir/lib/exporter.sh"

readonly TEST_IMAGE=dce-busybox
readonly METRICS_CONTENT_TYPE='text/plain; version=0.0.4; charset=utf-8'

readonly_series() {
  printf 'docker_container_rootfs_readonly{name="%s"}' "$1"
}

create_containers() {
  # sleep runs as PID 1 and ignores SIGTERM, so without --stop-timeout 1
  # dockerd would wait 10 s before it kills it when the engine stops.
  engine_docker run -d --name ro --read-only --stop-timeout 1 \
    "$TEST_IMAGE" sleep 3600 >/dev/null
  engine_docker run -d --name rw --stop-timeout 1 \
    "$TEST_IMAGE" sleep 3600 >/dev/null
  engine_docker create --name created "$TEST_IMAGE" sleep 3600 >/dev/null
  # Without -d, docker run returns after the container has exited.
  engine_docker run --name exited "$TEST_IMAGE" true >/dev/null
  local states
  states=$(engine_docker ps -a --format '{{.Names}}={{.State}}' | sort)
  assert_eq $'created=created\nexited=exited\nro=running\nrw=running' \
    "$states" "engine lists the four containers in their states"
}

check_container_series() {
  local exposition=$1
  assert_eq 1 "$(series_value "$exposition" "$(readonly_series ro)")" \
    "read-only running container is 1"
  assert_eq 0 "$(series_value "$exposition" "$(readonly_series rw)")" \
    "writable running container is 0"
  assert_eq 0 "$(series_value "$exposition" "$(readonly_series created)")" \
    "created container is 0"
  assert_eq 0 "$(series_value "$exposition" "$(readonly_series exited)")" \
    "exited container is 0"
  assert_eq 1 "$(series_value "$exposition" docker_compliance_up)" \
    "docker_compliance_up is 1"
  assert_eq 4 "$(series_value "$exposition" docker_compliance_containers)" \
    "docker_compliance_containers is 4"
}

check_info_series() {
  local exposition=$1 api_version engine_version
  api_version=$(engine_docker version --format '{{.Server.APIVersion}}')
  engine_version=$(engine_docker version --format '{{.Server.Version}}')
  assert_contains "$exposition" "api_version=\"$api_version\"" \
    "docker_compliance_engine_info names the engine's API version"
  assert_contains "$exposition" "engine_version=\"$engine_version\"" \
    "docker_compliance_engine_info names the engine's version"
  assert_contains "$exposition" "docker_compliance_exporter_build_info{" \
    "docker_compliance_exporter_build_info is exported"
  assert_contains "$exposition" \
    "docker_compliance_last_refresh_success_timestamp_seconds " \
    "docker_compliance_last_refresh_success_timestamp_seconds is exported"
}

# promtool exits 0 and prints nothing for a clean exposition. It exits 3
# for lint problems (missing HELP, bad suffixes) and 1 for parse errors.
check_promtool() {
  local exposition=$1 output status=0
  output=$(printf '%s\n' "$exposition" | promtool check metrics 2>&1) ||
    status=$?
  if ((status != 0)) || [[ -n $output ]]; then
    fail "promtool check metrics exited $status and printed:
$output"
  fi
  pass "promtool check metrics accepts /metrics"
}

check_content_type() {
  local headers content_type_header
  headers=$(curl -s --fail --max-time 5 -D - -o /dev/null \
    "$EXPORTER_URL/metrics")
  content_type_header=$(printf '%s\n' "$headers" |
    awk 'tolower($1) == "content-type:" { sub(/^[^:]*: */, ""); print }' |
    tr -d '\r')
  assert_eq "$METRICS_CONTENT_TYPE" "$content_type_header" \
    "/metrics Content-Type"
}

check_gzip() {
  local headers body_file=$HARNESS_DIR/metrics.gz encoding exposition
  headers=$(curl -s --fail --max-time 5 -H 'Accept-Encoding: gzip' \
    -D - -o "$body_file" "$EXPORTER_URL/metrics")
  encoding=$(printf '%s\n' "$headers" |
    awk 'tolower($1) == "content-encoding:" { print $2 }' | tr -d '\r')
  assert_eq gzip "$encoding" \
    "/metrics with Accept-Encoding: gzip has Content-Encoding"
  exposition=$(gzip -dc "$body_file") ||
    fail "gzip -dc failed on the body of /metrics with Content-Encoding: gzip"
  assert_contains "$exposition" "$(readonly_series ro) 1" \
    "gzip-encoded /metrics decompresses to the exposition"
  check_promtool "$exposition"
}

check_other_endpoints() {
  local headers body
  headers=$(curl -s --fail --max-time 5 -D - -o "$HARNESS_DIR/index.html" \
    "$EXPORTER_URL/") || fail "GET / did not return 200"
  body=$(<"$HARNESS_DIR/index.html")
  assert_contains "$headers" "text/html" "/ is HTML"
  assert_contains "$body" 'href="/metrics"' "/ links to /metrics"
  assert_eq 200 "$(http_status "$EXPORTER_URL/-/healthy")" \
    "/-/healthy returns 200"
}

check_removal() {
  engine_docker rm -f rw >/dev/null
  if ! wait_until 10 exporter_series_absent "$(readonly_series rw)"; then
    fail "series of the removed container rw still exported 10s after" \
      "docker rm -f; last scrape:
$(exporter_scrape || true)"
  fi
  pass "removed container's series disappears"
  if ! wait_until 5 exporter_series_is docker_compliance_containers 3; then
    fail "docker_compliance_containers is" \
      "'$(exporter_series_value docker_compliance_containers)' after" \
      "removing one of four containers, expected 3"
  fi
  pass "docker_compliance_containers drops to 3"
  assert_eq 1 "$(exporter_series_value "$(readonly_series ro)")" \
    "remaining read-only container is still 1"
}

main() {
  exporter_require_bin
  engine_start
  engine_import_busybox "$TEST_IMAGE"
  create_containers

  exporter_start "--docker.host=$ENGINE_HOST" --docker.refresh-interval=1s
  exporter_wait_ready 15

  local exposition
  exposition=$(exporter_scrape) || fail "GET /metrics did not return 200"
  check_container_series "$exposition"
  check_info_series "$exposition"
  check_promtool "$exposition"
  check_content_type
  check_gzip
  check_other_endpoints
  check_removal
  harness_log "container_states_test passed"
}

main "$@"
