# shellcheck shell=bash source-path=SCRIPTDIR
# Private Docker engine for the integration tests and scripts/run --sandbox.
#
# Source this file (it also sources harness.sh), then call engine_start.
# The engine is a dockerd with its own data root, exec root, socket and
# pidfile in a directory under /tmp, so it never uses /var/run/docker.sock
# or another engine's state. It runs without iptables rules or a bridge, so
# containers get no network, and it needs root. The EXIT trap installed by
# harness.sh calls engine_stop.
#
# After engine_start these are exported:
#   ENGINE_DIR   directory with data/, exec/, docker.sock, docker.pid and
#                dockerd.log
#   ENGINE_SOCK  path of the engine's API socket
#   ENGINE_HOST  unix://$ENGINE_SOCK, for --docker.host and docker -H
#   ENGINE_PID   pid of dockerd, read from its pidfile
#
# Containers whose main process is `sleep` ignore SIGTERM (they run as
# PID 1 without a handler), so dockerd waits their stop timeout (default
# 10 s) before it kills them on shutdown. Tests create them with
# --stop-timeout 1 to keep engine_stop short.

_engine_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=harness.sh
source "$_engine_lib_dir/harness.sh"

ENGINE_START_TIMEOUT=${ENGINE_START_TIMEOUT:-60}
ENGINE_STOP_TIMEOUT=${ENGINE_STOP_TIMEOUT:-60}
_engine_launcher_pid=
_engine_killed=0

# Prints the dockerd to run: the one on PATH, else /usr/sbin/dockerd, which
# is not on PATH for most non-root users.
_engine_find_dockerd() {
  if command -v dockerd; then
    return 0
  fi
  if [[ -x /usr/sbin/dockerd ]]; then
    printf '/usr/sbin/dockerd\n'
    return 0
  fi
  return 1
}

