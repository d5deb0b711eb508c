package diagnostics

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestSSIDNotFoundAfterDeferral: NetworkManager's "scan already in progress"
// deferral is a request that waits for the running scan, which completes; an
// ssid-not-found after one deferral is not a refused scan. Deferrals count as
// refusals only when they show a caller whose scans never ran (two nmcli
// refusals, or a minute of them).
func TestSSIDNotFoundAfterDeferral(t *testing.T) {
	deferral := func(src Source) Event {
		return Event{Source: src, Kind: KindScanBusy, Name: ScanDeferred}
	}
	refusal := Event{Source: SourceSupplicant, Kind: KindScanBusy, Name: "EBUSY"}
	notFound := dev("config", "failed", int(ReasonSSIDNotFound))
	stuck := seq(deferral(SourceNM), notFound)
	stuck = append([]Event{{Source: SourceNM, Kind: KindScanBusy, Name: ScanDeferred, Time: stuck[0].Time.Add(-2 * time.Minute)}}, stuck...)
	for _, tc := range []struct {
		name string
		evs  []Event
		want Class
	}{
		{"one deferral", seq(dev("disconnected", "prepare", 0), deferral(SourceNM), dev("prepare", "config", 0), notFound), NotFound},
		{"one refusal", seq(dev("disconnected", "prepare", 0), refusal, dev("prepare", "config", 0), notFound), ScanBusy},
		{"two nmcli refusals", seq(deferral(SourceNmcli), deferral(SourceNmcli), notFound), ScanBusy},
		{"deferrals for two minutes", stuck, ScanBusy},
		{"two deferrals, no scan completing", seq(deferral(SourceSupplicant), deferral(SourceSupplicant), notFound), ScanBusy},
		{"two deferrals, then a scan completed", seq(deferral(SourceSupplicant), deferral(SourceSupplicant),
			Event{Source: SourceSupplicant, Kind: KindScanDone, OK: Bool(true)}, notFound), NotFound},
	} {
		v := Classify(tc.evs)
		if diff := cmp.Diff(tc.want, v.Class); diff != "" {
			t.Errorf("%s: (-want +got):\n%s\ndetail: %s", tc.name, diff, v.Detail)
		}
	}
}
