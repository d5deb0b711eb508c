NAME=radio-off
EXPECT=radio_off
SSID=LabRadioOff
setup() { touch $LAB_RUN/dirty-radio; ap_start 1 "$SSID" open && wait_visible "$SSID" && nmcli radio wifi off && wait_for 10 sta_state_is unavailable; }
# Fast by construction: the radio is read before any scan or activation.
check() {
  expect_no_scan "radio_off before any scan"
  expect_no_activation "radio_off without an activation"
}
