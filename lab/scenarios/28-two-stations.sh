NAME=two-stations
# Issue 8 item 11: two Wi-Fi devices. wlan0 joins LabTwoA, the second
# station joins LabTwoB (two networks), then the second station joins LabTwoA
# too (the same SSID as wlan0). Each join must leave the other device
# connected: profiles are bound to their interface, and replacing an SSID's
# profile on one interface does not delete the other interface's.
EXPECT=none
NEEDS=hotspotctl
SSID=LabTwoA
SSID_B=LabTwoB
setup() {
  cp "$(secret_file wpa2)" "$(secret_file ap1)"
  ap_start 1 "$SSID" wpa2 && ap_start 2 "$SSID_B" open || return 1
  sta2_managed || return 1
  wait_visible "$SSID" && LAB_STA=$LAB_STA2 wait_visible "$SSID_B" && LAB_STA=$LAB_STA2 wait_visible "$SSID"
}
connected() { nmcli -g GENERAL.STATE dev show "$1" 2>/dev/null | grep -q '^100 '; }
on() { nmcli -g GENERAL.CONNECTION dev show "$1" 2>/dev/null; }
act() {
  JOIN_SECRET=wpa2 lab_join hotspotctl a-wlan0 "$SSID"
  C1=$GOT_CLASS
  LAB_STA=$LAB_STA2 JOIN_SECRET= lab_join hotspotctl b-sta2 "$SSID_B"
  C2=$GOT_CLASS
  connected "$LAB_STA" && S2="wlan0 $(on "$LAB_STA")" || S2="wlan0 down"
  LAB_STA=$LAB_STA2 JOIN_SECRET=wpa2 lab_join hotspotctl join "$SSID"
}
check() {
  [ "$C1" = none ] || fail_check "join on $LAB_STA to $SSID ended $C1"
  [ "$C2" = none ] || fail_check "join on $LAB_STA2 to $SSID_B ended $C2"
  [ "$S2" = "wlan0 hotspotctl $SSID" ] || fail_check "after the $LAB_STA2 join to $SSID_B: $S2"
  connected "$LAB_STA" || fail_check "$LAB_STA lost its connection after $LAB_STA2 joined $SSID"
  connected "$LAB_STA2" || fail_check "$LAB_STA2 not connected"
  [ "$(on "$LAB_STA")" = "hotspotctl $SSID" ] || fail_check "$LAB_STA is on '$(on "$LAB_STA")'"
  local ip; ip=$(nmcli -g IP4.ADDRESS dev show "$LAB_STA" 2>/dev/null)
  case $ip in 192.168.101.*) ;; *) fail_check "$LAB_STA has no address from $SSID (got '$ip')";; esac
  nmcli -t -f NAME,DEVICE con show --active > "$SDIR/active.txt" 2>&1
  # Every hotspotctl profile bound to one interface: one for each SSID on
  # the second station (B kept, A added) and one on wlan0.
  local u
  for u in $(nmcli -g UUID con show 2>/dev/null); do
    nmcli -g connection.id,connection.interface-name con show uuid "$u" 2>/dev/null | paste -sd@
  done | grep '^hotspotctl ' | sort > "$SDIR/profiles.txt"
  local want; want=$(printf '%s\n' "hotspotctl $SSID@$LAB_STA2" "hotspotctl $SSID@$LAB_STA" "hotspotctl $SSID_B@$LAB_STA2" | sort)
  [ "$(cat "$SDIR/profiles.txt")" = "$want" ] || fail_check "profiles: $(tr '\n' ' ' < "$SDIR/profiles.txt")"
}