_engine_ping() {
  local reply
  reply=$(curl -s --max-time 2 --unix-socket "$ENGINE_SOCK" \
    http://localhost/_ping 2>/dev/null) || return 1
  [[ $reply == OK ]]
}

# Succeeds if PID is alive and its command line mentions ENGINE_DIR. This
# guards every signal sent by pid: after a process exits, the kernel may
# give its pid to an unrelated process.
_engine_owns_pid() {
  local pid=$1 cmdline
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  harness_process_alive "$pid" || return 1
  { cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline"); } 2>/dev/null || return 1
  [[ $cmdline == *"$ENGINE_DIR/"* ]]
}

# Prints the pid of this engine's dockerd from its pidfile, or the pid of
# the launcher when dockerd died before it wrote the pidfile.
_engine_daemon_pid() {
  local pid=
  # dockerd removes the file when it exits, so it may vanish at any time.
  read -r pid 2>/dev/null <"$ENGINE_DIR/docker.pid" || true
  printf '%s\n' "${pid:-$_engine_launcher_pid}"
}

_engine_print_log() {
  printf -- '--- last 40 lines of %s without gRPC lines ---\n' \
    "$ENGINE_DIR/dockerd.log" >&2
  grep -v 'module=grpc' "$ENGINE_DIR/dockerd.log" | tail -n 40 >&2 || true
}

# _engine_signal_and_wait PID SIGNAL TIMEOUT_SECONDS
_engine_signal_and_wait() {
  local pid=$1 signal=$2 timeout=$3
  kill "-$signal" "$pid" 2>/dev/null || true
  wait_until "$timeout" harness_process_gone "$pid"
}

# Stops the containerd that dockerd started when it outlived dockerd, and
# removes its pidfile. After a SIGKILL of dockerd, containerd either keeps
# running or remains as a zombie when no process reaps it. dockerd's next
# start takes either as a running containerd, waits for its socket and
# times out.
_engine_stop_leftover_containerd() {
  local pidfile=$ENGINE_DIR/exec/containerd/containerd.pid pid=
  read -r pid 2>/dev/null <"$pidfile" || true
  if _engine_owns_pid "$pid"; then
    harness_log "stopping leftover containerd (pid $pid)"
    if ! _engine_signal_and_wait "$pid" TERM 10; then
      _engine_signal_and_wait "$pid" KILL 5 || true
    fi
  fi
  rm -f "$pidfile"
}

# Starts dockerd on ENGINE_DIR and waits for /_ping. Returns 1 with a
# message instead of exiting, so that engine_stop can call it from the
# cleanup.
_engine_launch() {
  local dockerd started=$SECONDS
  if ! dockerd=$(_engine_find_dockerd); then
    printf 'dockerd not found; install docker.io' >&2
    printf ' (scripts/bootstrap --test)\n' >&2
    return 1
  fi

  _engine_stop_leftover_containerd
  # dockerd refuses to start while its pidfile names a live process, and a
  # SIGKILL leaves the file behind.
  rm -f "$ENGINE_DIR/docker.pid"
  # setsid puts dockerd in its own session, so a Ctrl-C in the terminal
  # reaches only the script, and engine_stop decides when dockerd stops.
  # With --wait the launcher lives exactly as long as dockerd, even when
  # setsid has to fork.
  local -a launcher=() networking=(--iptables=false --bridge=none)
  if [[ -n ${ENGINE_NETNS:-} ]]; then
    # Only the network namespace is entered: `ip netns exec` would also
    # remount /sys, which hides the cgroup mounts that dockerd needs.
    launcher=(nsenter "--net=/var/run/netns/$ENGINE_NETNS")
  fi
  if ((ENGINE_DEFAULT_NETWORKING)); then
    networking=()
  fi
  setsid --wait "${launcher[@]}" "$dockerd" \
    --data-root "$ENGINE_DIR/data" \
    --exec-root "$ENGINE_DIR/exec" \
    --host "$ENGINE_HOST" \
    --pidfile "$ENGINE_DIR/docker.pid" \
    "${networking[@]}" \
    "${ENGINE_EXTRA_ARGS[@]}" \
    >>"$ENGINE_DIR/dockerd.log" 2>&1 </dev/null &
  _engine_launcher_pid=$!

  local deadline=$((SECONDS + ENGINE_START_TIMEOUT))
  until _engine_ping; do
    if harness_process_gone "$_engine_launcher_pid"; then
      _engine_print_log
      printf 'dockerd exited during startup; its log is above\n' >&2
      return 1
    fi
    if ((SECONDS >= deadline)); then
      _engine_print_log
      printf 'timed out after %ss waiting for dockerd to respond to' \
        "$ENGINE_START_TIMEOUT" >&2
      printf ' %s/_ping; its log is above\n' "$ENGINE_HOST" >&2
      return 1
    fi
    sleep 0.1
  done

  ENGINE_PID=$(_engine_daemon_pid)
  export ENGINE_PID
  _engine_killed=0
  harness_log "engine ready in $((SECONDS - started))s:" \
    "dockerd pid $ENGINE_PID, $ENGINE_HOST"
}

# Further dockerd options for the next engine_start, such as
# (--live-restore --experimental); set it before engine_start.
ENGINE_EXTRA_ARGS=()

# Set to 1 before engine_start for an engine with Docker's default
# networking: a bridge network and iptables rules. It runs in a network
# namespace of its own, so that its docker0 bridge and iptables rules do
# not touch the host's, nor another Docker engine's.
ENGINE_DEFAULT_NETWORKING=${ENGINE_DEFAULT_NETWORKING:-0}

# Set to 1 before engine_start for an engine without a bridge network that
# still runs in a network namespace of its own: `docker swarm init` creates
# the docker_gwbridge interface even with --bridge=none, and it must not
# outlive the test in the host's namespace.
ENGINE_OWN_NETNS=${ENGINE_OWN_NETNS:-0}

# engine_start
# Starts the private engine and waits up to ENGINE_START_TIMEOUT seconds
# (default 60) until it responds to /_ping. Reuses ENGINE_DIR, and so the
# containers and images in it, when it is already set (engine_restart, or a
# start after engine_stop_daemon). Exits the script if the engine does not
# come up.
engine_start() {
  if ((EUID != 0)); then
    fail "engine_start: dockerd needs root; run this as root"
  fi
  if [[ -z ${ENGINE_DIR:-} ]]; then
    # A short path, because the exec root contains containerd's unix
    # sockets and a socket path may have at most 107 bytes.
    ENGINE_DIR=$(mktemp -d /tmp/dce.XXXXXX)
    mkdir "$ENGINE_DIR/data" "$ENGINE_DIR/exec"
    harness_register_log "$ENGINE_DIR/dockerd.log"
    if ((ENGINE_DEFAULT_NETWORKING || ENGINE_OWN_NETNS)); then
      ENGINE_NETNS=$(basename "$ENGINE_DIR")
      ip netns add "$ENGINE_NETNS" ||
        fail "engine_start: cannot create network namespace $ENGINE_NETNS"
      ip netns exec "$ENGINE_NETNS" ip link set lo up
    fi
  fi
  ENGINE_SOCK=$ENGINE_DIR/docker.sock
  ENGINE_HOST=unix://$ENGINE_SOCK
  export ENGINE_DIR ENGINE_SOCK ENGINE_HOST
  _engine_launch || fail "engine_start: private engine did not start"
}

# engine_stop_daemon
# Stops dockerd with SIGTERM and waits up to ENGINE_STOP_TIMEOUT seconds
# (default 60) for it to exit, then sends SIGKILL. Keeps ENGINE_DIR, so
# engine_start brings the same engine back with its containers. Running
# containers are stopped, as on any dockerd shutdown.
engine_stop_daemon() {
  [[ -n ${ENGINE_DIR:-} ]] || return 0
  local pid
  pid=$(_engine_daemon_pid)
  if _engine_owns_pid "$pid"; then
    if ! _engine_signal_and_wait "$pid" TERM "$ENGINE_STOP_TIMEOUT"; then
      harness_log "dockerd (pid $pid) did not exit" \
        "${ENGINE_STOP_TIMEOUT}s after SIGTERM; sending SIGKILL"
      _engine_signal_and_wait "$pid" KILL 10 || true
      _engine_killed=1
    fi
  fi
  # Reaps the launcher, so no zombie is left behind.
  if [[ -n $_engine_launcher_pid ]]; then
    wait "$_engine_launcher_pid" 2>/dev/null || true
    _engine_launcher_pid=
  fi
  _engine_stop_leftover_containerd
}

# engine_kill
# Kills dockerd with SIGKILL, as a crash would. Its containers keep running
# (their shims outlive dockerd). The next engine_start stops the leftover
# containerd, and dockerd then stops those containers itself.
engine_kill() {
  [[ -n ${ENGINE_DIR:-} ]] || fail "engine_kill: no engine was started"
  local pid
  pid=$(_engine_daemon_pid)
  _engine_owns_pid "$pid" ||
    fail "engine_kill: dockerd (pid $pid) is not running"
  _engine_signal_and_wait "$pid" KILL 10 ||
    fail "engine_kill: dockerd (pid $pid) still runs 10s after SIGKILL"
  wait "$_engine_launcher_pid" 2>/dev/null || true
  _engine_launcher_pid=
  _engine_killed=1
}

# engine_restart
# Stops and starts the engine on the same directories and socket, so images
# and containers survive (running containers come back stopped).
engine_restart() {
  engine_stop_daemon
  engine_start
}

# Unmounts everything mounted under ENGINE_DIR, deepest first. dockerd
# bind-mounts its data root onto itself and does not always undo that, and
# a crash leaves overlay mounts of containers behind.
_engine_unmount_all() {
  local attempt mount_point
  local -a mount_points
  # Mounts can be stacked on one mount point, hence the retries.
  for ((attempt = 0; attempt < 5; attempt++)); do
    mapfile -t mount_points < <(_engine_mount_points)
    ((${#mount_points[@]} > 0)) || return 0
    for mount_point in "${mount_points[@]}"; do
      umount "$mount_point" 2>/dev/null ||
        umount --lazy "$mount_point" 2>/dev/null || true
    done
  done
  mapfile -t mount_points < <(_engine_mount_points)
  ((${#mount_points[@]} == 0))
}

# Prints the mount points at or below ENGINE_DIR, deepest first. Paths from
# mktemp contain no spaces, so the octal escapes of mountinfo do not occur.
_engine_mount_points() {
  awk -v dir="$ENGINE_DIR" \
    '$5 == dir || index($5, dir "/") == 1 { print $5 }' \
    /proc/self/mountinfo | sort -r
}

# engine_stop
# Stops the engine and removes ENGINE_DIR. Safe to call twice, and without
# a started engine.
engine_stop() {
  [[ -n ${ENGINE_DIR:-} && -d $ENGINE_DIR ]] || return 0
  local pid
  pid=$(_engine_daemon_pid)
  if ((_engine_killed)) && ! _engine_owns_pid "$pid"; then
    # Containers that ran when dockerd was killed still run. A new dockerd
    # stops them at startup, and its graceful stop leaves no container
    # processes behind.
    harness_log "starting the killed engine again to stop its containers"
    _engine_launch || harness_log "engine did not start; containers of" \
      "$ENGINE_DIR may still run"
  fi
  engine_stop_daemon
  if _engine_unmount_all; then
    rm -rf "$ENGINE_DIR"
  else
    harness_log "not removing $ENGINE_DIR, because these are still mounted:"
    _engine_mount_points >&2
  fi
  if [[ -n ${ENGINE_NETNS:-} ]]; then
    ip netns del "$ENGINE_NETNS" ||
      harness_log "could not remove network namespace $ENGINE_NETNS"
  fi
  unset ENGINE_DIR ENGINE_SOCK ENGINE_HOST ENGINE_PID ENGINE_NETNS
  _engine_killed=0
}

# engine_docker ARGS...
# Runs the docker CLI against the private engine. DOCKER_CONFIG points into
# ENGINE_DIR, so the user's CLI configuration and contexts are not read or
# changed.
engine_docker() {
  [[ -n ${ENGINE_HOST:-} ]] || fail "engine_docker: call engine_start first"
  DOCKER_CONFIG=$ENGINE_DIR/cli docker --host "$ENGINE_HOST" "$@"
}

# engine_import_busybox IMAGE
# Imports an image that contains only a static busybox and a symlink for
# each of its applets in /bin. No registry is needed.
engine_import_busybox() {
  local image=$1 busybox rootfs applet
  busybox=$(command -v busybox) ||
    fail "busybox not found; install busybox-static (scripts/bootstrap --test)"
  # ldd exits non-zero for a static executable.
  if ldd "$busybox" >/dev/null 2>&1; then
    fail "$busybox is dynamically linked and cannot run in an image" \
      "without a C library; install busybox-static"
  fi
  rootfs=$ENGINE_DIR/busybox-rootfs
  rm -rf "$rootfs"
  mkdir -p "$rootfs/bin" "$rootfs/tmp"
  cp "$busybox" "$rootfs/bin/busybox"
  for applet in $("$busybox" --list); do
    if [[ $applet != busybox ]]; then
      ln -s busybox "$rootfs/bin/$applet"
    fi
  done
  tar -C "$rootfs" -c . |
    engine_docker import --change 'ENV PATH=/bin' \
      --change 'CMD ["/bin/sh"]' - "$image" >/dev/null
  rm -rf "$rootfs"
}

harness_add_cleanup engine_stop
