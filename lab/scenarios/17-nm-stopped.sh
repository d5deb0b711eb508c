NAME=nm-stopped
EXPECT=backend_unavailable
SSID=LabNoNM
setup() { ap_start 1 "$SSID" open && nm_stop; }
check() {
  expect_no_activation "backend_unavailable without an activation"
  expect_deadline "backend_unavailable within the deadline"
}
