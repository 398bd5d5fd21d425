#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Checks the endpoint security of --web.config.file and the request limits
# over loopback. It covers TLS with client certificates, basic
# authentication, the configured headers, methods and the rejection
# counter. It also covers reloads of the web configuration without a
# restart, slow clients cut by the read timeout, and a bounded load of
# concurrent TLS scrapes. Needs openssl, curl and python3, whose crypt
# module makes the bcrypt hashes. Needs no Docker engine, because /metrics
# returns 200 while the engine is unreachable.
#
# Usage: EXPORTER_BIN=path/to/docker_compliance_exporter \
#          bash tests/integration/web_security_test.sh
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/harness.sh
source "$test_dir/lib/harness.sh"
# shellcheck source=lib/exporter.sh
source "$test_dir/lib/exporter.sh"

readonly PASSWORD=correct-horse-battery-7
readonly NEW_PASSWORD=staple-rotated-9
readonly LOAD_CLIENTS=100
readonly LOAD_SECONDS=20
readonly pki=$HARNESS_DIR/pki
export DOCKER_HOST=unix://$HARNESS_DIR/no-engine.sock

# bcrypt_hash PASSWORD
# Prints a bcrypt hash at cost 10, htpasswd's default.
bcrypt_hash() {
  python3 -W ignore -c '
import crypt, sys
print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1024)))
' "$1"
}

# make_certificate NAME SUBJECT [SAN]
# Makes NAME.pem and NAME-key.pem in $pki, an ECDSA P-256 key and a
# certificate signed by the test CA.
make_certificate() {
  local name=$1 subject=$2 san=${3:-}
  local -a extension=()
  if [[ -n $san ]]; then
    printf 'subjectAltName=%s\n' "$san" >"$pki/$name.ext"
    extension=(-extfile "$pki/$name.ext")
  fi
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -subj "$subject" -keyout "$pki/$name-key.pem" -out "$pki/$name.csr" \
    2>/dev/null
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.pem" \
    -CAkey "$pki/ca-key.pem" -CAcreateserial -days 2 \
    "${extension[@]}" -out "$pki/$name.pem" 2>/dev/null
}

make_pki() {
  mkdir -p "$pki"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -subj /CN=test-ca -days 2 -keyout "$pki/ca-key.pem" -out "$pki/ca.pem" \
    2>/dev/null
  make_certificate server /CN=127.0.0.1 IP:127.0.0.1
  make_certificate client /CN=prometheus
  # A second server certificate, swapped in to check the reload.
  make_certificate server2 /CN=127.0.0.1 IP:127.0.0.1
  # A client certificate from a CA the exporter does not trust.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -subj /CN=stranger -days 2 -keyout "$pki/stranger-key.pem" \
    -out "$pki/stranger.pem" 2>/dev/null
}

# write_web_config USER HASH
# Writes the TLS web configuration with one user.
write_web_config() {
  local user=$1 hash=$2
  cat >"$HARNESS_DIR/web.yml.new" <<EOF
tls_server_config:
  cert_file: pki/server.pem
  key_file: pki/server-key.pem
  client_ca_file: pki/ca.pem
  client_auth_type: RequireAndVerifyClientCert
basic_auth_users:
  $user: $hash
http_server_config:
  headers:
    X-Content-Type-Options: nosniff
EOF
  # A rename replaces the file in one step, as configuration tools do.
  mv "$HARNESS_DIR/web.yml.new" "$HARNESS_DIR/web.yml"
}

# tls_status PATH [CURL_ARGS...]
# Prints the status of a GET over TLS with the client certificate, or 000.
tls_status() {
  local path=$1
  shift
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
    --cacert "$pki/ca.pem" --cert "$pki/client.pem" \
    --key "$pki/client-key.pem" "$@" "https://127.0.0.1:$EXPORTER_PORT$path" ||
    true
}

