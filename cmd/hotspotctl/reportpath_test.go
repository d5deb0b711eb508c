package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

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

// TestVerdictPrintedWhenReportCannotBeWritten: the report's directory
// disappears during the join: the summary (the verdict) is still printed,
// and the exit status says the report is missing.
func TestVerdictPrintedWhenReportCannotBeWritten(t *testing.T) {
	addr := nmtest.StartBus(t)
	fake := nmtest.New(t, addr, nmtest.Scenario{APs: []nmtest.AP{{SSID: []byte("Cafe"), BSSID: "02:00:00:00:01:00"}},
		// NetworkManager holds the activation until the directory is gone.
		OnActivate: slices.Concat(nmtest.Script{nmtest.Sleep(500 * time.Millisecond)}, nmtest.ScriptSuccess())})
	sub := filepath.Join(t.TempDir(), "reports")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	go func() {
		for len(fake.Activations()) == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		os.RemoveAll(sub)
	}()
	code, out, errs := runCLI(t, "", map[string]string{"DBUS_SYSTEM_BUS_ADDRESS": addr, "HOTSPOTCTL_NO_DAEMON": "1"},
		"join", "Cafe", "--report", filepath.Join(sub, "r.json"), "--timeout", "10s")
	if code != 1 || !strings.HasPrefix(out, `joined "Cafe"`) || !strings.Contains(errs, "write report") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1, the summary, and the write error", code, out, errs)
	}
}
