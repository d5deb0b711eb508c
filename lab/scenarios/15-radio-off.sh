NAME=radio-off
EXPECT=radio_off
SSID=LabRadioOff
setup() { touch $LAB_RUN/dirty-radio; ap_start 1 "$SSID" open && wait_visible "$SSID" && nmcli radio wifi off && wait_for 10 sta_state_is unavailable; }
check() { expect_faster 10 "radio_off is reported fast"; }