# start_tls_exporter FLAGS...
# Starts the exporter with the web configuration and waits until it returns
# 200 over TLS to the right credentials.
start_tls_exporter() {
  EXPORTER_PORT=$(harness_free_port)
  EXPORTER_LOG=$HARNESS_DIR/exporter-tls.log
  harness_spawn "$EXPORTER_LOG" "$EXPORTER_BIN" \
    "--web.listen-address=127.0.0.1:$EXPORTER_PORT" \
    "--web.config.file=$HARNESS_DIR/web.yml" "$@"
  EXPORTER_PID=$HARNESS_SPAWNED_PID
  if ! wait_until 10 tls_exporter_answers; then
    fail "exporter did not answer over TLS within 10s"
  fi
}

tls_exporter_answers() {
  [[ $(tls_status /-/healthy -u "prometheus:$PASSWORD") == 200 ]]
}

# rejected_count REASON
# Prints docker_compliance_http_requests_rejected_total for REASON.
rejected_count() {
  curl -s --max-time 5 --cacert "$pki/ca.pem" --cert "$pki/client.pem" \
    --key "$pki/client-key.pem" -u "prometheus:$PASSWORD" \
    "https://127.0.0.1:$EXPORTER_PORT/metrics" |
    awk -v series="docker_compliance_http_requests_rejected_total{reason=\"$1\"}" \
      'index($0, series " ") == 1 { print $2 }'
}

check_tls_and_auth() {
  assert_eq 200 "$(tls_status /metrics -u "prometheus:$PASSWORD")" \
    "right credentials and client certificate get 200"
  assert_eq 401 "$(tls_status /metrics -u prometheus:wrong)" \
    "wrong password gets 401"
  assert_eq 401 "$(tls_status /metrics -u "nobody:$PASSWORD")" \
    "unknown user gets 401"
  assert_eq 401 "$(tls_status /metrics)" "no credentials get 401"

  local headers
  headers=$(curl -s -D - -o /dev/null --max-time 5 --cacert "$pki/ca.pem" \
    --cert "$pki/client.pem" --key "$pki/client-key.pem" \
    "https://127.0.0.1:$EXPORTER_PORT/metrics")
  assert_contains "$headers" "WWW-Authenticate: Basic" \
    "401 carries WWW-Authenticate: Basic"
  assert_contains "$headers" "X-Content-Type-Options: nosniff" \
    "configured header is sent"

  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
    --cacert "$pki/ca.pem" -u "prometheus:$PASSWORD" \
    "https://127.0.0.1:$EXPORTER_PORT/metrics" || true)
  assert_eq 000 "$status" "no client certificate is rejected in the handshake"
  status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
    --cacert "$pki/ca.pem" --cert "$pki/stranger.pem" \
    --key "$pki/stranger-key.pem" -u "prometheus:$PASSWORD" \
    "https://127.0.0.1:$EXPORTER_PORT/metrics" || true)
  assert_eq 000 "$status" "untrusted client certificate is rejected"
  status=$(http_status "http://127.0.0.1:$EXPORTER_PORT/metrics")
  if [[ $status == 200 ]]; then
    fail "plain HTTP to the TLS port got 200"
  fi
  pass "plain HTTP to the TLS port is rejected (status $status)"
  status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 --tls-max 1.1 \
    --cacert "$pki/ca.pem" --cert "$pki/client.pem" \
    --key "$pki/client-key.pem" -u "prometheus:$PASSWORD" \
    "https://127.0.0.1:$EXPORTER_PORT/metrics" || true)
  assert_eq 000 "$status" "TLS 1.1 is rejected"

  local response
  response=$(curl -s -i -X PUT --max-time 5 --cacert "$pki/ca.pem" \
    --cert "$pki/client.pem" --key "$pki/client-key.pem" \
    -u "prometheus:$PASSWORD" "https://127.0.0.1:$EXPORTER_PORT/metrics")
  assert_contains "$response" "HTTP/1.1 405" "PUT gets 405"
  assert_contains "$response" "Allow: GET, HEAD" "405 names the methods"

  local count
  count=$(rejected_count unauthorized)
  if [[ -z $count ]] || ((count < 4)); then
    fail "rejected_total{reason=\"unauthorized\"} is '$count', expected >= 4"
  fi
  pass "unauthorized rejections are counted ($count)"
  count=$(rejected_count tls)
  if [[ -z $count ]] || ((count < 2)); then
    fail "rejected_total{reason=\"tls\"} is '$count', expected >= 2"
  fi
  pass "TLS handshake rejections are counted ($count)"
  assert_eq 1 "$(rejected_count method)" "method rejections are counted"

  local log
  log=$(<"$EXPORTER_LOG")
  assert_contains "$log" 'msg="HTTP request rejected" reason=unauthorized' \
    "rejections are logged"
  assert_not_contains "$log" "$PASSWORD" "the log holds no password"
  # shellcheck disable=SC2016 # the bcrypt prefix, not an expansion
  assert_not_contains "$log" '$2b$' "the log holds no password hash"
}

