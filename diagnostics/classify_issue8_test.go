package diagnostics

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Issue 8's new verdicts, rule by rule.
func TestClassifyIssue8(t *testing.T) {
	disc := func(code int) Event { return Event{Source: SourceSupplicant, Kind: KindDisconnect, Code: code} }
	tests := []struct {
		name   string
		events []Event
		want   Class
	}{
		{"need-auth after a handshake drop is wrong_key (the join stops before no-secrets)",
			seq(dev("disconnected", "prepare", 0), dev("prepare", "config", 0), dev("config", "need-auth", 0), dev("need-auth", "config", 0),
				sup("associating"), sup("4way_handshake"), disc(15), sup("disconnected"), dev("config", "need-auth", 8),
				Event{Source: SourceHotspotctl, Kind: KindDeadline}),
			WrongKey},
		{"need-auth before association alone is not wrong_key",
			seq(dev("disconnected", "prepare", 0), dev("prepare", "config", 0), dev("config", "need-auth", 0),
				Event{Source: SourceHotspotctl, Kind: KindDeadline}),
			Timeout},
		{"an AP dropping the link after association is assoc_rejected",
			seq(sup("associating"), sup("completed"), disc(2), sup("disconnected"), sup("completed"), disc(2), sup("disconnected"),
				dev("secondaries", "activated", 0), Event{Source: SourceHotspotctl, Kind: KindDeadline}),
			AssocRejected},
		{"the station's own disconnection is not the AP's",
			seq(sup("completed"), disc(-3), sup("disconnected"), Event{Source: SourceHotspotctl, Kind: KindDeadline}),
			Timeout},
		{"superseded", seq(dev("config", "deactivating", 60), Event{Source: SourceHotspotctl, Kind: KindSuperseded, Code: 60}), Superseded},
		{"interrupted beats the events before it",
			seq(sup("4way_handshake"), Event{Source: SourceHotspotctl, Kind: KindInterrupted}), Interrupted},
		{"a join that joined before the interruption joined",
			seq(Event{Source: SourceHotspotctl, Kind: KindJoined}, Event{Source: SourceHotspotctl, Kind: KindInterrupted}), None},
		{"lock not obtained", seq(Event{Source: SourceHotspotctl, Kind: KindLock, OK: Bool(false)},
			Event{Source: SourceHotspotctl, Kind: KindDeadline}), InterfaceBusy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Classify(tt.events)
			if diff := cmp.Diff(tt.want, v.Class); diff != "" {
				t.Errorf("class (-want +got):\n%s\ndetail: %s", diff, v.Detail)
			}
		})
	}
}

func TestNewClassesHaveExitCodes(t *testing.T) {
	got := map[Class]int{}
	for _, c := range []Class{Superseded, InterfaceBusy, Interrupted} {
		got[c] = c.ExitCode()
	}
	want := map[Class]int{Superseded: 21, InterfaceBusy: 22, Interrupted: 130}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("exit codes (-want +got):\n%s", diff)
	}
}
