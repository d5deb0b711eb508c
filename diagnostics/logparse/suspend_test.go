package logparse

import (
	"strings"
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
	// NetworkManager 1.4x stopping (systemctl stop, shutdown): its
	// devices go unmanaged with reason 'unmanaged-quitting': the device did
	// not fail, NetworkManager is gone.
	const quitting = "" +
		"Mar 10 22:00:01 laptop NetworkManager[612]: <info>  [1710108001.1000] caught SIGTERM, shutting down normally.\n" +
		"Mar 10 22:00:01 laptop NetworkManager[612]: <info>  [1710108001.1100] device (wlp2s0): state change: activated -> deactivating (reason 'unmanaged-quitting', managed-type: 'removed')\n" +
		"Mar 10 22:00:01 laptop NetworkManager[612]: <info>  [1710108001.1500] device (wlp2s0): state change: deactivating -> unmanaged (reason 'unmanaged-quitting', managed-type: 'removed')\n"
	const userUnmanaged = "" +
		"Mar 10 22:00:01 laptop NetworkManager[612]: <info>  [1710108001.1500] device (wlp2s0): state change: disconnected -> unmanaged (reason 'user-requested', sys-iface-state: 'managed')\n"
	for _, tc := range []struct {
		name, log string
		want      diagnostics.Class
	}{
		{"suspend", sleep, diagnostics.None},
		// Not a device failure; NetworkManager's own exit is what the
		// window shows (backend_unavailable, as any log ending in it).
		{"NetworkManager quitting", quitting, diagnostics.BackendUnavailable},
		// The device lines alone still show NetworkManager gone.
		{"devices taken down by a quitting NetworkManager", quitting[strings.Index(quitting, "\n")+1:], diagnostics.BackendUnavailable},
		// A device that had failed before NetworkManager quit: the window
		// ends with NetworkManager gone.
		{"failed, then quitting", "Mar 10 22:00:01 laptop NetworkManager[612]: <info>  [1710108001.0100] device (wlp4s0): state change: disconnected -> unavailable (reason 'supplicant-failed', sys-iface-state: 'managed')\n" +
			"Mar 10 22:00:01 laptop NetworkManager[612]: <info>  [1710108001.1500] device (wlp4s0): state change: unavailable -> unmanaged (reason 'unmanaged-quitting', managed-type: 'removed')\n", diagnostics.BackendUnavailable},
		{"unmanaged by the user", userUnmanaged, diagnostics.DeviceUnavailable},
	} {
		rep := diagnoseString(t, tc.log)
		if diff := cmp.Diff(tc.want, rep.Class); diff != "" {
			t.Errorf("%s: class (-want +got):\n%s\ndetail: %s", tc.name, diff, rep.Detail)
		}
	}
}

// TestDeviceRecoveredIsNoFailure (also the backend): NetworkManager retries a supplicant
// interface it could not create (nm-device-wifi.c, supplicant_interface_acquire
// and its retry timer); "unavailable -> disconnected (reason
// 'supplicant-available')" says the retry worked, and a window that ends
// there shows no unavailable device. Without the recovery it does.
func TestDeviceRecoveredIsNoFailure(t *testing.T) {
	const fail = "" +
		"Jul 17 15:57:33 host NetworkManager[778]: <info>  [1500278253.0001] device (wlp4s0): state change: unmanaged -> unavailable (reason 'managed', sys-iface-state: 'external')\n" +
		"Jul 17 15:57:33 host NetworkManager[778]: <error> [1500278253.1057] device (wlp4s0): Couldn't initialize supplicant interface\n"
	const recovered = fail +
		"Jul 17 15:57:38 host NetworkManager[778]: <info>  [1500278258.2000] device (wlp4s0): supplicant interface state: starting -> ready\n" +
		"Jul 17 15:57:38 host NetworkManager[778]: <info>  [1500278258.2100] device (wlp4s0): state change: unavailable -> disconnected (reason 'supplicant-available', sys-iface-state: 'managed')\n"
	const other = fail +
		"Jul 17 15:57:38 host NetworkManager[778]: <info>  [1500278258.2100] device (eth0): state change: unavailable -> disconnected (reason 'carrier-changed', sys-iface-state: 'managed')\n"
	for _, tc := range []struct {
		name, log string
		want      diagnostics.Class
	}{
		// wpa_supplicant did not create the interface: the daemon is
		// what failed (rec_networkmanager.go).
		{"failed", fail, diagnostics.BackendUnavailable},
		{"failed, then recovered", recovered, diagnostics.None},
		{"another device recovered", other, diagnostics.BackendUnavailable},
		{"the driver refused, then recovered", strings.Replace(recovered, "Couldn't initialize supplicant interface", "error adding interface: wpa_supplicant couldn't grab this interface.", 1), diagnostics.None},
		{"the driver refused", strings.Replace(fail, "Couldn't initialize supplicant interface", "error adding interface: wpa_supplicant couldn't grab this interface.", 1), diagnostics.DeviceUnavailable},
	} {
		rep := diagnoseString(t, tc.log)
		if diff := cmp.Diff(tc.want, rep.Class); diff != "" {
			t.Errorf("%s: class (-want +got):\n%s\ndetail: %s", tc.name, diff, rep.Detail)
		}
	}
}
