NAME=scan-blocked
EXPECT=scan_busy
NEEDS=any
SSID=LabBlocked
JOIN_TIMEOUT=40
# Persistent blocking: back-to-back long passive scans of 5 GHz channels only,
# so the station never gets its own 2.4 GHz scan and the blocker's results never
# contain the AP (which starts after the blocking began).
setup() {
  nm_scan_settle
  bg blocker sh -c "while :; do iw dev $LAB_STA scan trigger passive freq 5180 5200 5220 5240 5745 5765 5785 5805 5825 >/dev/null 2>&1; done"
  sleep 2
  ap_start 1 "$SSID" open
}
check() {
  [ "$GOT_CLASS" = not_found ] && fail_check "said not_found while scans were blocked"
  expect_report "report shows refused scans" '[.attempts[]?.scans[]? | select(.busy_refusals > 0 or .outcome == "busy")] | length > 0'
}
