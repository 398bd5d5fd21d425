#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Validates deploy/compose/docker-compose.yml with Debian's docker-compose
# (`docker-compose config`, which needs no engine) and checks the
# exporter's hardening in the resolved configuration. The services
# themselves are not started: Prometheus, Alertmanager and Grafana images
# need a registry, which the test machines cannot reach.
#
# Usage: bash tests/integration/compose_config_test.sh
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$test_dir/../.." && pwd)
# shellcheck source=lib/harness.sh
source "$test_dir/lib/harness.sh"

readonly COMPOSE_FILE=$repo_root/deploy/compose/docker-compose.yml

# exporter_setting PYTHON_EXPRESSION
# Prints the value of PYTHON_EXPRESSION over `service`, the exporter's
# resolved configuration, as JSON. python3-yaml is a dependency of Debian's
# docker-compose.
exporter_setting() {
  python3 -c '
import json, sys, yaml
config = yaml.safe_load(open(sys.argv[1]))
service = config["services"]["exporter"]
print(json.dumps(eval(sys.argv[2])))
' "$HARNESS_DIR/resolved.yml" "$1"
}

main() {
  command -v docker-compose >/dev/null ||
    fail "docker-compose not found; install it (scripts/bootstrap --test)"
  if ! DOCKER_GID=4242 DOCKER_SOCKET=/run/test/docker.sock \
    EXPORTER_PORT=19795 docker-compose --file "$COMPOSE_FILE" config \
    >"$HARNESS_DIR/resolved.yml" 2>"$HARNESS_DIR/compose.err"; then
    cat "$HARNESS_DIR/compose.err" >&2
    fail "docker-compose config rejected $COMPOSE_FILE"
  fi
  pass "docker-compose config accepts the compose file"

  assert_eq '["alertmanager", "exporter", "grafana", "prometheus"]' \
    "$(exporter_setting 'sorted(config["services"])')" \
    "compose file defines the four services"
  assert_eq '"10001:4242"' "$(exporter_setting 'service["user"]')" \
    "exporter runs as uid 10001 in the group DOCKER_GID"
  assert_eq true "$(exporter_setting 'service["read_only"]')" \
    "exporter has a read-only root filesystem"
  assert_eq '["ALL"]' "$(exporter_setting 'service["cap_drop"]')" \
    "exporter drops all capabilities"
  assert_eq true \
    "$(exporter_setting '"no-new-privileges:true" in service["security_opt"]')" \
    "exporter sets no-new-privileges"
  assert_eq '"128m"' "$(exporter_setting 'service["mem_limit"]')" \
    "exporter has a memory limit"
  assert_eq 64 "$(exporter_setting 'service["pids_limit"]')" \
    "exporter has a pids limit"
  assert_eq '"on-failure:5"' "$(exporter_setting 'service["restart"]')" \
    "exporter restarts at most 5 times"
  assert_eq '["/run/test/docker.sock:/var/run/docker.sock:ro"]' \
    "$(exporter_setting 'service["volumes"]')" \
    "exporter mounts DOCKER_SOCKET read-only and nothing else"
  assert_eq '["127.0.0.1:19795:9795/tcp"]' \
    "$(exporter_setting 'service["ports"]')" \
    "exporter publishes EXPORTER_PORT on loopback only"
  assert_eq '[]' \
    "$(exporter_setting '[name for name, s in config["services"].items()
        if "default" in s.get("networks", {"default": None})]')" \
    "no service joins the default network"
}

main "$@"
