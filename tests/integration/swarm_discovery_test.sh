#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Checks the scrape job of deploy/prometheus/prometheus-swarm.yml against a
# real single-node swarm: Debian's prometheus must find the exporter's task
# through dockerswarm_sd_configs, keep only the service labelled
# prometheus-job=docker_compliance, name the target after its node and
# scrape it on the port published in host mode.
#
# The swarm service runs busybox httpd with a fixed exposition in place of
# the exporter, whose image this test does not build. The engine runs with
# Docker's default networking in a network namespace of its own, because
# host-mode publishing needs a bridge and binds every address; Prometheus
# runs in the same namespace to reach the published port.
#
# Usage: bash tests/integration/swarm_discovery_test.sh
# Needs root, dockerd, the docker CLI, busybox-static, prometheus, python3
# with python3-yaml, iproute2, curl and ss (scripts/bootstrap --test
# installs them).
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/engine.sh
source "$test_dir/lib/engine.sh"
# shellcheck source=lib/prometheus.sh
source "$test_dir/lib/prometheus.sh"

readonly TEST_IMAGE=dce-busybox
readonly PROMETHEUS_DIR=$PROMETHEUS_REPO_ROOT/deploy/prometheus
readonly SWARM_CONFIG=$PROMETHEUS_DIR/prometheus-swarm.yml
readonly EXPORTER_PORT=9795
readonly OTHER_PORT=9796
readonly DISCOVERY_TIMEOUT=60

# create_service NAME PORT [SERVICE_ARGS...]
# Creates a global service whose task serves a one-line exposition on PORT,
# published in host mode.
create_service() {
  local name=$1 port=$2
  shift 2
  local script
  script="mkdir -p /www"
  script+=" && printf 'docker_compliance_up 1\\n' >/www/metrics"
  script+=" && exec httpd -f -p $port -h /www"
  # The image exists only on this engine, so the CLI cannot pin a digest
  # from a registry; --no-resolve-image skips that lookup.
  engine_docker service create --detach --quiet --no-resolve-image \
    --name "$name" --mode global \
    --publish "mode=host,target=$port,published=$port" "$@" \
    "$TEST_IMAGE" sh -c "$script" >/dev/null
}

service_running() {
  engine_docker service ps "$1" --format '{{.CurrentState}}' |
    grep -q '^Running'
}

start_swarm_services() {
  engine_docker swarm init --advertise-addr 127.0.0.1 >/dev/null
  create_service compliance_exporter "$EXPORTER_PORT" \
    --label prometheus-job=docker_compliance
  create_service other "$OTHER_PORT"
  local service
  for service in compliance_exporter other; do
    if ! wait_until 60 service_running "$service"; then
      fail "swarm service $service is not running after 60s:" \
        "$(engine_docker service ps --no-trunc "$service" 2>&1)"
    fi
  done
  pass "both swarm services run"
}

# Writes the shipped swarm configuration with the private engine's socket,
# 1 s intervals, absolute rule file paths and no Alertmanager.
write_prometheus_config() {
  python3 - "$SWARM_CONFIG" "$HARNESS_DIR/prometheus.yml" "$ENGINE_HOST" \
    <<'EOF'
import pathlib, sys, yaml
source, target, engine_host = sys.argv[1:]
config = yaml.safe_load(pathlib.Path(source).read_text())
config["global"] = {"scrape_interval": "1s", "evaluation_interval": "1s"}
config["rule_files"] = [str(pathlib.Path(source).parent / path)
                        for path in config["rule_files"]]
del config["alerting"]
(job,) = config["scrape_configs"]
(discovery,) = job["dockerswarm_sd_configs"]
discovery["host"] = engine_host
discovery["refresh_interval"] = "1s"
pathlib.Path(target).write_text(yaml.safe_dump(config))
EOF
}

# Prints one line per active target: job, instance, scrape URL and health.
active_targets() {
  local response
  response=$(prometheus_curl /api/v1/targets --get \
    --data-urlencode state=active) || return 1
  printf '%s\n' "$response" | python3 -c '
import json, sys
for target in json.load(sys.stdin)["data"]["activeTargets"]:
    labels = target["labels"]
    print(labels["job"], labels["instance"], target["scrapeUrl"],
          target["health"])
'
}

target_up() {
  [[ $(active_targets) == *" up" ]]
}

check_discovery() {
  local node targets expected
  node=$(engine_docker info --format '{{.Name}}')
  expected="docker_compliance $node"
  expected+=" http://127.0.0.1:$EXPORTER_PORT/metrics up"
  if ! wait_until "$DISCOVERY_TIMEOUT" target_up; then
    fail "no discovered target is up ${DISCOVERY_TIMEOUT}s after" \
      "Prometheus started; active targets: '$(active_targets || true)'"
  fi
  targets=$(active_targets)
  assert_eq "$expected" "$targets" \
    "one target, named after the node, on the host-mode port"
}

check_scraped_series() {
  local response node
  node=$(engine_docker info --format '{{.Name}}')
  response=$(prometheus_query 'docker_compliance_up') ||
    fail "query docker_compliance_up failed"
  assert_contains "$response" '"job":"docker_compliance"' \
    "the discovered exporter's series carry job docker_compliance"
  assert_contains "$response" "\"instance\":\"$node\"" \
    "the discovered exporter's series carry the node as instance"
}

main() {
  ENGINE_DEFAULT_NETWORKING=1
  engine_start
  engine_import_busybox "$TEST_IMAGE"
  start_swarm_services
  write_prometheus_config
  PROMETHEUS_NETNS=$ENGINE_NETNS
  prometheus_start "$HARNESS_DIR/prometheus.yml"
  check_discovery
  check_scraped_series
  harness_log "swarm_discovery_test passed"
}

main "$@"
