NAME=stale-cache
EXPECT=none
SSID=LabStale
# NetworkManager scans, then the AP appears; the join is invoked at once, so
# NM's scan list does not have the SSID yet.
setup() { nm_scan_settle; ap_start 1 "$SSID" open; sta_sees "$SSID" && echo "warning: NM already lists $SSID"; return 0; }
check() { expect_report "outcome joined on the first invocation" '.outcome == "joined"'; }
