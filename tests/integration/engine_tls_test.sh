#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Reaches a private engine that listens on tcp://127.0.0.1 with --tlsverify,
# with certificates that this test makes with openssl. The right CA and
# client certificate work, for the exporter and the check subcommand alike.
# A wrong CA, a missing client certificate and plain HTTP to the TLS port
# each fail with a message that gives the reason.
#
# Usage: EXPORTER_BIN=path/to/docker_compliance_exporter \
#          bash tests/integration/engine_tls_test.sh
# Needs root, dockerd, the docker CLI, busybox-static, openssl, curl and ss
# (scripts/bootstrap --test installs them).
set -euo pipefail

test_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/engine.sh
source "$test_dir/lib/engine.sh"
# shellcheck source=lib/exporter.sh
source "$test_dir/lib/exporter.sh"
# shellcheck source=lib/check_command.sh
source "$test_dir/lib/check_command.sh"

readonly TEST_IMAGE=dce-busybox

# new_key_and_request NAME SUBJECT
# Writes NAME-key.pem and NAME.csr in the certificate directory.
new_key_and_request() {
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$CERTS/$1-key.pem" -out "$CERTS/$1.csr" -subj "$2" 2>/dev/null
}

# new_certificate_authority NAME
new_certificate_authority() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -nodes -days 2 -keyout "$CERTS/$1-key.pem" -out "$CERTS/$1.pem" \
    -subj "/CN=$1" 2>/dev/null
}

# sign NAME EXTENSIONS
# Signs NAME.csr with the test CA into NAME-cert.pem.
sign() {
  printf '%s\n' "$2" >"$CERTS/$1.ext"
  openssl x509 -req -in "$CERTS/$1.csr" -CA "$CERTS/ca.pem" \
    -CAkey "$CERTS/ca-key.pem" -CAcreateserial -days 2 \
    -extfile "$CERTS/$1.ext" -out "$CERTS/$1-cert.pem" 2>/dev/null
}

# client_directory NAME CA CERT KEY
# Makes a DOCKER_CERT_PATH directory; an empty CERT and KEY leave the
# client certificate out.
client_directory() {
  local directory=$CERTS/$1
  mkdir -p "$directory"
  cp "$CERTS/$2" "$directory/ca.pem"
  if [[ -n $3 ]]; then
    cp "$CERTS/$3" "$directory/cert.pem"
    cp "$CERTS/$4" "$directory/key.pem"
  fi
}

make_certificates() {
  CERTS=$HARNESS_DIR/certs
  mkdir -p "$CERTS"
  new_certificate_authority ca
  new_certificate_authority other-ca
  new_key_and_request server /CN=127.0.0.1
  sign server $'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth'
  new_key_and_request client /CN=exporter
  sign client 'extendedKeyUsage=clientAuth'
  client_directory good ca.pem client-cert.pem client-key.pem
  client_directory wrong-ca other-ca.pem client-cert.pem client-key.pem
  client_directory no-client ca.pem "" ""
}

start_tls_engine() {
  TLS_PORT=$(harness_free_port)
  TLS_HOST=tcp://127.0.0.1:$TLS_PORT
  ENGINE_EXTRA_ARGS=(--tlsverify "--tlscacert=$CERTS/ca.pem"
    "--tlscert=$CERTS/server-cert.pem" "--tlskey=$CERTS/server-key.pem"
    "--host=$TLS_HOST")
  engine_start
  engine_import_busybox "$TEST_IMAGE"
  engine_docker create --name ro --read-only "$TEST_IMAGE" true >/dev/null
  engine_docker create --name rw "$TEST_IMAGE" true >/dev/null
}

check_exporter_over_tls() {
  DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$CERTS/good \
    exporter_start "--docker.host=$TLS_HOST" --docker.refresh-interval=1s
  exporter_wait_ready 30
  assert_eq 1 "$(exporter_series_value docker_compliance_up)" \
    "docker_compliance_up over TLS"
  assert_eq 0 "$(exporter_series_value \
    'docker_container_rootfs_readonly{name="rw"}')" \
    "rw's read-only check over TLS"
  if ! wait_until 10 exporter_series_is \
    docker_compliance_event_stream_connected 1; then
    fail "the event stream did not connect over TLS"
  fi
  pass "the event stream connects over TLS"
}

check_command_over_tls() {
  DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$CERTS/good \
    run_check "--docker.host=$TLS_HOST" --checks=rootfs_readonly
  expect_status 1 "check over TLS finds the writable container"
  assert_contains "$RUN_STDOUT" "container rw" "the report names rw"

  # The same files named by flags instead of DOCKER_CERT_PATH.
  run_check "--docker.host=$TLS_HOST" --docker.tls-verify \
    "--docker.tls-ca-file=$CERTS/ca.pem" \
    "--docker.tls-cert-file=$CERTS/client-cert.pem" \
    "--docker.tls-key-file=$CERTS/client-key.pem" --checks=rootfs_readonly
  expect_status 1 "check over TLS with the files named by flags"
}

check_rejections() {
  DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$CERTS/wrong-ca \
    run_check "--docker.host=$TLS_HOST"
  expect_status 3 "a CA that did not sign the engine's certificate"
  assert_contains "$RUN_STDERR" "certificate" \
    "the error for a wrong CA mentions the certificate"

  DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$CERTS/no-client \
    run_check "--docker.host=$TLS_HOST"
  expect_status 3 "no client certificate for an engine that requires one"
  assert_contains "$RUN_STDERR" "certificate" \
    "the error for a missing client certificate mentions the certificate"

  run_check "--docker.host=$TLS_HOST"
  expect_status 3 "plain HTTP to the engine's TLS port"
  assert_contains "$RUN_STDERR" "400" \
    "the error for plain HTTP gives the engine's answer"

  DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$HARNESS_DIR/nonexistent \
    run_check "--docker.host=$TLS_HOST"
  expect_status 2 "DOCKER_CERT_PATH without ca.pem"
  assert_contains "$RUN_STDERR" "$HARNESS_DIR/nonexistent/ca.pem" \
    "the error names the missing CA file"
}

main() {
  exporter_require_bin
  command -v openssl >/dev/null || fail "openssl not found; install openssl"
  make_certificates
  start_tls_engine
  check_exporter_over_tls
  check_command_over_tls
  check_rejections
  harness_log "engine_tls_test passed"
}

main "$@"