# served_certificate_serial
# Prints the serial number of the certificate the exporter serves.
served_certificate_serial() {
  openssl s_client -connect "127.0.0.1:$EXPORTER_PORT" \
    -CAfile "$pki/ca.pem" -cert "$pki/client.pem" \
    -key "$pki/client-key.pem" </dev/null 2>/dev/null |
    openssl x509 -noout -serial 2>/dev/null || true
}

check_reload() {
  local old_serial new_hash
  old_serial=$(served_certificate_serial)
  [[ -n $old_serial ]] || fail "could not read the served certificate"

  new_hash=$(bcrypt_hash "$NEW_PASSWORD")
  cp "$pki/server2.pem" "$pki/server.pem"
  cp "$pki/server2-key.pem" "$pki/server-key.pem"
  write_web_config grafana "$new_hash"
  if ! wait_until 10 new_user_accepted; then
    fail "the new user was not accepted within 10s of the file change"
  fi
  pass "a changed web configuration applies without a restart"
  assert_eq 401 "$(tls_status /metrics -u "prometheus:$PASSWORD")" \
    "the removed user is rejected after the reload"
  local new_serial
  new_serial=$(served_certificate_serial)
  if [[ $new_serial == "$old_serial" ]]; then
    fail "the served certificate is still $old_serial after the reload"
  fi
  pass "a new certificate is served after the reload"

  printf 'basic_auth_users: [\n' >"$HARNESS_DIR/web.yml"
  if ! wait_until 10 invalid_config_logged; then
    fail "an invalid web configuration was not logged"
  fi
  pass "an invalid web configuration is logged"
  assert_eq 200 "$(tls_status /metrics -u "grafana:$NEW_PASSWORD")" \
    "the previous web configuration stays in force"
}

# The exporter looks at the file only while requests arrive.
invalid_config_logged() {
  tls_status /-/healthy -u "grafana:$NEW_PASSWORD" >/dev/null
  grep -q 'reloading the web configuration failed' "$EXPORTER_LOG"
}

new_user_accepted() {
  [[ $(tls_status /metrics -u "grafana:$NEW_PASSWORD") == 200 ]]
}

# One client of the load check: scrapes until the deadline and appends each
# status to its own file.
load_client() {
  local index=$1 deadline=$2
  while ((SECONDS < deadline)); do
    tls_status /metrics -u "grafana:$NEW_PASSWORD" \
      >>"$HARNESS_DIR/load-$index.txt"
    printf '\n' >>"$HARNESS_DIR/load-$index.txt"
  done
}

check_load() {
  local deadline=$((SECONDS + LOAD_SECONDS)) index
  local -a pids=()
  for ((index = 0; index < LOAD_CLIENTS; index++)); do
    load_client "$index" "$deadline" &
    pids+=($!)
  done
  for index in "${pids[@]}"; do
    wait "$index"
  done
  local total failures
  total=$(cat "$HARNESS_DIR"/load-*.txt | grep -c .)
  failures=$(cat "$HARNESS_DIR"/load-*.txt | grep -vc '^200$' || true)
  harness_log "load: $total scrapes by $LOAD_CLIENTS clients in" \
    "${LOAD_SECONDS}s, $failures not 200"
  assert_eq 0 "$failures" "$total concurrent TLS scrapes all get 200"
  if ((total < LOAD_CLIENTS)); then
    fail "only $total scrapes completed in ${LOAD_SECONDS}s"
  fi
}

