NAME=absent
EXPECT=not_found
SSID=LabNowhere
# Another AP is up so scans are non-empty.
setup() { ap_start 1 LabSomewhere open && wait_visible LabSomewhere; }
check() {
  expect_faster 25 "not_found faster than NM's ~25 s association timeout"
  expect_report "an own fresh scan succeeded with no match" '[.attempts[]?.scans[]? | select(.outcome=="ok" and .matches==0)] | length > 0'
}
