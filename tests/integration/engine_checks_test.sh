#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Checks the engine-level results of a private engine with default options,
# then of the same engine as a single-node swarm manager.
#
# Usage: EXPORTER_BIN=path/to/docker_compliance_exporter \
#          bash tests/integration/engine_checks_test.sh
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/engine.sh
source "$test_dir/lib/engine.sh"
# shellcheck source=lib/exporter.sh
source "$test_dir/lib/exporter.sh"

# engine_check_series CHECK
engine_check_series() {
  printf 'docker_compliance_engine_check_passed{check="%s"}' "$1"
}

# expect_engine_check CHECK VALUE
# Waits up to 10s for the value, because the exporter refreshes every
# second and the engine's state may have just changed.
expect_engine_check() {
  local series
  series=$(engine_check_series "$1")
  if ! wait_until 10 exporter_series_is "$series" "$2"; then
    fail "$series: expected '$2', got '$(exporter_series_value "$series")'"
  fi
  pass "$series is ${2:-absent}"
}

check_default_engine() {
  expect_engine_check rootless 0
  expect_engine_check insecure_registries 1
  expect_engine_check aufs 1
  expect_engine_check userns_remap 0
  expect_engine_check authz_plugin 0
  expect_engine_check remote_logging 0
  expect_engine_check live_restore 0
  expect_engine_check experimental 1
  expect_engine_check swarm_disabled 1
  # Not applicable: no network named bridge with --bridge=none, and no
  # swarm.
  expect_engine_check icc_disabled ""
  expect_engine_check overlay_encrypted ""
  expect_engine_check autolock ""
  expect_engine_check node_cert_expiry ""
}

check_swarm_manager() {
  # Ports of their own, so that a swarm already on this machine, whose
  # manager listens on 2377, does not make the init fail.
  local port
  port=$(harness_free_port)
  engine_docker swarm init --advertise-addr 127.0.0.1 \
    --listen-addr "127.0.0.1:$port" >/dev/null
  expect_engine_check swarm_disabled 0
  expect_engine_check autolock 0
  # The engine's default node certificate lifetime is 2160h, 90 days.
  expect_engine_check node_cert_expiry 1
  assert_eq 1 "$(exporter_series_value docker_engine_swarm_managers)" \
    "swarm managers"
  # The ingress network that swarm creates is not encrypted.
  expect_engine_check overlay_encrypted 0
  local report
  report=$(curl -s --fail --max-time 5 "$EXPORTER_URL/api/v1/report")
  assert_contains "$report" ingress "report names the unencrypted network"
}

# service_task_name SERVICE
# Prints the name of the running task container of SERVICE.
service_task_name() {
  engine_docker ps --filter "label=com.docker.swarm.service.name=$1" \
    --format '{{.Names}}'
}

# A swarm task's restart policy is its service's, which the exporter reads
# from GET /services/{id} on a manager.
check_service_restart_policy() {
  engine_import_busybox dce-busybox
  # --no-resolve-image, because no registry is reachable to resolve the tag;
  # a short grace period, because sleep ignores SIGTERM.
  local -a common=(--detach --no-resolve-image --stop-grace-period 1s)
  engine_docker service create "${common[@]}" --name bounded \
    --restart-condition on-failure --restart-max-attempts 3 \
    dce-busybox sleep 3600 >/dev/null
  engine_docker service create "${common[@]}" --name unbounded \
    dce-busybox sleep 3600 >/dev/null
  wait_until 30 _service_tasks_running ||
    fail "service tasks did not start within 30s"

  local bounded unbounded
  bounded=$(service_task_name bounded)
  unbounded=$(service_task_name unbounded)
  _expect_container_check "$bounded" restart_policy 1
  # The default policy restarts on any exit with no limit.
  _expect_container_check "$unbounded" restart_policy 0
}

_service_tasks_running() {
  [[ -n $(service_task_name bounded) && -n $(service_task_name unbounded) ]]
}

# _expect_container_check NAME CHECK VALUE
_expect_container_check() {
  local series
  series=$(printf 'docker_compliance_container_check_passed{check="%s",name="%s"}' \
    "$2" "$1")
  if ! wait_until 10 exporter_series_is "$series" "$3"; then
    fail "$series: expected '$3', got '$(exporter_series_value "$series")'"
  fi
  pass "$series is $3"
}

main() {
  exporter_require_bin
  # The swarm below creates docker_gwbridge, which belongs in the engine's
  # namespace rather than the host's.
  ENGINE_OWN_NETNS=1
  engine_start
  exporter_start "--docker.host=$ENGINE_HOST" --docker.refresh-interval=1s
  exporter_wait_ready 30
  check_default_engine
  check_swarm_manager
  check_service_restart_policy
  harness_log "engine_checks_test passed"
}

main "$@"
