#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Checks the endpoint security of --web.config.file and the request limits
# over loopback. It covers TLS with client certificates, basic
# authentication, the configured headers, methods and the rejection
# counter. It also covers reloads of the web configuration without a
# restart, clients that drip their headers and are cut off by the header
# deadline, header size limits, the 503 beyond --web.max-requests, and a
# bounded load of concurrent TLS scrapes with the exporter's memory
# measured. Needs openssl, curl and python3, whose crypt module makes the
# bcrypt hashes. Needs no Docker engine, because /metrics
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
readonly LOAD_SECONDS=60
# The exporter's resident memory must stay below this during and after the
# load. It serves no engine, so the exposition is a few KiB, and the load
# adds 100 TLS connections on up to 208 worker threads (--web.max-requests
# of 200, plus 8). On a 2-core machine busy with other builds, VmRSS went
# from 20 MiB before to 36 MiB after the load, with VmHWM 36 MiB. The bound
# is four times that, for other allocators and thread counts. Memory that
# grew with each request would pass it: the load makes about 6000 requests.
readonly MAX_RSS_KIB=$((150 * 1024))
# Dripping clients in the deadline check: more than the --web.max-requests
# of that exporter, fewer than its 32 worker threads.
readonly DRIP_CLIENTS=20
readonly DRIP_MAX_REQUESTS=4
readonly pki=$HARNESS_DIR/pki
export DOCKER_HOST=unix://$HARNESS_DIR/no-engine.sock

# bcrypt_hash PASSWORD [COST]
# Prints a bcrypt hash at COST, by default 10, htpasswd's default.
bcrypt_hash() {
  python3 -W ignore -c '
import crypt, sys
rounds = 2 ** int(sys.argv[2])
print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=rounds)))
' "$1" "${2:-10}"
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

  # Plain HTTP comes first among the failed handshakes, because the log
  # shows one rejection of each reason per 10 s.
  local status tls_before
  tls_before=$(rejected_count tls)
  local plain_body=$HARNESS_DIR/plain-http-body
  status=$(curl -s -o "$plain_body" -w '%{http_code}' --max-time 5 \
    "http://127.0.0.1:$EXPORTER_PORT/metrics") || true
  assert_eq 400 "$status" "plain HTTP to the TLS port gets 400"
  assert_contains "$(<"$plain_body")" \
    "Client sent an HTTP request to an HTTPS server." \
    "the 400 says that the port expects HTTPS"
  assert_eq $((tls_before + 1)) "$(rejected_count tls)" \
    "plain HTTP to the TLS port is counted as reason tls"
  assert_contains "$(<"$EXPORTER_LOG")" \
    'reason=tls remote_address=127.0.0.1 request="TLS handshake failed: http request"' \
    "plain HTTP to the TLS port is logged with OpenSSL's reason"

  status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
    --cacert "$pki/ca.pem" -u "prometheus:$PASSWORD" \
    "https://127.0.0.1:$EXPORTER_PORT/metrics" || true)
  assert_eq 000 "$status" "no client certificate is rejected in the handshake"
  status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
    --cacert "$pki/ca.pem" --cert "$pki/stranger.pem" \
    --key "$pki/stranger-key.pem" -u "prometheus:$PASSWORD" \
    "https://127.0.0.1:$EXPORTER_PORT/metrics" || true)
  assert_eq 000 "$status" "untrusted client certificate is rejected"
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
  if [[ -z $count ]] || ((count < 3)); then
    fail "rejected_total{reason=\"tls\"} is '$count', expected >= 3"
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

# memory_kib FIELD
# Prints FIELD (VmRSS or VmHWM) of the exporter's /proc status, in KiB.
memory_kib() {
  awk -v field="$1:" '$1 == field { print $2 }' "/proc/$EXPORTER_PID/status"
}

