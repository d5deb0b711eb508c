NAME=absent
EXPECT=not_found
SSID=LabNowhere
# Another AP is up so scans are non-empty.
setup() { ap_start 1 LabSomewhere open && wait_visible LabSomewhere; }
check() {
  # Faster than nmcli's ~25 s association timeout, by construction: the verdict
  # comes from hotspotctl's own scans, so NetworkManager never starts the
  # activation whose timeout nmcli waits out (nmcli's ssid-not-found).
  expect_no_activation "not_found without an activation (no wait for NM's association timeout)"
  expect_report "an own fresh scan succeeded with no match" '[.attempts[]?.scans[]? | select(.outcome=="ok" and .matches==0)] | length > 0'
}
