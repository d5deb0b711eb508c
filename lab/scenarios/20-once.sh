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
  # hotspotctl list may show the in-memory profile, but only as volatile.
  "$LAB_BIN" list > "$SDIR/list.out" 2>&1
  local line
  line=$(grep -F "$SSID" "$SDIR/list.out" | head -1)
  if [ -n "$line" ] && head -1 "$SDIR/list.out" | grep -q 'VOLATILE *$'; then
    [ "$(echo "$line" | awk '{print $NF}')" = true ] || fail_check "hotspotctl list shows a non-volatile $SSID profile: $line"
  elif [ -n "$line" ]; then
    fail_check "hotspotctl list shows $SSID: $line"
  fi
  return 0
}
