package main

import (
	"encoding/json"
	"fmt"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/nm/nmtest"
)

// controlRunes lists the control and format runes in s (what a terminal
// could act on), for the assertion messages.
func controlRunes(s string) []string {
	var out []string
	for _, r := range s {
		if r != '\n' && r != '\t' && unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp) {
			out = append(out, fmt.Sprintf("%U", r))
		}
	}
	return out
}

// TestHostileSSIDsEscapedInHumanOutput: SSIDs with C1 controls (U+009B
// CSI), bidi overrides (U+202E) and line separators reach neither `scan`'s
// table nor the join summary; the JSON keeps the bytes in ssid_hex
// (issue 8 item 17).
func TestHostileSSIDsEscapedInHumanOutput(t *testing.T) {
	csi := "Lab\u009b2J"
	bidi := "Free\u202eiFiW"
	sep := "a\u2028b"
	addr := nmtest.StartBus(t)
	nmtest.New(t, addr, nmtest.Scenario{APs: []nmtest.AP{
		{SSID: []byte(csi), BSSID: "02:00:00:00:01:00"},
		{SSID: []byte(bidi), BSSID: "02:00:00:00:02:00"},
		{SSID: []byte(sep), BSSID: "02:00:00:00:03:00"},
	}, OnActivate: nmtest.ScriptSSIDNotFound(0)})
	env := map[string]string{"DBUS_SYSTEM_BUS_ADDRESS": addr, "HOTSPOTCTL_NO_DAEMON": "1"}

	code, stdout, stderr := runCLI(t, "", env, "scan")
	if code != 0 {
		t.Fatalf("scan exit %d: %s", code, stderr)
	}
	if got := controlRunes(stdout + stderr); len(got) != 0 {
		t.Errorf("scan printed control or format runes %v:\n%s", got, stdout)
	}
	code, stdout, _ = runCLI(t, "", env, "scan", "--json")
	var out scanOutput
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("scan --json (exit %d): %v", code, err)
	}
	var hexes []string
	for _, b := range out.BSSes {
		hexes = append(hexes, b.SSIDHex)
	}
	want := []string{diagnostics.SSIDHex([]byte(csi)), diagnostics.SSIDHex([]byte(bidi)), diagnostics.SSIDHex([]byte(sep))}
	if diff := cmp.Diff(want, hexes, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("scan --json ssid_hex (-want +got):\n%s", diff)
	}

	// The join summary and the progress lines.
	_, stdout, stderr = runCLI(t, "", env, "join", bidi, "--once", "--timeout", "6s", "--scan-window", "1s", "--attempts", "1")
	if got := controlRunes(stdout + stderr); len(got) != 0 {
		t.Errorf("join printed control or format runes %v:\nstdout: %s\nstderr: %s", got, stdout, stderr)
	}
}
