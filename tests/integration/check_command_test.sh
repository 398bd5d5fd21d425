#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Checks the one-shot `check` subcommand against a private engine. Its exit
# status is 0 when the selected checks pass, 1 when one fails, 2 for an
# invalid flag or a host check selected without the host collector, and 3
# when no engine listens; --fail-on=level1 ignores
# failing level 2 checks. The json output must follow docs/report.schema.json
# and the junit output must count the engine's containers and failures. On
# a terminal, progress goes to standard error.
#
# Usage: EXPORTER_BIN=path/to/docker_compliance_exporter \
#          bash tests/integration/check_command_test.sh
# Needs root, dockerd, the docker CLI, busybox-static, python3 and xmllint
# (scripts/bootstrap --test installs them).
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/engine.sh
source "$test_dir/lib/engine.sh"
# shellcheck source=lib/exporter.sh
source "$test_dir/lib/exporter.sh"
# shellcheck source=lib/check_command.sh
source "$test_dir/lib/check_command.sh"

readonly TEST_IMAGE=dce-busybox

check_passing() {
  # Created, not started: the rootfs check reads only HostConfig.
  engine_docker create --name ro --read-only "$TEST_IMAGE" true >/dev/null
  run_check "--docker.host=$ENGINE_HOST" --checks=rootfs_readonly
  expect_status 0 "read-only container alone passes rootfs_readonly"
  assert_contains "$RUN_STDOUT" \
    "container ro: 1 check: 1 pass, 0 fail, 0 not_applicable, 0 unknown" \
    "table counts the read-only container's check"
  assert_not_contains "$RUN_STDOUT" $'\e' \
    "table has no colours when stdout is not a terminal"
}

check_failing() {
  engine_docker create --name rw "$TEST_IMAGE" true >/dev/null
  run_check "--docker.host=$ENGINE_HOST" --checks=5.13
  expect_status 1 "writable container fails rootfs_readonly"
  assert_contains "$RUN_STDOUT" "FAIL    5.13  rootfs_readonly" \
    "table lists the failing check"
  assert_contains "$RUN_STDOUT" \
    "summary: 2 subjects, 2 checks: 1 pass, 1 fail" "table summary"
}

check_invalid_flags() {
  run_check "--docker.host=$ENGINE_HOST" --output=xml
  expect_status 2 "invalid --output exits 2"
  assert_eq 1 "$(printf '%s\n' "$RUN_STDERR" | wc -l)" \
    "invalid --output prints one line"
  assert_contains "$RUN_STDERR" 'invalid value "xml" for --output' \
    "invalid --output is named"
  run_check "--docker.host=$ENGINE_HOST" --checks=rootfs_readonly,nope
  expect_status 2 "unknown check key exits 2"
  assert_contains "$RUN_STDERR" 'invalid value "nope" for --checks' \
    "unknown check key is named"
  run_check "--docker.host=$ENGINE_HOST" --web.listen-address=127.0.0.1:0
  expect_status 2 "web flag in check mode exits 2"
}

check_host_check_without_collector() {
  # Without --path.rootfs or --collector.host no host check is evaluated, so
  # selecting one would report nothing and pass.
  local name
  for name in audit_dockerd 1.1.3; do
    run_check "--docker.host=$ENGINE_HOST" "--checks=$name"
    expect_status 2 "host check $name without the host collector exits 2"
    assert_eq 1 "$(printf '%s\n' "$RUN_STDERR" | wc -l)" \
      "host check $name without the host collector prints one line"
    assert_contains "$RUN_STDERR" \
      "--checks: \"$name\" is a host check; add --collector.host" \
      "host check $name without the host collector is named with the fix"
  done
}

check_no_engine() {
  run_check "--docker.host=unix://$HARNESS_DIR/no-engine.sock" \
    --docker.timeout=2s
  expect_status 3 "socket without an engine exits 3"
  assert_contains "$RUN_STDERR" "level=error" "unreachable engine is logged"
}

