package logparse

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// nmcli's error lines, in the wording of NetworkManager src/nmcli/devices.c
// (do_device_wifi_connect, connect_device_cb).
func TestNmcliErrors(t *testing.T) {
	ssidNotFound := deviceState("", "failed", "ssid-not-found", nil)
	ssidNotFound.Source, ssidNotFound.BSSID = diagnostics.SourceNmcli, "90:3a:72:00:00:01"
	unavailable := diagnostics.Event{Source: "nmcli", Kind: "device", OK: no, Name: "unavailable"}
	tests := []struct {
		name string
		line string
		want []diagnostics.Event
	}{
		{"no AP with BSSID", "Error: No access point with BSSID '90:3A:72:00:00:01' found.", []diagnostics.Event{ssidNotFound}},
		{"AP with bssid not found", "Error: Access point with bssid '90:3A:72:00:00:01' not found.", []diagnostics.Event{ssidNotFound}},
		{"not a Wi-Fi device", "Error: Device 'eth0' is not a Wi-Fi device.", nil}, // eth0 is not a Wi-Fi interface: notWifi drops it
		{"not a Wi-Fi device, Wi-Fi name", "Error: Device 'wlan1' is not a Wi-Fi device.",
			[]diagnostics.Event{{Source: "nmcli", Kind: "device", OK: no, Name: "not a Wi-Fi device", Iface: "wlan1"}}},
		{"device activation failed", "Error: Device activation failed: No suitable device found for this connection (device wlan0 not available because device is not available).",
			[]diagnostics.Event{unavailable}},
		// nm-manager.c, _internal_activate_device: the device's own
		// state is the reason; a profile that does not match it is not
		// the device's failure.
		{"connection not available, device unavailable", "Error: Connection activation failed: Connection 'HomeNet' is not available on device wlan0 because device is not available",
			[]diagnostics.Event{{Source: "nmcli", Kind: "device", OK: no, Name: "unavailable", Iface: "wlan0"}}},
		{"connection not available, device unmanaged", "Error: Failed to add/activate new connection: Connection 'HomeNet' is not available on device wlp2s0 because device is strictly unmanaged",
			[]diagnostics.Event{{Source: "nmcli", Kind: "device", OK: no, Name: "unmanaged", Iface: "wlp2s0"}}},
		// NetworkManager's iwd backend (nm-device-iwd.c,
		// dbus_request_scan_cb): the device is activating or iwd busy.
		{"scanning not allowed at this time", "Error: Scanning not allowed at this time.",
			[]diagnostics.Event{{Source: "nmcli", Kind: "scan_busy", Name: "scanning not allowed"}}},
		// Python's subprocess.CalledProcessError around nmcli; exit
		// status 8 is NMC_RESULT_ERROR_NM_NOT_RUNNING (src/nmcli/nmcli.h).
		{"nmcli exit 8", "subprocess.CalledProcessError: Command '['nmcli', '-t', 'device']' returned non-zero exit status 8.",
			[]diagnostics.Event{{Source: "nmcli", Kind: "backend", OK: no, Name: "networkmanager"}}},
		{"nmcli exit 1", "Command '['nmcli', 'd', 'wifi', 'rescan']' returned non-zero exit status 1.", nil},
	}
	for _, tt := range tests {
		got := parseSeq(tt.line)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}
