#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Measures the exporter on a private engine at each container count given
# (default 100 and 1000) and prints one markdown table:
#
# - full refresh against a floor: one curl process sending the same GET
#   requests over the same unix socket with the same concurrency, less the
#   time curl takes to send one /_ping (its start-up). Exporter and floor
#   alternate in each round, so that load from elsewhere on the machine
#   affects both. The table gives the median ratio and its range.
# - scrapes: wrk with 16 connections against /metrics, with and without
#   gzip, while full refreshes run; exposition size.
# - memory: peak RSS after the first full refresh and after the scrapes,
#   and RSS growth across many refreshes.
# - freshness: `docker run` to the container's series in /metrics, engine
#   calls while idle and while scraped (dockerd runs with --debug and logs
#   every API call).
#
# Containers are created once, in parallel batches. A fifth of them run
# `sleep`, and the rest stay created. Read-only root filesystems, memory
# limits, added and dropped capabilities, bind mounts, volumes, tmpfs
# mounts, users and restart policies vary with the index.
#
# Usage: EXPORTER_BIN=build/release/exporter/docker_compliance_exporter \
#          bash bench/scale_bench.sh [COUNT...]
# Environment:
#   ROUNDS            refresh rounds (default 7)
#   GROWTH_REFRESHES  refreshes between the two RSS readings (default 100)
#   LOAD_SECONDS      duration of each wrk run, at most 10 (default 10)
#   BENCH_RESULTS     file for the measurements, one a line, which stays
#                     when the run stops early (default: a scratch file)
#   HEAPTRACK_DIR     when set, the exporter also runs under heaptrack at
#                     the last count; the profile and summary go there
#   BASELINE_BIN      when set, this second exporter binary is measured the
#                     same way at each count, before EXPORTER_BIN, on the
#                     same containers, and gets its own column
# Needs root (it starts dockerd), the docker CLI, busybox-static, curl
# and wrk (apt-get install wrk).
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../tests/integration/lib/engine.sh
source "$bench_dir/../tests/integration/lib/engine.sh"
# shellcheck source=../tests/integration/lib/exporter.sh
source "$bench_dir/../tests/integration/lib/exporter.sh"

readonly ROUNDS=${ROUNDS:-7}
readonly GROWTH_REFRESHES=${GROWTH_REFRESHES:-100}
readonly LOAD_SECONDS=${LOAD_SECONDS:-10}
readonly CONCURRENCY=4
readonly SCRAPERS=16
readonly IMAGE=dce-busybox
readonly CREATE_JOBS=8
# Containers whose index is a multiple of this run, and the others stay
# created.
readonly RUNNING_EVERY=5

RESULTS=${BENCH_RESULTS:-$HARNESS_DIR/results.tsv}
# Appended to the column of each result: empty, or ", baseline" while the
# baseline binary is measured.
COLUMN_SUFFIX=
CREATED=0
API_PREFIX=
IMAGE_ID=
PING_CONFIG=$HARNESS_DIR/ping.curl

now_ns() { date +%s%N; }

seconds_since() {
  awk -v from="$1" -v to="$(now_ns)" \
    'BEGIN { printf "%.3f", (to - from) / 1e9 }'
}

median() {
  sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

min_max() {
  sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }'
}

rss_mib() {
  awk -v key="$2:" '$1 == key { printf "%.1f", $2 / 1024 }' \
    "/proc/$1/status"
}

# record COUNT KEY VALUE
record() {
  printf '%s containers%s\t%s\t%s\n' "$1" "$COLUMN_SUFFIX" "$2" "$3" \
    >>"$RESULTS"
}

# Prints the docker CLI arguments of container INDEX.
container_args() {
  local i=$1
  local -a args=(--name "bench-$i" --stop-timeout 1)
  ((i % 2 == 0)) && args+=(--read-only)
  case $((i % 3)) in
    0) args+=(--memory 64m) ;;
    1) args+=(--memory 128m --memory-swap 128m --pids-limit 100) ;;
  esac
  case $((i % 4)) in
    0) args+=(--cap-drop ALL) ;;
    1) args+=(--cap-add NET_ADMIN --cap-add SYS_TIME) ;;
    2) args+=(--security-opt no-new-privileges) ;;
  esac
  case $((i % 5)) in
    0) args+=(--tmpfs /run) ;;
    1) args+=(-v "$ENGINE_DIR/bench-mount:/data:ro") ;;
    2) args+=(-v bench-volume:/data) ;;
    3) args+=(-v /etc:/host-etc:ro) ;;
  esac
  ((i % 7 == 0)) && args+=(--user 1000:1000)
  ((i % 11 == 0)) && args+=(--restart on-failure:3)
  printf '%s\n' "${args[@]}"
}

