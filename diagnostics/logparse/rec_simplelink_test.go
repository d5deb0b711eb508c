package logparse

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// simpleLinkLines are TI SimpleLink example lines (the SDK examples'
// SimpleLinkWlanEventHandler / SimpleLinkNetAppEventHandler formats).
var simpleLinkLines = []struct {
	line string
	want []diagnostics.Event
	role role
}{
	{"[WLAN EVENT] STA Connected to the AP: guest , BSSID: 11:22:a1:b2:c3:d4",
		[]diagnostics.Event{{Source: "embedded", Kind: "supplicant_state", State: "completed", SSID: "guest"}}, roleNone},
	{"[WLAN EVENT] STA Connected to the AP: my net ,BSSID: 0:1e:58:aa:b:c",
		[]diagnostics.Event{{Source: "embedded", Kind: "supplicant_state", State: "completed", SSID: "my net"}}, roleNone},
	{"[NETAPP EVENT] IP Acquired: IP=192.168.1.5 , Gateway=192.168.1.1",
		[]diagnostics.Event{{Source: "embedded", Kind: "joined", Message: "got IP 192.168.1.5"}}, roleTerminal},
	{"[NETAPP EVENT] IP acquired by the device",
		[]diagnostics.Event{{Source: "embedded", Kind: "joined"}}, roleTerminal},
	// Printed on a healthy boot by Amazon FreeRTOS's CC3220SF demo: a note.
	{"Device disconnected from the AP on an ERROR..!! ",
		[]diagnostics.Event{{Source: "embedded", Kind: "note", Name: "simplelink: disconnected (no reason printed)"}}, roleNone},
	{"[WLAN ERROR] Device disconnected from the AP AP: guest, BSSID: 11:22:a1:b2:c3:d4 on an ERROR..!! ",
		[]diagnostics.Event{{Source: "embedded", Kind: "note", Name: "simplelink: disconnected (no reason printed)"}}, roleNone},
	{"[WLAN EVENT] Device disconnected from the AP: guest, BSSID: 11:22:a1:b2:c3:d4 on application's request ",
		[]diagnostics.Event{{Source: "embedded", Kind: "note", Name: "simplelink: disconnected on request"}}, roleNone},
	// Look-alikes: not an example's line.
	{"[NETAPP EVENT] IP Leased to Client: IP=192.168.1.2", nil, roleNone},
	{"user says: Device disconnected from the AP", nil, roleNone},
}

func TestSimpleLinkLines(t *testing.T) {
	for _, tt := range simpleLinkLines {
		got := parseSeq(tt.line)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.line, diff)
		}
		if _, r, _ := parseOne(tt.line); tt.want != nil && r != tt.role {
			t.Errorf("%q: role %d, want %d", tt.line, r, tt.role)
		}
	}
}

func TestSimpleLinkDiagnose(t *testing.T) {
	// The FreeRTOS CC3220SF demo's console on a working board.
	rep := diagnoseText(t,
		"Device came up in Station mode",
		"Device disconnected from the AP on an ERROR..!! ",
		"[WLAN EVENT] STA Connected to the AP: Guest , BSSID: 11:22:a1:b2:c3:d4",
		"[NETAPP EVENT] IP acquired by the device",
		"Device has connected to Guest",
	)
	if rep.Class != diagnostics.None {
		t.Errorf("class %s, want none (%+v)", rep.Class, rep.Attempts)
	}
}