check_json() {
  # Debug logs must stay on stderr, or the document would not parse.
  run_check "--docker.host=$ENGINE_HOST" --output=json --log.level=debug
  expect_status 1 "full check with the writable container exits 1"
  printf '%s\n' "$RUN_STDOUT" | python3 -m json.tool >/dev/null ||
    fail "--output=json is not valid JSON:
$RUN_STDOUT"
  pass "--output=json parses"
  local summary
  summary=$(printf '%s\n' "$RUN_STDOUT" | python3 -c '
import json, sys
report = json.load(sys.stdin)
names = sorted(c["name"] for c in report["containers"])
print(report["version"], report["engine"]["up"], ",".join(names))')
  assert_eq "1 True ro,rw" "$summary" \
    "json has the version, up and both containers"

  printf '%s\n' "$RUN_STDOUT" >"$HARNESS_DIR/report.json"
  python3 - "$test_dir/../../docs/report.schema.json" \
    "$HARNESS_DIR/report.json" <<'PYTHON' ||
import json, sys
import jsonschema
with open(sys.argv[1]) as schema_file, open(sys.argv[2]) as report_file:
    jsonschema.validate(json.load(report_file), json.load(schema_file))
PYTHON
    fail "--output=json does not follow docs/report.schema.json"
  pass "--output=json follows docs/report.schema.json"
}

check_fail_on_level1() {
  # 2.9 (user namespace remapping) is a level 2 check, and the private
  # engine runs without --userns-remap, so it fails.
  run_check "--docker.host=$ENGINE_HOST" --checks=2.9
  expect_status 1 "a failing level 2 check exits 1 with --fail-on=any"
  run_check "--docker.host=$ENGINE_HOST" --checks=2.9 --fail-on=level1
  expect_status 0 "a failing level 2 check exits 0 with --fail-on=level1"
  run_check "--docker.host=$ENGINE_HOST" --checks=2.9,5.13 --fail-on=level1
  expect_status 1 "a failing level 1 check exits 1 with --fail-on=level1"
}

check_progress_on_terminal() {
  # script(1) gives the command a terminal, as a person at a shell has.
  local transcript
  transcript=$(timeout "$CHECK_RUN_TIMEOUT" script -qec \
    "'$EXPORTER_BIN' check --docker.host=$ENGINE_HOST --checks=5.13" \
    /dev/null) || true
  assert_contains "$transcript" "inspected 2 of 2 containers" \
    "progress is shown on a terminal"
  run_check "--docker.host=$ENGINE_HOST" --checks=5.13
  assert_not_contains "$RUN_STDERR" "inspected" \
    "no progress when standard error is not a terminal"
}

check_junit() {
  run_check "--docker.host=$ENGINE_HOST" --output=junit
  expect_status 1 "junit run exits 1"
  local junit=$HARNESS_DIR/report.xml
  printf '%s\n' "$RUN_STDOUT" >"$junit"
  xmllint --noout "$junit" || fail "--output=junit is not well-formed XML:
$RUN_STDOUT"
  pass "--output=junit is well-formed"

  run_check "--docker.host=$ENGINE_HOST" --output=json
  local expected
  expected=$(printf '%s\n' "$RUN_STDOUT" | python3 -c '
import json, sys
report = json.load(sys.stdin)
checks = report["engine"]["checks"] + [
    check for c in report["containers"] for check in c["checks"]]
def count(outcome):
    return sum(1 for check in checks if check["outcome"] == outcome)
print(len(checks), count("fail"), count("unknown"), count("not_applicable"))')

  local actual
  actual="$(xmllint --xpath 'count(//testcase)' "$junit")"
  actual+=" $(xmllint --xpath 'count(//testcase/failure)' "$junit")"
  actual+=" $(xmllint --xpath 'count(//testcase/error)' "$junit")"
  actual+=" $(xmllint --xpath 'count(//testcase/skipped)' "$junit")"
  assert_eq "$expected" "$actual" \
    "junit testcase, failure, error and skipped counts match the json"
  assert_eq 3 "$(xmllint --xpath 'count(//testsuite)' "$junit")" \
    "junit has a testsuite for the engine and each container"
  assert_eq "$(xmllint --xpath 'count(//failure)' "$junit")" \
    "$(xmllint --xpath 'string(/testsuites/@failures)' "$junit")" \
    "testsuites failures attribute matches the failure elements"
}

main() {
  exporter_require_bin
  command -v xmllint >/dev/null ||
    fail "xmllint not found; install libxml2-utils (scripts/bootstrap --test)"
  engine_start
  engine_import_busybox "$TEST_IMAGE"

  check_passing
  check_failing
  check_invalid_flags
  check_host_check_without_collector
  check_no_engine
  check_json
  check_junit
  check_fail_on_level1
  check_progress_on_terminal
  harness_log "check_command_test passed"
}

main "$@"
