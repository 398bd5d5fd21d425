#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Checks the configuration file against a private engine. It covers
# container filters by anchored name and by label, the running-only scope,
# exported labels, and waivers of containers, the engine and the host (read
# from a rootfs tree that this test builds) in the metrics, the report and
# the check command's exit status. It also checks that an invalid file is
# rejected, and reloads by SIGHUP and POST /-/reload while a client scrapes,
# and that a reload applies at once even with a refresh interval of 1h.
#
# Usage: EXPORTER_BIN=path/to/docker_compliance_exporter \
#          bash tests/integration/config_test.sh
# Needs root, dockerd, the docker CLI, busybox-static, curl, promtool and
# python3 (scripts/bootstrap --test installs them).
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/engine.sh
source "$test_dir/lib/engine.sh"
# shellcheck source=lib/exporter.sh
source "$test_dir/lib/exporter.sh"
# shellcheck source=lib/check_command.sh
source "$test_dir/lib/check_command.sh"

readonly TEST_IMAGE=dce-busybox
readonly TEAM_LABEL=com.example.team

# Containers: web passes rootfs_readonly; vanilla and nil fail it; skipme is
# excluded by label; runner is the only running one.
create_containers() {
  engine_docker create --name web --read-only --label "$TEAM_LABEL=web" \
    "$TEST_IMAGE" true >/dev/null
  engine_docker create --name vanilla --label "$TEAM_LABEL=build" \
    "$TEST_IMAGE" true >/dev/null
  engine_docker create --name nil "$TEST_IMAGE" true >/dev/null
  engine_docker create --name skipme --label compliance=ignore \
    "$TEST_IMAGE" true >/dev/null
  engine_docker run -d --name runner --read-only "$TEST_IMAGE" \
    sleep 600 >/dev/null
}

# write_config FILE EXTRA_YAML
# Writes the base configuration, which excludes nil and skipme, exports the
# team label and waives rootfs_readonly for the build team, then EXTRA_YAML.
write_config() {
  local file=$1 extra=${2:-}
  cat >"$file" <<YAML
docker:
  refresh_interval: 1s
containers:
  exclude:
    - name: nil
    - labels: [compliance=ignore]
  labels: [$TEAM_LABEL]
waivers:
  - check: rootfs_readonly
    container:
      labels: [$TEAM_LABEL=build]
    reason: "build cache is written in place"
    expires: 2099-12-31
  - check: "5.12"
    container:
      name: vanilla
    reason: "sized before limits were enforced"
    expires: 2001-01-01
  - check: live_restore
    engine: true
    reason: "lab engine"
    expires: 2099-12-31
$extra
YAML
}

