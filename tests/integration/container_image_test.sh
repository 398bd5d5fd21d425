#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Builds deploy/Dockerfile on a private engine from a Debian 12 base made
# with debootstrap and runs the image with the hardening of
# deploy/compose/docker-compose.yml. Then deploys
# deploy/swarm/docker-stack.yml on a single-node swarm. Each exporter
# container scrapes the engine that runs it. It must pass every one of its
# own checks except those its deployment file documents as failing.
#
# Two engines, one after the other. The first runs in the host's network
# namespace with --bridge=none, so that `docker build --network host`
# reaches the Debian archive; it builds the image and runs the container.
# The second has Docker's default networking in a network namespace of its
# own (ENGINE_DEFAULT_NETWORKING=1) and runs the swarm, because a swarm
# task with a published port makes the engine create the docker_gwbridge
# bridge, which must stay out of the host's network namespace. The image
# moves from one to the other with docker save and docker load.
#
# The test scrapes each exporter inside its container: curl runs under
# nsenter in the container's network namespace and connects to 127.0.0.1,
# so no traffic goes to a container address.
#
# Usage: bash tests/integration/container_image_test.sh
# Needs root, network access to the Debian archive for debootstrap and the
# image's apt-get, and what scripts/bootstrap --test installs.
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$test_dir/../.." && pwd)
# shellcheck source=lib/engine.sh
source "$test_dir/lib/engine.sh"
# shellcheck source=lib/exporter.sh
source "$test_dir/lib/exporter.sh"
# shellcheck source=lib/base_image.sh
source "$test_dir/lib/base_image.sh"

readonly BASE_IMAGE=dce-test/debian:bookworm
readonly IMAGE=dce-test/exporter:latest
readonly REVISION=imagetest1
readonly STACK=dce
# The checks that each deployment documents as failing on purpose.
readonly CONTAINER_EXPECTED_FAILURES=(docker_socket_mounted)
readonly SWARM_EXPECTED_FAILURES=(docker_socket_mounted no_new_privileges
  ports_bound_to_interface)

# container_pid CONTAINER
# Prints the host pid of the container's main process, or nothing while it
# does not run.
container_pid() {
  local pid
  pid=$(engine_docker inspect --format '{{.State.Pid}}' "$1" 2>/dev/null) ||
    return 0
  if [[ $pid != 0 ]]; then
    printf '%s\n' "$pid"
  fi
}

# scrape_in_container CONTAINER PATH
# Prints the body of http://127.0.0.1:9795PATH as seen inside CONTAINER's
# network namespace. Fails (without exiting) unless the status is 200.
scrape_in_container() {
  local pid
  pid=$(container_pid "$1")
  [[ -n $pid ]] || return 1
  nsenter "--net=/proc/$pid/ns/net" \
    curl -s --fail --max-time 5 "http://127.0.0.1:9795$2"
}

# Succeeds once the exporter in CONTAINER has evaluated its own container,
# which needs a successful refresh after the container started.
self_evaluated() {
  local container=$1 exposition
  exposition=$(scrape_in_container "$container" /metrics) || return 1
  [[ -n $(series_value "$exposition" \
    "docker_compliance_container_check_passed{check=\"rootfs_readonly\",name=\"$container\"}") ]]
}

