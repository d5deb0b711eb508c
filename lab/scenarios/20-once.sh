NAME=once
EXPECT=none
NEEDS=hotspotctl
SSID=LabOnce
JOIN_SECRET=once
JOIN_ARGS=(--once)
setup() { cp "$(secret_file once)" "$(secret_file ap1)"; ap_start 1 "$SSID" wpa2 && wait_visible "$SSID"; }
check() {
  expect_report "outcome joined" '.outcome == "joined"'
  local f; f=$(ls -A /etc/NetworkManager/system-connections 2>/dev/null)
  [ -z "$f" ] || fail_check "persisted keyfile(s): $f"
  local persisted
  persisted=$(nmcli -t -f NAME,FILENAME con show 2>/dev/null | grep -v ':/run/' | grep -v '^lo:' )
  [ -z "$persisted" ] || fail_check "nmcli shows persisted profile: $persisted"
  "$LAB_BIN" list > "$SDIR/list.out" 2>&1
  grep -q "$SSID" "$SDIR/list.out" && { grep -qi 'persist' "$SDIR/list.out" || fail_check "hotspotctl list shows $SSID: $(tr '\n' ' ' < "$SDIR/list.out")"; }
  return 0
}
