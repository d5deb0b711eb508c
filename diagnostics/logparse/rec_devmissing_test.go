package logparse

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// TestSupplicantDeviceLines: wpa_supplicant's lines about an interface it
// cannot use or a radio that is blocked, in the formats of the hostap
// sources cited per case.
func TestSupplicantDeviceLines(t *testing.T) {
	f := diagnostics.Bool(false)
	for _, tc := range []struct {
		src, line string
		want      *diagnostics.Event
	}{
		{"wpa_supplicant.c wpas_init_driver (MSG_ERROR, after the last -D driver)",
			"Dec 03 10:00:01 host wpa_supplicant[409]: wlan0: Failed to initialize driver interface",
			&diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindDevice, OK: f, Name: "wpa_supplicant could not use the interface", Iface: "wlan0"}},
		{"wpa_supplicant.c wpas_init_driver (MSG_DEBUG: the next -D driver is tried)",
			"Dec 03 10:00:01 host wpa_supplicant[1414]: wlp44s0f0: Failed to initialize driver interface - try next driver wrapper",
			&diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindNote, Name: "driver wrapper fallback", Iface: "wlp44s0f0"}},
		{"the same with -d's timestamp",
			"1759396597.850034: wlp44s0f0: Failed to initialize driver interface - try next driver wrapper",
			&diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindNote, Name: "driver wrapper fallback", Iface: "wlp44s0f0"}},
		{"wpa_supplicant.c wpa_supplicant_init_iface: the configuration, still the daemon's",
			"Dec 03 10:00:01 host wpa_supplicant[409]: Failed to read or parse configuration '/etc/wpa_supplicant.conf'.",
			&diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindBackend, OK: f, Name: "wpa_supplicant could not start"}},
		{"events.c wpa_supplicant_event_interface_status: removed",
			"Dec 03 10:00:01 host wpa_supplicant[409]: wlx00c0ca001122: Configured interface was removed",
			&diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindDevice, OK: f, Name: "missing (interface removed)", Iface: "wlx00c0ca001122"}},
		{"events.c wpa_supplicant_event_interface_status: added again",
			"Dec 03 10:00:05 host wpa_supplicant[409]: wlx00c0ca001122: Configured interface was added",
			&diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindDevice, OK: diagnostics.Bool(true), Name: "interface added", Iface: "wlx00c0ca001122"}},
		{"events.c wpa_supplicant_event_interface_status: added, driver init failed",
			"Dec 03 10:00:05 host wpa_supplicant[409]: wlan0: Failed to initialize the driver after interface was added",
			&diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindDevice, OK: f, Name: "wpa_supplicant could not use the interface", Iface: "wlan0"}},
		{"driver_nl80211.c wpa_driver_nl80211_init_nl_global",
			"Dec 03 10:00:01 host wpa_supplicant[409]: nl80211: 'nl80211' generic netlink not found",
			&diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindDevice, OK: f, Name: "missing (nl80211 not found, cfg80211 not loaded)"}},
		{"driver_nl80211.c wpa_driver_nl80211_finish_drv_init (MSG_DEBUG)",
			"Dec 03 10:00:01 host wpa_supplicant[409]: nl80211: Could not yet enable interface 'wlan0' due to rfkill",
			&diagnostics.Event{Source: diagnostics.SourceRfkill, Kind: diagnostics.KindRadio, OK: f, Name: "rfkill-blocked", Iface: "wlan0"}},
	} {
		got, _, ok := parseOne(tc.line)
		if tc.want == nil {
			if ok && got.Kind != diagnostics.KindNote {
				t.Errorf("%s: %q: got %v, want no event", tc.src, tc.line, got)
			}
			continue
		}
		if !ok {
			t.Errorf("%s: %q not recognised", tc.src, tc.line)
			continue
		}
		if diff := cmp.Diff(*tc.want, got, cmpopts.IgnoreFields(diagnostics.Event{}, "Time", "Message", "Line")); diff != "" {
			t.Errorf("%s: %q (-want +got)\n%s", tc.src, tc.line, diff)
		}
	}
}

