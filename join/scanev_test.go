package join_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/join"
	"github.com/hotspotctl/hotspotctl/nm/nmtest"
)

func attemptsText(rep *diagnostics.Report) string {
	var b strings.Builder
	for _, a := range rep.Attempts {
		b.WriteString("  " + string(a.Class) + ": " + a.Detail + "\n")
		for _, e := range a.Events {
			b.WriteString("    " + e.String() + "\n")
		}
	}
	return b.String()
}

func hasHint(rep *diagnostics.Report, sub string) bool {
	for _, h := range rep.Hints {
		if strings.Contains(h, sub) {
			return true
		}
	}
	return false
}

// Issue 8 item 2: a non-root caller cannot reach wpa_supplicant, so its
// ScanDone never arrives and NetworkManager's LastScan (which moves on a
// failed scan too) is all it sees. Absence must not be claimed from that, and
// the report must say the evidence was degraded.
func TestNonRootNeverClaimsAbsence(t *testing.T) {
	secret := nmtest.AP{SSID: []byte("Secret"), BSSID: "02:00:00:00:03:00", RsnFlags: nmtest.RsnWPA2PSK, Hidden: true}
	tests := []struct {
		name string
		sc   nmtest.Scenario
		req  join.Request
		want diagnostics.Class
	}{
		{name: "every scan fails, LastScan moves", sc: nmtest.Scenario{SupplicantDenied: true, APs: []nmtest.AP{cafe}, Scans: []nmtest.ScanStep{{Fail: true}}},
			req: join.Request{SSID: []byte("Other"), ScansPerAttempt: 2, ScanWindow: time.Millisecond, Attempts: 1}, want: diagnostics.ScanBusy},
		{name: "scans succeed, SSID absent", sc: nmtest.Scenario{SupplicantDenied: true, APs: []nmtest.AP{cafe}},
			req: join.Request{SSID: []byte("Other"), ScansPerAttempt: 2, ScanWindow: time.Millisecond, Attempts: 1}, want: diagnostics.ScanBusy},
		{name: "hidden SSID, failed directed scans", sc: nmtest.Scenario{SupplicantDenied: true, APs: []nmtest.AP{secret}, Scans: []nmtest.ScanStep{{Fail: true}}},
			req: join.Request{SSID: []byte("Secret"), Hidden: true, Passphrase: passphrase, ScansPerAttempt: 2, ScanWindow: time.Millisecond, Attempts: 1}, want: diagnostics.ScanBusy},
		{name: "AP seen, refuses us: NetworkManager says ssid-not-found",
			sc:  nmtest.Scenario{SupplicantDenied: true, APs: []nmtest.AP{cafe}, OnActivate: nmtest.ScriptAuthRejected(1)},
			req: join.Request{SSID: []byte("Cafe"), Passphrase: passphrase, Attempts: 1}, want: diagnostics.AssocRejected},
		{name: "present network still joins", sc: nmtest.Scenario{SupplicantDenied: true, APs: []nmtest.AP{cafe}},
			req: join.Request{SSID: []byte("Cafe"), Passphrase: passphrase}, want: diagnostics.None},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, rep := joinOnBus(t, tt.sc, tt.req, 20*time.Second)
			if diff := cmp.Diff(tt.want, rep.Class); diff != "" {
				t.Errorf("class (-want +got):\n%s\n%s", diff, attemptsText(rep))
			}
			if rep.DegradedEvidence == "" {
				t.Error("report has no degraded_evidence note")
			}
			if tt.want != diagnostics.None && !hasHint(rep, "run as root") {
				t.Errorf("hints %q lack the run-as-root advice", rep.Hints)
			}
		})
	}
}

