//go:build linux

package scan_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/scan"
)

// How a join uses the package: watch for scans (evidence and piggy-backing),
// scan with a deadline, and judge presence only from a fresh, successful
// scan.
func Example() {
	s, err := scan.Open() // needs CAP_NET_ADMIN to trigger; Watch works without
	if err != nil {
		fmt.Println(err) // ErrUnsupported without cfg80211
		return
	}
	defer s.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	events, err := s.Watch(ctx, "wlan0")
	if err == nil {
		go func() {
			for e := range events {
				_ = e // add to the attempt's timeline
			}
		}()
	}

	ssid := []byte("HomeNet")
	var timeline []diagnostics.Event
	res, err := s.Scan(ctx, scan.Request{Ifname: "wlan0", Observe: func(e diagnostics.Event) { timeline = append(timeline, e) }})
	rec := res.Record
	switch {
	case errors.Is(err, scan.ErrNotPermitted), errors.Is(err, scan.ErrUnsupported):
		// fall back to NetworkManager's RequestScan
	case errors.Is(err, scan.ErrNoInterface):
		// device unavailable
	case errors.Is(err, scan.ErrBusy), errors.Is(err, scan.ErrAborted), errors.Is(err, scan.ErrStalled):
		// no fresh scan: presence unknown (class scan_busy), even if the
		// deadline also passed
	case err != nil:
		// failed or timed out for another reason
	default:
		m := scan.Match(res.BSSes, ssid)
		rec.Matches = len(m)
		if len(m) == 0 {
			rec.NearMiss = scan.NearMisses(res.BSSes, ssid) // "did you mean"
		}
	}
	fmt.Println(rec.Method, rec.Outcome, rec.Own, rec.BusyRefusals)
}