check_filters_and_waivers() {
  local config=$HARNESS_DIR/filters.yml
  write_config "$config"
  exporter_start "--docker.host=$ENGINE_HOST" "--config.file=$config"
  exporter_wait_ready 30

  local metrics
  metrics=$(exporter_scrape) || fail "scrape failed"
  assert_eq 3 "$(series_value "$metrics" docker_compliance_containers)" \
    "excluded containers are not counted"
  local lint lint_status=0
  lint=$(printf '%s\n' "$metrics" | promtool check metrics 2>&1) ||
    lint_status=$?
  assert_eq "0:" "$lint_status:$lint" \
    "promtool check metrics accepts the waiver and label series"
  assert_eq 4 "$(series_value "$metrics" \
    'docker_engine_containers{state="stopped"}')" \
    "the engine's own counts still include excluded containers"
  assert_eq "" "$(series_value "$metrics" \
    'docker_container_rootfs_readonly{name="nil"}')" \
    "container named nil is excluded"
  assert_eq 0 "$(series_value "$metrics" \
    'docker_container_rootfs_readonly{name="vanilla"}')" \
    "pattern nil does not exclude vanilla"
  assert_eq "" "$(series_value "$metrics" \
    'docker_container_rootfs_readonly{name="skipme"}')" \
    "container labelled compliance=ignore is excluded"
  assert_contains "$metrics" 'name="vanilla",state="created",label_com_example_team="build"} 1' \
    "allow-listed label is exported, sanitized"
  assert_not_contains "$metrics" "label_compliance" \
    "labels outside the allow-list stay out"
  assert_eq 0 "$(series_value "$metrics" \
    'docker_compliance_container_check_passed{check="rootfs_readonly",name="vanilla"}')" \
    "waived failure keeps its real outcome"
  assert_eq 1 "$(series_value "$metrics" \
    'docker_compliance_container_check_waived{check="rootfs_readonly",name="vanilla"}')" \
    "active waiver is 1"
  assert_eq 0 "$(series_value "$metrics" \
    'docker_compliance_container_check_waived{check="cpu_limited",name="vanilla"}')" \
    "expired waiver is 0"
  assert_eq "" "$(series_value "$metrics" \
    'docker_compliance_container_check_waived{check="rootfs_readonly",name="web"}')" \
    "unwaived result has no waived series"
  assert_eq 1 "$(series_value "$metrics" \
    'docker_compliance_engine_check_waived{check="live_restore"}')" \
    "engine waiver is 1"
  assert_eq 2 "$(series_value "$metrics" \
    'docker_compliance_waivers{state="active"}')" "active waivers counted"
  assert_eq 1 "$(series_value "$metrics" \
    'docker_compliance_waivers{state="expired"}')" "expired waivers counted"
  assert_contains "$(<"$EXPORTER_LOG")" \
    'level=warn msg="waiver expired and no longer applies" check=cpu_limited' \
    "expired waiver is logged as a warning"

  local report
  report=$(curl -s --fail --max-time 5 "$EXPORTER_URL/api/v1/report") ||
    fail "GET /api/v1/report failed"
  assert_eq "fail|build cache is written in place|True" \
    "$(printf '%s\n' "$report" | python3 -c '
import json, sys
report = json.load(sys.stdin)
for container in report["containers"]:
    for check in container["checks"]:
        if container["name"] == "vanilla" and check["check"] == "rootfs_readonly":
            waiver = check["waiver"]
            print(check["outcome"], waiver["reason"], waiver["active"], sep="|")')" \
    "report shows the real outcome and the waiver's reason"
  harness_stop_process "$EXPORTER_PID"
}

check_command_filters() {
  local config=$HARNESS_DIR/counts.yml
  write_config "$config"
  run_check "--docker.host=$ENGINE_HOST" "--config.file=$config" \
    --output=json
  assert_eq "runner,vanilla,web" "$(printf '%s\n' "$RUN_STDOUT" |
    python3 -c '
import json, sys
print(",".join(sorted(c["name"] for c in json.load(sys.stdin)["containers"])))')" \
    "check command applies the same filters"
}

check_command_waivers() {
  local config=$HARNESS_DIR/check.yml
  # runner is read-only and web passes, so the only failure left is
  # vanilla's, which the waiver covers.
  write_config "$config" "checks:
  enable: [rootfs_readonly]"
  run_check "--docker.host=$ENGINE_HOST" "--config.file=$config"
  expect_status 0 "only waived failures: check exits 0"
  assert_contains "$RUN_STDOUT" "FAIL    5.13  rootfs_readonly" \
    "table still reports the waived failure"

  sed -i 's/labels: \[com.example.team=build\]/labels: [com.example.team=none]/' \
    "$config"
  run_check "--docker.host=$ENGINE_HOST" "--config.file=$config"
  expect_status 1 "without a matching waiver the failure counts"

  run_check "--docker.host=$ENGINE_HOST" "--config.file=$config" \
    --checks=cpu_limited
  expect_status 1 "expired waiver does not accept the failure"
  assert_contains "$RUN_STDERR" "waiver expired and no longer applies" \
    "check command warns about the expired waiver"

  run_check "--docker.host=$ENGINE_HOST" "--config.file=$config" \
    --docker.running-only --output=json
  assert_eq "runner" "$(printf '%s\n' "$RUN_STDOUT" | python3 -c '
import json, sys
print(",".join(c["name"] for c in json.load(sys.stdin)["containers"]))')" \
    "--docker.running-only evaluates running containers only"
}

