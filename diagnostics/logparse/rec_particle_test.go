package logparse

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// particleLines: Device OS system_network_internal.h messages in the log
// handler's form, with and without a serial monitor's stamp.
var particleLines = []struct {
	line string
	want []diagnostics.Event
	role role
}{
	{"0000004998 [system] INFO: ARM_WLAN_WD 1",
		[]diagnostics.Event{{Source: "embedded", Kind: "activation_start", Name: "particle connect"}}, roleStartRequest},
	{"8626 - 0000006533 [system] INFO: ARM_WLAN_WD 2",
		[]diagnostics.Event{{Source: "embedded", Kind: "supplicant_state", State: "completed"}}, roleNone},
	{"8630 - 0000006533 [system] INFO: CLR_WLAN_WD 1, DHCP success",
		[]diagnostics.Event{{Source: "embedded", Kind: "joined"}}, roleTerminal},
	{"0000467823 [system] WARN: Resetting WLAN due to WLAN_WD_TO()",
		[]diagnostics.Event{{Source: "embedded", Kind: "deadline", Name: "particle WLAN watchdog"}}, roleTerminal},
	// Logged while the network is switched off after the reset: a note.
	{"0000467913 [system] INFO: DHCP fail, ARM_WLAN_WD 4",
		[]diagnostics.Event{{Source: "embedded", Kind: "note", Name: "particle: DHCP fail, ARM_WLAN_WD 4"}}, roleNone},
	{"0000159318 [system] INFO: ARM_WLAN_WD 3",
		[]diagnostics.Event{{Source: "embedded", Kind: "note", Name: "particle: ARM_WLAN_WD 3"}}, roleNone},
	{"321869 - 0000021941 [system] WARN: Resetting WLAN due to 2 failed connect attempts",
		[]diagnostics.Event{{Source: "embedded", Kind: "note", Name: "particle: Resetting WLAN due to 2 failed connect attempts"}}, roleNone},
	// Look-alikes: the cloud's lines, another program's "[system]".
	{"0000006535 [system] INFO: Cloud: connecting", nil, roleNone},
	{"Mar 10 12:00:02 host kernel: [system] INFO: ARM_WLAN_WD 1", nil, roleNone},
}

func TestParticleLines(t *testing.T) {
	for _, tt := range particleLines {
		got := parseSeq(tt.line)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.line, diff)
		}
		if _, r, _ := parseOne(tt.line); tt.want != nil && r != tt.role {
			t.Errorf("%q: role %d, want %d", tt.line, r, tt.role)
		}
	}
}

func TestParticleDiagnose(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  diagnostics.Class
	}{
		{"joined", []string{
			"0000000017 [system] INFO: Device xxx started",
			"0000004998 [system] INFO: ARM_WLAN_WD 1",
			"0000006533 [system] INFO: ARM_WLAN_WD 2",
			"0000006533 [system] INFO: CLR_WLAN_WD 1, DHCP success",
			"0000006535 [system] INFO: Cloud: connecting",
		}, diagnostics.None},
		{"watchdog", []string{
			"0000004998 [system] INFO: ARM_WLAN_WD 1",
			"0000034998 [system] WARN: Resetting WLAN due to WLAN_WD_TO()",
			"0000035088 [system] INFO: DHCP fail, ARM_WLAN_WD 4",
		}, diagnostics.Timeout},
	}
	for _, tt := range tests {
		if rep := diagnoseText(t, tt.lines...); rep.Class != tt.want {
			t.Errorf("%s: class %s, want %s (%+v)", tt.name, rep.Class, tt.want, rep.Attempts)
		}
	}
}
