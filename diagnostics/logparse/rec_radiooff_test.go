package logparse

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Radio and device lines of four tools, written from their sources:
// systemd-networkd's link-up handler (networkd-setlink.c), OpenWrt's
// /sbin/wifi, macOS networksetup's -getairportnetwork and impala's rfkill
// check (src/rfkill.rs).
func TestRadioOffLines(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []diagnostics.Event
	}{
		{"networkd, rfkill", []string{"Dec 01 10:00:00 pi systemd-networkd[300]: wlan0: Could not bring up interface, ignoring: Operation not possible due to RF-kill"},
			[]diagnostics.Event{{Source: "kernel", Kind: "radio", OK: no, Iface: "wlan0", Name: "rfkill-blocked (systemd-networkd could not bring the interface up)"}}},
		{"networkd before v251, I/O error", []string{"Dec 01 10:00:00 pi systemd-networkd[300]: wlan0: Could not bring up interface: Input/output error"},
			[]diagnostics.Event{{Source: "kernel", Kind: "device", OK: no, Iface: "wlan0", Name: "unavailable (systemd-networkd could not bring the interface up: Input/output error)"}}},
		{"networkd, a wired link", []string{"Dec 01 10:00:00 pi systemd-networkd[300]: eth0: Could not bring up interface: Input/output error"}, nil},
		{"OpenWrt wifi", []string{"'radio0' is disabled"},
			[]diagnostics.Event{{Source: "kernel", Kind: "radio", OK: no, Iface: "radio0", Name: diagnostics.RadioConfigDisabled}}},
		{"not a radio", []string{"'ssh' is disabled"}, nil},
		{"impala, soft", []string{"The wifi device is soft blocked"}, []diagnostics.Event{{Source: "rfkill", Kind: "radio", OK: no, Name: "soft-blocked"}}},
		{"impala, hard", []string{"The wifi device is hard blocked"}, []diagnostics.Event{{Source: "rfkill", Kind: "radio", OK: no, Name: "hard-blocked"}}},
		{"networksetup, power off", []string{"Wi-Fi power is currently off."},
			[]diagnostics.Event{{Source: "apple", Kind: "radio", OK: no, Name: "Wi-Fi power off"}}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, parseSeq(tt.lines...)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	verdicts := []struct {
		name  string
		lines []string
		want  diagnostics.Class
	}{
		{"networkd", []string{"Dec 01 10:00:00 pi systemd-networkd[300]: wlan0: Could not bring up interface, ignoring: Operation not possible due to RF-kill"}, diagnostics.RadioOff},
		// The user unblocked it: the radio is on now.
		{"networkd, then unblocked", []string{
			"Dec 01 10:00:00 pi systemd-networkd[300]: wlan0: Could not bring up interface, ignoring: Operation not possible due to RF-kill",
			"$ rfkill list", "0: phy0: Wireless LAN", "\tSoft blocked: no", "\tHard blocked: no",
		}, diagnostics.None},
		{"OpenWrt", []string{"$ wifi", "'radio0' is disabled"}, diagnostics.RadioOff},
		{"networksetup", []string{"$ networksetup -getairportnetwork en0", "You are not associated with an AirPort network.", "Wi-Fi power is currently off."}, diagnostics.RadioOff},
	}
	for _, tt := range verdicts {
		if rep := diagnoseText(t, tt.lines...); rep.Class != tt.want {
			t.Errorf("%s: class %s, want %s (%+v)", tt.name, rep.Class, tt.want, rep.Attempts)
		}
	}
}
