NAME=late-ap
EXPECT=none
SSID=LabLate
JOIN_TIMEOUT=60
# The caller expects the AP to be late, and says so: hotspotctl keeps scanning
# for up to 45 s before calling it absent (the default window is 15 s, so that
# an absent network gets its verdict fast). Under TCG hostapd takes ~10 s from
# start to its first beacon (lab/out/scenarios/late-ap/hostapd-1.log).
JOIN_ARGS=(--scan-window 45s)
# The AP's hostapd starts 5 s after the join begins (beaconing ~1 s later).
setup() { nm_scan_settle; bg late-ap bash -c ". $LAB_DIR/guest/lib.sh; sleep 5; ap_start 1 $SSID open"; }
check() {
  expect_report "outcome joined" '.outcome == "joined"'
  expect_deadline "joined within the 60 s deadline"
}