// Issue 8 item 3: a ScanDone is ours only for a scan that started after our
// request, and NetworkManager's list is read only after it fetched the new
// results (LastScan moved) and filtered by LastSeen.
func TestNMScanMustBeOursAndComplete(t *testing.T) {
	secret := nmtest.AP{SSID: []byte("Secret"), BSSID: "02:00:00:00:03:00", RsnFlags: nmtest.RsnWPA2PSK, Hidden: true}
	one := join.Request{SSID: []byte("Secret"), Hidden: true, Passphrase: passphrase, ScansPerAttempt: 1, ScanWindow: time.Millisecond, Attempts: 1}
	tests := []struct {
		name string
		sc   nmtest.Scenario
		req  join.Request
		want diagnostics.Class
	}{
		{name: "another process's ScanDone(true) comes first", sc: nmtest.Scenario{APs: []nmtest.AP{secret}, ForeignScanRunning: true},
			req: one, want: diagnostics.None},
		{name: "list read before NetworkManager fetched the results", sc: nmtest.Scenario{APs: []nmtest.AP{secret}, Scans: []nmtest.ScanStep{{FetchDelay: 100 * time.Millisecond}}},
			req: one, want: diagnostics.None},
		{name: "a BSS NetworkManager still lists but nobody saw for minutes", sc: nmtest.Scenario{APs: []nmtest.AP{{SSID: []byte("Gone"), BSSID: "02:00:00:00:04:00", Stale: true}}},
			req: join.Request{SSID: []byte("Gone"), ScansPerAttempt: 2, ScanWindow: time.Millisecond, Attempts: 1}, want: diagnostics.NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, rep := joinOnBus(t, tt.sc, tt.req, 20*time.Second)
			if diff := cmp.Diff(tt.want, rep.Class); diff != "" {
				t.Errorf("class (-want +got):\n%s\n%s", diff, attemptsText(rep))
			}
			if tt.want == diagnostics.NotFound && len(f.Activations()) != 0 {
				t.Errorf("activated %d times on a stale BSS", len(f.Activations()))
			}
		})
	}
}

// Issue 8 item 5: a deadline that stops the scan phase before the evidence
// rule (3 fresh scans over the scan window) is met is a timeout with the
// partial evidence, never not_found.
func TestDeadlineCutsScanPhaseShort(t *testing.T) {
	_, rep := joinOnBus(t, nmtest.Scenario{APs: []nmtest.AP{cafe}},
		join.Request{SSID: []byte("Other"), ScanWindow: time.Hour}, 1500*time.Millisecond)
	if diff := cmp.Diff(diagnostics.Timeout, rep.Class); diff != "" {
		t.Errorf("class (-want +got):\n%s\n%s", diff, attemptsText(rep))
	}
	if !strings.Contains(rep.Detail, "fresh scan") {
		t.Errorf("detail %q does not carry the partial scan evidence", rep.Detail)
	}
}

// Issue 8 item 8: one SSID served by a WPA2 BSS and a louder open twin. With
// a passphrase the open BSS is never chosen, and the report hints at it.
func TestSameSSIDDifferentSecurity(t *testing.T) {
	wpa := nmtest.AP{SSID: []byte("Venue"), BSSID: "02:00:00:00:05:00", RsnFlags: nmtest.RsnWPA2PSK, Strength: 40}
	open := nmtest.AP{SSID: []byte("Venue"), BSSID: "02:00:00:00:05:01", Strength: 95}
	f, rep := joinOnBus(t, nmtest.Scenario{APs: []nmtest.AP{open, wpa}}, join.Request{SSID: []byte("Venue"), Passphrase: passphrase}, 10*time.Second)
	if diff := cmp.Diff(diagnostics.None, rep.Class); diff != "" {
		t.Fatalf("class (-want +got):\n%s\n%s", diff, attemptsText(rep))
	}
	acts := f.Activations()
	if len(acts) != 1 || acts[0].KeyMgmt != "wpa-psk" {
		t.Errorf("activations %+v, want one wpa-psk", acts)
	}
	if got := rep.Attempts[0].BSSID; got != wpa.BSSID {
		t.Errorf("chose BSS %s, want the WPA2 one %s", got, wpa.BSSID)
	}
	if !hasHint(rep, "open") || !hasHint(rep, open.BSSID) {
		t.Errorf("hints %q do not mention the open twin %s", rep.Hints, open.BSSID)
	}
	// Without a passphrase the open BSS is the one that can be joined.
	f, rep = joinOnBus(t, nmtest.Scenario{APs: []nmtest.AP{open, wpa}}, join.Request{SSID: []byte("Venue")}, 10*time.Second)
	if rep.Class != diagnostics.None || len(f.Activations()) != 1 || f.Activations()[0].KeyMgmt != "" {
		t.Errorf("without a passphrase: class %s, activations %+v; want the open BSS joined", rep.Class, f.Activations())
	}
}