check_startup_errors() {
  local status=0 output
  printf 'tls_server_config:\n  cert_file: pki/server.pem\n  keyfile: x\n' \
    >"$HARNESS_DIR/bad.yml"
  output=$(timeout 10 "$EXPORTER_BIN" \
    "--web.config.file=$HARNESS_DIR/bad.yml" 2>&1) || status=$?
  assert_eq 2 "$status" "an unknown key exits with status 2"
  assert_contains "$output" "bad.yml:3:3: unknown key \"keyfile\"" \
    "the error names file, line and column"

  status=0
  printf 'tls_server_config:\n  cert_file: pki/server.pem\n  key_file: pki/client-key.pem\n' \
    >"$HARNESS_DIR/mismatch.yml"
  output=$(timeout 10 "$EXPORTER_BIN" \
    "--web.listen-address=127.0.0.1:$(harness_free_port)" \
    "--web.config.file=$HARNESS_DIR/mismatch.yml" 2>&1) || status=$?
  assert_eq 2 "$status" "a key that does not match the certificate exits 2"
  assert_contains "$output" "does not belong to the certificate" \
    "the error says the key does not match"
}

# slow_client PORT SECONDS
# Sends a request line and one header, then nothing for SECONDS, and prints
# how long the server kept the connection open, or "open".
slow_client() {
  python3 - "$1" "$2" <<'EOF'
import socket, sys, time
port, wait = int(sys.argv[1]), float(sys.argv[2])
connection = socket.create_connection(("127.0.0.1", port))
connection.sendall(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n")
start = time.monotonic()
connection.settimeout(wait)
try:
    data = connection.recv(1024)
    print(f"{time.monotonic() - start:.1f}")
except socket.timeout:
    print("open")
EOF
}

check_plain_limits() {
  exporter_start --web.max-requests=40
  local log
  log=$(<"$EXPORTER_LOG")
  if ((EUID == 0)); then
    assert_contains "$log" 'level=warn msg="running as root' \
      "running as root logs one warning"
  fi

  local response
  response=$(curl -s -i -X POST --max-time 5 "$EXPORTER_URL/-/reload")
  assert_contains "$response" "HTTP/1.1 404" \
    "POST /-/reload without --config.file is not 200"
  assert_contains "$response" "no configuration file to reload" \
    "POST /-/reload says there is no configuration file"
  response=$(curl -s -i -X DELETE --max-time 5 "$EXPORTER_URL/metrics")
  assert_contains "$response" "HTTP/1.1 405" "DELETE gets 405"

  # Twenty slow clients hold a worker each while a scrape goes through.
  local index
  local -a slow_pids=()
  for ((index = 0; index < 20; index++)); do
    slow_client "$EXPORTER_PORT" 15 >"$HARNESS_DIR/slow-$index.txt" &
    slow_pids+=($!)
  done
  sleep 1
  local started=$SECONDS
  assert_eq 200 "$(http_status "$EXPORTER_URL/metrics")" \
    "a scrape succeeds while slow clients are connected"
  if ((SECONDS - started > 2)); then
    fail "the scrape took $((SECONDS - started))s next to slow clients"
  fi
  # A bare wait would also wait for the exporter.
  for index in "${slow_pids[@]}"; do
    wait "$index"
  done
  local held
  for ((index = 0; index < 20; index++)); do
    held=$(<"$HARNESS_DIR/slow-$index.txt")
    if [[ $held == open ]]; then
      fail "a slow client was still connected after 15s"
    fi
  done
  pass "the read timeout closes slow clients (last after ${held}s)"
  harness_stop_process "$EXPORTER_PID"
}

main() {
  exporter_require_bin
  make_pki
  check_startup_errors
  check_plain_limits

  write_web_config prometheus "$(bcrypt_hash "$PASSWORD")"
  start_tls_exporter --web.max-requests=200
  check_tls_and_auth
  check_reload
  check_load
  harness_stop_process "$EXPORTER_PID"
  assert_eq 0 "$HARNESS_EXIT_STATUS" "the exporter stops cleanly"
}

main "$@"
