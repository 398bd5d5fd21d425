#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Runs every query of the Grafana dashboard against Debian's prometheus,
# which scrapes the exporter on a private engine and evaluates the shipped
# recording rules. Each query must return data, except for the panels
# listed in ALLOWED_EMPTY with the reason.
#
# Usage: EXPORTER_BIN=path/to/docker_compliance_exporter \
#          bash tests/integration/dashboard_queries_test.sh
# Needs root, dockerd, the docker CLI, busybox-static, prometheus, python3
# with python3-jsonschema, curl and ss (scripts/bootstrap --test installs
# them).
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/engine.sh
source "$test_dir/lib/engine.sh"
# shellcheck source=lib/exporter.sh
source "$test_dir/lib/exporter.sh"
# shellcheck source=lib/prometheus.sh
source "$test_dir/lib/prometheus.sh"

readonly TEST_IMAGE=dce-busybox
readonly RULES_DIR=$PROMETHEUS_REPO_ROOT/deploy/prometheus/rules
readonly GRAFANA_DIR=$PROMETHEUS_REPO_ROOT/grafana
readonly DASHBOARD=$GRAFANA_DIR/dashboards/docker-compliance.json
readonly DASHBOARD_TOOL=$PROMETHEUS_REPO_ROOT/tests/monitoring/dashboard.py
# Panels that may return no series here, with the reason.
readonly ALLOWED_EMPTY=(
  "Waived results=this test configures no waiver"
  "Waived container checks=this test configures no waiver"
)
readonly RECORDED_SCORE=instance:docker_compliance_checks_passed:ratio
# Scrapes every second, so 15 s spans enough samples for rate().
readonly RATE_INTERVAL=15s

write_prometheus_config() {
  cat >"$HARNESS_DIR/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $RULES_DIR/alerts.yml
  - $RULES_DIR/recording.yml
scrape_configs:
  - job_name: docker_compliance
    static_configs:
      - targets: ['127.0.0.1:$EXPORTER_PORT']
EOF
}

# A writable and a read-only container, and a privileged one that is only
# created, because the test machines' kernel does not start privileged
# containers.
create_containers() {
  engine_docker run -d --name web --stop-timeout 1 "$TEST_IMAGE" \
    sleep 3600 >/dev/null
  engine_docker run -d --name ro --read-only --stop-timeout 1 \
    "$TEST_IMAGE" sleep 3600 >/dev/null
  engine_docker create --name priv --privileged "$TEST_IMAGE" \
    sleep 3600 >/dev/null
}

score_recorded() {
  local response
  response=$(prometheus_query "$RECORDED_SCORE") || return 1
  [[ $response == *'"result":[{'* ]]
}

# Waits until the recording rules have results and rate() has enough
# samples over RATE_INTERVAL.
wait_for_data() {
  if ! wait_until 60 score_recorded; then
    fail "$RECORDED_SCORE has no result 60s after Prometheus started"
  fi
  pass "recording rules have results"
  sleep 5
}

main() {
  exporter_require_bin
  engine_start
  engine_import_busybox "$TEST_IMAGE"
  create_containers
  exporter_start "--docker.host=$ENGINE_HOST" --docker.refresh-interval=1s
  exporter_wait_ready 15
  write_prometheus_config
  prometheus_start "$HARNESS_DIR/prometheus.yml"
  wait_for_data

  local -a allow_arguments=() entry
  for entry in "${ALLOWED_EMPTY[@]}"; do
    allow_arguments+=(--allow-empty "$entry")
  done
  python3 "$DASHBOARD_TOOL" query "$DASHBOARD" "$PROMETHEUS_URL" \
    --rate-interval "$RATE_INTERVAL" "${allow_arguments[@]}" ||
    fail "dashboard queries failed or returned no data; see above"
  pass "every dashboard query returns data or is allowed to be empty"
  harness_log "dashboard_queries_test passed"
}

main "$@"
