NAME=unmanaged
EXPECT=device_unavailable
SSID=LabUnmanaged
setup() { touch $LAB_RUN/dirty-managed; ap_start 1 "$SSID" open && wait_visible "$SSID" && nmcli dev set "$LAB_STA" managed no && wait_for 10 sta_state_is unmanaged; }
check() { expect_faster 15 "device_unavailable is reported fast"; }
