NAME=wrong-key
EXPECT=wrong_key
SSID=LabWrongKey
JOIN_SECRET=wrong
setup() { cp "$(secret_file wpa2)" "$(secret_file ap1)"; ap_start 1 "$SSID" wpa2 && wait_visible "$SSID"; }
check() {
  expect_report "wrong_key from the handshake, not from a timeout" '(.attempts[-1].timeout // "") == ""'
  expect_report "no retry after a wrong key" '([.attempts[]?.retry.retry // false] | any | not) and ((.attempts|length) == 1)'
  expect_kernel_verdict wrong_key "the kernel log alone: wrong_key (AP drop, reason 15, before the link was ready)"
}