check_invalid_config() {
  local config=$HARNESS_DIR/invalid.yml
  printf 'docker:\n  timeout: soon\n' >"$config"
  local status=0 stderr
  stderr=$(timeout "$CHECK_RUN_TIMEOUT" "$EXPORTER_BIN" \
    "--docker.host=$ENGINE_HOST" "--config.file=$config" \
    --web.listen-address=127.0.0.1:0 2>&1 >/dev/null) || status=$?
  assert_eq 2 "$status" "invalid configuration exits 2 before starting"
  assert_contains "$stderr" "$config:2:12: invalid duration \"soon\"" \
    "error names file, line and column"
}

# Scrapes /metrics every 50 ms until the file STOP exists, at most 6000
# times, and appends one line per scrape to RESULTS: ok, or the HTTP status.
start_scraper() {
  local stop=$1 results=$2
  harness_spawn "$HARNESS_DIR/scraper.log" bash -c '
    url=$1 stop=$2 results=$3
    for _ in $(seq 6000); do
      [[ -e $stop ]] && break
      status=$(curl -s -o /dev/null -w "%{http_code}" --max-time 5 "$url")
      if [[ $status == 200 ]]; then echo ok; else echo "$status"; fi
      sleep 0.05
    done >"$results"' scraper "$EXPORTER_URL/metrics" "$stop" "$results"
  SCRAPER_PID=$HARNESS_SPAWNED_PID
}

_scrape_count_above() {
  (($(wc -l <"$1") > $2))
}

# wait_for_scrape RESULTS
# Waits until the scraper finishes one more scrape, so that each reload
# step is covered by at least one scrape.
wait_for_scrape() {
  local results=$1 count
  count=$(wc -l <"$results")
  wait_until 10 _scrape_count_above "$results" "$count" ||
    fail "the scraper made no scrape within 10s"
}

reload_successful_is() {
  exporter_series_is docker_compliance_config_last_reload_successful "$1"
}

check_reload() {
  local config=$HARNESS_DIR/reload.yml
  write_config "$config"
  exporter_start "--docker.host=$ENGINE_HOST" "--config.file=$config"
  exporter_wait_ready 30
  wait_until 10 exporter_series_is docker_compliance_containers 3 ||
    fail "the first refresh did not count 3 containers"

  local stop=$HARNESS_DIR/scraper.stop results=$HARNESS_DIR/scrapes
  start_scraper "$stop" "$results"
  wait_until 10 test -s "$results" || fail "the scraper did not start"

  # An invalid file keeps the running configuration.
  printf 'containers:\n  exclude: [{name: "web("}]\n' >"$config"
  kill -HUP "$EXPORTER_PID"
  wait_until 10 reload_successful_is 0 ||
    fail "SIGHUP with an invalid file did not set the reload metric to 0"
  pass "SIGHUP with an invalid file sets reload_successful 0"
  wait_for_scrape "$results"
  assert_contains "$(<"$EXPORTER_LOG")" "reloading the configuration failed" \
    "failed reload is logged"
  sleep 2
  assert_eq 3 "$(exporter_series_value docker_compliance_containers)" \
    "the running configuration stays after a failed reload"
  local body status
  # No body and no Content-Length, as operators send it with curl.
  status=$(curl -s -o "$HARNESS_DIR/reload.body" -w '%{http_code}' \
    --max-time 5 -X POST "$EXPORTER_URL/-/reload") || true
  body=$(<"$HARNESS_DIR/reload.body")
  assert_eq 500 "$status" "POST /-/reload with an invalid file returns 500"
  assert_contains "$body" "$config:2:20: invalid regular expression" \
    "the response names the error"

  # A valid file without exclusions brings every container in.
  printf 'docker:\n  refresh_interval: 1s\n' >"$config"
  status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
    -X POST "$EXPORTER_URL/-/reload") || true
  assert_eq 200 "$status" "POST /-/reload with a valid file returns 200"
  assert_eq 1 "$(exporter_series_value \
    docker_compliance_config_last_reload_successful)" \
    "valid reload sets reload_successful 1"
  wait_until 10 exporter_series_is docker_compliance_containers 5 ||
    fail "after the reload the exporter did not count all 5 containers"
  pass "reloaded scope applies at the next refresh"
  wait_for_scrape "$results"

  write_config "$config"
  kill -HUP "$EXPORTER_PID"
  wait_until 10 exporter_series_is docker_compliance_containers 3 ||
    fail "SIGHUP with a valid file did not apply its exclusions"
  pass "SIGHUP with a valid file applies it"
  wait_for_scrape "$results"

  touch "$stop"
  wait_until 10 harness_process_gone "$SCRAPER_PID" ||
    fail "the scraper did not stop"
  harness_stop_process "$SCRAPER_PID"
  local total failed
  total=$(wc -l <"$results")
  failed=$(grep -vc '^ok$' "$results" || true)
  assert_eq 0 "$failed" "no failed scrape in $total during the reloads"
  harness_stop_process "$EXPORTER_PID"
}