# Creates or runs container INDEX. xargs calls it in a child bash.
create_one() {
  local i=$1
  local -a args
  mapfile -t args < <(container_args "$i")
  if ((i % RUNNING_EVERY == 0)); then
    engine_docker run -d "${args[@]}" "$IMAGE" sleep 86400 >/dev/null
  else
    engine_docker create "${args[@]}" "$IMAGE" true >/dev/null
  fi
}

# Creates containers until COUNT exist, CREATE_JOBS at a time.
create_containers() {
  local count=$1 started=$SECONDS
  ((count > CREATED)) || return 0
  export -f create_one container_args engine_docker fail
  export IMAGE RUNNING_EVERY
  # shellcheck disable=SC2016 # $1 expands in the child bash.
  seq "$CREATED" $((count - 1)) |
    xargs -P "$CREATE_JOBS" -n 1 bash -c 'create_one "$1"' _ ||
    fail "creating containers failed"
  CREATED=$count
  harness_log "created containers up to $count in $((SECONDS - started))s"
}

# Writes to FILE the curl configuration of the requests of one full
# refresh: the engine-wide documents, every inspection, the process list of
# each running container and the image inspections.
write_floor_requests() {
  local file=$1 id running path base=http://docker$API_PREFIX
  local -a ids
  mapfile -t ids < <(engine_docker ps -aq)
  {
    printf 'url = "http://docker/version"\n'
    for path in '/containers/json?all=1' /info /networks /images/json \
      "/images/$IMAGE/json" "/images/$IMAGE_ID/json"; do
      printf 'url = "%s%s"\n' "$base" "$path"
    done
    while read -r id running; do
      printf 'url = "%s/containers/%s/json"\n' "$base" "$id"
      if [[ $running == true ]]; then
        printf 'url = "%s/containers/%s/top"\n' "$base" "$id"
      fi
    done < <(engine_docker inspect --format '{{.Id}} {{.State.Running}}' \
      "${ids[@]}")
  } | sed 's/$/\noutput = \/dev\/null/' >"$file"
}

# curl_seconds CONFIG
# Sends the requests of CONFIG with one curl process, CONCURRENCY at a time,
# and prints the wall time in seconds.
curl_seconds() {
  local started
  started=$(now_ns)
  # curl 7.88 (Debian 12) prints the progress meter of --parallel despite
  # -s; --no-progress-meter hides it.
  curl -s --no-progress-meter --unix-socket "$ENGINE_SOCK" --parallel \
    --parallel-max "$CONCURRENCY" -K "$1"
  seconds_since "$started"
}

# Prints the floor in seconds: curl sending the requests of one refresh,
# less curl sending one /_ping, which is curl's own start-up and exit.
floor_seconds() {
  local requests_time ping_time
  requests_time=$(curl_seconds "$1")
  ping_time=$(curl_seconds "$PING_CONFIG")
  awk -v r="$requests_time" -v p="$ping_time" \
    'BEGIN { printf "%.3f", r - p }'
}

# Prints the durations of the full refreshes logged so far, one a line.
refresh_durations() {
  grep 'msg="refresh finished"' "$EXPORTER_LOG" |
    grep -o 'duration_seconds=[0-9.]*' | cut -d= -f2
}

refresh_count() {
  grep -c 'msg="refresh finished"' "$EXPORTER_LOG" || true
}

_refreshes_above() {
  (($(refresh_count) > $1))
}

# wait_for_refresh_after COUNT [TIMEOUT_SECONDS]
# Waits until more than COUNT full refreshes are logged.
wait_for_refresh_after() {
  local timeout=${2:-120}
  wait_until "$timeout" _refreshes_above "$1" ||
    fail "refresh $(($1 + 1)) not logged within ${timeout}s; see $EXPORTER_LOG"
}

# engine_calls [PATTERN]
# Prints how many API calls dockerd has logged so far, of those that match
# PATTERN when it is given.
engine_calls() {
  grep -c "Calling [A-Z]* ${1:-}" "$ENGINE_DIR/dockerd.log" || true
}

