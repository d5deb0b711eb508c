package logparse

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// TestScanTriggerErrnos: the errno of a scan trigger wpa_supplicant's
// driver refused decides between a busy radio (a refused scan), a device
// that is down or gone, and a killed radio (wpaScanErrno). Each line is the
// upstream format string instantiated: wpa_supplicant/scan.c
// wpas_trigger_scan_cb (CTRL-EVENT-SCAN-FAILED), src/drivers/
// driver_nl80211_scan.c wpa_driver_nl80211_scan ("Scan trigger failed"),
// src/drivers/driver_wext.c wpa_driver_wext_scan (SIOCSIWSCAN).
func TestScanTriggerErrnos(t *testing.T) {
	f := diagnostics.Bool(false)
	wpa := diagnostics.SourceSupplicant
	for _, tc := range []struct {
		line string
		want diagnostics.Event
	}{
		{"wlan0: CTRL-EVENT-SCAN-FAILED ret=-16 retry=1",
			diagnostics.Event{Source: wpa, Kind: diagnostics.KindScanBusy, Code: -16, Name: "EBUSY", Iface: "wlan0"}},
		{"wlan0: CTRL-EVENT-SCAN-FAILED ret=-11 retry=1",
			diagnostics.Event{Source: wpa, Kind: diagnostics.KindScanBusy, Code: -11, Name: "EAGAIN", Iface: "wlan0"}},
		{"wlan0: CTRL-EVENT-SCAN-FAILED ret=-100 retry=1",
			diagnostics.Event{Source: wpa, Kind: diagnostics.KindNote, Code: -100, Name: "scan refused: interface down (ENETDOWN)", Iface: "wlan0"}},
		{"wlan0: CTRL-EVENT-SCAN-FAILED ret=-19",
			diagnostics.Event{Source: wpa, Kind: diagnostics.KindDevice, OK: f, Code: -19, Name: "missing", Iface: "wlan0"}},
		{"wlan0: CTRL-EVENT-SCAN-FAILED ret=-132 retry=1",
			diagnostics.Event{Source: diagnostics.SourceRfkill, Kind: diagnostics.KindRadio, OK: f, Code: -132, Name: "rfkill-blocked (scan refused)", Iface: "wlan0"}},
		{"wlan0: CTRL-EVENT-SCAN-FAILED ret=-1",
			diagnostics.Event{Source: wpa, Kind: diagnostics.KindScanDone, OK: f, Code: -1, Iface: "wlan0"}},
		{"wlan0: CTRL-EVENT-SCAN-FAILED ret=-95",
			diagnostics.Event{Source: wpa, Kind: diagnostics.KindScanDone, OK: f, Code: -95, Iface: "wlan0"}},
		{"nl80211: Scan trigger failed: ret=-100 (Network is down)",
			diagnostics.Event{Source: wpa, Kind: diagnostics.KindNote, Code: -100, Name: "scan refused: interface down (ENETDOWN)"}},
		{"nl80211: Scan trigger failed: ret=-11 (Resource temporarily unavailable)",
			diagnostics.Event{Source: wpa, Kind: diagnostics.KindScanBusy, Code: -11, Name: "EAGAIN"}},
		{"nl80211: Scan trigger failed: ret=-22 (Invalid argument)",
			diagnostics.Event{Source: wpa, Kind: diagnostics.KindScanDone, OK: f, Code: -22}},
		{"Jan 10 10:00:00 host wpa_supplicant[900]: ioctl[SIOCSIWSCAN]: Device or resource busy",
			diagnostics.Event{Source: wpa, Kind: diagnostics.KindScanBusy, Code: -16, Name: "EBUSY"}},
		{"Jan 10 10:00:00 host wpa_supplicant[900]: ioctl[SIOCSIWSCAN]: Network is down",
			diagnostics.Event{Source: wpa, Kind: diagnostics.KindNote, Code: -100, Name: "scan refused: interface down (ENETDOWN)"}},
		{"Jan 10 10:00:00 host wpa_supplicant[900]: ioctl[SIOCSIWSCAN]: Resource temporarily unavailable",
			diagnostics.Event{Source: wpa, Kind: diagnostics.KindScanBusy, Code: -11, Name: "EAGAIN"}},
		{"Jan 10 10:00:00 host wpa_supplicant[900]: ioctl[SIOCSIWSCAN]: Operation not supported",
			diagnostics.Event{Source: wpa, Kind: diagnostics.KindScanDone, OK: f}},
		{"Jan 10 10:00:00 host wpa_supplicant[900]: Ongoing scan action - reject new request",
			diagnostics.Event{Source: wpa, Kind: diagnostics.KindScanBusy, Name: diagnostics.ScanDeferred}},
		{"Jan 10 10:00:00 host wpa_supplicant[900]: Pending scan scheduled - reject new request",
			diagnostics.Event{Source: wpa, Kind: diagnostics.KindScanBusy, Name: diagnostics.ScanDeferred}},
		{"06-23 10:00:03.426  1177  1177 I wpa_supplicant: Ongoing scan action - reject new request (wpa_state=3)(scanning=1)",
			diagnostics.Event{Source: wpa, Kind: diagnostics.KindScanBusy, Name: diagnostics.ScanDeferred}},
	} {
		got, _, ok := parseOne(tc.line)
		if !ok {
			t.Errorf("%q not recognised", tc.line)
			continue
		}
		if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(diagnostics.Event{}, "Time", "Message", "Line")); diff != "" {
			t.Errorf("%q (-want +got)\n%s", tc.line, diff)
		}
	}
}

