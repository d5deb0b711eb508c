package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/nm/nmtest"
)

// TestVerdictKeptWhenPassphraseIsOrdinaryText: a passphrase equal to the SSID
// (common on guest networks) or to a word every report contains is not a
// leak, and a successful join exits 0 with its report (issue 8 item 15; the
// CLI used to exit 1, "report contains a secret").
func TestVerdictKeptWhenPassphraseIsOrdinaryText(t *testing.T) {
	for _, tc := range []struct{ name, ssid, pass string }{
		{"passphrase is the SSID", "GuestWiFi", "GuestWiFi"},
		{"passphrase is a report word", "Lab", "activated"},
		{"passphrase is a class", "Lab", "none-none"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := nmtest.StartBus(t)
			nmtest.New(t, addr, nmtest.Scenario{APs: []nmtest.AP{{SSID: []byte(tc.ssid), BSSID: "02:00:00:00:01:00", RsnFlags: nmtest.RsnWPA2PSK}}})
			pf := filepath.Join(t.TempDir(), "pass")
			if err := os.WriteFile(pf, []byte(tc.pass+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			rp := filepath.Join(t.TempDir(), "report.json")
			code, stdout, stderr := runCLI(t, "", map[string]string{"DBUS_SYSTEM_BUS_ADDRESS": addr, "HOTSPOTCTL_NO_DAEMON": "1"},
				"join", tc.ssid, "--passphrase-file", pf, "--json", "--report", rp, "--timeout", "20s")
			var rep diagnostics.Report
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("no report on stdout (exit %d): %v\nstderr: %s", code, err, stderr)
			}
			got := []any{code, rep.Class, rep.SSID}
			if diff := cmp.Diff([]any{0, diagnostics.None, tc.ssid}, got); diff != "" {
				t.Errorf("exit, class, ssid (-want +got):\n%s\nstderr: %s", diff, stderr)
			}
			if b, err := os.ReadFile(rp); err != nil || string(b) != stdout {
				t.Errorf("--report file: %v; want the same report as stdout", err)
			}
		})
	}
}