# start_exporter INTERVAL
start_exporter() {
  exporter_start "--docker.host=$ENGINE_HOST" \
    "--docker.refresh-interval=$1" \
    "--docker.max-concurrent-requests=$CONCURRENCY" --log.level=debug \
    >/dev/null
  exporter_wait_ready 300 >/dev/null
}

stop_exporter() {
  kill -TERM "$EXPORTER_PID"
  wait "$EXPORTER_PID" 2>/dev/null || true
}

# Converts a wrk latency such as 812.00us, 3.21ms or 1.02s to ms.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
    else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
    printf "%.1f", n }'
}

# run_wrk COUNT LABEL [WRK_ARGS...]
run_wrk() {
  local count=$1 label=$2 output
  shift 2
  output=$(wrk -t 2 -c "$SCRAPERS" -d "${LOAD_SECONDS}s" --timeout 10s \
    --latency "$@" "$EXPORTER_URL/metrics")
  record "$count" "scrape p50 $label (ms)" \
    "$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$output")")"
  record "$count" "scrape p99 $label (ms)" \
    "$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$output")")"
  record "$count" "scrapes/s $label" \
    "$(awk '$1 == "Requests/sec:" { print $2 }' <<<"$output")"
  local errors
  errors=$(grep -E 'Non-2xx|Socket errors' <<<"$output" || true)
  [[ -z $errors ]] || harness_log "wrk $label: $errors"
  awk '$2 == "requests" { print $1 }' <<<"$output"
}

measure_refresh() {
  local count=$1 requests=$HARNESS_DIR/floor-$1 round before
  local -a ratios=() exporter_times=() floor_times=()
  write_floor_requests "$requests"
  # Long enough that the floor finishes before the next refresh starts.
  start_exporter "$((2 + count / 250))s"
  record "$count" "peak RSS after first full refresh (MiB)" \
    "$(rss_mib "$EXPORTER_PID" VmHWM)"
  floor_seconds "$requests" >/dev/null # warms the engine's caches
  for ((round = 0; round < ROUNDS; round++)); do
    before=$(refresh_count)
    wait_for_refresh_after "$before"
    exporter_times+=("$(refresh_durations | tail -n 1)")
    floor_times+=("$(floor_seconds "$requests")")
    ratios+=("$(awk -v e="${exporter_times[-1]}" -v f="${floor_times[-1]}" \
      'BEGIN { printf "%.2f", e / f }')")
  done
  harness_log "$count containers: exporter ${exporter_times[*]}"
  harness_log "$count containers: floor ${floor_times[*]}"
  record "$count" "full refresh, median (s)" \
    "$(printf '%s\n' "${exporter_times[@]}" | median)"
  record "$count" "floor, median (s)" \
    "$(printf '%s\n' "${floor_times[@]}" | median)"
  record "$count" "refresh / floor, median (range of $ROUNDS rounds)" \
    "$(printf '%s\n' "${ratios[@]}" | median) ($(printf '%s\n' \
      "${ratios[@]}" | min_max))"

  local plain gzipped refreshes_before scrapes
  plain=$(curl -s -o /dev/null -w '%{size_download}' "$EXPORTER_URL/metrics")
  gzipped=$(curl -s -o /dev/null -w '%{size_download}' \
    -H 'Accept-Encoding: gzip' "$EXPORTER_URL/metrics")
  record "$count" "exposition size, plain / gzip (KiB)" \
    "$((plain / 1024)) / $((gzipped / 1024))"
  curl -s "$EXPORTER_URL/metrics" >"$(exposition_file "$count")"
  refreshes_before=$(refresh_count)
  scrapes=$(run_wrk "$count" plain)
  scrapes=$((scrapes + $(run_wrk "$count" gzip -H 'Accept-Encoding: gzip')))
  record "$count" "full refreshes during the scrapes, median (s)" \
    "$(refresh_durations | tail -n +$((refreshes_before + 1)) | median)"
  record "$count" "scrapes served by the two wrk runs" "$scrapes"
  record "$count" "peak RSS after the scrapes (MiB)" \
    "$(rss_mib "$EXPORTER_PID" VmHWM)"
  stop_exporter
}