// TestScanRefusalVerdicts: what a log of refused scans is diagnosed as.
// Refusals for a busy radio with nothing after them are scan_busy; the
// same refusals followed by a join that succeeds are no failure; a scan
// the kernel refused because the interface was down for a moment is
// neither "blocked by other activity" nor a failure: what follows decides.
func TestScanRefusalVerdicts(t *testing.T) {
	const (
		busy = "Jan 10 10:00:00 host wpa_supplicant[900]: wlan0: CTRL-EVENT-SCAN-FAILED ret=-16 retry=1\n" +
			"Jan 10 10:00:05 host wpa_supplicant[900]: wlan0: CTRL-EVENT-SCAN-FAILED ret=-16 retry=1\n"
		joined = "Jan 10 10:00:10 host wpa_supplicant[900]: wlan0: CTRL-EVENT-SCAN-RESULTS \n" +
			"Jan 10 10:00:11 host wpa_supplicant[900]: wlan0: CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00 completed [id=0 id_str=]\n"
		down = "Jan 10 10:00:00 host wpa_supplicant[900]: wlan0: CTRL-EVENT-SCAN-FAILED ret=-100 retry=1\n" +
			"Jan 10 10:00:01 host wpa_supplicant[900]: wlan0: CTRL-EVENT-SCAN-FAILED ret=-100 retry=1\n"
		nmNotFound = "Jan 10 10:00:25 host NetworkManager[612]: <info>  [1704880825.1] device (wlan0): state change: config -> failed (reason 'ssid-not-found', sys-iface-state: 'managed')\n"
		scanned    = "Jan 10 10:00:03 host wpa_supplicant[900]: wlan0: CTRL-EVENT-SCAN-RESULTS \n"
		nmDeferred = "Jan 10 10:00:00 host NetworkManager[612]: <info>  [1704880800.1] device (wlan0): Activation: starting connection 'Home' (4c3f)\n" +
			"Jan 10 10:00:01 host NetworkManager[612]: <trace> [1704880801.1] device[5b3c0ab5d2cfe4a1] (wlan0): wifi-scan: kickoff: don't scan (explicit scan requested but not allowed)\n" +
			"Jan 10 10:00:02 host NetworkManager[612]: <trace> [1704880802.1] device[5b3c0ab5d2cfe4a1] (wlan0): wifi-scan: kickoff: don't scan (explicit scan requested but not allowed)\n"
		nmJoined = "Jan 10 10:00:05 host NetworkManager[612]: <info>  [1704880805.1] device (wlan0): Activation: successful, device activated.\n"
	)
	for _, tc := range []struct {
		name, log string
		want      diagnostics.Class
	}{
		{"busy refusals alone", busy, diagnostics.ScanBusy},
		{"busy refusals, then a scan and a join", busy + joined, diagnostics.None},
		{"busy refusals, then ssid-not-found", busy + nmNotFound, diagnostics.ScanBusy},
		// The link down for a moment (NetworkManager changing the MAC
		// address): not busy, not a failure; the scan after it decides.
		{"scans refused with the interface down, then a scan that completes and ssid-not-found", down + scanned + nmNotFound, diagnostics.NotFound},
		{"scans refused with the interface down, then ssid-not-found", down + nmNotFound, diagnostics.NotFound},
		{"scans refused with the interface down, then a join", down + joined, diagnostics.None},
		{"NetworkManager defers a requested scan while activating, then joins", nmDeferred + nmJoined, diagnostics.None},
	} {
		rep, err := Diagnose(context.Background(), strings.NewReader(tc.log), Options{Year: 2024})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Class != tc.want {
			t.Errorf("%s: class %s, want %s (%s)", tc.name, rep.Class, tc.want, rep.Detail)
		}
	}
}
