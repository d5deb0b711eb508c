NAME=autoconnect-other
EXPECT=wrong_key
SSID=LabAutoTarget
JOIN_SECRET=wrong
# issue 8 item 1: NetworkManager autoconnects another profile (an open
# network on a second AP radio) while hotspotctl scans; our own activation of
# a WPA2 network with a wrong key must end wrong_key, not the other
# profile's "activated" (none).
OTHER=LabAutoOpen
setup() {
  cp "$(secret_file wpa2)" "$(secret_file ap1)"
  ap_start 1 "$SSID" wpa2 && ap_start 2 "$OTHER" open && wait_visible "$SSID" && wait_visible "$OTHER" || return 1
  # Created with autoconnect off so NetworkManager does not take wlan0 before
  # the join starts; switched on below while hotspotctl scans.
  nmcli con add type wifi ifname "$LAB_STA" con-name lab-auto-open ssid "$OTHER" connection.autoconnect no >/dev/null
}
act() {
  bg autoconnect sh -c "sleep 0.3; nmcli con modify lab-auto-open connection.autoconnect yes"
  lab_join "$TOOL" join "$SSID" "${JOIN_ARGS[@]}"
  # Clean up what the scenario made: the loop (reset_state also kills it) and
  # the profile NetworkManager would otherwise keep autoconnecting.
  bg_stop_all
  nmcli con delete lab-auto-open >/dev/null 2>&1
}
check() {
  expect_report "no retry after a wrong key" '([.attempts[]?.retry.retry // false] | any | not)'
  # The other profile's activation is in the events (else the scenario did
  # not test what it is for): device states of two active connections.
  expect_report "device states of another activation are in the events" \
    '[.attempts[]?.events[]? | select(.kind == "device_state" and (.active_connection // "/") != "/") | .active_connection] | unique | length >= 2'
}