measure_growth() {
  local count=$1 first
  start_exporter 100ms
  wait_for_refresh_after 10
  first=$(rss_mib "$EXPORTER_PID" VmRSS)
  wait_for_refresh_after $((GROWTH_REFRESHES + 10)) 1800
  record "$count" "RSS after 10 / $((GROWTH_REFRESHES + 10)) refreshes (MiB)" \
    "$first / $(rss_mib "$EXPORTER_PID" VmRSS)"
  stop_exporter
}

# Succeeds when /metrics has a series of container NAME. The scrape is
# stored first, because grep -q would close the pipe early and fail curl.
_series_present() {
  local exposition
  exposition=$(curl -s --fail --max-time 30 "$EXPORTER_URL/metrics") ||
    return 1
  [[ $exposition == *"name=\"$1\""* ]]
}

measure_freshness() {
  local count=$1 calls started attempt name
  local -a delays=()
  start_exporter 1h
  sleep 1
  calls=$(engine_calls)
  sleep "$LOAD_SECONDS"
  record "$count" "engine calls while idle for ${LOAD_SECONDS}s" \
    "$(($(engine_calls) - calls))"

  calls=$(engine_calls)
  run_wrk "$count" "plain, no refresh running" >/dev/null
  record "$count" "engine calls during ${LOAD_SECONDS}s of scrapes" \
    "$(($(engine_calls) - calls))"

  for attempt in 1 2 3; do
    name=fresh-$count-$attempt
    started=$(now_ns)
    engine_docker run -d --name "$name" --stop-timeout 1 "$IMAGE" \
      sleep 86400 >/dev/null
    wait_until 30 _series_present "$name" ||
      fail "$name not in /metrics within 30s"
    delays+=("$(seconds_since "$started")")
  done
  record "$count" "docker run to series visible, median of 3 (s)" \
    "$(printf '%s\n' "${delays[@]}" | median)"
  calls=$(engine_calls 'GET /v[0-9.]*/containers/[^/]*/json')
  sleep 5
  record "$count" "inspections in 5s idle after the runs" \
    "$(($(engine_calls 'GET /v[0-9.]*/containers/[^/]*/json') - calls))"
  stop_exporter
  # Removes them, so the next count's containers are the spread above.
  for attempt in 1 2 3; do
    engine_docker rm -f "fresh-$count-$attempt" >/dev/null
  done
}

HEAPTRACK_CHILD_PID=

# Sets HEAPTRACK_CHILD_PID to the child of PARENT_PID that runs
# EXPORTER_BIN. heaptrack also starts heaptrack_interpret.
_find_heaptrack_child() {
  local parent=$1 child binary
  binary=$(readlink -f "$EXPORTER_BIN")
  for child in $(pgrep -P "$parent"); do
    if [[ $(readlink -f "/proc/$child/exe" 2>/dev/null) == "$binary" ]]; then
      HEAPTRACK_CHILD_PID=$child
      return 0
    fi
  done
  return 1
}

# heaptrack does not pass its SIGTERM on to the exporter.
_stop_heaptrack_child() {
  if [[ -n $HEAPTRACK_CHILD_PID ]] &&
    harness_process_alive "$HEAPTRACK_CHILD_PID"; then
    kill -TERM "$HEAPTRACK_CHILD_PID"
  fi
}

# Runs the exporter under heaptrack for a few refreshes and 100 scrapes and
# writes the profile and its summary to HEAPTRACK_DIR.
profile_heap() {
  local count=$1 heaptrack_pid port scrape
  mkdir -p "$HEAPTRACK_DIR"
  port=$(harness_free_port)
  # The exporter's log and heaptrack's own output share this file.
  EXPORTER_LOG=$HEAPTRACK_DIR/heaptrack.log
  harness_add_cleanup _stop_heaptrack_child
  harness_spawn "$EXPORTER_LOG" heaptrack \
    -o "$HEAPTRACK_DIR/heaptrack-$count" "$EXPORTER_BIN" \
    "--web.listen-address=127.0.0.1:$port" "--docker.host=$ENGINE_HOST" \
    --docker.refresh-interval=1s \
    "--docker.max-concurrent-requests=$CONCURRENCY" --log.level=debug
  heaptrack_pid=$HARNESS_SPAWNED_PID
  wait_until 30 _find_heaptrack_child "$heaptrack_pid" ||
    fail "exporter under heaptrack (pid $heaptrack_pid) not found"
  wait_for_refresh_after 3 600
  for ((scrape = 0; scrape < 100; scrape++)); do
    curl -s -o /dev/null "http://127.0.0.1:$port/metrics"
  done
  # heaptrack writes the profile once the exporter exits.
  _stop_heaptrack_child
  wait "$heaptrack_pid" || true
  heaptrack_print "$HEAPTRACK_DIR/heaptrack-$count".* \
    >"$HEAPTRACK_DIR/summary-$count.txt" 2>&1 || true
  harness_log "heap profile in $HEAPTRACK_DIR/summary-$count.txt"
}

