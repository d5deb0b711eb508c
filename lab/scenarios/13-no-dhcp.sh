NAME=no-dhcp
EXPECT=dhcp_failed
SSID=LabNoDHCP
JOIN_TIMEOUT=90
setup() { ap_start 1 "$SSID" open nodhcp && wait_visible "$SSID"; }
