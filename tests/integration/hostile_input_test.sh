#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Gives a private engine a container with a 501-character name, an image
# reference with each kind of character Docker allows, and exported label
# values with quotes, backslashes, newlines, tabs, non-ASCII text and 20,000
# characters. /metrics must stay valid for promtool, with each value escaped
# as the text format requires, and /api/v1/report and the check
# subcommand's json and junit output must stay valid documents.
#
# Usage: EXPORTER_BIN=path/to/docker_compliance_exporter \
#          bash tests/integration/hostile_input_test.sh
# Needs root, dockerd, the docker CLI, busybox-static, prometheus (for
# promtool), python3, xmllint, curl and ss (scripts/bootstrap --test
# installs them).
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/engine.sh
source "$test_dir/lib/engine.sh"
# shellcheck source=lib/exporter.sh
source "$test_dir/lib/exporter.sh"
# shellcheck source=lib/check_command.sh
source "$test_dir/lib/check_command.sh"

readonly TEST_IMAGE=dce-busybox
# Docker accepts names of [a-zA-Z0-9][a-zA-Z0-9_.-]*, of any length.
LONG_NAME=n$(printf '%0500d' 0 | tr 0 x)
readonly LONG_NAME
readonly QUOTED_VALUE='he said "hi" \ and \n'
readonly MULTILINE_VALUE=$'first line\nsecond\tline'
readonly UNICODE_VALUE='Grüße, 日本, ☃'
LONG_VALUE=$(printf '%020000d' 0 | tr 0 v)
readonly LONG_VALUE
readonly ODD_IMAGE=registry.test:5000/team_a/odd-name.x:v1.2-rc_3

write_config() {
  cat >"$HARNESS_DIR/hostile.yml" <<'YAML'
containers:
  labels: [quoted, multi.line, unicode, long-value]
YAML
}

create_containers() {
  engine_docker tag "$TEST_IMAGE" "$ODD_IMAGE"
  engine_docker create --name "$LONG_NAME" "$TEST_IMAGE" true >/dev/null
  engine_docker create --name labelled \
    --label "quoted=$QUOTED_VALUE" \
    --label "multi.line=$MULTILINE_VALUE" \
    --label "unicode=$UNICODE_VALUE" \
    --label "long-value=$LONG_VALUE" \
    "$ODD_IMAGE" true >/dev/null
}

# promtool exits 0 and prints nothing for a clean exposition.
check_exposition() {
  local exposition output status=0
  exposition=$(exporter_scrape) || fail "scrape failed"
  output=$(printf '%s\n' "$exposition" | promtool check metrics 2>&1) ||
    status=$?
  assert_eq "0:" "$status:$output" "promtool check metrics accepts /metrics"

  assert_contains "$exposition" \
    "docker_container_rootfs_readonly{name=\"$LONG_NAME\"} 0" \
    "a 501-character name is exported whole"
  assert_contains "$exposition" \
    'label_quoted="he said \"hi\" \\ and \\n"' \
    "quotes and backslashes are escaped"
  assert_contains "$exposition" \
    'label_multi_line="first line\nsecond'$'\t''line"' \
    "a newline is escaped and a tab kept"
  assert_contains "$exposition" "label_unicode=\"$UNICODE_VALUE\"" \
    "non-ASCII text is kept"
  assert_contains "$exposition" "label_long_value=\"$LONG_VALUE\"" \
    "a 20,000-character value is exported whole"
  assert_contains "$exposition" "image=\"$ODD_IMAGE\"" \
    "the image reference is exported"
}

# python3 parses the documents, so an escaping mistake fails the parse or
# the comparison of the decoded name and image.
check_report() {
  curl -s --fail --max-time 5 "$EXPORTER_URL/api/v1/report" \
    >"$HARNESS_DIR/report.json" || fail "GET /api/v1/report failed"
  env "LONG_NAME=$LONG_NAME" "ODD_IMAGE=$ODD_IMAGE" \
    python3 - "$HARNESS_DIR/report.json" <<'PYTHON' ||
import json, os, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
names = {c["name"] for c in report["containers"]}
assert os.environ["LONG_NAME"] in names, sorted(names)
images = {c["image"] for c in report["containers"]}
assert os.environ["ODD_IMAGE"] in images, sorted(images)
PYTHON
    fail "/api/v1/report is not valid JSON with every name and image"
  pass "/api/v1/report is valid JSON with every name and image"

  run_check "--docker.host=$ENGINE_HOST" --output=json
  expect_status 1 "check --output=json runs"
  printf '%s' "$RUN_STDOUT" | python3 -c 'import json, sys; json.load(sys.stdin)' ||
    fail "check --output=json is not valid JSON"
  pass "check --output=json is valid JSON"

  run_check "--docker.host=$ENGINE_HOST" --output=junit
  expect_status 1 "check --output=junit runs"
  printf '%s' "$RUN_STDOUT" | xmllint --noout - ||
    fail "check --output=junit is not well-formed XML"
  pass "check --output=junit is well-formed XML"
}

main() {
  exporter_require_bin
  engine_start
  engine_import_busybox "$TEST_IMAGE"
  create_containers
  write_config
  exporter_start "--docker.host=$ENGINE_HOST" \
    "--config.file=$HARNESS_DIR/hostile.yml" --docker.refresh-interval=1s
  exporter_wait_ready 30
  check_exposition
  check_report
  harness_log "hostile_input_test passed"
}

main "$@"
