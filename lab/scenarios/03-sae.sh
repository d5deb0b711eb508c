NAME=sae
EXPECT=none
SSID=LabSAE
JOIN_SECRET=sae
JOIN_PASS_VIA=env     # exercise HOTSPOTCTL_PASSPHRASE
setup() { cp "$(secret_file sae)" "$(secret_file ap1)"; ap_start 1 "$SSID" sae && wait_visible "$SSID"; }
check() {
  expect_report "outcome joined" '.outcome == "joined"'
  local mode; mode=$(sta_snapshot | awk -F'= ' '/CurrentAuthMode/{print $2}')
  case $mode in *SAE*) ;; *) fail_check "station auth mode is $mode, not SAE";; esac
}
