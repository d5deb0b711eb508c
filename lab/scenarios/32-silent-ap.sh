NAME=silent-ap
EXPECT=assoc_rejected
SSID=LabSilent
JOIN_TIMEOUT=60
# One attempt: NetworkManager's association timer takes 25 s, and a retry
# cut short by the deadline would say timeout instead.
JOIN_ARGS=(--attempts 1)
# An AP that is seen but never answers authentication: hostapd answers
# probes but drops every authentication frame (ignore_auth_probability=1.0,
# a testing option Debian's hostapd 2.10 is built with). SIGSTOPping hostapd
# does not do it: probe responses stop too, and active scans then miss the
# AP (lab finding). The live join must say assoc_rejected (an AP that did
# not answer), not not_found or timeout: NetworkManager fails the
# activation with ssid-not-found (lab finding: its association timer says
# so unless wpa_supplicant got to associating), although hotspotctl's own
# scan and every one of wpa_supplicant's scans saw the AP.
# Then a plain wpa_supplicant at its default level (no -d, as people run it
# by hand and paste its log) tries the same AP from the second station:
# that log shows only "SME: Trying to authenticate" again and again (the
# timeouts are MSG_DEBUG, sme.c) and ends with CTRL-EVENT-TERMINATING when it
# is stopped; diagnose must still name the loop, not the daemon's exit.
setup() { ap_start 1 "$SSID" open ignore_auth_probability=1.0 && wait_visible "$SSID"; }
act() {
  lab_join "$TOOL" join "$SSID" "${JOIN_ARGS[@]}"
  printf 'ctrl_interface=%s/wpas-silent\nnetwork={\n ssid="%s"\n key_mgmt=NONE\n}\n' "$LAB_RUN" "$SSID" > "$LAB_RUN/wpas-silent.conf"
  ip link set "$LAB_STA2" up
  wpa_supplicant -i "$LAB_STA2" -D nl80211 -c "$LAB_RUN/wpas-silent.conf" -t -f "$SDIR/wpas-default.log" &
  local wp=$!
  sleep 25
  kill "$wp"; wait "$wp" 2>/dev/null
  ip link set "$LAB_STA2" down
  if have_hotspotctl; then "$LAB_BIN" diagnose --json "$SDIR/wpas-default.log" > "$SDIR/wpas-default.diagnose.json" 2>&1; fi
}
check() {
  expect_report "detail says the AP did not answer" '.detail | test("timed out|timeout|tries")'
  have_hotspotctl || return 0
  local d=$SDIR/wpas-default.diagnose.json
  grep -q 'SME: Trying to authenticate' "$SDIR/wpas-default.log" || fail_check "the default-level wpa_supplicant log has no authentication tries"
  jq -e '.class == "assoc_rejected" and (.detail | test("tries to authenticate"))' "$d" >/dev/null 2>&1 ||
    fail_check "diagnose of the default-level wpa_supplicant log: $(jq -r '"\(.class): \(.detail)"' "$d" 2>/dev/null)"
  expect_kernel_verdict assoc_rejected "the kernel log alone: assoc_rejected (authentication timed out)"
}
