NAME=open
EXPECT=none
SSID=LabOpen
setup() { ap_start 1 "$SSID" open && wait_visible "$SSID"; }
check() {
  expect_report "outcome joined" '.outcome == "joined"'
  expect_report "ip4 from the AP's DHCP (192.168.101.x)" '(.ip4 // "") | startswith("192.168.101.")'
  expect_report "bssid is the AP's" '(.bssid|ascii_downcase) == "02:00:00:00:01:00"'
}
