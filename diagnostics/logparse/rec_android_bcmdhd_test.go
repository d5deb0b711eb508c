package logparse

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// TestBcmdhdLines: bcmdhd's WL_ERR lines (rec_android_bcmdhd.go), each
// built from wl_cfgscan.c's format strings, in the envelopes real pastes
// show (dmesg, "[dhd] " and "BCM:" vendor prefixes, syslog's "kernel:", the
// split header of older trees; see tuning-sources/andr.txt).
func TestBcmdhdLines(t *testing.T) {
	f := diagnostics.Bool(false)
	k := diagnostics.SourceKernel
	tests := []struct {
		line string
		want diagnostics.Event
		ok   bool
	}{
		{`[  100.100000] CFG80211-ERROR) wl_cfg80211_scan : scan error (-16)`,
			diagnostics.Event{Source: k, Kind: "scan_busy", Name: "bcmdhd EBUSY", Code: -16}, true},
		{`[  100.100000] CFG80211-ERROR) wl_cfg80211_scan : scan error (-11)`,
			diagnostics.Event{Source: k, Kind: "scan_busy", Name: "bcmdhd EAGAIN", Code: -11}, true},
		{`[  100.100000] CFG80211-ERROR) wl_cfg80211_scan : scan error (-19)`,
			diagnostics.Event{Source: k, Kind: "scan_done", OK: f, Name: "bcmdhd scan error", Code: -19}, true},
		{`[  100.100000] CFG80211-ERROR) __wl_cfg80211_scan : WLC_SCAN error (-16)`,
			diagnostics.Event{Source: k, Kind: "scan_busy", Name: "bcmdhd EBUSY", Code: -16}, true},
		{`[  5.972129] [dhd-wlan0] CFG80211-ERROR) is_scan_allowed : Scanning already`,
			diagnostics.Event{Source: k, Kind: "scan_busy", Name: "bcmdhd scanning already", Code: -11}, true},
		{`[  5.972129] [dhd] CFG80211-ERROR) is_scan_allowed : Association is in progress, skip new scan`,
			diagnostics.Event{Source: k, Kind: "scan_busy", Name: "bcmdhd association in progress", Code: -11}, true},
		{`Jun 17 07:25:29 box user.info kernel: CFG80211-ERROR) __wl_cfg80211_scan : scan not permitted!`,
			diagnostics.Event{Source: k, Kind: "scan_busy", Name: "bcmdhd scan not permitted", Code: -11}, true},
		{`<6>[  340.123456] CFG80211-ERROR) wl_cfgscan_handle_scanbusy : Scan err = (-16), busy?-16`,
			diagnostics.Event{Source: k, Kind: "scan_busy", Name: "bcmdhd firmware busy", Code: -16}, true},
		{`[  340.123456] CFG80211-ERROR) wl_cfgscan_handle_scanbusy : Scan not permitted due to scan suppress`,
			diagnostics.Event{Source: k, Kind: "scan_busy", Name: "bcmdhd scan suppressed", Code: -1}, true},
		{`[  340.123456] CFG80211-ERROR) wl_cfgscan_handle_scanbusy : scan busy due to csa in progress`,
			diagnostics.Event{Source: k, Kind: "scan_busy", Name: "bcmdhd channel switch in progress", Code: -11}, true},
		{`[ 3129.713940] BCM:6CFG80211-ERROR) __wl_cfg80211_scan : system busy : scan for "test" canceled`,
			diagnostics.Event{Source: k, Kind: "scan_busy", Name: "bcmdhd system busy", Code: -16}, true},
		{`[   15.221661] CFG80211-ERROR) wl_run_escan :  Escan set error (-37)`,
			diagnostics.Event{Source: k, Kind: "scan_done", OK: f, Name: "bcmdhd escan refused", Code: -37}, true},
		{`[   15.221661] CFG80211-ERROR) wl_run_escan :  Escan set error (-16)`,
			diagnostics.Event{Source: k, Kind: "scan_busy", Name: "bcmdhd firmware busy", Code: -16}, true},
		{`[  400.000000] CFG80211-ERROR) wl_scan_timeout : timer expired`,
			diagnostics.Event{Source: k, Kind: "scan_done", OK: f, Name: "bcmdhd scan timeout"}, true},
		// Older trees: the header and the text on records of their own.
		// The header is dropped; a text no other program prints is read.
		{`[   15.221661] CFG80211-ERROR) wl_run_escan : `, diagnostics.Event{}, false},
		{`[   15.221664]  Escan set error (-37)`,
			diagnostics.Event{Source: k, Kind: "scan_done", OK: f, Name: "bcmdhd escan refused", Code: -37}, true},
		// A bare "scan error (-11)" is not read without its header.
		{`[   15.241059] scan error (-11)`, diagnostics.Event{}, false},
		// bcmdhd's other errors say nothing about a join.
		{`[    5.972129] [dhd] CFG80211-ERROR) wl_cfg80211_event : Event handler is not created (WLC_E_COUNTRY_CODE_CHANGED)`, diagnostics.Event{}, false},
		{`Jun 17 07:25:29 box user.info kernel: CFG80211-ERROR) wl_is_linkdown : Link down Reason : WLC_E_LINK`, diagnostics.Event{}, false},
		{`[  4.614970] CFG80211-ERROR) wl_event_handler : tsk Enter, tsk = 0xf5fc1540`, diagnostics.Event{}, false},
		{`[ 3129.713940] BCM:6CFG80211-ERROR) wl_cfg80211_connect : BCM:Connectting withff:ff:ff:ff:ff:ff channel (0) ssid "test", len (4)`, diagnostics.Event{}, false},
		// A "timer expired" that is not the scan timer's.
		{`[  400.000000] CFG80211-ERROR) wl_roam_timeout : timer expired`, diagnostics.Event{}, false},
		// brcmfmac's own "Scanning already" stays brcmfmac's (rec_driver.go).
		{`[  12.0] brcmfmac: brcmf_cfg80211_scan: Scanning already: status (4)`,
			diagnostics.Event{Source: k, Kind: "scan_busy", Name: "brcmfmac Scanning already", Code: -11}, true},
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

// TestBcmdhdVerdicts: refused scans with nothing after are scan_busy; the
// same refusals followed by a join the driver went on with, or by a scan
// wpa_supplicant got results of, are not (decoys).
func TestBcmdhdVerdicts(t *testing.T) {
	busy := strings.Join([]string{
		`[  100.100000] CFG80211-ERROR) is_scan_allowed : Scanning already`,
		`[  100.100010] CFG80211-ERROR) __wl_cfg80211_scan : scan not permitted!`,
		`[  100.100020] CFG80211-ERROR) wl_cfg80211_scan : scan error (-11)`,
		`[  105.100000] CFG80211-ERROR) wl_cfgscan_handle_scanbusy : Scan err = (-16), busy?-16`,
		`[  105.100010] CFG80211-ERROR) wl_cfg80211_scan : scan error (-16)`,
	}, "\n") + "\n"
	tests := []struct {
		name, in string
		want     diagnostics.Class
	}{
		{"refused", busy, diagnostics.ScanBusy},
		{"refused then joined", busy + "[  110.000000] wlan0: authenticate with 02:00:00:00:01:00\n" +
			"[  110.010000] wlan0: associated\n", diagnostics.None},
		{"refused then scan results", busy + "05-20 21:43:30.000  3082  3082 I wpa_supplicant: wlan0: CTRL-EVENT-SCAN-RESULTS \n", diagnostics.None},
		// wificond's view of the same refusal on a phone: EAGAIN in
		// bionic's words, then a scan that completed (the decoy).
		{"wificond EAGAIN", "05-20 21:34:20.433 E/wificond(1499): NL80211_CMD_TRIGGER_SCAN failed: Try again\n", diagnostics.ScanBusy},
		{"wificond EAGAIN then results", "05-20 21:34:20.433 E/wificond(1499): NL80211_CMD_TRIGGER_SCAN failed: Try again\n" +
			"05-20 21:34:22.433 D/WifiNative(1764): Scan result ready event\n", diagnostics.None},
	}
	for _, tt := range tests {
		rep := diagnoseString(t, tt.in)
		if got := rep.Class; got != tt.want {
			t.Errorf("%s: class %s, want %s", tt.name, got, tt.want)
		}
	}
}

// androidVendorSeeds are fuzz seeds for the vendor drivers' and the new
// logcat envelope's shapes (FuzzParseLine).
var androidVendorSeeds = []string{
	`[  100.100000] CFG80211-ERROR) wl_cfg80211_scan : scan error (-16)`,
	`[   15.221661] CFG80211-ERROR) wl_run_escan : `,
	`[   15.221664]  Escan set error (-37)`,
	`[  5.972129] [dhd-wlan0] CFG80211-ERROR) is_scan_allowed : Scanning already`,
	`[ 3129.713940] BCM:6CFG80211-ERROR) __wl_cfg80211_scan : system busy : scan for "test" canceled`,
	`[  340.123456] wlan: [1234:E:HDD] __wlan_hdd_cfg80211_scan: 1234: Scan not allowed. scan_ebusy_cnt: 3 Session 0 Reason 1`,
	`[1266874889.709551] [20160609_11:27:20.938176]@1 wlan: [1232:E :HDD] __wlan_hdd_cfg80211_scan: 10064: Scan not allowed`,
	`E( 1499) NL80211_CMD_TRIGGER_SCAN failed: Try again  (wificond)`,
	`D( wifi: 1698) Scan result ready event  (WifiNative)`,
}