// TestSupplicantDeviceLogs: whole logs. The interface missing when
// wpa_supplicant starts is the device's failure; with systemd's report of
// the daemon's exit after it, the daemon's (the last backend event
// decides, classify.go); the nl80211 driver refusing and wext taking the
// interface is healthy.
func TestSupplicantDeviceLogs(t *testing.T) {
	missing := "Dec 03 10:00:01 host wpa_supplicant[409]: Could not read interface wlan0 flags: No such device\n" +
		"Dec 03 10:00:01 host wpa_supplicant[409]: nl80211: Driver does not support authentication/association or connect commands\n" +
		"Dec 03 10:00:01 host wpa_supplicant[409]: wlan0: Failed to initialize driver interface\n"
	exited := missing + "Dec 03 10:00:01 host systemd[1]: wpa_supplicant.service: Main process exited, code=exited, status=255/n/a\n"
	fallback := "Dec 03 10:00:01 host wpa_supplicant[1414]: wlan0: Failed to initialize driver interface - try next driver wrapper\n" +
		"Dec 03 10:00:02 host wpa_supplicant[1414]: wlan0: CTRL-EVENT-CONNECTED - Connection to 00:11:22:33:44:55 completed [id=0 id_str=]\n"
	blocked := "Dec 03 10:00:01 host wpa_supplicant[409]: nl80211: Could not yet enable interface 'wlan0' due to rfkill\n"
	// A USB adapter unplugged, and plugged back in.
	unplugged := "Dec 03 10:00:01 host wpa_supplicant[409]: wlan0: Configured interface was removed\n"
	replugged := unplugged + "Dec 03 10:00:05 host wpa_supplicant[409]: wlan0: Configured interface was added\n"
	for _, tc := range []struct {
		name, log string
		want      diagnostics.Class
	}{
		{"interface missing", missing, diagnostics.DeviceUnavailable},
		{"then the daemon exited", exited, diagnostics.BackendUnavailable},
		{"driver wrapper fallback", fallback, diagnostics.None},
		{"rfkill at start", blocked, diagnostics.RadioOff},
		{"adapter unplugged", unplugged, diagnostics.DeviceUnavailable},
		{"adapter plugged back in", replugged, diagnostics.None},
	} {
		if got := classifyLog(t, tc.log); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
}

// TestNMDeviceLines: NetworkManager's lines about a Wi-Fi device it cannot
// drive (nm-manager.c, cited per case).
func TestNMDeviceLines(t *testing.T) {
	f := diagnostics.Bool(false)
	for _, tc := range []struct {
		src, line string
		want      *diagnostics.Event
	}{
		{"nm-manager.c: the Wi-Fi plugin (NetworkManager-wifi) not installed",
			"Sep  4 10:00:01 host NetworkManager[812]: <info>  [1536048001.1234] manager: (wlp2s0): 'wifi' plugin not available; creating generic device",
			&diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDevice, OK: f, Name: "NetworkManager Wi-Fi plugin missing", Iface: "wlp2s0"}},
		{"nmcli, nm-device.c nm_device_complete_connection on a generic device",
			"Error: Failed to add/activate new connection: Device class NMDeviceGeneric had no complete_connection method",
			&diagnostics.Event{Source: diagnostics.SourceNmcli, Kind: diagnostics.KindDevice, OK: f, Name: "generic device (NetworkManager Wi-Fi plugin missing)"}},
		{"nm-manager.c: another link type's plugin",
			"Sep  4 10:00:01 host NetworkManager[812]: <info>  [1536048001.1234] manager: (wwan0): 'wwan' plugin not available; creating generic device",
			nil},
	} {
		got, _, ok := parseOne(tc.line)
		if tc.want == nil {
			if ok && got.Kind != diagnostics.KindNote {
				t.Errorf("%s: %q: got %v, want no event", tc.src, tc.line, got)
			}
			continue
		}
		if !ok {
			t.Errorf("%s: %q not recognised", tc.src, tc.line)
			continue
		}
		if diff := cmp.Diff(*tc.want, got, cmpopts.IgnoreFields(diagnostics.Event{}, "Time", "Message", "Line")); diff != "" {
			t.Errorf("%s: %q (-want +got)\n%s", tc.src, tc.line, diff)
		}
	}
}
