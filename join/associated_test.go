package join

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/nm"
	"github.com/hotspotctl/hotspotctl/scan"
)

// associatedBackend is a fakeBackend whose device is associated with a BSS.
type associatedBackend struct {
	*fakeBackend
	status nm.Status
	aps    []nm.AccessPoint
}

func (b *associatedBackend) Status(context.Context, nm.Device) (nm.Status, error) {
	return b.status, nil
}
func (b *associatedBackend) AccessPoints(context.Context, nm.Device) ([]nm.AccessPoint, error) {
	return b.aps, nil
}

func TestAssociatedBSSProvesPresenceWithoutAScan(t *testing.T) {
	ap := nm.AccessPoint{SSID: []byte("Cafe"), BSSID: "02:00:00:00:01:00", FrequencyMHz: 2412, Strength: 90, Security: "open"}
	for _, tc := range []struct {
		name      string
		status    nm.Status
		req       Request
		wantClass diagnostics.Class
		wantScans bool // whether the scanner was called
	}{
		// Every scan on the associated interface misses the network (as
		// the slow scans of the lab's concurrent-joins did): without the
		// association's evidence this would be not_found.
		{"associated with the target", nm.Status{Device: nm.Device{State: 100}, SSID: []byte("Cafe"), BSSID: "02:00:00:00:01:00"},
			Request{SSID: []byte("Cafe")}, diagnostics.None, false},
		{"associated elsewhere", nm.Status{Device: nm.Device{State: 100}, SSID: []byte("Home"), BSSID: "02:00:00:00:02:00"},
			Request{SSID: []byte("Cafe")}, diagnostics.NotFound, true},
		{"not yet activated", nm.Status{Device: nm.Device{State: 50}, SSID: []byte("Cafe"), BSSID: "02:00:00:00:01:00"},
			Request{SSID: []byte("Cafe")}, diagnostics.NotFound, true},
		{"security does not fit the request", nm.Status{Device: nm.Device{State: 100}, SSID: []byte("Cafe"), BSSID: "02:00:00:00:01:00"},
			Request{SSID: []byte("Cafe"), Passphrase: secret}, diagnostics.NotFound, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake()
			f.scripts = [][]diagnostics.Event{joinedScript}
			b := &associatedBackend{fakeBackend: f, status: tc.status, aps: []nm.AccessPoint{ap}}
			sc := &fakeScanner{results: []scan.Result{okScan()}}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			req := tc.req
			req.ScansPerAttempt, req.ScanWindow = 3, time.Millisecond
			j := New(b, Options{Scanner: sc, Clock: instantClock{}, Host: "test"})
			rep, _ := j.Join(ctx, req)
			type result struct {
				Class   diagnostics.Class
				Scanned bool
			}
			got, want := result{rep.Class, sc.calls > 0}, result{tc.wantClass, tc.wantScans}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s\nattempts: %+v", diff, rep.Attempts)
			}
		})
	}
}
