NAME=rfkill
EXPECT=radio_off
SSID=LabRfkill
setup() { ap_start 1 "$SSID" open && wait_visible "$SSID" && rfkill block wifi && wait_for 10 sta_state_is unavailable; }
check() { expect_faster 10 "radio_off is reported fast"; }
