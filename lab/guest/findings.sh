# Suite helper "findings": drive plain nmcli (and iw) through the failure modes
# and record what the real stack reports: NM device/AC reasons, wpa_supplicant
# status codes, nmcli exit codes and messages, scan EBUSY behaviour.
#   make lab-findings                     # all sections
#   lab/run --exec lab/guest/findings.sh SECTION...   (e.g. wrong-key scan-busy)
# Output: lab/out/findings.txt (+ the daemon logs under lab/out/logs/).
. "$LAB_DIR/guest/runner.sh"
F=$LAB_OUT/findings.txt
: > "$F"
nmc() { # nmc LABEL nmcli-args... (stdin passed through)
  local label=$1; shift
  local t0; t0=$(now_s)
  local out rc; out=$(timeout 150 nmcli "$@" 2>&1); rc=$?; out=$(echo "$out" | strip_ansi)
  { echo "### $label: nmcli $* -> rc=$rc in $(elapsed $t0)s"; echo "$out"; sta_snapshot; echo; } >> "$F"
  echo "$label rc=$rc $(elapsed $t0)s: $(echo "$out" | tail -1)"
}
listing() { nmcli -f SSID,BSSID,SIGNAL,SECURITY dev wifi list ifname wlan0 --rescan no >> "$F" 2>&1; }
mark() { echo "===== $* =====" >> "$F"; echo "----- $* ($(date +%T))"; lab_log "findings: $*"; }
want() { [ -z "${LAB_SCENARIOS:-}" ] && return 0; case " $LAB_SCENARIOS " in *" $1 "*) return 0;; esac; return 1; }
nmlog_mark() { NMLOG_OFS=$(stat -c %s "$LAB_LOGS/NetworkManager.log" 2>/dev/null || echo 0); WPLOG_OFS=$(stat -c %s "$LAB_LOGS/wpa_supplicant.log" 2>/dev/null || echo 0); }
nmlog_since() { # state changes and failures NM logged since nmlog_mark, plus wpa_supplicant events
  tail -c +$((NMLOG_OFS+1)) "$LAB_LOGS/NetworkManager.log" | grep -E 'state change|Activation: .*failed|reason|disconnected|auth|secrets' | grep -vE 'dhcp4 \(|platform' | head -40 | sed 's/^/  NM: /' >> "$F"
  tail -c +$((WPLOG_OFS+1)) "$LAB_LOGS/wpa_supplicant.log" | grep -E 'CTRL-EVENT|status_code|WRONG_KEY|reason=' | head -30 | sed 's/^/  wpas: /' >> "$F"
}
cp "$(secret_file wpa2)" "$(secret_file ap1)"; cp "$(secret_file sae)" "$(secret_file ap2)"

if want wrong-key; then
  mark wpa2-wrong-key
  reset_state; ap_start 1 LabFWrong wpa2; wait_visible LabFWrong >> "$F"; listing; nmlog_mark
  nmc wpa2-wrong --wait 90 --ask dev wifi connect LabFWrong ifname wlan0 < "$(secret_file wrong)"; nmlog_since
  mark sae-wrong-key
  reset_state; ap_start 2 LabFWrongSAE sae; wait_visible LabFWrongSAE >> "$F"; listing; nmlog_mark
  nmc sae-wrong --wait 90 --ask dev wifi connect LabFWrongSAE ifname wlan0 < "$(secret_file wrong)"; nmlog_since
fi
if want reject; then
  mark max_num_sta=0
  reset_state; ap_start 1 LabFFull open max_num_sta=0; wait_visible LabFFull >> "$F"; nmlog_mark
  nmc max-sta --wait 90 dev wifi connect LabFFull ifname wlan0; nmlog_since
fi
if want hidden; then
  mark hidden
  reset_state; ap_start 1 LabFHidden open hidden; nm_scan_settle; listing; nmlog_mark
  nmc hidden-yes --wait 60 dev wifi connect LabFHidden hidden yes ifname wlan0; nmlog_since
