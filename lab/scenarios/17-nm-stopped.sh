NAME=nm-stopped
EXPECT=backend_unavailable
SSID=LabNoNM
setup() { ap_start 1 "$SSID" open && nm_stop; }
# Fast by construction: one attempt, no scan (the backend is checked first),
# no retry (NetworkManager never answered in this join).
check() {
  expect_no_scan "backend_unavailable before any scan"
  expect_report "one attempt, not retried" '((.attempts | length) == 1) and ([.attempts[]?.retry.retry // false] | any | not)'
}
