NAME=no-agent
# diagnose on the real stack's log of a join with no key to try: a profile
# whose key is agent-owned (psk-flags 1, as GNOME and nm-applet save it in
# the user's keyring) activated with no secret agent registered — a boot
# before login, a service, an ssh session. NetworkManager asks its agents,
# "No agents were available for this request", and fails with no-secrets
# before any association. diagnose must say wrong_key with secrets
# "no_agent" (the key was never rejected), not "the password was rejected".
# The join here is nmcli's own `con up` with no agent: hotspotctl always
# hands NetworkManager its key, so it cannot meet this itself.
EXPECT=wrong_key
NEEDS=hotspotctl
SSID=LabNoAgent
setup() {
  cp "$(secret_file wpa2)" "$(secret_file ap1)"; ap_start 1 "$SSID" wpa2 && wait_visible "$SSID" || return 1
  nmcli con add type wifi ifname "$LAB_STA" con-name "$SSID" ssid "$SSID" autoconnect no \
    wifi-sec.key-mgmt wpa-psk wifi-sec.psk-flags 1 > "$SDIR/con-add.out" 2>&1
}
act() {
  local t0 e f o
  t0=$(now_s)
  # No --ask and no terminal: nmcli registers no secret agent.
  timeout 60 nmcli --wait 30 con up id "$SSID" < /dev/null > "$SDIR/con-up.out" 2>&1
  GOT_RC=$?
  sleep 1
  for e in "${LOGOFS[@]}"; do f=${e%%:*}; o=${e#*:}; tail -c +$((o+1)) "$LAB_LOGS/$f.log" > "$SDIR/$f.now.log" 2>/dev/null; done
  "$LAB_BIN" diagnose --json "$SDIR/NetworkManager.now.log" > "$SDIR/diagnose.json" 2>"$SDIR/diagnose.err"
  GOT_CLASS=$(jq -r '.class' "$SDIR/diagnose.json" 2>/dev/null)
  GOT_SECS=$(elapsed "$t0")
  REPORT=$SDIR/diagnose.json
}
check() {
  [ "$GOT_RC" = 0 ] && fail_check "nmcli con up succeeded without a key"
  grep -q "No agents were available" "$SDIR/NetworkManager.now.log" || fail_check "NetworkManager's log has no 'No agents were available'"
  expect_report "the attempt says no_agent" '[.attempts[] | select(.secrets == "no_agent")] | length == 1'
  expect_report "the summary does not say the password was rejected" '(.summary // "") | test("rejected") | not'
  expect_report "no association in the attempt (the key was never tried)" '[.attempts[].events[] | select(.kind == "supplicant_state" and (.state | IN("associating","associated","4way_handshake")))] | length == 0'
}
