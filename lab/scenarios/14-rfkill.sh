NAME=rfkill
EXPECT=radio_off
SSID=LabRfkill
# Soft-block only the station's phy (blocking "wifi" would also stop the APs).
# Note: in simple mode (no udev) NetworkManager does not notice rfkill at all.
setup() {
  touch $LAB_RUN/dirty-rfkill
  ap_start 1 "$SSID" open && wait_visible "$SSID" || return 1
  local id; id=$(ls -d /sys/class/net/$LAB_STA/phy80211/rfkill* | sed 's/.*rfkill//')
  rfkill block "$id" && sleep 1
  rfkill list
}
check() {
  expect_no_scan "radio_off before any scan"
  expect_no_activation "radio_off without an activation"
}
