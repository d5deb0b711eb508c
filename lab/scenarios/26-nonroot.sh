NAME=nonroot
EXPECT=none
NEEDS=hotspotctl
SSID=LabNonRoot
ABSENT=LabNonRootAbsent
FULL=LabNonRootFull
JOIN_SECRET=wpa2
JOIN_TIMEOUT=60
# Issue 8 item 2: hotspotctl run as a plain user (nobody, via setpriv). The
# lab's NetworkManager has auth-polkit=false (guest/base.sh), so it lets that
# user scan and activate; wpa_supplicant's D-Bus policy admits only root and
# netdev, so the user sees none of its signals. Four joins:
#  1. an absent SSID while lab/tools/scanblock makes every scan fail (EBUSY):
#     NetworkManager's LastScan still moves; must not be not_found;
#  2. an absent SSID with scans free: unproven, must not be not_found either;
#  3. an AP that refuses every station (hostapd max_num_sta=0: AuthStatusCode
#     17, which this user cannot see; NetworkManager ends with ssid-not-found):
#     must be assoc_rejected, not not_found;
#  4. the present WPA2 network: joins, with the degraded-evidence note.
# Before join 1, root probes whether LastScan moves for a refused scan.
setup() {
  id nobody >/dev/null || { echo "no user nobody"; return 1; }
  [ -x $LAB_RUN/bin/scanblock ] || { echo "scanblock not built"; return 1; }
  cp "$(secret_file wpa2)" "$(secret_file ap1)"
  ap_start 1 "$SSID" wpa2 && wait_visible "$SSID"
}
act() {
  nm_scan_settle
  bg blocker $LAB_RUN/bin/scanblock -ifname "$LAB_STA" -for 300s \
    -freqs 2417,2422,2427,2432,2437,2442,2447,2452,2457
  local blocker; blocker=$(tail -1 $LAB_RUN/bg.pids)
  sleep 2
  local before after
  before=$(nm_last_scan)
  nmcli dev wifi rescan ifname "$LAB_STA" > "$SDIR/lastscan-probe.txt" 2>&1
  sleep 6
  after=$(nm_last_scan)
  { echo "LastScan before a rescan while blocked: $before"; echo "LastScan 6 s after: $after"
    echo "wpa_supplicant scan failures since: $(grep -c 'CTRL-EVENT-SCAN-FAILED' $LAB_LOGS/wpa_supplicant.log 2>/dev/null)"; } >> "$SDIR/lastscan-probe.txt"
  JOIN_AS=nobody JOIN_SECRET= JOIN_TIMEOUT=30 lab_join "$TOOL" blocked "$ABSENT"
  BLOCKED_CLASS=$GOT_CLASS BLOCKED_REPORT=$REPORT
  kill "$blocker" 2>/dev/null; sleep 1
  JOIN_AS=nobody JOIN_SECRET= JOIN_TIMEOUT=30 lab_join "$TOOL" absent "$ABSENT"
  ABSENT_CLASS=$GOT_CLASS ABSENT_REPORT=$REPORT
  if ap_start 2 "$FULL" open max_num_sta=0 && wait_visible "$FULL"; then
    JOIN_AS=nobody JOIN_SECRET= JOIN_TIMEOUT=60 lab_join "$TOOL" refused "$FULL"
    REFUSED_CLASS=$GOT_CLASS
  else REFUSED_CLASS=setup_failed; fi
  ap_stop 2
  JOIN_AS=nobody lab_join "$TOOL" join "$SSID"
}
check() {
  local r
  [ "$BLOCKED_CLASS" = not_found ] && fail_check "non-root, scans blocked: said not_found"
  [ "$ABSENT_CLASS" = not_found ] && fail_check "non-root, absent SSID: said not_found without a proven scan"
  [ "$REFUSED_CLASS" = assoc_rejected ] || fail_check "non-root, AP refusing us: $REFUSED_CLASS, want assoc_rejected"
  for r in "$BLOCKED_REPORT" "$ABSENT_REPORT" "$REPORT"; do
    jq -e '(.degraded_evidence // "") != ""' "$r" >/dev/null 2>&1 || fail_check "$(basename "$r"): no degraded_evidence note"
  done
  jq -e '[.hints[] | select(contains("run as root"))] | length > 0' "$ABSENT_REPORT" >/dev/null 2>&1 || fail_check "absent.report.json: no run-as-root hint"
  echo "blocked=$BLOCKED_CLASS absent=$ABSENT_CLASS refused=$REFUSED_CLASS join=$GOT_CLASS" >> "$SDIR/lastscan-probe.txt"
}
