NAME=dfs
EXPECT=none
SSID=LabDFS
# An open network on DFS channel 52 (ETSI: hostapd beacons only after a 60 s
# channel availability check, and the station may only scan it passively until
# it hears a beacon): the join works and the report names the channel.
setup() { ap_start 2 "$SSID" open chan=52 ieee80211h=1 ieee80211d=1 country_code="$LAB_COUNTRY" up=100 && wait_visible "$SSID"; }
check() {
  expect_report "report names DFS channel 52 on 5 GHz" '.band == "5GHz" and .channel == 52 and .freq_mhz == 5260'
}
