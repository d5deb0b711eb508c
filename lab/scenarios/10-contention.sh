NAME=contention
EXPECT=none
SSID=LabContended
# Another process keeps triggering full scans on the station radio.
setup() {
  ap_start 1 "$SSID" open && wait_visible "$SSID" || return 1
  flush_bss
  bg scanloop sh -c "while :; do iw dev $LAB_STA scan trigger >/dev/null 2>&1; sleep 0.05; done"
  sleep 1
}
check() {
  expect_report "outcome joined" '.outcome == "joined"'
  expect_report "report shows refused or piggy-backed scans" \
    '[.attempts[]?.scans[]? | select(.busy_refusals > 0 or .outcome == "busy" or .method == "piggyback")] | length > 0'
}
