#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Measures one full refresh of the exporter against the engine's own cost of
# serving the same requests, on a private engine with N created
# containers, and the exporter's memory. Prints a markdown table.
#
# The floor is curl sending the same GET requests over the same unix
# socket: the five engine-wide requests on one connection, then the N
# inspections with the exporter's concurrency. Exporter and floor alternate
# in each round, so that load from elsewhere on the machine affects both.
#
# Usage: EXPORTER_BIN=build/release/exporter/docker_compliance_exporter \
#          bash bench/refresh_bench.sh [CONTAINERS] [ROUNDS]
# Needs root (it starts dockerd); defaults: 100 containers, 5 rounds.
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../tests/integration/lib/engine.sh
source "$bench_dir/../tests/integration/lib/engine.sh"
# shellcheck source=../tests/integration/lib/exporter.sh
source "$bench_dir/../tests/integration/lib/exporter.sh"

readonly CONTAINERS=${1:-100}
readonly ROUNDS=${2:-5}
readonly CONCURRENCY=4
readonly IMAGE=dce-busybox

now_ns() { date +%s%N; }

# Sends the requests of one refresh with curl and prints the seconds taken.
floor_seconds() {
  local base=http://docker/v1.41 started
  local -a inspect_args=()
  local id
  for id in "${CONTAINER_IDS[@]}"; do
    inspect_args+=(-o /dev/null "$base/containers/$id/json")
  done
  started=$(now_ns)
  curl -s --unix-socket "$ENGINE_SOCK" \
    -o /dev/null http://docker/version \
    -o /dev/null "$base/containers/json?all=1" \
    -o /dev/null "$base/info" \
    -o /dev/null "$base/networks" \
    -o /dev/null "$base/images/json" \
    -o /dev/null "$base/images/$IMAGE/json" \
    -o /dev/null "$base/images/$IMAGE_ID/json"
  curl -s --unix-socket "$ENGINE_SOCK" --parallel \
    --parallel-max "$CONCURRENCY" "${inspect_args[@]}"
  echo "scale=6; ($(now_ns) - $started) / 1000000000" | bc
}

# Waits for the exporter's next refresh and prints its duration.
exporter_refresh_seconds() {
  local before=$1
  wait_until 30 _refreshed_after "$before" ||
    fail "no refresh within 30s"
  exporter_series_value docker_compliance_refresh_duration_seconds
}

_refreshed_after() {
  local stamp
  stamp=$(exporter_series_value \
    docker_compliance_last_refresh_success_timestamp_seconds)
  [[ -n $stamp && $stamp != "$1" ]]
}

rss_kib() {
  awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

main() {
  command -v bc >/dev/null || fail "bc not found; apt-get install bc"
  engine_start
  engine_import_busybox "$IMAGE"
  local i
  for ((i = 0; i < CONTAINERS; i++)); do
    engine_docker create --name "bench-$i" --memory 64m "$IMAGE" true \
      >/dev/null
  done
  mapfile -t CONTAINER_IDS < <(engine_docker ps -aq --no-trunc)
  IMAGE_ID=$(engine_docker image inspect --format '{{.Id}}' "$IMAGE")

  exporter_start "--docker.host=$ENGINE_HOST" --docker.refresh-interval=2s \
    "--docker.max-concurrent-requests=$CONCURRENCY"
  exporter_wait_ready 60

  local -a exporter_times=() floor_times=()
  local stamp
  for ((i = 0; i < ROUNDS; i++)); do
    stamp=$(exporter_series_value \
      docker_compliance_last_refresh_success_timestamp_seconds)
    exporter_times+=("$(exporter_refresh_seconds "$stamp")")
    floor_times+=("$(floor_seconds)")
  done

  local exporter_median floor_median
  exporter_median=$(printf '%s\n' "${exporter_times[@]}" | median)
  floor_median=$(printf '%s\n' "${floor_times[@]}" | median)
  printf '\n| containers | rounds | exporter refresh (median) | floor (median) | ratio | exporter rounds | floor rounds | RSS | peak RSS |\n'
  printf '|---|---|---|---|---|---|---|---|---|\n'
  printf '| %s | %s | %.3f s | %.3f s | %.2f | %s | %s | %s KiB | %s KiB |\n' \
    "$CONTAINERS" "$ROUNDS" "$exporter_median" "$floor_median" \
    "$(echo "scale=4; $exporter_median / $floor_median" | bc)" \
    "$(printf '%s ' "${exporter_times[@]}")" \
    "$(printf '%s ' "${floor_times[@]}")" \
    "$(rss_kib "$EXPORTER_PID" VmRSS)" "$(rss_kib "$EXPORTER_PID" VmHWM)"
}

main "$@"
