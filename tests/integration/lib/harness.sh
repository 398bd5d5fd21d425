# shellcheck shell=bash
# Test harness shared by the integration tests and scripts/run --sandbox:
# background processes, cleanup, free ports, polling and assertions.
#
# Sourcing this file creates HARNESS_DIR (a scratch directory for logs) and
# installs EXIT, INT and TERM traps. On exit the traps stop every process
# started with harness_spawn, run the hooks added with harness_add_cleanup
# (engine.sh adds engine_stop) and remove HARNESS_DIR. When the script exits
# with a non-zero status, they first print the tail of each registered log.
#
# Do not call fail or harness_spawn inside $(...): a command substitution
# runs in a subshell, so its exit and its variables do not reach the script.

if [[ -n ${_HARNESS_SOURCED:-} ]]; then
  return 0
fi
_HARNESS_SOURCED=1

HARNESS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/dce-harness.XXXXXX")
HARNESS_SPAWNED_PID=
HARNESS_EXIT_STATUS=
_harness_pids=()
_harness_logs=()
_harness_cleanup_hooks=()
_harness_cleaned_up=0

# Prints a progress message on stderr, prefixed with the seconds since the
# script started.
harness_log() {
  printf '[%3ss] %s\n' "$SECONDS" "$*" >&2
}

# Prints "FAIL: MESSAGE" on stderr and exits with status 1.
fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}

# Prints "ok: DESCRIPTION" on stdout, so a test's output lists its checks.
pass() {
  printf 'ok: %s\n' "$*"
}

# assert_eq EXPECTED ACTUAL DESCRIPTION
assert_eq() {
  local expected=$1 actual=$2 description=$3
  if [[ $actual != "$expected" ]]; then
    fail "$description: expected '$expected', got '$actual'"
  fi
  pass "$description"
}

# Prints at most the first 40 lines of TEXT, indented, for failure messages.
_harness_excerpt() {
  local text=$1
  printf '%s\n' "$text" | head -n 40 | sed 's/^/    | /'
  if (($(printf '%s\n' "$text" | wc -l) > 40)); then
    printf '    | ... (truncated)\n'
  fi
}

# assert_contains TEXT NEEDLE DESCRIPTION
# Passes when NEEDLE occurs in TEXT as a fixed string.
assert_contains() {
  local text=$1 needle=$2 description=$3
  if [[ $text != *"$needle"* ]]; then
    fail "$description: expected to contain '$needle'; got:
$(_harness_excerpt "$text")"
  fi
  pass "$description"
}

# assert_not_contains TEXT NEEDLE DESCRIPTION
assert_not_contains() {
  local text=$1 needle=$2 description=$3
  if [[ $text == *"$needle"* ]]; then
    fail "$description: expected not to contain '$needle'; got:
$(_harness_excerpt "$text")"
  fi
  pass "$description"
}

# wait_until TIMEOUT_SECONDS COMMAND [ARGS...]
# Runs COMMAND every 0.2 s until it succeeds. Returns 1 if it still fails
# after TIMEOUT_SECONDS, so the caller can fail with what it saw last.
wait_until() {
  local timeout=$1
  shift
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      return 1
    fi
    sleep 0.2
  done
}

# Succeeds while PID exists and is not a zombie. A zombie counts as gone
# because kill -0 still succeeds on it until its parent reaps it.
harness_process_alive() {
  local fields
  _harness_read_stat "$1" || return 1
  [[ ${fields[0]} != Z ]]
}

# Sets the caller's array "fields" to the fields of /proc/PID/stat that
# follow the command name, so fields[0] is the state and fields[1] the
# parent pid. Fails if PID does not exist.
_harness_read_stat() {
  local stat
  # Uses read rather than $(<file), because with set -e bash exits when
  # $(<file) cannot open the file, even on the left of ||.
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  # The command name is in parentheses and may itself contain spaces or
  # parentheses, so split after the last ") ".
  read -r -a fields <<<"${stat##*) }"
}

# Succeeds if PID is a running child of this shell. The cleanup checks this
# before it signals a spawned pid, because a process that exited on its own
# may have had its pid reused by an unrelated process.
_harness_is_running_child() {
  local fields
  _harness_read_stat "$1" || return 1
  [[ ${fields[0]} != Z && ${fields[1]} == "$$" ]]
}

harness_process_gone() {
  ! harness_process_alive "$1"
}

