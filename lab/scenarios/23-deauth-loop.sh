NAME=deauth-loop
EXPECT=assoc_rejected
SSID=LabDeauth
JOIN_TIMEOUT=45
# issue 8 item 7: an AP that deauthenticates the station every 0.5 s after
# association. NetworkManager's "activated" outlives such short supplicant
# drops, so "activated" alone once gave "none" (joined) while wpa_supplicant
# was disconnected; the verdict must be a classified failure naming the
# deauthentication reason.
setup() { ap_start 1 "$SSID" open && wait_visible "$SSID"; }
act() {
  bg deauth sh -c "while :; do hostapd_cli -p $LAB_RUN/ap/ctrl -i $(ap_iface 1) deauthenticate $(cat /sys/class/net/$LAB_STA/address) >/dev/null 2>&1; sleep 0.5; done"
  lab_join "$TOOL" join "$SSID" "${JOIN_ARGS[@]}"
  bg_stop_all
}
check() {
  expect_report "detail names an 802.11 reason" '.detail | test("reason [0-9]+")'
  expect_report "not retried" '([.attempts[]?.retry.retry // false] | any | not)'
  expect_kernel_verdict assoc_rejected "the kernel log alone: assoc_rejected (an open network has no handshake to fail)"
}