# assert_own_checks CONTAINER EXPECTED_FAILURE...
# Scrapes the exporter in CONTAINER and checks the results for CONTAINER
# itself: each EXPECTED_FAILURE fails, and every other check with a result
# passes.
assert_own_checks() {
  local container=$1
  shift
  local -a expected_failures=("$@")
  local exposition results line check value failing=() passing=0
  exposition=$(scrape_in_container "$container" /metrics) ||
    fail "scrape of the exporter in $container failed"
  results=$(printf '%s\n' "$exposition" | grep -F \
    "docker_compliance_container_check_passed{check=" |
    grep -F "name=\"$container\"}") || true
  while read -r line value; do
    [[ -n $line ]] || continue
    check=${line#*check=\"}
    check=${check%%\"*}
    if [[ $value == 0 ]]; then
      failing+=("$check")
    else
      passing=$((passing + 1))
    fi
  done <<<"$results"

  local expected
  for expected in "${expected_failures[@]}"; do
    if [[ " ${failing[*]} " != *" $expected "* ]]; then
      fail "$container: expected check $expected to fail; failing:" \
        "${failing[*]:-none}"
    fi
    pass "$container fails $expected, as its deployment documents"
  done
  local unexpected=()
  for check in "${failing[@]}"; do
    if [[ " ${expected_failures[*]} " != *" $check "* ]]; then
      unexpected+=("$check")
    fi
  done
  if ((${#unexpected[@]} > 0)); then
    fail "$container fails checks its deployment does not document:" \
      "${unexpected[*]}; /api/v1/report gives the reasons"
  fi
  # The non-root user, read-only root filesystem, health check, limits
  # and dropped capabilities must all be judged, not skipped.
  for check in non_root_user rootfs_readonly healthcheck_defined \
    health_checked memory_limited cpu_limited pids_limited \
    capabilities_restricted restart_policy host_network; do
    value=$(series_value "$exposition" \
      "docker_compliance_container_check_passed{check=\"$check\",name=\"$container\"}")
    assert_eq 1 "$value" "$container passes $check"
  done
  pass "$container passes its other $((passing - 10)) evaluated checks"
}

build_image() {
  local gid started=$SECONDS
  base_image_import "$BASE_IMAGE"
  pass "Debian 12 minbase imported as $BASE_IMAGE"

  gid=$(stat -c %g "$ENGINE_SOCK")
  harness_log "building $IMAGE from deploy/Dockerfile"
  # The legacy builder, because no buildx plugin is installed: Debian's
  # docker.io 20.10 has none, and newer docker CLIs need it for BuildKit.
  if ! DOCKER_BUILDKIT=0 engine_docker build --network host \
    --file "$repo_root/deploy/Dockerfile" \
    --build-arg "BASE_IMAGE=$BASE_IMAGE" \
    --build-arg "REVISION=$REVISION" \
    --build-arg "DOCKER_GID=$gid" \
    --tag "$IMAGE" "$repo_root" >"$HARNESS_DIR/build.log" 2>&1; then
    tail -n 40 "$HARNESS_DIR/build.log" >&2
    fail "docker build of deploy/Dockerfile failed; its log is above"
  fi
  harness_log "image built in $((SECONDS - started))s"

  assert_eq "10001:$gid" \
    "$(engine_docker image inspect --format '{{.Config.User}}' "$IMAGE")" \
    "image runs as uid 10001 in the socket's group"
  assert_contains \
    "$(engine_docker image inspect --format '{{json .Config.Healthcheck}}' "$IMAGE")" \
    "http://127.0.0.1:9795/-/healthy" "image health check requests /-/healthy"
}

# run_hardened_container NAME
# Runs the image with the settings of the exporter service in
# deploy/compose/docker-compose.yml, less the network and the published
# port, which an engine without a bridge cannot provide.
run_hardened_container() {
  local name=$1 gid
  gid=$(stat -c %g "$ENGINE_SOCK")
  # The image's health check runs every 30s. A short interval here only
  # makes the test see its first result sooner.
  engine_docker run --detach --name "$name" \
    --user "10001:$gid" --read-only --cap-drop ALL \
    --security-opt no-new-privileges:true \
    --memory 128m --cpus 0.5 --pids-limit 64 --restart on-failure:5 \
    --health-interval 2s \
    --volume "$ENGINE_SOCK:/var/run/docker.sock:ro" \
    "$IMAGE" --docker.refresh-interval=1s >/dev/null ||
    fail "docker run of $IMAGE failed"
}

container_healthy() {
  [[ $(engine_docker inspect --format '{{.State.Health.Status}}' "$1") == \
    healthy ]]
}

check_container() {
  local name=exporter-self exposition
  run_hardened_container "$name"
  if ! wait_until 60 self_evaluated "$name"; then
    engine_docker logs "$name" >&2 || true
    fail "the exporter in $name did not report its own container within 60s"
  fi
  exposition=$(scrape_in_container "$name" /metrics)
  assert_eq 1 "$(series_value "$exposition" docker_compliance_up)" \
    "exporter in the container reads the engine socket as a non-root user"
  assert_contains "$exposition" "revision=\"$REVISION\"" \
    "build_info carries the REVISION build argument"
  scrape_in_container "$name" /-/ready >/dev/null ||
    fail "/-/ready in $name does not return 200"
  pass "/-/ready in $name returns 200"
  if ! wait_until 60 container_healthy "$name"; then
    fail "$name not healthy within 60s: $(engine_docker inspect \
      --format '{{json .State.Health}}' "$name")"
  fi
  pass "image health check reports $name healthy"
  assert_own_checks "$name" "${CONTAINER_EXPECTED_FAILURES[@]}"
  engine_docker rm --force "$name" >/dev/null
}

# Prints the id of the running container of the stack's exporter task.
swarm_task_container() {
  engine_docker ps --quiet \
    --filter "label=com.docker.swarm.service.name=${STACK}_exporter" \
    --filter status=running | head -n 1
}

swarm_task_evaluated() {
  local id
  id=$(swarm_task_container)
  [[ -n $id ]] || return 1
  task_name=$(engine_docker inspect --format '{{.Name}}' "$id")
  task_name=${task_name#/}
  self_evaluated "$task_name"
}

check_swarm() {
  local swarm_port published_port
  swarm_port=$(harness_free_port)
  engine_docker swarm init --advertise-addr 127.0.0.1 \
    --listen-addr "127.0.0.1:$swarm_port" >/dev/null ||
    fail "docker swarm init failed"
  published_port=$(harness_free_port)
  DOCKER_GID=$(stat -c %g "$ENGINE_SOCK") \
    DOCKER_SOCKET=$ENGINE_SOCK EXPORTER_IMAGE=$IMAGE \
    EXPORTER_PORT=$published_port \
    engine_docker stack deploy --resolve-image never \
    --compose-file "$repo_root/deploy/swarm/docker-stack.yml" "$STACK" \
    >"$HARNESS_DIR/stack.log" 2>&1 ||
    fail "docker stack deploy failed: $(cat "$HARNESS_DIR/stack.log")"
  pass "stack deployed"

  assert_eq global \
    "$(engine_docker service inspect --format \
      '{{if .Spec.Mode.Global}}global{{end}}' "${STACK}_exporter")" \
    "exporter runs as a global service"

  task_name=
  if ! wait_until 90 swarm_task_evaluated; then
    engine_docker service ps --no-trunc "${STACK}_exporter" >&2 || true
    fail "the swarm task did not report its own container within 90s"
  fi
  pass "swarm task $task_name serves /metrics"
  assert_own_checks "$task_name" "${SWARM_EXPECTED_FAILURES[@]}"
}

# Moves the image from the build engine to a new engine with default
# networking in its own network namespace.
restart_with_default_networking() {
  local archive=$HARNESS_DIR/image.tar
  engine_docker save --output "$archive" "$IMAGE" ||
    fail "docker save of $IMAGE failed"
  engine_stop
  ENGINE_DEFAULT_NETWORKING=1
  engine_start
  engine_docker load --input "$archive" >/dev/null ||
    fail "docker load of $IMAGE failed"
  rm -f "$archive"
}

main() {
  engine_start
  build_image
  check_container
  restart_with_default_networking
  check_swarm
}

main "$@"