fi
if want rfkill; then
  mark rfkill-station-phy
  reset_state; touch $LAB_RUN/dirty-rfkill; ap_start 1 LabFRf open; wait_visible LabFRf >> "$F"
  id=$(ls -d /sys/class/net/wlan0/phy80211/rfkill* | sed 's/.*rfkill//'); rfkill block "$id"; sleep 2
  { nmcli radio; rfkill list "$id"; echo "NM WirelessEnabled=$(nm_prop /org/freedesktop/NetworkManager org.freedesktop.NetworkManager WirelessEnabled) WirelessHardwareEnabled=$(nm_prop /org/freedesktop/NetworkManager org.freedesktop.NetworkManager WirelessHardwareEnabled)"; } >> "$F" 2>&1
  nmlog_mark; nmc rfkill --wait 30 dev wifi connect LabFRf ifname wlan0; nmlog_since
fi
if want scan-busy; then
  mark scan-busy
  reset_state
  { echo "# second trigger while a scan runs:"; iw dev wlan0 scan trigger >/dev/null 2>&1 & sleep 0.1; iw dev wlan0 scan trigger; echo "rc=$?"; wait $!; } >> "$F" 2>&1
  sleep 5
  t0=$(now_s); iw dev wlan0 scan >/dev/null 2>&1; echo "# full active iw scan took $(elapsed $t0)s" >> "$F"
  t0=$(now_s); iw dev wlan0 scan passive >/dev/null 2>&1; echo "# full passive iw scan took $(elapsed $t0)s" >> "$F"
  t0=$(now_s); iw dev wlan0 scan passive freq 5180 5200 5220 5240 5745 5765 5785 5805 5825 >/dev/null 2>&1; echo "# passive 9x5GHz scan took $(elapsed $t0)s rc=$?" >> "$F"
  t0=$(now_s); iw dev wlan0 scan trigger duration 500 freq 2412 >> "$F" 2>&1; echo "# trigger duration 500 rc=$?" >> "$F"
  sleep 5
  # persistent blocker, then NM's view
  bg blocker sh -c 'while :; do iw dev wlan0 scan trigger passive freq 5180 5200 5220 5240 5745 5765 5785 5805 5825 >/dev/null 2>&1; done'
  sleep 2
  ok=0 busy=0; for i in $(seq 1 20); do if iw dev wlan0 scan trigger freq 2412 >/dev/null 2>&1; then ok=$((ok+1)); else busy=$((busy+1)); fi; sleep 0.25; done
  echo "# under the passive-5GHz blocker loop: 20 triggers: $ok accepted, $busy refused" >> "$F"
  ap_start 1 LabFBlocked open
  for i in 1 2 3; do out=$(nmcli dev wifi rescan ifname wlan0 2>&1); echo "# nmcli rescan under blocker rc=$? $out" >> "$F"; sleep 2; done
  nmlog_mark; nmc blocked-connect --wait 60 dev wifi connect LabFBlocked ifname wlan0; nmlog_since
  bg_stop_all
  mark scan-contention-loop
  reset_state
  bg scanloop sh -c 'while :; do iw dev wlan0 scan trigger >/dev/null 2>&1; sleep 0.05; done'
  sleep 2
  ok=0 busy=0; for i in $(seq 1 20); do if iw dev wlan0 scan trigger freq 2412 >/dev/null 2>&1; then ok=$((ok+1)); else busy=$((busy+1)); fi; sleep 0.25; done
  echo "# under the full-scan trigger loop: 20 triggers: $ok accepted, $busy refused" >> "$F"
  bg_stop_all
fi
if want signal; then
  mark signal-by-txpower
  reset_state; touch $LAB_RUN/txpower-changed
  ap_start 1 LabFSig1 open; ap_start 2 LabFSig2 open; ap_start 3 LabFSig3 open
  iw dev wlan1 set txpower fixed 100 >> "$F" 2>&1; iw dev wlan2 set txpower fixed 2000 >> "$F" 2>&1; iw dev wlan3 set txpower fixed 1000 >> "$F" 2>&1
  for i in 1 2 3; do echo "wlan$i $(iw dev wlan$i info | grep txpower)" >> "$F"; done
  sleep 1; iw dev wlan0 scan 2>&1 | grep -E '^BSS|signal:|SSID:' >> "$F"
  wait_visible LabFSig3 >> "$F"; listing
fi
reset_state
echo "findings done"
