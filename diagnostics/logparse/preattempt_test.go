package logparse

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// TestBlockerBeforeAttempt: an attempt that fails with no reason of its own
// takes its class from a blocking state logged just before it began, while
// that state still held.
func TestBlockerBeforeAttempt(t *testing.T) {
	const (
		blocked   = "Jan 10 10:00:00 host NetworkManager[800]: <info>  [1700000000.0000] manager: Wi-Fi now disabled by radio killswitch\n"
		unblocked = "Jan 10 10:00:05 host NetworkManager[800]: <info>  [1700000005.0000] manager: Wi-Fi now enabled by radio killswitch\n"
		attempt   = "Jan 10 10:00:20 host NetworkManager[800]: <info>  [1700000020.0000] device (wlan0): Activation: starting connection 'Lab' (1b2c)\n" +
			"Jan 10 10:00:21 host NetworkManager[800]: <info>  [1700000021.0000] device (wlan0): state change: prepare -> failed (reason 'unknown', sys-iface-state: 'managed')\n"
		late = "Jan 10 10:10:20 host NetworkManager[800]: <info>  [1700000620.0000] device (wlan0): Activation: starting connection 'Lab' (1b2c)\n" +
			"Jan 10 10:10:21 host NetworkManager[800]: <info>  [1700000621.0000] device (wlan0): state change: prepare -> failed (reason 'unknown', sys-iface-state: 'managed')\n"
	)
	for _, tc := range []struct {
		name, log string
		want      diagnostics.Class
	}{
		{"blocked just before", blocked + attempt, diagnostics.RadioOff},
		{"blocked, then unblocked, before", blocked + unblocked + attempt, diagnostics.Unknown},
		{"blocked ten minutes before", blocked + late, diagnostics.Unknown},
		{"no blocker", attempt, diagnostics.Unknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := diagnoseString(t, tc.log)
			if diff := cmp.Diff(tc.want, rep.Class); diff != "" {
				t.Errorf("class (-want +got):\n%s\ndetail: %s", diff, rep.Detail)
			}
		})
	}
}
