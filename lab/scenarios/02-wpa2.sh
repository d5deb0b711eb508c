NAME=wpa2
EXPECT=none
SSID=LabWPA2
JOIN_SECRET=wpa2
setup() { cp "$(secret_file wpa2)" "$(secret_file ap1)"; ap_start 1 "$SSID" wpa2 && wait_visible "$SSID"; }
check() {
  expect_report "outcome joined" '.outcome == "joined"'
  expect_report "ip4 from DHCP (192.168.101.x)" '(.ip4 // "") | startswith("192.168.101.")'
  local ip; ip=$(nmcli -g IP4.ADDRESS dev show "$LAB_STA" 2>/dev/null)
  case $ip in 192.168.101.*) ;; *) fail_check "station has no DHCP address (got '$ip')";; esac
  expect_kernel_verdict none "the kernel log alone: joined (link ready after association)"
}
