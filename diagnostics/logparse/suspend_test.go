package logparse

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// TestSuspendIsNoFailure: NetworkManager takes the Wi-Fi device to
// unmanaged (reason 'sleeping') before a suspend (nm-manager.c,
// do_sleep_wake); a log that ends there shows no failure. A device that
// went unmanaged for another reason still does.
func TestSuspendIsNoFailure(t *testing.T) {
	const sleep = "" +
		"Mar 10 22:00:01 laptop NetworkManager[612]: <info>  [1710108001.1000] manager: sleep: sleep requested (sleeping: no  enabled: yes)\n" +
		"Mar 10 22:00:01 laptop NetworkManager[612]: <info>  [1710108001.1100] device (wlp2s0): state change: activated -> deactivating (reason 'sleeping', sys-iface-state: 'managed')\n" +
		"Mar 10 22:00:01 laptop NetworkManager[612]: <info>  [1710108001.1300] device (wlp2s0): state change: deactivating -> disconnected (reason 'sleeping', sys-iface-state: 'managed')\n" +
		"Mar 10 22:00:01 laptop NetworkManager[612]: <info>  [1710108001.1500] device (wlp2s0): state change: disconnected -> unmanaged (reason 'sleeping', sys-iface-state: 'managed')\n"
	const userUnmanaged = "" +
		"Mar 10 22:00:01 laptop NetworkManager[612]: <info>  [1710108001.1500] device (wlp2s0): state change: disconnected -> unmanaged (reason 'user-requested', sys-iface-state: 'managed')\n"
	for _, tc := range []struct {
		name, log string
		want      diagnostics.Class
	}{
		{"suspend", sleep, diagnostics.None},
		{"unmanaged by the user", userUnmanaged, diagnostics.DeviceUnavailable},
	} {
		rep := diagnoseString(t, tc.log)
		if diff := cmp.Diff(tc.want, rep.Class); diff != "" {
			t.Errorf("%s: class (-want +got):\n%s\ndetail: %s", tc.name, diff, rep.Detail)
		}
	}
}