# build_host_rootfs DIR
# Builds a host tree whose daemon.json is mode 0666, so that
# daemon_json_mode (CIS 3.18) fails. The private engine is started without
# --config-file, so the host collector looks for the default path.
build_host_rootfs() {
  local rootfs=$1
  mkdir -p "$rootfs/etc/docker"
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\ndocker:x:4242:\n' >"$rootfs/etc/group"
  printf '{}\n' >"$rootfs/etc/docker/daemon.json"
  chmod 0666 "$rootfs/etc/docker/daemon.json"
}

# Prints the outcome, waiver reason and waiver state of daemon_json_mode in
# the report on standard input.
host_report_entry() {
  python3 -c '
import json, sys
for check in json.load(sys.stdin)["host"]["checks"]:
    if check["check"] == "daemon_json_mode":
        waiver = check.get("waiver", {})
        print(check["outcome"], waiver.get("reason"), waiver.get("active"),
              sep="|")'
}

check_host_waiver() {
  local config=$HARNESS_DIR/host.yml rootfs=$HARNESS_DIR/host-rootfs
  build_host_rootfs "$rootfs"
  # The file alone turns the host collector on, through path.rootfs.
  write_config "$config" "  - check: \"3.18\"
    host: true
    reason: \"the lab image ships a world-writable daemon.json\"
    expires: 2099-12-31
path:
  rootfs: $rootfs"
  exporter_start "--docker.host=$ENGINE_HOST" "--config.file=$config"
  exporter_wait_ready 30

  local metrics
  metrics=$(exporter_scrape) || fail "scrape failed"
  assert_eq 0 "$(series_value "$metrics" \
    'docker_compliance_host_check_passed{check="daemon_json_mode"}')" \
    "waived host failure keeps its real outcome"
  assert_eq 1 "$(series_value "$metrics" \
    'docker_compliance_host_check_waived{check="daemon_json_mode"}')" \
    "host waiver is 1"
  assert_eq "" "$(series_value "$metrics" \
    'docker_compliance_host_check_waived{check="daemon_json_owner"}')" \
    "unwaived host result has no waived series"
  assert_eq 3 "$(series_value "$metrics" \
    'docker_compliance_waivers{state="active"}')" \
    "host waivers are counted with the others"
  local lint lint_status=0
  lint=$(printf '%s\n' "$metrics" | promtool check metrics 2>&1) ||
    lint_status=$?
  assert_eq "0:" "$lint_status:$lint" \
    "promtool check metrics accepts the host waiver series"
  local report
  report=$(curl -s --fail --max-time 5 "$EXPORTER_URL/api/v1/report") ||
    fail "GET /api/v1/report failed"
  assert_eq "fail|the lab image ships a world-writable daemon.json|True" \
    "$(printf '%s\n' "$report" | host_report_entry)" \
    "report shows the host waiver beside the real outcome"
  harness_stop_process "$EXPORTER_PID"

  run_check "--docker.host=$ENGINE_HOST" "--config.file=$config" \
    --checks=daemon_json_mode
  expect_status 0 "waived host failure: check exits 0"
  assert_contains "$RUN_STDOUT" "waived until 2099-12-31" \
    "table shows the host waiver"
  sed -i 's/check: "3.18"/check: "3.17"/' "$config"
  run_check "--docker.host=$ENGINE_HOST" "--config.file=$config" \
    --checks=daemon_json_mode
  expect_status 1 "without its waiver the host failure counts"

  # Without the host collector the waiver covers nothing, which is logged
  # but does not stop the exporter.
  write_config "$config" "  - check: \"3.18\"
    host: true
    reason: lab
    expires: 2099-12-31"
  run_check "--docker.host=$ENGINE_HOST" "--config.file=$config" \
    --checks=live_restore
  expect_status 0 "host waiver without host checks is no error"
  assert_contains "$RUN_STDERR" \
    'level=warn msg="waiver of a host check has no effect while the host collector is off' \
    "host waiver without host checks is logged as a warning"
}