check_load() {
  local rss_before hwm_before
  rss_before=$(memory_kib VmRSS)
  hwm_before=$(memory_kib VmHWM)
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

  local rss_after hwm_after
  rss_after=$(memory_kib VmRSS)
  hwm_after=$(memory_kib VmHWM)
  harness_log "memory: VmRSS ${rss_before} KiB before the load," \
    "${rss_after} KiB after; VmHWM ${hwm_before} KiB before," \
    "${hwm_after} KiB after"
  if ((rss_after >= MAX_RSS_KIB)); then
    fail "VmRSS after the load is ${rss_after} KiB, over $MAX_RSS_KIB KiB"
  fi
  pass "VmRSS after the load is ${rss_after} KiB, below $MAX_RSS_KIB KiB"
  if ((hwm_after >= MAX_RSS_KIB)); then
    fail "VmHWM during the load reached ${hwm_after} KiB, over" \
      "$MAX_RSS_KIB KiB"
  fi
  pass "VmHWM during the load stayed below $MAX_RSS_KIB KiB"
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

# drip_client PORT INTERVAL LIMIT
# Sends a request line, then a header line every INTERVAL seconds without
# ever ending the headers. Prints how many seconds the server kept the
# connection open, or "open" when it was still open after LIMIT seconds.
drip_client() {
  python3 - "$@" <<'EOF'
import socket, sys, time
port, interval, limit = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
connection = socket.create_connection(("127.0.0.1", port))
start = time.monotonic()
connection.sendall(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n")
connection.settimeout(interval)
closed = False
while not closed and time.monotonic() - start < limit:
    try:
        # The server's 400 response arrives before it closes.
        closed = connection.recv(4096) == b""
        continue
    except socket.timeout:
        pass
    except OSError:
        break
    try:
        connection.sendall(b"X-Drip: a\r\n")
    except OSError:
        break
else:
    if not closed:
        print("open")
        sys.exit()
print(f"{time.monotonic() - start:.1f}")
EOF
}

# plain_rejected_count REASON
# Prints docker_compliance_http_requests_rejected_total for REASON from the
# plain HTTP exporter.
plain_rejected_count() {
  exporter_series_value \
    "docker_compliance_http_requests_rejected_total{reason=\"$1\"}"
}

check_header_limits() {
  local large status
  large=$(head -c 9000 /dev/zero | tr '\0' a)
  status=$(http_status "$EXPORTER_URL/metrics" -H "X-Large: $large")
  assert_eq 400 "$status" "a header line of 9000 bytes gets 400"
  assert_eq 200 "$(http_status "$EXPORTER_URL/metrics")" \
    "the server serves the next request after an oversized header line"

  # Forty header lines of 1000 bytes: each within the line limit, together
  # over the 32 KiB limit of a request's line and headers.
  local -a filler=()
  local index
  for ((index = 0; index < 40; index++)); do
    filler+=(-H "X-Filler-$index: ${large:0:1000}")
  done
  status=$(http_status "$EXPORTER_URL/metrics" "${filler[@]}")
  if [[ $status == 200 ]]; then
    fail "40 KiB of headers got 200"
  fi
  pass "40 KiB of headers are rejected (status $status)"
  assert_eq 1 "$(plain_rejected_count headers_too_large)" \
    "headers over 32 KiB are counted as reason headers_too_large"
  assert_eq 200 "$(http_status "$EXPORTER_URL/metrics")" \
    "the server serves the next request after headers over 32 KiB"
}

check_header_deadline() {
  # Clients that send a header line every second never wait the 5 s read
  # timeout, so only the 10 s deadline for the request line and headers
  # ends them. Two more send one line and then nothing, for the read
  # timeout.
  local index timeouts_before
  timeouts_before=$(plain_rejected_count timeout)
  local -a drip_pids=()
  for ((index = 0; index < DRIP_CLIENTS; index++)); do
    drip_client "$EXPORTER_PORT" 1 20 >"$HARNESS_DIR/drip-$index.txt" &
    drip_pids+=($!)
  done
  for index in 0 1; do
    drip_client "$EXPORTER_PORT" 20 20 >"$HARNESS_DIR/silent-$index.txt" &
    drip_pids+=($!)
  done
  sleep 2

  local started=$SECONDS
  assert_eq 200 "$(http_status "$EXPORTER_URL/metrics")" \
    "a scrape succeeds while $DRIP_CLIENTS clients drip their headers"
  if ((SECONDS - started > 2)); then
    fail "the scrape took $((SECONDS - started))s next to dripping clients"
  fi

  # A bare wait would also wait for the exporter.
  for index in "${drip_pids[@]}"; do
    wait "$index"
  done
  local held
  for ((index = 0; index < DRIP_CLIENTS; index++)); do
    held=$(<"$HARNESS_DIR/drip-$index.txt")
    if [[ $held == open ]]; then
      fail "a dripping client was still connected after 20s"
    fi
    if ! awk -v held="$held" 'BEGIN { exit !(held >= 9 && held <= 12) }'; then
      fail "a dripping client was disconnected after ${held}s, not at the" \
        "10s deadline"
    fi
  done
  pass "the header deadline disconnects dripping clients (last after ${held}s)"
  for index in 0 1; do
    held=$(<"$HARNESS_DIR/silent-$index.txt")
    if ! awk -v held="$held" 'BEGIN { exit !(held >= 4 && held <= 7) }'; then
      fail "a silent client was disconnected after ${held}s, not at the" \
        "5s read timeout"
    fi
  done
  pass "the read timeout disconnects silent clients (after ${held}s)"
  assert_eq $((timeouts_before + DRIP_CLIENTS + 2)) \
    "$(plain_rejected_count timeout)" \
    "each cut-off client is counted as reason timeout"
  assert_contains "$(<"$EXPORTER_LOG")" \
    'msg="HTTP request rejected" reason=timeout' "cut-off clients are logged"
}

check_plain_limits() {
  exporter_start "--web.max-requests=$DRIP_MAX_REQUESTS"
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

  check_header_limits
  check_header_deadline
  harness_stop_process "$EXPORTER_PID"
}

# auth_status PASSWORD PATH
# Prints the status of a GET of PATH from the basic-auth exporter.
auth_status() {
  http_status "$EXPORTER_URL$2" -u "prometheus:$1"
}

auth_exporter_answers() {
  [[ $(auth_status "$PASSWORD" /-/healthy) == 200 ]]
}

check_request_limit() {
  # A request keeps its --web.max-requests place from its headers to its
  # response, bcrypt's check of a wrong password included. At cost 15 that
  # check takes about a second, during which a second request finds no
  # place. The right password is checked once at start and then cached.
  printf 'basic_auth_users:\n  prometheus: %s\n' \
    "$(bcrypt_hash "$PASSWORD" 15)" >"$HARNESS_DIR/auth.yml"
  EXPORTER_PORT=$(harness_free_port)
  EXPORTER_URL=http://127.0.0.1:$EXPORTER_PORT
  EXPORTER_LOG=$HARNESS_DIR/exporter-auth.log
  harness_spawn "$EXPORTER_LOG" "$EXPORTER_BIN" \
    "--web.listen-address=127.0.0.1:$EXPORTER_PORT" \
    "--web.config.file=$HARNESS_DIR/auth.yml" --web.max-requests=1
  EXPORTER_PID=$HARNESS_SPAWNED_PID
  if ! wait_until 20 auth_exporter_answers; then
    fail "the basic-auth exporter did not answer within 20s"
  fi

  auth_status wrong /metrics >"$HARNESS_DIR/slow-auth.txt" &
  local slow_pid=$!
  sleep 0.3
  assert_eq 503 "$(auth_status "$PASSWORD" /-/healthy)" \
    "a second request beyond --web.max-requests=1 gets 503"
  wait "$slow_pid"
  assert_eq 401 "$(<"$HARNESS_DIR/slow-auth.txt")" \
    "the request holding the place gets its 401"
  local exposition
  exposition=$(curl -s --max-time 5 -u "prometheus:$PASSWORD" \
    "$EXPORTER_URL/metrics")
  assert_eq 1 "$(series_value "$exposition" \
    'docker_compliance_http_requests_rejected_total{reason="limit"}')" \
    "the 503 is counted as reason limit"
  assert_contains "$(<"$EXPORTER_LOG")" \
    'msg="HTTP request rejected" reason=limit' "the 503 is logged"
  harness_stop_process "$EXPORTER_PID"
}

main() {
  exporter_require_bin
  make_pki
  check_startup_errors
  check_plain_limits
  check_request_limit

  write_web_config prometheus "$(bcrypt_hash "$PASSWORD")"
  start_tls_exporter --web.max-requests=200
  check_tls_and_auth
  check_reload
  check_load
  harness_stop_process "$EXPORTER_PID"
  assert_eq 0 "$HARNESS_EXIT_STATUS" "the exporter stops cleanly"
}

main "$@"
