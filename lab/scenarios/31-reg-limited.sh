NAME=reg-limited
EXPECT=not_found
NEEDS=hotspotctl
SSID=LabCh13
# A second station radio whose own regulatory limits (hwsim custom domain 01:
# 2.4 GHz 1-11 and 14, 5 GHz 36-48 and 149-165) forbid channel 13, which the
# system's domain DE allows and the AP uses. The radio can never see the
# network: not_found, with a hint naming the domain and the channels.
REG_IF=
dev_available() { local p; p=$(nm_dev_path "$1") && [ -n "$p" ] && [ "$(nm_prop "$p" org.freedesktop.NetworkManager.Device State)" = 30 ]; }
setup() {
  REG_IF=$($LAB_RUN/bin/hwsimradio add -name labreg -custom-reg 0) || return 1
  echo "regulatory-limited radio: $REG_IF"
  iw phy labreg channels | grep -E '\[1[23]\]' || true
  wait_for 30 dev_available "$REG_IF" ||
    { echo "$REG_IF not available in NetworkManager"; nmcli dev; return 1; }
  ap_start 1 "$SSID" open chan=13 && LAB_STA=wlan0 wait_visible "$SSID"
}
act() { LAB_STA=$REG_IF lab_join "$TOOL" join "$SSID" --scan-window 5s; }
check() {
  # cfg80211 gives a radio with a custom domain that domain as its own
  # (GET_REG names the radio, alpha2 99): the hint names both.
  expect_report "hint names channel 13, the radio's domain and the system's" \
    '[.hints[] | select(test("cannot use channels 12-13.*its own regulatory domain 99.*the system.s is '"$LAB_COUNTRY"'"))] | length == 1'
  expect_report "the attempt's timeline has the regulatory note" '[.attempts[-1].events[] | select(.name == "regulatory")] | length >= 1'
  $LAB_RUN/bin/hwsimradio del -name labreg || fail_check "could not remove radio labreg"
  wait_for 10 sh -c "! ip link show $REG_IF" || fail_check "$REG_IF still present"
}