# exporter_series_present SERIES
exporter_series_present() {
  ! exporter_series_absent "$1"
}

# Prints milliseconds since the epoch.
now_ms() {
  printf '%s\n' $(($(date +%s%N) / 1000000))
}

check_reload_applies_at_once() {
  local config=$HARNESS_DIR/immediate.yml
  write_config "$config"
  sed -i 's/refresh_interval: 1s/refresh_interval: 1h/' "$config"
  exporter_start "--docker.host=$ENGINE_HOST" "--config.file=$config"
  exporter_wait_ready 30
  local web_series='docker_container_rootfs_readonly{name="web"}'
  exporter_series_present "$web_series" ||
    fail "web is not exported before the reload"

  # Excluding web must take effect without waiting an hour for the next
  # full refresh. docker.timeout needs a restart, which is logged.
  cat >"$config" <<YAML
docker:
  refresh_interval: 1h
  timeout: 5s
containers:
  exclude:
    - name: "nil|web"
    - labels: [compliance=ignore]
YAML
  local started status elapsed
  started=$(now_ms)
  status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
    -X POST "$EXPORTER_URL/-/reload") || true
  assert_eq 200 "$status" "POST /-/reload with the new exclusion returns 200"
  wait_until 2 exporter_series_absent "$web_series" ||
    fail "web was still exported 2s after the reload"
  elapsed=$(($(now_ms) - started))
  pass "POST /-/reload excluded web within ${elapsed}ms (interval 1h)"
  assert_contains "$(<"$EXPORTER_LOG")" \
    'level=warn msg="configuration key needs a restart to take effect" key=docker.timeout' \
    "a changed restart-only key is logged"
  assert_not_contains "$(<"$EXPORTER_LOG")" \
    'key=docker.refresh_interval' \
    "unchanged restart-only keys are not logged"

  write_config "$config"
  sed -i 's/refresh_interval: 1s/refresh_interval: 1h/' "$config"
  started=$(now_ms)
  kill -HUP "$EXPORTER_PID"
  wait_until 2 exporter_series_present "$web_series" ||
    fail "web was not exported again 2s after SIGHUP"
  elapsed=$(($(now_ms) - started))
  pass "SIGHUP brought web back within ${elapsed}ms (interval 1h)"
  harness_stop_process "$EXPORTER_PID"
}

_log_contains() {
  grep -qF "$1" "$EXPORTER_LOG"
}

check_sighup_without_file() {
  exporter_start "--docker.host=$ENGINE_HOST"
  exporter_wait_ready 30
  kill -HUP "$EXPORTER_PID"
  wait_until 5 _log_contains 'msg="SIGHUP ignored: there is no configuration' ||
    fail "SIGHUP without --config.file was not logged as ignored"
  pass "SIGHUP without --config.file is logged as ignored"
  assert_not_contains "$(<"$EXPORTER_LOG")" "configuration reloaded" \
    "SIGHUP without --config.file reloads nothing"
  harness_process_alive "$EXPORTER_PID" ||
    fail "the exporter stopped after SIGHUP without --config.file"
  pass "the exporter keeps running after SIGHUP without --config.file"
  harness_stop_process "$EXPORTER_PID"
}

main() {
  exporter_require_bin
  engine_start
  engine_import_busybox "$TEST_IMAGE"
  create_containers

  check_filters_and_waivers
  check_command_filters
  check_command_waivers
  check_invalid_config
  check_reload
  check_reload_applies_at_once
  check_sighup_without_file
  check_host_waiver
  harness_log "config_test passed"
}

main "$@"
