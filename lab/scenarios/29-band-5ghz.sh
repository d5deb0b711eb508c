NAME=band-5ghz
EXPECT=none
SSID=Lab5GHz
JOIN_SECRET=wpa2
# A WPA2 network on 5 GHz channel 36 (the lab's regulatory domain, DE, allows
# it without DFS): the join works and the report names the band and channel.
setup() { cp "$(secret_file wpa2)" "$(secret_file ap1)"; ap_start 1 "$SSID" wpa2 chan=36 && wait_visible "$SSID"; }
check() {
  expect_report "report names the 5 GHz band" '.band == "5GHz" and .channel == 36 and .freq_mhz == 5180'
  expect_report "the attempt names the band" '.attempts[-1].band == "5GHz"'
}
