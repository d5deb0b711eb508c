package logparse

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// TestQcacldLines: qcacld's scan refusal (rec_android_qcacld.go), in
// qdf_trace_msg's prefix as dmesg pastes show it (the OnePlus 2 paste of
// kali-nethunter#468 for the older "[pid:E :HDD]" padding).
func TestQcacldLines(t *testing.T) {
	k := diagnostics.SourceKernel
	busy := diagnostics.Event{Source: k, Kind: "scan_busy", Name: "qcacld connection in progress", Code: -16}
	tests := []struct {
		line string
		want diagnostics.Event
		ok   bool
	}{
		{`[  340.123456] wlan: [1234:E:HDD] __wlan_hdd_cfg80211_scan: 1234: Scan not allowed. scan_ebusy_cnt: 3 Session 0 Reason 1`, busy, true},
		{`<3>[  340.123456] wlan: [1234:E:HDD] __wlan_hdd_cfg80211_scan: 1234: Scan not allowed. scan_ebusy_cnt: 3`, busy, true},
		{`[1266874889.709551] [20160609_11:27:20.938176]@1 wlan: [1232:E :HDD] __wlan_hdd_cfg80211_scan: 10064: Scan not allowed`, busy, true},
		{`[  340.2] [kworker/0:1][0x3b2ae3c1a][10:40:40.123456] wlan: [1234:E:HDD] __wlan_hdd_cfg80211_scan: 1234: scan reject threshold reached Session 0 Reason 1 count 10 reject timestamp 1 jiffies 2`,
			diagnostics.Event{Source: k, Kind: "note", Name: "qcacld scans refused too long: firmware restart"}, true},
		// The same words from another function, and HDD's other lines,
		// are not the scan refusal.
		{`[  340.123456] wlan: [1234:E:HDD] hdd_foo: 1234: Scan not allowed`, diagnostics.Event{}, false},
		{`[1266874889.709551] [20160609_11:27:20.938176]@1 wlan: [1232:E :HDD] hdd_wlan_register_ip6_notifier: 10064: Registered IPv6 notifier`, diagnostics.Event{}, false},
		// An app's "Scan not allowed" under a logcat tag is not the driver's.
		{`01-01 10:00:00.000  1000  1200 D MyScanner: Scan not allowed`, diagnostics.Event{}, false},
	}
	for _, tt := range tests {
		_, p, ok := parseLogcat(tt.line)
		if ok != tt.ok {
			t.Errorf("%q: ok %v, want %v (%+v)", tt.line, ok, tt.ok, p.ev)
			continue
		}
		if !ok {
			continue
		}
		p.ev.Time = tt.want.Time
		if diff := cmp.Diff(tt.want, p.ev); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.line, diff)
		}
	}
}

// TestQcacldVerdicts: refusals while a connection is set up are scan_busy
// only when nothing completes after; wpa_supplicant getting scan results
// after them is the decoy.
func TestQcacldVerdicts(t *testing.T) {
	busy := "[  340.100000] wlan: [1234:E:HDD] __wlan_hdd_cfg80211_scan: 1234: Scan not allowed. scan_ebusy_cnt: 1 Session 0 Reason 1\n" +
		"[  341.100000] wlan: [1234:E:HDD] __wlan_hdd_cfg80211_scan: 1234: Scan not allowed. scan_ebusy_cnt: 2 Session 0 Reason 1\n"
	if got := diagnoseString(t, busy).Class; got != diagnostics.ScanBusy {
		t.Errorf("refused: class %s, want scan_busy", got)
	}
	after := busy + "05-20 21:43:30.000  3082  3082 I wpa_supplicant: wlan0: CTRL-EVENT-SCAN-RESULTS \n"
	if got := diagnoseString(t, after).Class; got != diagnostics.None {
		t.Errorf("refused then results: class %s, want none", got)
	}
}
