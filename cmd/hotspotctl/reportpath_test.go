package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotspotctl/hotspotctl/nm/nmtest"
)

// TestReportDirectoryRefused: --report naming an existing directory used to
// pass the early check; the join ran and its report was lost (issue 8). It is
// refused before NetworkManager is asked anything.
func TestReportDirectoryRefused(t *testing.T) {
	addr := nmtest.StartBus(t)
	fake := nmtest.New(t, addr, nmtest.Scenario{APs: []nmtest.AP{{SSID: []byte("Cafe"), BSSID: "02:00:00:00:01:00"}}})
	dir := t.TempDir()
	for _, p := range []string{dir, dir + "/", filepath.Join(dir, ".")} {
		code, out, errs := runCLI(t, "", map[string]string{"DBUS_SYSTEM_BUS_ADDRESS": addr, "HOTSPOTCTL_NO_DAEMON": "1"},
			"join", "Cafe", "--report", p, "--timeout", "10s")
		want := "--report: " + p + " is a directory; give a file name"
		if code != 2 || !strings.Contains(errs, want) || out != "" {
			t.Errorf("--report %s: exit %d, stdout %q, stderr %q; want exit 2 with %q", p, code, out, errs, want)
		}
	}
	if n, s := len(fake.Activations()), len(fake.ScanRequests()); n != 0 || s != 0 {
		t.Errorf("NetworkManager was used: %d activations, %d scan requests", n, s)
	}
}
