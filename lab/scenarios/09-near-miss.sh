NAME=near-miss
EXPECT=not_found
NEEDS=any
SSID=labnearmiss
setup() { ap_start 1 LabNearMiss open && wait_visible LabNearMiss; }
check() { expect_report "hint suggests LabNearMiss" '[.hints[]? | select(contains("LabNearMiss"))] | length > 0'; }
