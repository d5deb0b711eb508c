NAME=unmanaged
EXPECT=device_unavailable
SSID=LabUnmanaged
setup() { touch $LAB_RUN/dirty-managed; ap_start 1 "$SSID" open && wait_visible "$SSID" && nmcli dev set "$LAB_STA" managed no && wait_for 10 sta_state_is unmanaged; }
# Fast by construction: the device's state is read before any scan or activation.
check() {
  expect_no_scan "device_unavailable before any scan"
  expect_no_activation "device_unavailable without an activation"
}
