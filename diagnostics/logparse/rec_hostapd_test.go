package logparse

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// hostapdLines are written in hostapd 2.10's formats: control events
// (src/common/wpa_ctrl.h AP_* prefixes, "IFACE: EVENT ADDR") and
// hostapd_logger lines (hostapd/main.c hostapd_logger_cb, "IFACE: STA ADDR
// MODULE: text"), as syslog, OpenWrt's logread and a bare paste show them.
var hostapdLines = []string{
	"Mon Jan  6 10:00:01 2025 daemon.notice hostapd: wlan1-1: AP-STA-POSSIBLE-PSK-MISMATCH 5c:cf:7f:01:02:03",
	"hostapd: wlan0: AP-REJECTED-MAX-STA 02:00:00:00:00:01",
	"Jan  6 10:00:05 pi hostapd[512]: wlan0: AP-STA-CONNECTED 02:00:00:00:00:01",
	"wlan0: AP-STA-DISCONNECTED 02:00:00:00:00:01",
	"Jan  6 10:00:04 pi hostapd[512]: wlan0: STA 02:00:00:00:00:01 IEEE 802.11: associated (aid 1)",
	"Jan  6 10:00:05 pi hostapd[512]: wlan0: STA 02:00:00:00:00:01 WPA: pairwise key handshake completed (RSN)",
}

func TestHostapdLines(t *testing.T) {
	want := [][]diagnostics.Event{
		{{Source: "hostapd", Kind: "psk_mismatch", Iface: "wlan1-1", Message: "station 5c:cf:7f:01:02:03"}},
		{{Source: "hostapd", Kind: "auth_status", Code: 17, Iface: "wlan0",
			Message: "station 02:00:00:00:00:01: " + diagnostics.StatusCodeText(17)}},
		{{Source: "hostapd", Kind: "note", Name: "station connected", Iface: "wlan0", Message: "station 02:00:00:00:00:01"}},
		{{Source: "hostapd", Kind: "note", Name: "station disconnected", Iface: "wlan0", Message: "station 02:00:00:00:00:01"}},
		{{Source: "hostapd", Kind: "note", Name: "station associated", Iface: "wlan0", Message: "station 02:00:00:00:00:01"}},
		{{Source: "hostapd", Kind: "note", Name: "station handshake completed", Iface: "wlan0", Message: "station 02:00:00:00:00:01"}},
	}
	for i, l := range hostapdLines {
		if diff := cmp.Diff(want[i], parseSeq(l)); diff != "" {
			t.Errorf("%q (-want +got):\n%s", l, diff)
		}
	}
	// hostapd's other logger lines are its own and say nothing here.
	if got := parseSeq("Jan  6 10:00:04 pi hostapd[512]: wlan0: STA 02:00:00:00:00:01 IEEE 802.1X: authorizing port"); got != nil {
		t.Errorf("802.1X line gave %+v", got)
	}
}

func TestHostapdDiagnose(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  diagnostics.Class
	}{
		// github.com/esp8266/Arduino issue 8233 pairs them: the station says
		// only "reason 2", the AP says the key did not match.
		{"the AP says the passphrase did not match", []string{hostapdLines[0]}, diagnostics.WrongKey},
		{"the AP is full", []string{hostapdLines[1]}, diagnostics.AssocRejected},
		{"a station that joined", []string{hostapdLines[4], hostapdLines[5], hostapdLines[2]}, diagnostics.None},
		// A repeater's log: its own station fails to authenticate while a
		// client of its AP connects; the client is not the join.
		{"a client of the AP connecting after the station's own failure", []string{
			"Mon Jan  6 10:00:01 2025 kern.info kernel: [  120.889881] wlan0: authentication with 14:cc:20:91:94:41 timed out",
			"Mon Jan  6 10:00:02 2025 daemon.notice hostapd: wlan1: AP-STA-CONNECTED 02:00:00:00:00:01"}, diagnostics.AssocRejected},
	}
	for _, tt := range tests {
		if rep := diagnoseText(t, tt.lines...); rep.Class != tt.want {
			t.Errorf("%s: class %s, want %s (%+v)", tt.name, rep.Class, tt.want, rep.Attempts)
		}
	}
}

func TestLogreadEnvelope(t *testing.T) {
	lp := newLineParser(2024)
	li, ok := lp.split([]byte("Tue Jan  9 08:37:32 2018 daemon.notice hostapd[12]: wlan1-1: AP-STA-CONNECTED 5c:cf:7f:01:02:03"))
	if !ok {
		t.Fatal("not split")
	}
	got := []string{li.t.Format(time.RFC3339), li.prog, li.msg}
	want := []string{"2018-01-09T08:37:32Z", "hostapd", "wlan1-1: AP-STA-CONNECTED 5c:cf:7f:01:02:03"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	// A ctime stamp without a facility is not logread's.
	li, _ = lp.split([]byte("Tue Jan  9 08:37:32 2018 hostapd: wlan0: AP-STA-CONNECTED 5c:cf:7f:01:02:03"))
	if li.prog == "hostapd" && !li.t.IsZero() {
		t.Errorf("taken as logread: %+v", li)
	}
}
