NAME=assoc-rejected
EXPECT=assoc_rejected
SSID=LabFull
JOIN_TIMEOUT=60
# hostapd accepts no stations: association is refused with status 17
# (AP unable to handle additional associated STAs).
setup() { ap_start 1 "$SSID" open max_num_sta=0 && wait_visible "$SSID"; }
check() { expect_report "detail or evidence carries status code 17" "$REPORT_TEXT | test(\"\\\\b17\\\\b\")"; }
