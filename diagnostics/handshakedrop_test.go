package diagnostics

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// kern builds kernel events with monotonic stamps (dmesg's seconds since
// boot) and no wall-clock time, as diagnose parses a dmesg excerpt.
func kern(at float64, kind Kind, name string, code int) Event {
	return Event{Source: SourceKernel, Kind: kind, Name: name, Code: code, BSSID: "14:cc:20:91:94:41",
		Monotonic: time.Duration(at * float64(time.Second))}
}

// TestKernelHandshakeDrop: in a kernel-only log, an AP's disconnection with
// a handshake reason seconds after association, before the link was
// ready, is wrong_key; a drop after the link came up, a late drop, one
// with a reason about the AP's own state, and any log in which
// wpa_supplicant speaks are not.
func TestKernelHandshakeDrop(t *testing.T) {
	assoc := func(at float64) []Event {
		return []Event{kern(at, KindAssocStatus, CapabPrivacy, 0), kern(at+0.01, KindNote, NoteAssociated, 0)}
	}
	openAssoc := func(at float64) []Event {
		return []Event{kern(at, KindAssocStatus, CapabOpen, 0), kern(at+0.01, KindNote, NoteAssociated, 0)}
	}
	drop := func(at float64, reason int) Event { return kern(at, KindDisconnect, "", reason) }
	join := func(parts ...[]Event) []Event {
		var out []Event
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		evs  []Event
		want Class
	}{
		{"reason 2 four seconds after association", join(assoc(120), []Event{drop(124, 2)}), WrongKey},
		{"reason 15, twice", join(assoc(120), []Event{drop(124, 15)}, assoc(134), []Event{drop(138, 15)}), WrongKey},
		{"link became ready first: the AP dropped the link", join(assoc(120), []Event{kern(120.2, KindNote, NoteLinkReady, 0), drop(124, 2)}), AssocRejected},
		{"a drop a minute later", join(assoc(120), []Event{drop(180, 2)}), Unknown},
		{"the AP leaving (reason 3)", join(assoc(120), []Event{drop(124, 3)}), Unknown},
		{"the station's own choice", join(assoc(120), []Event{drop(124, -3)}), Unknown},
		{"a reboot between (clock went back)", join(assoc(120), []Event{drop(4, 2)}), Unknown},
		{"no timestamps", []Event{{Source: SourceKernel, Kind: KindNote, Name: NoteAssociated}, {Source: SourceKernel, Kind: KindDisconnect, Code: 2}}, Unknown},
		{"an open network has no handshake (lab: deauth-loop)", join(openAssoc(120), []Event{drop(120.2, 2)}), AssocRejected},
		{"privacy not shown (no AssocResp line)", []Event{kern(120, KindNote, NoteAssociated, 0), drop(124, 2)}, Unknown},
		{"open after a keyed association", join(assoc(100), []Event{kern(100.2, KindNote, NoteLinkReady, 0), kern(110, KindNote, "authenticate", 0)}, openAssoc(110.1), []Event{drop(110.3, 2)}), AssocRejected},
		{"keyed, link not ready, a reason about the AP", join(assoc(120), []Event{drop(124, 3)}), Unknown},
		{"wpa_supplicant in the log decides", join(assoc(120), []Event{sup("completed"), drop(124, 2)}), AssocRejected},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Classify(tc.evs)
			if diff := cmp.Diff(tc.want, got.Class); diff != "" {
				t.Errorf("class (-want +got):\n%s\ndetail: %s", diff, got.Detail)
			}
		})
	}
}

func TestSinceEvent(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	type res struct {
		D  time.Duration
		OK bool
	}
	for _, tc := range []struct {
		a, b Event
		want res
	}{
		{Event{Time: t0}, Event{Time: t0.Add(3 * time.Second)}, res{3 * time.Second, true}},
		{Event{Monotonic: time.Second}, Event{Monotonic: 5 * time.Second}, res{4 * time.Second, true}},
		{Event{Monotonic: 5 * time.Second}, Event{Monotonic: time.Second}, res{-4 * time.Second, false}},
		{Event{Time: t0}, Event{Monotonic: time.Second}, res{0, false}},
		{Event{}, Event{}, res{0, false}},
	} {
		d, ok := SinceEvent(tc.a, tc.b)
		if diff := cmp.Diff(tc.want, res{d, ok}); diff != "" {
			t.Errorf("SinceEvent(%v, %v) (-want +got):\n%s", tc.a, tc.b, diff)
		}
	}
}
