NAME=wrong-key
EXPECT=wrong_key
SSID=LabWrongKey
JOIN_SECRET=wrong
setup() { cp "$(secret_file wpa2)" "$(secret_file ap1)"; ap_start 1 "$SSID" wpa2 && wait_visible "$SSID"; }
check() {
  # Fast by construction: the verdict rests on the handshake's own failure,
  # not on an authentication or association timer.
  expect_report "wrong_key from the handshake's own evidence" \
    '([.attempts[-1].events[]? | select(.kind == "psk_mismatch" or .kind == "sae_failure" or (.kind == "disconnect" and (.code == 15 or .code == -15)) or (.kind == "auth_status" and .code != 0))] | length > 0) and ([.attempts[-1].events[]? | select(.kind == "auth_timeout" or .kind == "assoc_timeout")] | length == 0)'
  expect_report "no retry after a wrong key" '([.attempts[]?.retry.retry // false] | any | not) and ((.attempts|length) == 1)'
  expect_kernel_verdict wrong_key "the kernel log alone: wrong_key (AP drop, reason 15, before the link was ready)"
}
