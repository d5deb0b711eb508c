NAME=ssid-prefix
EXPECT=none
NEEDS=hotspotctl
# Three APs share a prefix; hwsim derives the received signal from the
# sender's TX power, so LabPfx-Strong gets the highest TX power.
setup() {
  ap_start 1 LabPfx-Weak open && ap_start 2 LabPfx-Strong open && ap_start 3 LabPfx-Mid open || return 1
  touch $LAB_RUN/txpower-changed
  iw dev wlan1 set txpower fixed 100; iw dev wlan2 set txpower fixed 2000; iw dev wlan3 set txpower fixed 1000
  wait_visible LabPfx-Weak && wait_visible LabPfx-Strong && wait_visible LabPfx-Mid
  nmcli -f SSID,BSSID,SIGNAL dev wifi list ifname "$LAB_STA" --rescan no
}
act() { lab_join "$TOOL" join "" --ssid-prefix LabPfx-; }
check() {
  expect_report "picked the strongest AP (LabPfx-Strong)" '.ssid == "LabPfx-Strong"'
  expect_report "bssid is wlan2's" '(.bssid|ascii_downcase) == "02:00:00:00:02:00"'
}
