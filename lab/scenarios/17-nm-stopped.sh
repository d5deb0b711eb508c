NAME=nm-stopped
EXPECT=backend_unavailable
SSID=LabNoNM
setup() { ap_start 1 "$SSID" open && nm_stop; }
check() { expect_faster 15 "backend_unavailable is reported fast"; }
