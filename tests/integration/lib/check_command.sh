# shellcheck shell=bash source-path=SCRIPTDIR
# Runs the exporter's one-shot `check` subcommand and checks its exit
# status. Source it after exporter.sh.

# A check of a few containers takes well under a second, so a run that is
# still going after this long hangs.
CHECK_RUN_TIMEOUT=${CHECK_RUN_TIMEOUT:-30}

# run_check ARGS...
# Runs `docker_compliance_exporter check ARGS...` with a time limit and
# sets RUN_STATUS, RUN_STDOUT and RUN_STDERR.
run_check() {
  RUN_STATUS=0
  timeout "$CHECK_RUN_TIMEOUT" "$EXPORTER_BIN" check "$@" \
    >"$HARNESS_DIR/stdout" 2>"$HARNESS_DIR/stderr" </dev/null ||
    RUN_STATUS=$?
  RUN_STDOUT=$(<"$HARNESS_DIR/stdout")
  RUN_STDERR=$(<"$HARNESS_DIR/stderr")
  if ((RUN_STATUS == 124)); then
    fail "check $* still ran after ${CHECK_RUN_TIMEOUT}s"
  fi
}

# expect_status STATUS DESCRIPTION
# Fails with the output of the last run_check unless it exited with STATUS.
expect_status() {
  local expected=$1 description=$2
  if [[ $RUN_STATUS != "$expected" ]]; then
    fail "$description: expected exit status $expected, got $RUN_STATUS;" \
      "stdout:
$RUN_STDOUT
stderr:
$RUN_STDERR"
  fi
  pass "$description"
}