# harness_spawn LOGFILE COMMAND [ARGS...]
# Starts COMMAND in the background with stdout and stderr in LOGFILE ("-"
# keeps the script's own), sets HARNESS_SPAWNED_PID and stops the process at
# exit. Bash gives background commands /dev/null as standard input and
# ignores SIGINT in them when job control is off, so the process receives
# SIGINT only if it resets that signal's disposition, as the exporter does.
harness_spawn() {
  local log=$1
  shift
  if [[ $log == - ]]; then
    "$@" &
  else
    "$@" >"$log" 2>&1 &
    _harness_logs+=("$log")
  fi
  HARNESS_SPAWNED_PID=$!
  _harness_pids+=("$HARNESS_SPAWNED_PID")
}

# harness_register_log FILE
# Adds FILE to the logs printed when the script fails.
harness_register_log() {
  _harness_logs+=("$1")
}

# harness_add_cleanup FUNCTION
# Runs FUNCTION at exit, after the spawned processes are stopped. Hooks run
# in reverse order of registration.
harness_add_cleanup() {
  _harness_cleanup_hooks+=("$1")
}

# harness_stop_process PID [TIMEOUT_SECONDS]
# Sends SIGTERM, waits up to TIMEOUT_SECONDS (default 10), then sends
# SIGKILL. Sets HARNESS_EXIT_STATUS to the process's exit status when it is
# a child of this shell, else to 127, and stops tracking the pid.
harness_stop_process() {
  local pid=$1 timeout=${2:-10}
  if harness_process_alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_until "$timeout" harness_process_gone "$pid"; then
      harness_log "pid $pid ignored SIGTERM for ${timeout}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      wait_until 5 harness_process_gone "$pid" || true
    fi
  fi
  local status=0
  wait "$pid" 2>/dev/null || status=$?
  # shellcheck disable=SC2034 # read by the scripts that source this file
  HARNESS_EXIT_STATUS=$status
  _harness_forget_pid "$pid"
}

_harness_forget_pid() {
  local pid=$1 index
  for index in "${!_harness_pids[@]}"; do
    if [[ ${_harness_pids[index]} == "$pid" ]]; then
      unset '_harness_pids[index]'
    fi
  done
  _harness_pids=("${_harness_pids[@]}")
}

# harness_free_port
# Prints a TCP port in 20000-32767 that nothing listens on. That range lies
# below Linux's default ephemeral range (32768-60999), so outgoing
# connections do not take it in the meantime.
# NOTE: another program can still bind the port before the caller does.
harness_free_port() {
  local attempt port
  for ((attempt = 0; attempt < 200; attempt++)); do
    port=$((20000 + RANDOM % 12768))
    if [[ -z $(ss -Hltn "sport = :$port") ]]; then
      printf '%s\n' "$port"
      return 0
    fi
  done
  printf 'harness_free_port: no free port found in 200 attempts\n' >&2
  return 1
}

_harness_print_logs() {
  local log
  for log in "${_harness_logs[@]}"; do
    if [[ -f $log && ! -s $log ]]; then
      printf -- '--- %s is empty ---\n' "$log" >&2
    elif [[ -s $log ]]; then
      printf -- '--- last 30 lines of %s without gRPC lines ---\n' \
        "$log" >&2
      # dockerd logs gRPC connection changes many times a second, and they
      # would crowd out the lines that explain a failure.
      grep -v 'module=grpc' "$log" | tail -n 30 >&2 || true
    fi
  done
}

# harness_cleanup [PRINT_LOGS]
# Stops spawned processes (newest first), runs the cleanup hooks and removes
# HARNESS_DIR. Only the first call does anything.
harness_cleanup() {
  local print_logs=${1:-0} index
  if ((_harness_cleaned_up)); then
    return 0
  fi
  _harness_cleaned_up=1
  # A second Ctrl-C would otherwise leave the engine half stopped.
  trap '' INT TERM
  if ((print_logs)); then
    _harness_print_logs
  fi
  for ((index = ${#_harness_pids[@]} - 1; index >= 0; index--)); do
    if _harness_is_running_child "${_harness_pids[index]}"; then
      harness_stop_process "${_harness_pids[index]}"
    fi
  done
  for ((index = ${#_harness_cleanup_hooks[@]} - 1; index >= 0; index--)); do
    "${_harness_cleanup_hooks[index]}" || true
  done
  rm -rf "$HARNESS_DIR"
}

_harness_on_exit() {
  local status=$?
  if ((status != 0)); then
    harness_cleanup 1
  else
    harness_cleanup 0
  fi
  exit "$status"
}

# Exits with 128 + the signal number, as a shell does for a command that a
# signal ended.
_harness_on_signal() {
  local signal=$1 status=$2
  harness_log "received SIG$signal; cleaning up"
  trap - EXIT
  harness_cleanup 0
  exit "$status"
}

trap _harness_on_exit EXIT
trap '_harness_on_signal INT 130' INT
trap '_harness_on_signal TERM 143' TERM
