#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# End to end: a private engine, the exporter, Debian's prometheus with the
# shipped rules and Debian's prometheus-alertmanager, with intervals of
# 1 s. A writable container must raise DockerComplianceWritableRootfs at
# Alertmanager and in a webhook notification naming it. Once a read-only
# container of the same name replaces it, the alert must resolve.
#
# Usage: EXPORTER_BIN=path/to/docker_compliance_exporter \
#          bash tests/integration/alerting_test.sh
# Needs root, dockerd, the docker CLI, busybox-static, prometheus,
# prometheus-alertmanager, python3, curl and ss (scripts/bootstrap --test
# installs them).
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/engine.sh
source "$test_dir/lib/engine.sh"
# shellcheck source=lib/exporter.sh
source "$test_dir/lib/exporter.sh"
# shellcheck source=lib/prometheus.sh
source "$test_dir/lib/prometheus.sh"

readonly TEST_IMAGE=dce-busybox
readonly ALERT=DockerComplianceWritableRootfs
readonly RULES_DIR=$PROMETHEUS_REPO_ROOT/deploy/prometheus/rules
# Generous limits for a loaded machine; with 1 s intervals the alert
# usually arrives within a few seconds.
readonly ALERT_TIMEOUT=60

write_alertmanager_config() {
  cat >"$HARNESS_DIR/alertmanager.yml" <<EOF
route:
  receiver: webhook
  group_by: [alertname, instance, name]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: webhook
    webhook_configs:
      - url: $WEBHOOK_URL
        send_resolved: true
EOF
}

# The job name must be docker_compliance, as the shipped rules expect.
write_prometheus_config() {
  cat >"$HARNESS_DIR/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $RULES_DIR/alerts.yml
  - $RULES_DIR/recording.yml
alerting:
  alertmanagers:
    - static_configs:
        - targets: ['$ALERTMANAGER_ADDRESS']
scrape_configs:
  - job_name: docker_compliance
    static_configs:
      - targets: ['127.0.0.1:$EXPORTER_PORT']
EOF
}

# Prints the container names of the active ALERT alerts at Alertmanager,
# one a line, sorted. Fails when the request fails.
active_alert_names() {
  local alerts
  alerts=$(curl -s --fail --max-time 5 \
    "$ALERTMANAGER_URL/api/v2/alerts?active=true&silenced=false" \
    --data-urlencode "filter=alertname=\"$ALERT\"" --get) || return 1
  printf '%s\n' "$alerts" | python3 -c '
import json, sys
names = [alert["labels"].get("name", "")
         for alert in json.load(sys.stdin)
         if alert["status"]["state"] == "active"]
print("\n".join(sorted(names)))
'
}

alert_active_for() {
  local names
  names=$(active_alert_names) || return 1
  grep -qx -- "$1" <<<"$names"
}

alert_inactive_for() {
  local names
  names=$(active_alert_names) || return 1
  ! grep -qx -- "$1" <<<"$names"
}

# notification_received STATUS NAME
# Succeeds when the webhook received a notification with STATUS (firing or
# resolved) that contains an ALERT alert of that status for container NAME,
# whose description names the container too.
notification_received() {
  python3 - "$WEBHOOK_LOG" "$ALERT" "$1" "$2" <<'EOF'
import json, sys
path, alertname, status, name = sys.argv[1:]
with open(path, encoding="utf-8") as notifications:
    for line in notifications:
        for alert in json.loads(line)["alerts"]:
            labels = alert["labels"]
            description = alert["annotations"].get("description", "")
            if (alert["status"] == status
                    and labels.get("alertname") == alertname
                    and labels.get("name") == name
                    and f"Container {name} " in description):
                sys.exit(0)
sys.exit(1)
EOF
}

# Prints Prometheus' current value of one container's rootfs_readonly check
# result, or nothing when Prometheus has none.
rootfs_check_value() {
  local query response
  query="docker_compliance_container_check_passed{check=\"rootfs_readonly\""
  query+=",name=\"$1\"}"
  response=$(prometheus_query "$query") || return 0
  printf '%s\n' "$response" | python3 -c '
import json, sys
for sample in json.load(sys.stdin)["data"]["result"]:
    print(sample["value"][1])
'
}

rootfs_check_is() {
  [[ $(rootfs_check_value "$1") == "$2" ]]
}

start_servers() {
  exporter_start "--docker.host=$ENGINE_HOST" --docker.refresh-interval=1s
  exporter_wait_ready 15
  webhook_receiver_start
  write_alertmanager_config
  alertmanager_start "$HARNESS_DIR/alertmanager.yml"
  write_prometheus_config
  prometheus_start "$HARNESS_DIR/prometheus.yml"
}

check_alert_fires() {
  local started=$SECONDS
  if ! wait_until "$ALERT_TIMEOUT" alert_active_for web; then
    fail "$ALERT for container web not active at Alertmanager" \
      "${ALERT_TIMEOUT}s after Prometheus started; active alerts:" \
      "'$(active_alert_names || true)'"
  fi
  pass "$ALERT for the writable container web arrives at Alertmanager"
  harness_log "alert active at Alertmanager after $((SECONDS - started))s"
  if ! wait_until "$ALERT_TIMEOUT" notification_received firing web; then
    fail "no firing $ALERT notification for web reached the webhook;" \
      "received: $(cat "$WEBHOOK_LOG")"
  fi
  pass "Alertmanager sends a firing notification naming web"
  alert_inactive_for ro ||
    fail "$ALERT is active for the read-only container ro"
  pass "no $ALERT for the read-only container ro"
}

replace_with_read_only() {
  engine_docker rm -f web >/dev/null
  engine_docker run -d --name web --read-only --stop-timeout 1 \
    "$TEST_IMAGE" sleep 3600 >/dev/null
  if ! wait_until "$ALERT_TIMEOUT" rootfs_check_is web 1; then
    fail "Prometheus has '$(rootfs_check_value web)' for web's" \
      "rootfs_readonly check ${ALERT_TIMEOUT}s after the replacement," \
      "expected 1"
  fi
  pass "Prometheus sees the read-only replacement of web pass"
}

check_alert_resolves() {
  local started=$SECONDS
  if ! wait_until "$ALERT_TIMEOUT" notification_received resolved web; then
    fail "no resolved $ALERT notification for web reached the webhook" \
      "within ${ALERT_TIMEOUT}s; received: $(cat "$WEBHOOK_LOG")"
  fi
  pass "Alertmanager sends a resolved notification naming web"
  harness_log "resolved notification after $((SECONDS - started))s"
  if ! wait_until "$ALERT_TIMEOUT" alert_inactive_for web; then
    fail "$ALERT for web still active at Alertmanager after it resolved"
  fi
  pass "$ALERT for web is no longer active at Alertmanager"
}

main() {
  exporter_require_bin
  engine_start
  engine_import_busybox "$TEST_IMAGE"
  # sleep ignores SIGTERM as PID 1, hence --stop-timeout 1.
  engine_docker run -d --name web --stop-timeout 1 "$TEST_IMAGE" \
    sleep 3600 >/dev/null
  engine_docker run -d --name ro --read-only --stop-timeout 1 \
    "$TEST_IMAGE" sleep 3600 >/dev/null

  start_servers
  check_alert_fires
  replace_with_read_only
  check_alert_resolves
  harness_log "alerting_test passed"
}

main "$@"
