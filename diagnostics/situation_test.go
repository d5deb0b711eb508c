package diagnostics

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestClassifySituation(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	at := func(s int, e Event) Event { e.Time = t0.Add(time.Duration(s) * time.Second); return e }
	busy := func(s int) Event {
		return at(s, Event{Source: SourceSupplicant, Kind: KindScanBusy, Name: "EBUSY", Code: -16})
	}
	scanOK := func(s int) Event { return at(s, Event{Source: SourceSupplicant, Kind: KindScanDone, OK: Bool(true)}) }
	radio := func(s int, on bool, name string) Event {
		return at(s, Event{Source: SourceRfkill, Kind: KindRadio, OK: Bool(on), Name: name})
	}
	dhcp := func(s int, ok bool) Event { return at(s, Event{Source: SourceNM, Kind: KindDHCP, OK: Bool(ok)}) }
	// nmcli prints no time: its refusals carry none.
	nmcliBusy := func() Event { return Event{Source: SourceNmcli, Kind: KindScanBusy, Name: ScanDeferred} }
	tryAuth := func(s int) Event {
		return at(s, Event{Source: SourceSupplicant, Kind: KindNote, Name: NoteTryAuth, BSSID: "58:bc:27:5d:54:d0", SSID: "insaWiFi"})
	}
	for _, tc := range []struct {
		name string
		evs  []Event
		want Class
	}{
		{"refusals repeating", []Event{busy(0), busy(10), busy(20), busy(40)}, ScanBusy},
		{"one refusal then a completed scan", []Event{busy(0), scanOK(5)}, None},
		{"a single deferral", []Event{at(0, Event{Source: SourceSupplicant, Kind: KindScanBusy, Name: ScanDeferred})}, None},
		{"deferrals behind our own scan, seconds apart", []Event{at(0, Event{Source: SourceSupplicant, Kind: KindScanBusy, Name: ScanDeferred}),
			at(6, Event{Source: SourceSupplicant, Kind: KindScanBusy, Name: ScanDeferred})}, None},
		{"deferrals for half an hour: a scan that never ends", []Event{at(0, Event{Source: SourceSupplicant, Kind: KindScanBusy, Name: ScanDeferred}),
			at(900, Event{Source: SourceSupplicant, Kind: KindScanBusy, Name: ScanDeferred}), at(1800, Event{Source: SourceSupplicant, Kind: KindScanBusy, Name: ScanDeferred})}, ScanBusy},
		{"a single EBUSY from the kernel", []Event{busy(0)}, ScanBusy},
		{"refusals then a join", []Event{busy(0), busy(5), at(9, Event{Source: SourceNM, Kind: KindJoined})}, None},
		{"refusals, then ssid-not-found", []Event{busy(0), busy(5), at(30, Event{Source: SourceNM, Kind: KindDeviceState, State: "failed", Code: ReasonSSIDNotFound})}, ScanBusy},
		{"refusals, then a scan, then a wrong key", []Event{busy(0), scanOK(3), at(5, Event{Source: SourceSupplicant, Kind: KindPskMismatch})}, WrongKey},
		{"rfkill block", []Event{radio(0, false, "soft-blocked")}, RadioOff},
		{"rfkill block lifted by the user", []Event{radio(0, false, "soft-blocked"), radio(20, true, "")}, None},
		{"DHCP retries that got a lease", []Event{dhcp(0, false), dhcp(10, false), dhcp(20, true)}, None},
		{"DHCP never answers", []Event{dhcp(0, false), dhcp(10, false)}, DHCPFailed},
		{"NetworkManager restarted", []Event{
			at(0, Event{Source: SourceNM, Kind: KindBackend, OK: Bool(false)}),
			at(2, Event{Source: SourceNM, Kind: KindBackend, OK: Bool(true)})}, None},
		{"NetworkManager stopped", []Event{at(0, Event{Source: SourceNM, Kind: KindBackend, OK: Bool(false)})}, BackendUnavailable},
		{"device left unmanaged", []Event{at(0, Event{Source: SourceNM, Kind: KindDeviceState, OldState: "disconnected", State: "unmanaged"})}, DeviceUnavailable},
		{"device back after unavailable", []Event{
			at(0, Event{Source: SourceNM, Kind: KindDeviceState, OldState: "disconnected", State: "unavailable"}),
			at(3, Event{Source: SourceNM, Kind: KindDeviceState, OldState: "unavailable", State: "disconnected"})}, None},
		{"an authentication loop", []Event{
			at(0, Event{Source: SourceSupplicant, Kind: KindAuthTimeout}), at(10, Event{Source: SourceSupplicant, Kind: KindAuthTimeout}),
			at(20, Event{Source: SourceSupplicant, Kind: KindAuthTimeout})}, AssocRejected},
		{"nmcli refused the caller twice, no scan finished", []Event{nmcliBusy(), nmcliBusy()}, ScanBusy},
		{"nmcli refused the caller once", []Event{nmcliBusy()}, None},
		{"nmcli refused twice, then a scan finished", []Event{nmcliBusy(), nmcliBusy(), scanOK(9)}, None},
		{"a BSS tried again and again, never answering", []Event{tryAuth(0), tryAuth(17), tryAuth(21), tryAuth(25)}, AssocRejected},
		{"a BSS tried twice", []Event{tryAuth(0), tryAuth(17)}, None},
		{"tries that got to the handshake", []Event{tryAuth(0),
			at(1, Event{Source: SourceSupplicant, Kind: KindSupplicantState, State: "4way_handshake", BSSID: "58:bc:27:5d:54:d0"}),
			tryAuth(17), tryAuth(21)}, None},
		{"nothing", nil, None},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := ClassifySituation(tc.evs)
			if diff := cmp.Diff(tc.want, v.Class); diff != "" {
				t.Errorf("class (-want +got)\n%s\ndetail: %s", diff, v.Detail)
			}
			if v.Class != None && len(v.Evidence) == 0 {
				t.Errorf("class %s without evidence", v.Class)
			}
		})
	}
}

func TestExplainScanBusyFigures(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	var evs []Event
	for i := range 23 {
		evs = append(evs, Event{Time: t0.Add(time.Duration(i) * 40 * time.Second / 22), Source: SourceSupplicant, Kind: KindScanBusy})
	}
	r := &Report{Mode: "diagnose", Class: ScanBusy, Scope: ScopeSituation, SSID: "LabCafe",
		Formats: []Format{{Name: "wpa_supplicant", Events: 23}}, Attempts: []Attempt{{Class: ScanBusy, Events: evs}}}
	s, next := Explain(r)
	want := `The scans were refused: another process kept the radio busy (23 refusals in 40s, EBUSY). The network "LabCafe"'s presence is unknown: it was never looked for, so it is not known to be missing.`
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("summary (-want +got)\n%s", diff)
	}
	if next == "" {
		t.Error("no next step")
	}
}

// Every class has a sentence and, for failures, a next step; none of them
// is the class name or the taxonomy's engineer's wording alone.
func TestExplainEveryClass(t *testing.T) {
	for _, c := range Classes {
		r := &Report{Mode: "diagnose", Class: c, Formats: []Format{{Name: "networkmanager", Events: 1}}, Attempts: []Attempt{{Class: c}}}
		s, next := Explain(r)
		if s == "" || !strings.HasSuffix(s, ".") {
			t.Errorf("%s: summary %q is not a sentence", c, s)
		}
		if c != None && c != Interrupted && next == "" {
			t.Errorf("%s: no next step", c)
		}
	}
}
