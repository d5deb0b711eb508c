NAME=wrong-key
EXPECT=wrong_key
SSID=LabWrongKey
JOIN_SECRET=wrong
setup() { cp "$(secret_file wpa2)" "$(secret_file ap1)"; ap_start 1 "$SSID" wpa2 && wait_visible "$SSID"; }
check() {
  expect_faster 30 "wrong key is reported fast"
  expect_report "no retry after a wrong key" '([.attempts[]?.retry.retry // false] | any | not) and ((.attempts|length) == 1)'
}
