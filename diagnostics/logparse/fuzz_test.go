package logparse

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// seedLines adds every line of the corpus and of attemptLog as seeds.
func seedLines(f *testing.F) {
	files, _ := filepath.Glob("testdata/corpus/*")
	wild, _ := filepath.Glob("testdata/wild/*")
	files = append(files, wild...)
	for _, name := range files {
		if strings.HasSuffix(name, ".src") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			f.Add(l)
		}
	}
	for _, l := range attemptLog() {
		f.Add(l)
	}
	// Formats with no sample in the corpora beyond one line each.
	for _, l := range hostapdLines {
		f.Add(l)
	}
	for _, l := range androidVendorSeeds {
		f.Add(l)
	}
	f.Add("[1737121661.292380][835545:835546] CHIP:DL: wpa_supplicant:PropertiesChanged:key:AssocStatusCode -> 16")
	for _, c := range append(driverCases(), kernelCases()...) {
		f.Add(c.line)
	}
	for _, l := range driverLookAlikes {
		f.Add(l)
	}
	for _, l := range linuxDaemonSeeds {
		f.Add(l)
	}
	for _, l := range iwdSeedLines {
		f.Add(l)
	}
	for _, c := range nmCases() {
		f.Add(c.line)
	}
	for _, l := range nmLookAlikes {
		f.Add(l)
	}
	for _, c := range append(append([]struct {
		line string
		want []diagnostics.Event
		role role
	}{}, simpleLinkLines...), particleLines...) {
		f.Add(c.line)
	}
	for _, c := range lnxsitLines {
		f.Add(c.line)
	}
	for _, l := range []string{ // rec_radiooff_test.go, rec_systemd_test.go, firmware_silent_test.go
		"Dec 01 10:00:00 pi systemd-networkd[300]: wlan0: Could not bring up interface, ignoring: Operation not possible due to RF-kill",
		"'radio0' is disabled", "Wi-Fi power is currently off.",
		"Dec 01 10:00:00 pi systemd[1]: sys-subsystem-net-devices-wlan0.device: Job sys-subsystem-net-devices-wlan0.device/start timed out.",
		"Dec 01 10:00:00 pi systemd[1]: Timed out waiting for device /sys/subsystem/net/devices/wlan0.",
		"Dec 01 10:00:00 pi systemd[1]: Found device /sys/subsystem/net/devices/wlan0.",
	} {
		f.Add(l)
	}
}

// FuzzParseLine: any line parses without panicking, and what it yields is
// well formed: a known source and kind, a valid BSSID or none, a message
// that is valid UTF-8 and bounded.
func FuzzParseLine(f *testing.F) {
	seedLines(f)
	f.Fuzz(func(t *testing.T, line string) {
		lp := newLineParser(2024)
		li, ok := lp.split([]byte(line))
		if !ok {
			return
		}
		p, ok := parseMessage(li.msg, li.prog)
		if !ok {
			return
		}
		if p.ev.Kind == "" || p.ev.Source == "" {
			t.Fatalf("%q: empty kind or source: %+v", line, p.ev)
		}
		if p.ev.BSSID != "" && normBSSID(p.ev.BSSID) != p.ev.BSSID {
			t.Fatalf("%q: bssid %q", line, p.ev.BSSID)
		}
		m := redact(line)
		if len(m) > maxMessage+len("…") || !utf8.ValidString(m) && utf8.ValidString(line) {
			t.Fatalf("%q: message %q", line, m)
		}
	})
}

// FuzzJournalJSON: journal entries with arbitrary field values decode or
// are skipped, never panic.
func FuzzJournalJSON(f *testing.F) {
	f.Add(`{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1700000000000000","SYSLOG_IDENTIFIER":"wpa_supplicant","MESSAGE":"wlan0: CTRL-EVENT-SCAN-FAILED ret=-16"}`)
	f.Add(`{"MESSAGE":[119,108,97,110,48,58,32,67,84,82,76,45,69,86,69,78,84,45,83,67,65,78,45,82,69,83,85,76,84,83,255]}`)
	f.Add(`{"MESSAGE":["a","wlan0: CTRL-EVENT-SCAN-RESULTS"],"_HOSTNAME":["h1","h2"]}`)
	f.Add(`{"MESSAGE":null,"__REALTIME_TIMESTAMP":null}`)
	f.Add(`{"MESSAGE":"Error: No network with SSID 'x' found.","__REALTIME_TIMESTAMP":"-5"}`)
	f.Add(`{"MESSAGE":"\u003cinfo\u003e  [1700000000.1] audit: op=\"connection-activate\" result=\"fail\" reason=\"Not authorized\""}`)
	f.Fuzz(func(t *testing.T, line string) {
		lp := newLineParser(-1)
		li, ok := lp.splitJSON([]byte(line))
		if ok && !utf8.ValidString(li.msg) {
			t.Fatalf("%q: message not UTF-8", line)
		}
		journalCursor([]byte(line))
	})
}

// FuzzDiagnose: any input gives a report that is complete (every attempt
// classified with a valid class, numbered in order) or an *Error, within a
// time bound.
func FuzzDiagnose(f *testing.F) {
	f.Add(strings.Join(attemptLog(), "\n"))
	files, _ := filepath.Glob("testdata/corpus/*")
	wild, _ := filepath.Glob("testdata/wild/*")
	files = append(files, wild...)
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil && !strings.HasSuffix(name, ".src") {
			f.Add(string(b))
		}
	}
	f.Add("\x1f\x8b\x08")
	f.Fuzz(func(t *testing.T, in string) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		watchdog := time.AfterFunc(5*time.Second, func() { panic(fmt.Sprintf("Diagnose hangs on %q", in)) })
		defer watchdog.Stop()
		rep, err := Diagnose(ctx, strings.NewReader(in), Options{Year: 2024, MaxLineBytes: 4096})
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not *Error", err)
			}
			return
		}
		wantOutcome := diagnostics.OutcomeFailed
		if rep.Class == diagnostics.None {
			wantOutcome = diagnostics.OutcomeJoined
			if len(rep.Attempts) == 0 {
				wantOutcome = diagnostics.OutcomeNotShown
			}
		}
		if !rep.Class.Valid() || rep.Outcome != wantOutcome {
			t.Fatalf("class %q with %d attempts: outcome %q, want %q", rep.Class, len(rep.Attempts), rep.Outcome, wantOutcome)
		}
		for i, a := range rep.Attempts {
			if a.Number != i+1 || !a.Class.Valid() || len(a.Events) == 0 || len(a.Events) > maxAttemptEvents+1 {
				t.Fatalf("attempt %d: %+v", i, a)
			}
		}
		if _, err := rep.Marshal(); err != nil {
			t.Fatal(err)
		}
	})
}
