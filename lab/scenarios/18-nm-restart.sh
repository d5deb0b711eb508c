NAME=nm-restart
# Recovering (none) or a classified failure are both acceptable; running past
# the deadline is not.
EXPECT_LABEL=any-classified
EXPECT="none|backend_unavailable|device_unavailable|timeout|unknown|not_found"
SSID=LabRestart
JOIN_TIMEOUT=45
setup() {
  ap_start 1 "$SSID" open && wait_visible "$SSID" || return 1
  bg nm-restart bash -c ". $LAB_DIR/guest/lib.sh; sleep 3; nm_stop; sleep 1; nm_start"
}
check() {
  expect_deadline "finished within its 45 s deadline"
  [ "$GOT_RC" = 124 ] && fail_check "killed by the harness: ran past its deadline"
  wait_for 40 nm_running || fail_check "NetworkManager did not come back"
}