# exposition_file COUNT
exposition_file() {
  printf '%s/exposition-%s%s.txt' "$HARNESS_DIR" "$1" "${COLUMN_SUFFIX:+-baseline}"
}

# Prints whether the two binaries wrote the same exposition at COUNT, apart
# from counters, timestamps, durations and build information, which differ
# from one exporter process to the next. Logs the first differences.
compare_expositions() {
  local count=$1 volatile differences
  volatile='^docker_compliance_[a-z_]*(_total|_timestamp_seconds|'
  volatile+='_duration_seconds|_build_info)[ {]'
  differences=$(diff \
    <(grep -Ev "$volatile" "$(COLUMN_SUFFIX=x exposition_file "$count")") \
    <(grep -Ev "$volatile" "$(exposition_file "$count")")) || true
  if [[ -z $differences ]]; then
    echo yes
  else
    harness_log "expositions differ at $count: $(head -n 6 <<<"$differences")"
    echo no
  fi
}

# measure_all COUNT
measure_all() {
  measure_refresh "$1"
  measure_growth "$1"
  measure_freshness "$1"
}

# print_table COLUMN...
print_table() {
  local -a columns=("$@") joined
  printf '\n| measure |'
  printf ' %s |' "${columns[@]}"
  printf '\n|---|'
  printf -- '---|%.0s' "${columns[@]}"
  printf '\n'
  joined=$(printf '%s\n' "${columns[@]}")
  awk -F '\t' -v columns="$joined" '
    BEGIN { n = split(columns, c, "\n") }
    { if (!($2 in seen)) { seen[$2] = 1; keys[++k] = $2 }
      value[$1, $2] = $3 }
    END { for (i = 1; i <= k; i++) {
            line = "| " keys[i] " |"
            for (j = 1; j <= n; j++) line = line " " value[c[j], keys[i]] " |"
            print line } }' "$RESULTS"
}

require_tools() {
  local tool
  for tool in wrk curl docker; do
    command -v "$tool" >/dev/null ||
      fail "$tool not found; apt-get install wrk curl docker.io"
  done
  exporter_require_bin
  if [[ -n ${BASELINE_BIN:-} && ! -x $BASELINE_BIN ]]; then
    fail "BASELINE_BIN=$BASELINE_BIN is not an executable file"
  fi
  ((LOAD_SECONDS <= 10)) || fail "LOAD_SECONDS is at most 10"
}

main() {
  local -a counts=("$@")
  ((${#counts[@]} > 0)) || counts=(100 1000)
  require_tools
  # --debug makes dockerd log every API call it receives.
  ENGINE_EXTRA_ARGS=(--debug)
  engine_start
  engine_import_busybox "$IMAGE"
  mkdir -p "$ENGINE_DIR/bench-mount"
  IMAGE_ID=$(engine_docker image inspect --format '{{.Id}}' "$IMAGE")
  API_PREFIX=/v$(engine_docker version --format '{{.Server.APIVersion}}')
  : >"$RESULTS"
  printf 'url = "http://docker/_ping"\noutput = /dev/null\n' >"$PING_CONFIG"

  local count measured_bin=$EXPORTER_BIN
  local -a columns=()
  for count in "${counts[@]}"; do
    create_containers "$count"
    if [[ -n ${BASELINE_BIN:-} ]]; then
      EXPORTER_BIN=$BASELINE_BIN COLUMN_SUFFIX=", baseline"
      measure_all "$count"
      columns+=("$count containers, baseline")
      EXPORTER_BIN=$measured_bin COLUMN_SUFFIX=
    fi
    measure_all "$count"
    columns+=("$count containers")
    if [[ -n ${BASELINE_BIN:-} ]]; then
      record "$count" "exposition equal to the baseline's, timing series aside" \
        "$(compare_expositions "$count")"
    fi
  done
  if [[ -n ${HEAPTRACK_DIR:-} ]]; then
    profile_heap "${counts[-1]}"
  fi
  print_table "${columns[@]}"
}

main "$@"
