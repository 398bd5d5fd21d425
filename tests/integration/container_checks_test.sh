#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Creates real containers with each setting that a container check judges,
# on a private engine, and checks the exported results and facts.
#
# Privileged containers cannot start on the test machines, and ports cannot
# be published without a bridge network, so those containers are created
# and not started: the checks judge their configuration.
#
# Usage: EXPORTER_BIN=path/to/docker_compliance_exporter \
#          bash tests/integration/container_checks_test.sh
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/engine.sh
source "$test_dir/lib/engine.sh"
# shellcheck source=lib/exporter.sh
source "$test_dir/lib/exporter.sh"

readonly IMAGE=dce-busybox
EXPOSITION=

# create NAME DOCKER_CREATE_ARGS...
# Creates a container named NAME that runs sleep when started.
create() {
  local name=$1
  shift
  engine_docker create --name "$name" "$@" "$IMAGE" sleep 3600 >/dev/null
}

# run NAME DOCKER_RUN_ARGS...
# Starts a container named NAME that sleeps. --stop-timeout 1 because
# sleep, as PID 1, ignores SIGTERM and the engine's shutdown would wait 10s.
run() {
  local name=$1
  shift
  engine_docker run -d --stop-timeout 1 --name "$name" "$@" "$IMAGE" \
    sleep 3600 >/dev/null
}

# Builds an image whose /bin/sshd is a static program that only sleeps, so
# that a container's process list shows an sshd without an SSH server.
make_sshd_image() {
  local source=$ENGINE_DIR/pause.c
  printf '#include <unistd.h>\nint main(void) { for (;;) pause(); }\n' \
    >"$source"
  gcc -static -O2 -o "$ENGINE_DIR/sshd" "$source"
  engine_docker create --name sshd-build "$IMAGE" true >/dev/null
  engine_docker cp "$ENGINE_DIR/sshd" sshd-build:/bin/sshd
  engine_docker commit sshd-build dce-sshd >/dev/null
  engine_docker rm sshd-build >/dev/null
}

create_containers() {
  mkdir -p "$ENGINE_DIR/etcd-data" "$ENGINE_DIR/shared"

  create plain
  create privileged --privileged
  create cap-sys-admin --cap-add SYS_ADMIN
  create cap-chown --cap-add chown
  create etc-rw -v /etc:/host-etc
  create etc-ro -v /etc:/host-etc:ro
  create etcd-data -v "$ENGINE_DIR/etcd-data:/data"
  create host-net --network host
  create limited --memory 64m --cpus 0.5 --pids-limit 100 --user 1000 \
    --security-opt no-new-privileges --restart on-failure:5 --read-only
  create cpu-shares --cpu-shares 512
  create port-wildcard -p 80:80
  create port-loopback -p 127.0.0.1:8080:80
  create restart-always --restart always
  create restart-six --restart on-failure:6
  create host-namespaces --pid host --ipc host --uts host
  create device --device /dev/null
  create propagation \
    --mount "type=bind,src=$ENGINE_DIR/shared,dst=/shared,bind-propagation=rshared"
  create seccomp-off --security-opt seccomp=unconfined
  create cgroup --cgroup-parent /custom-parent
  create socket -v "$ENGINE_SOCK:/var/run/docker.sock"

  run healthy --health-cmd true --health-interval 1s
  run unhealthy-unchecked
  engine_docker run -d --stop-timeout 1 --name sshd dce-sshd /bin/sshd \
    >/dev/null
  run exec-root
  # The engine keeps an exec instance only while it runs, so each runs
  # detached and sleeps.
  engine_docker exec -d -u 0 exec-root sleep 3600
  run exec-user
  engine_docker exec -d -u 1000 exec-user sleep 3600
}

# Creates a container from a tag and then points the tag at another image,
# so that the container runs an outdated image.
create_outdated_container() {
  engine_docker tag "$IMAGE" dce-moving:1
  engine_docker create --name outdated dce-moving:1 sleep 1 >/dev/null
  engine_docker tag dce-sshd dce-moving:1
}

# expect_check NAME CHECK VALUE
expect_check() {
  local series
  series=$(printf 'docker_compliance_container_check_passed{check="%s",name="%s"}' \
    "$2" "$1")
  assert_eq "$3" "$(series_value "$EXPOSITION" "$series")" "$1: $2"
}

# expect_no_result NAME CHECK
# Not applicable and unknown outcomes have no sample.
expect_no_result() {
  local series
  series=$(printf 'docker_compliance_container_check_passed{check="%s",name="%s"}' \
    "$2" "$1")
  assert_eq "" "$(series_value "$EXPOSITION" "$series")" \
    "$1: $2 has no sample"
}

# expect_fact METRIC NAME VALUE
expect_fact() {
  assert_eq "$3" "$(series_value "$EXPOSITION" "$1{name=\"$2\"}")" "$2: $1"
}

check_defaults() {
  expect_check plain privileged 1
  expect_check plain host_network 1
  expect_check plain rootfs_readonly 0
  expect_check plain memory_limited 0
  expect_check plain cpu_limited 0
  expect_check plain pids_limited 0
  expect_check plain non_root_user 0
  expect_check plain no_new_privileges 0
  expect_check plain restart_policy 1
  expect_check plain seccomp_enabled 1
  expect_check plain capabilities_restricted 1
  expect_check plain sensitive_mounts 1
  expect_check plain mount_propagation 1
  expect_check plain host_devices 1
  expect_check plain cgroup_parent 1
  expect_check plain host_pid 1
  expect_check plain host_ipc 1
  expect_check plain host_uts 1
  expect_check plain host_userns 1
  expect_check plain docker_socket_mounted 1
  expect_check plain exec_privileged 1
  expect_check plain image_current 1
  # The busybox image defines no HEALTHCHECK.
  expect_check plain healthcheck_defined 0
  # Not applicable: no published ports, not running, no AppArmor or SELinux
  # on the test machines, no network named bridge with --bridge=none.
  expect_no_result plain privileged_ports
  expect_no_result plain ports_bound_to_interface
  expect_no_result plain health_checked
  expect_no_result plain sshd_running
  expect_no_result plain exec_as_root
  expect_no_result plain apparmor_profile
  expect_no_result plain selinux_options
  expect_no_result plain default_bridge
  expect_fact docker_container_privileged plain 0
  expect_fact docker_container_memory_limit_bytes plain 0
  expect_fact docker_container_published_ports plain 0
  expect_fact docker_container_capabilities_added plain 0
}

check_settings() {
  expect_check privileged privileged 0
  expect_check privileged seccomp_enabled 0
  expect_fact docker_container_privileged privileged 1
  expect_check cap-sys-admin capabilities_restricted 0
  expect_fact docker_container_capabilities_added cap-sys-admin 1
  expect_check cap-chown capabilities_restricted 1
  expect_check etc-rw sensitive_mounts 0
  expect_check etc-ro sensitive_mounts 1
  expect_check etcd-data sensitive_mounts 1
  expect_check host-net host_network 0
  assert_eq 1 "$(series_value "$EXPOSITION" \
    'docker_container_host_namespace_shared{name="host-net",namespace="network"}')" \
    "host-net: network namespace shared"
  for check in memory_limited cpu_limited pids_limited non_root_user \
    no_new_privileges restart_policy rootfs_readonly; do
    expect_check limited "$check" 1
  done
  expect_fact docker_container_memory_limit_bytes limited 67108864
  expect_fact docker_container_pids_limit limited 100
  expect_check cpu-shares cpu_limited 1
  expect_check port-wildcard privileged_ports 0
  expect_check port-wildcard ports_bound_to_interface 0
  expect_fact docker_container_published_ports port-wildcard 1
  expect_check port-loopback privileged_ports 1
  expect_check port-loopback ports_bound_to_interface 1
  expect_check restart-always restart_policy 0
  expect_check restart-six restart_policy 0
  expect_check host-namespaces host_pid 0
  expect_check host-namespaces host_ipc 0
  expect_check host-namespaces host_uts 0
  expect_check device host_devices 0
  expect_check propagation mount_propagation 0
  expect_check seccomp-off seccomp_enabled 0
  expect_check cgroup cgroup_parent 0
  expect_check socket docker_socket_mounted 0
}

check_running() {
  expect_check healthy health_checked 1
  expect_check unhealthy-unchecked health_checked 0
  expect_check unhealthy-unchecked sshd_running 1
  expect_check sshd sshd_running 0
  expect_check exec-root exec_as_root 0
  expect_check exec-user exec_as_root 1
  expect_check outdated image_current 0
}

check_engine_facts() {
  assert_eq 5 "$(series_value "$EXPOSITION" \
    'docker_engine_containers{state="running"}')" "running containers"
  assert_eq 21 "$(series_value "$EXPOSITION" \
    'docker_engine_containers{state="stopped"}')" "stopped containers"
  # dce-busybox and dce-sshd, both used by a container.
  assert_eq 2 "$(series_value "$EXPOSITION" docker_engine_images)" "images"
  assert_eq 0 "$(series_value "$EXPOSITION" docker_engine_images_unused)" \
    "unused images"
  assert_contains "$EXPOSITION" 'docker_engine_seccomp_profile_info{profile=' \
    "seccomp profile"
}

check_report() {
  local report
  report=$(curl -s --fail --max-time 5 "$EXPORTER_URL/api/v1/report")
  assert_contains "$report" '"check":"privileged"' "report lists checks"
  assert_contains "$report" '"name":"etc-rw"' "report lists containers"
  assert_contains "$report" '"outcome":"fail"' "report has failures"
  assert_contains "$report" '/etc' "report names the sensitive mount"
}

main() {
  exporter_require_bin
  engine_start
  engine_import_busybox "$IMAGE"
  make_sshd_image
  create_containers
  create_outdated_container

  exporter_start "--docker.host=$ENGINE_HOST" --docker.refresh-interval=1s
  exporter_wait_ready 30
  # Wait for a refresh that has seen every container.
  wait_until 10 exporter_series_is docker_compliance_containers 26 ||
    fail "docker_compliance_containers did not reach 26:" \
      "$(exporter_series_value docker_compliance_containers)"
  EXPOSITION=$(exporter_scrape)
  printf '%s\n' "$EXPOSITION" >"$HARNESS_DIR/exposition.txt"
  harness_register_log "$HARNESS_DIR/exposition.txt"

  check_defaults
  check_settings
  check_running
  check_engine_facts
  check_report
  harness_log "container_checks_test passed"
}

main "$@"
