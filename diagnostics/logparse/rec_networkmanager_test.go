package logparse

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// nmCase is one NetworkManager line and the event it is, written from the
// upstream format string the comment names (NetworkManager git, tags 0.8,
// 0.9.10.0, 1.0.0 to 1.20.0 and main).
type nmCase struct {
	src, line string
	want      diagnostics.Event
	role      role
}

func nmCases() []nmCase {
	f, tr := diagnostics.Bool(false), diagnostics.Bool(true)
	const j = "Mar 10 10:00:00 host NetworkManager[600]: "
	return []nmCase{
		// wpa_supplicant, as the supplicant manager saw it.
		{"0.9 nm-supplicant-manager.c, name_owner_changed", j + "<info> wpa_supplicant stopped",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindBackend, OK: f, Name: "wpa_supplicant stopped"}, roleNone},
		{"0.9 nm-supplicant-manager.c, name_owner_changed", j + "<info> wpa_supplicant started",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindBackend, OK: tr, Name: "wpa_supplicant running"}, roleNone},
		{"1.10 nm-supplicant-manager.c, _update_name_owner", j + "<info>  [1700000000.1] sup-mgr: wpa_supplicant running",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindBackend, OK: tr, Name: "wpa_supplicant running"}, roleNone},
		{"1.10 nm-supplicant-manager.c, _update_name_owner", j + "<info>  [1700000000.1] sup-mgr: wpa_supplicant stopped",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindBackend, OK: f, Name: "wpa_supplicant stopped"}, roleNone},
		{"1.10 nm-supplicant-manager.c, _update_name_owner", j + "<info>  [1700000000.1] sup-mgr: wpa_supplicant die count 3; ignoring for 10 seconds",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindBackend, OK: f, Name: "wpa_supplicant keeps exiting"}, roleNone},
		{"1.10 nm-supplicant-manager.c, constructed", j + "<warn>  [1700000000.1] sup-mgr: failed to acquire wpa_supplicant proxy: Wi-Fi and 802.1x will not be available (timeout)",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindBackend, OK: f, Name: "wpa_supplicant unreachable over D-Bus"}, roleNone},
		{"main nm-supplicant-manager.c, nm_supplicant_manager_init", j + "<info>  [1700000000.1] supplicant: no D-Bus connection to talk to wpa_supplicant",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindBackend, OK: f, Name: "wpa_supplicant unreachable over D-Bus"}, roleNone},
		{"0.8 src/nm-device-wifi.c, supplicant_mgr_state_cb_handler", j + "<info> (wlan0): supplicant manager state:  idle -> down",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindBackend, OK: f, Name: "wpa_supplicant stopped", Iface: "wlan0"}, roleNone},
		{"0.8 src/nm-device-wifi.c, supplicant_mgr_state_cb_handler", j + "<info> (wlan0): supplicant manager state:  down -> idle",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindBackend, OK: tr, Name: "wpa_supplicant running", Iface: "wlan0"}, roleNone},
		{"0.9 nm-device-wifi.c, supplicant_interface_acquire", j + "<error> [1700000000.1] [nm-device-wifi.c:263] supplicant_interface_acquire(): Couldn't initialize supplicant interface for wlan0.",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindBackend, OK: f, Name: "wpa_supplicant interface could not be created", Iface: "wlan0"}, roleNone},
		{"1.20 nm-device-wifi.c, supplicant_interface_acquire", j + "<error> [1700000000.1] device (wlan0): Couldn't initialize supplicant interface",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindBackend, OK: f, Name: "wpa_supplicant interface could not be created", Iface: "wlan0"}, roleNone},
		{"main nm-device-wifi.c, _supplicant_interface_acquire_cb; wpa_supplicant dbus_new_handlers.c", j + "<error> [1700000000.1] device (wlan0): Couldn't initialize supplicant interface: GDBus.Error:fi.w1.wpa_supplicant1.UnknownError: wpa_supplicant couldn't grab this interface.",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDevice, OK: f, Name: "wpa_supplicant could not use the interface", Iface: "wlan0"}, roleNone},
		{"1.4 nm-device-wifi.c, supplicant_iface_state_cb", j + "<info>  [1700000000.1] device (wlan0): supplicant interface keeps failing, giving up",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindBackend, OK: f, Name: "wpa_supplicant interface keeps failing", Iface: "wlan0"}, roleNone},
		{"main nm-device-wifi.c, reacquire_interface_cb", j + "<warn>  [1700000000.1] device (wlan0): re-acquiring supplicant interface (#1).",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindNote, Name: "re-acquiring supplicant interface", Iface: "wlan0"}, roleNone},
		{"0.9 nm-device-wifi.c, is_available (debug)", j + "<debug> [1700000000.1] [nm-device-wifi.c:1183] is_available(): (wlan0): not available because supplicant not running",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindBackend, OK: f, Name: "wpa_supplicant not running", Iface: "wlan0"}, roleNone},
		{"1.0 nm-device-wifi.c, is_available (debug)", j + "<debug> [1700000000.1] [nm-device-wifi.c:1165] is_available(): (wlan0): not available because supplicant interface not ready",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindNote, Name: "not available because supplicant interface not ready", Iface: "wlan0"}, roleNone},

		// The device.
		{"main nm-device.c, _set_state_full", j + "<warn>  [1700000000.1] device (wlan0): firmware may be missing.",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDevice, OK: f, Name: "firmware missing", Iface: "wlan0"}, roleNone},
		{"0.9 nm-device.c, nm_device_state_changed", j + "<warn> (wlan0): firmware may be missing.",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDevice, OK: f, Name: "firmware missing", Iface: "wlan0"}, roleNone},
		{"0.8 nm-device.c, nm_device_state_changed", j + "<WARN>  nm_device_state_changed(): wlan0: firmware may be missing.",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDevice, OK: f, Name: "firmware missing"}, roleNone},
		{"main nm-manager.c, firmware_dir_changed", j + "<info>  [1700000000.1] device (wlan0): firmware may now be available",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindNote, Name: "firmware may now be available", Iface: "wlan0"}, roleNone},
		{"0.9 wifi-utils.c, wifi_utils_init", j + "<warn> (wlan0): failed to initialize WiFi driver",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDevice, OK: f, Name: "Wi-Fi driver initialization failed", Iface: "wlan0"}, roleNone},
		{"1.20 nm-wifi-factory.c, create_device", j + "<warn>  [1700000000.1] (wlan0) failed to initialize Wi-Fi driver for ifindex 3",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDevice, OK: f, Name: "Wi-Fi driver initialization failed", Iface: "wlan0"}, roleNone},
		{"0.8 nm-device.c, nm_device_state_changed", j + "<info> (wlan0): device state change: 5 -> 9 (reason 11)",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDeviceState, OldState: "config", State: "failed", Code: 11, Name: "supplicant-timeout", Iface: "wlan0"}, roleTerminal},
		{"0.8 nm-device.c, nm_device_state_changed", j + "<info> (wlan0): device state change: 6 -> 9 (reason 7)",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDeviceState, OldState: "need-auth", State: "failed", Code: 7, Name: "no-secrets", Iface: "wlan0"}, roleTerminal},
		{"0.8 nm-device.c, nm_device_state_changed (reason 0 is none, as in 1.x)", j + "<info> (wlan0): device state change: 3 -> 4 (reason 0)",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDeviceState, OldState: "disconnected", State: "prepare", Name: "none", Iface: "wlan0"}, roleNone},
		{"0.8 nm-device-wifi.c, real_act_stage2 failure", j + "<info> Activation (wlan0) failed for access point (Home)",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindNote, Name: "activation failed: Home", Iface: "wlan0"}, roleTerminal},
		{"0.8 nm-device.c, nm_device_activate_schedule_stage*", j + "<info> Activation (wlan0) failed.",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindNote, Name: "activation failed", Iface: "wlan0"}, roleTerminal},
		{"main nm-manager.c, nm_manager_start", j + "<info>  [1700000000.1] manager: Networking is disabled by state file",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDevice, OK: f, Name: "networking disabled in NetworkManager"}, roleNone},
		{"nm-manager.c audit of nmcli networking off", j + `<info>  [1700000000.1] audit: op="networking-control" arg="off" pid=1200 uid=1000 result="success"`,
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDevice, OK: f, Name: "networking disabled in NetworkManager"}, roleNone},
		{"nm-manager.c audit of nmcli networking on", j + `<info>  [1700000000.1] audit: op="networking-control" arg="on" pid=1200 uid=1000 result="success"`,
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDevice, OK: tr, Name: "networking enabled"}, roleNone},

		{"main nm-manager.c, validate_activation_request, in the audit", j + `<info>  [1700000000.1] audit: op="connection-activate" uuid="1b2c" name="Home" pid=1200 uid=0 result="fail" reason="No suitable device found for this connection (device wlan0 not available because device is not available)."`,
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDevice, OK: f, Name: "unavailable", Iface: "wlan0"}, roleTerminal},
		{"main nm-manager.c, _internal_activate_device, in the audit", j + `<info>  [1700000000.1] audit: op="connection-activate" uuid="1b2c" name="Home" pid=1200 uid=0 result="fail" reason="Connection 'Home' is not available on device wlan0 because device is strictly unmanaged"`,
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDevice, OK: f, Name: "unmanaged", Iface: "wlan0"}, roleTerminal},
		{"main nm-manager.c: a profile that does not fit the device is no device failure", j + `<info>  [1700000000.1] audit: op="connection-activate" uuid="1b2c" name="Home" pid=1200 uid=0 result="fail" reason="No suitable device found for this connection (device eth0 not available because profile is not compatible with device (mismatching interface name))."`,
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindNote, Name: "activation request failed: No suitable device found for this connection (device eth0 not available because profile is not compatible with device (mismatching interface name))."}, roleTerminal},

		// The radio at start-up.
		{"1.10 nm-manager.c, nm_manager_start", j + "<info>  [1700000000.1] manager: rfkill: Wi-Fi disabled by radio killswitch; enabled by state file",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindRadio, OK: f, Name: "soft-blocked"}, roleNone},
		{"0.9 nm-manager.c, nm_manager_start", j + "<info> WiFi enabled by radio killswitch; disabled by state file",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindRadio, OK: f, Name: "nm-disabled"}, roleNone},
		{"main nm-manager.c, nm_manager_start", j + "<info>  [1700000000.1] manager: rfkill: Wi-Fi enabled by radio killswitch; enabled by state file",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindRadio, OK: tr}, roleNone},

		// DHCP.
		{"0.9 nm-device.c, dhcp4_state_changed", j + "<info> (wlan0): DHCPv4 state changed preinit -> timeout",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDHCP, OK: f, Name: "timeout", Iface: "wlan0"}, roleNone},
		{"1.0 nm-dhcp-client.c, nm_dhcp_client_set_state", j + "<info>  (wlan0): DHCPv4 state changed unknown -> bound",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDHCP, OK: tr, Name: "bound", Iface: "wlan0"}, roleNone},
		{"1.0 nm-dhcp-client.c, nm_dhcp_client_set_state", j + "<info>  (wlan0): DHCPv4 state changed unknown -> fail",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDHCP, OK: f, Name: "fail", Iface: "wlan0"}, roleNone},
		{"0.8 nm-dhcp-manager.c, nm_dhcp_manager_handle_event", j + "<info> DHCP: device wlan0 state changed preinit -> timeout",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDHCP, OK: f, Name: "timeout", Iface: "wlan0"}, roleNone},
		{"0.8 nm-dhcp-manager.c, nm_dhcp_manager_handle_event", j + "<info> DHCP: device wlan0 state changed preinit -> bound",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDHCP, OK: tr, Name: "bound", Iface: "wlan0"}, roleNone},
		{"0.9 nm-dhcp-client.c, timeout_cb", j + "<warn> (wlan0): DHCPv4 client didn't bind to a lease.",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDHCP, OK: f, Name: "timeout", Iface: "wlan0"}, roleNone},
		{"0.8 nm-device.c, dhcp_timeout", j + "<WARN>  dhcp_timeout(): wlan0: dhcp client didn't bind to a lease.",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDHCP, OK: f, Name: "timeout", Iface: "wlan0"}, roleNone},
		{"0.8 nm-dhcp-manager.c, nm_dhcp_manager_handle_timeout", j + "<info> (wlan0): DHCP transaction took too long, stopping it.",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDHCP, OK: f, Name: "timeout", Iface: "wlan0"}, roleNone},
		{"1.4 nm-dhcp-dhclient.c, dhclient_start", j + "<warn>  [1700000000.1] dhcp4 (wlan0): dhclient failed to start: 'Failed to execute child process \"/sbin/dhclient\" (No such file or directory)'",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDHCP, OK: f, Name: "dhclient failed to start", Iface: "wlan0"}, roleNone},
		{"0.9 nm-dhcp-dhclient.c, dhclient_start", j + "<warn> dhclient failed to start: 'Failed to execute child process'",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDHCP, OK: f, Name: "dhclient failed to start"}, roleNone},
		{"1.4 nm-dhcp-manager.c, nm_dhcp_manager_init", j + "<warn>  [1700000000.1] dhcp-init: No usable DHCP client found! DHCP configurations will fail",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDHCP, OK: f, Name: "no usable DHCP client"}, roleNone},

		// Secrets, permissions, scans.
		{"0.9 nm-device-wifi.c, wifi_secrets_cb; nm-agent-manager.c", j + "<warn> No agents were available for this request.",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindNote, Name: "no secret agent available"}, roleNone},
		{"main nm-device-wifi.c, wifi_secrets_cb", j + "<warn>  [1700000000.1] device (wlan0): no secrets: No agents were available for this request.",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindNote, Name: "no secret agent available", Iface: "wlan0"}, roleNone},
		{"main nm-device-wifi.c, wifi_secrets_cb", j + "<warn>  [1700000000.1] device (wlan0): no secrets: User canceled the secrets request.",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindNote, Name: "no secrets: User canceled the secrets request.", Iface: "wlan0"}, roleNone},
		{"main nm-manager.c, device_auth_done_cb (debug)", j + "<debug> [1700000000.1] manager: org.freedesktop.NetworkManager.network-control request failed: not authorized",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindPermission, Name: "org.freedesktop.NetworkManager.network-control"}, roleNone},
		{"0.9 nm-device-wifi.c, request_wireless_scan (debug)", j + "<debug> [1700000000.1] [nm-device-wifi.c:1572] request_wireless_scan(): (wlan0): scan requested but not allowed at this time",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindScanBusy, Name: diagnostics.ScanDeferred, Iface: "wlan0"}, roleNone},
		{"1.22 on nm-device-wifi.c, _scan_kickoff (trace)", j + "<trace> [1700000000.1] device[5b3c0ab5d2cfe4a1] (wlan0): wifi-scan: kickoff: don't scan (explicit scan requested but not allowed)",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindScanBusy, Name: diagnostics.ScanDeferred, Iface: "wlan0"}, roleNone},
		{"main nm-device-wifi.c, link_timeout_cb", j + "<warn>  [1700000000.1] device (wlan0): link timed out.",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindNote, Name: "link timed out", Iface: "wlan0"}, roleNone},
	}
}

func TestNetworkManagerLines(t *testing.T) {
	for _, tc := range nmCases() {
		got, r, ok := parseOne(tc.line)
		if !ok {
			t.Errorf("%s: %q not recognised", tc.src, tc.line)
			continue
		}
		if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(diagnostics.Event{}, "Time", "Message", "Line")); diff != "" {
			t.Errorf("%s: %q (-want +got)\n%s", tc.src, tc.line, diff)
		}
		if r != tc.role {
			t.Errorf("%s: %q role %v, want %v", tc.src, tc.line, r, tc.role)
		}
	}
}

// nmLookAlikes are NetworkManager lines every healthy machine logs: none
// is a failure.
var nmLookAlikes = []string{
	"Mar 10 10:00:00 host NetworkManager[600]: <info>  [1700000000.1] rfkill0: found Wi-Fi radio killswitch (at /sys/devices/pci0000:00/0000:00:14.3/ieee80211/phy0/rfkill0) (driver iwlwifi)",
	"Mar 10 10:00:00 host NetworkManager[600]: <info> Found WiFi radio killswitch rfkill0 (at /sys/devices/pci0000:00/rfkill0) (driver iwlwifi)",
	"Mar 10 10:00:00 host NetworkManager[600]: <info>  [1700000000.1] manager: Networking is enabled by state file",
	"Mar 10 10:00:00 host NetworkManager[600]: <info>  [1700000000.1] manager: rfkill: WWAN disabled by radio killswitch; enabled by state file",
	"Mar 10 10:00:00 host NetworkManager[600]: <info>  [1700000000.1] sup-mgr: wpa_supplicant die count reset",
	"Mar 10 10:00:00 host NetworkManager[600]: <info> (wlan0): DHCPv4 client pid 1234 exited with status 0",
	"Mar 10 10:00:00 host NetworkManager[600]: <info>  [1700000000.1] device (p2p-dev-wlan0): state change: unmanaged -> unavailable (reason 'managed', sys-iface-state: 'external')",
	"Mar 10 10:00:00 host NetworkManager[600]: <info> (wlan0): DHCPv4 state changed bound -> stop",
	"Mar 10 10:00:00 host NetworkManager[600]: <info> Activation (wlan0) Stage 3 of 5 (IP Configure Start) failed (no IP configuration found)",
	// 1.22 on, nm-device-wifi.c _scan_kickoff: periodic scanning off while
	// connected (trace).
	"Mar 10 10:00:00 host NetworkManager[600]: <trace> [1700000000.1] device[5b3c0ab5d2cfe4a1] (wlan0): wifi-scan: kickoff: don't scan (periodic scan currently not allowed)",
	// Another daemon's words.
	"Mar 10 10:00:00 host someapp[90]: wpa_supplicant stopped",
	"Error: Failed to add/activate new connection: org.freedesktop.NetworkManager.network-control request failed: not authorized",
}

func TestNetworkManagerLookAlikes(t *testing.T) {
	for _, line := range nmLookAlikes {
		e, _, ok := parseOne(line)
		if ok && (e.Failed() || e.Kind == diagnostics.KindPermission) && e.Source == diagnostics.SourceNM {
			t.Errorf("%q gave a failure %+v", line, e)
		}
	}
}

// A healthy start-up: the device passes through unavailable while
// wpa_supplicant starts, then joins. Nothing fails.
func TestNetworkManagerHealthyStartup(t *testing.T) {
	log := `Mar 10 10:00:00 host NetworkManager[600]: <info> (wlan0): device state change: 1 -> 2 (reason 2)
Mar 10 10:00:00 host NetworkManager[600]: <debug> [1700000000.1] [nm-device-wifi.c:1165] is_available(): (wlan0): not available because supplicant interface not ready
Mar 10 10:00:01 host NetworkManager[600]: <info> wpa_supplicant started
Mar 10 10:00:01 host NetworkManager[600]: <info> (wlan0): device state change: 2 -> 3 (reason 42)
Mar 10 10:00:02 host NetworkManager[600]: <info> Activation (wlan0) starting connection 'Home'
Mar 10 10:00:02 host NetworkManager[600]: <info> (wlan0): device state change: 3 -> 4 (reason 0)
Mar 10 10:00:03 host NetworkManager[600]: <info> (wlan0): device state change: 4 -> 5 (reason 0)
Mar 10 10:00:05 host NetworkManager[600]: <info> (wlan0): device state change: 5 -> 7 (reason 0)
Mar 10 10:00:06 host NetworkManager[600]: <info> DHCP: device wlan0 state changed preinit -> bound
Mar 10 10:00:06 host NetworkManager[600]: <info> (wlan0): device state change: 7 -> 8 (reason 0)
Mar 10 10:00:06 host NetworkManager[600]: <info> Activation (wlan0) successful, device activated.
`
	rep, err := Diagnose(context.Background(), strings.NewReader(log), Options{Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Class != diagnostics.None {
		t.Errorf("class %s (%s), want none", rep.Class, rep.Detail)
	}
}

// Failures in 0.8 to 1.x words reach their class.
func TestNetworkManagerCauses(t *testing.T) {
	const j = "Mar 10 10:00:0%d host NetworkManager[600]: "
	line := func(i int, s string) string { return strings.Replace(j, "%d", string(rune('0'+i)), 1) + s + "\n" }
	for _, tc := range []struct {
		name, log string
		want      diagnostics.Class
	}{
		{"0.9: wpa_supplicant gone mid-activation",
			line(0, "<info> Activation (wlan0) starting connection 'Home'") +
				line(1, "<info> wpa_supplicant stopped") +
				line(2, "<info> (wlan0): device state change: 50 -> 20 (reason 10)"),
			diagnostics.BackendUnavailable},
		{"0.8: supplicant timeout (as 1.x's supplicant-timeout in config)",
			line(0, "<info> Activation (wlan0) starting connection 'Home'") +
				line(1, "<info> (wlan0): device state change: 4 -> 5 (reason 0)") +
				line(5, "<info> (wlan0): device state change: 5 -> 9 (reason 11)") +
				line(6, "<info> Activation (wlan0) failed for access point (Home)"),
			diagnostics.AssocRejected},
		{"0.8: DHCP timeout",
			line(0, "<info> Activation (wlan0) starting connection 'Home'") +
				line(1, "<info> (wlan0): device state change: 5 -> 7 (reason 0)") +
				line(5, "<info> (wlan0): DHCP transaction took too long, stopping it.") +
				line(6, "<info> (wlan0): device state change: 7 -> 9 (reason 5)"),
			diagnostics.DHCPFailed},
		{"1.x: the radio blocked at start-up",
			line(0, "<info>  [1700000000.1] manager: rfkill: Wi-Fi disabled by radio killswitch; enabled by state file"),
			diagnostics.RadioOff},
		{"1.x: blocked at start-up, unblocked later",
			line(0, "<info>  [1700000000.1] manager: rfkill: Wi-Fi disabled by radio killswitch; enabled by state file") +
				line(5, "<info>  [1700000005.1] manager: rfkill: Wi-Fi now enabled by radio killswitch"),
			diagnostics.None},
		{"1.20: wpa_supplicant restarted",
			line(0, "<info>  [1700000000.1] sup-mgr: wpa_supplicant stopped") +
				line(2, "<info>  [1700000002.1] sup-mgr: wpa_supplicant running"),
			diagnostics.None},
		{"1.22: wpa_supplicant would not make the interface",
			line(0, "<error> [1700000000.1] device (wlan0): Couldn't initialize supplicant interface: Timeout was reached"),
			diagnostics.BackendUnavailable},
		{"1.x: firmware missing",
			line(0, "<info>  [1700000000.1] device (wlan0): state change: unmanaged -> unavailable (reason 'managed', sys-iface-state: 'external')") +
				line(1, "<warn>  [1700000001.1] device (wlan0): firmware may be missing.") +
				line(2, `<info>  [1700000002.1] audit: op="connection-activate" uuid="1" name="Home" pid=1 uid=0 result="fail" reason="No suitable device found for this connection (device wlan0 not available because device is not available)."`),
			diagnostics.DeviceUnavailable},
	} {
		rep, err := Diagnose(context.Background(), strings.NewReader(tc.log), Options{Year: 2024})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Class != tc.want {
			t.Errorf("%s: class %s (%s), want %s", tc.name, rep.Class, rep.Detail, tc.want)
		}
	}
}

// A 1.x start-up and a shutdown after a join: the killswitch inventory,
// the start-up radio and networking state, wpa_supplicant appearing, the
// device passing through unavailable, the p2p-dev device unmanaged, and at
// the end wpa_supplicant going away with NetworkManager. Nothing fails.
func TestNetworkManagerHealthyStartupAndShutdown(t *testing.T) {
	join := []string{
		nmLine(0, "rfkill0: found Wi-Fi radio killswitch (at /sys/devices/pci0000:00/0000:00:14.3/ieee80211/phy0/rfkill0) (driver iwlwifi)"),
		nmLine(0, "manager: rfkill: Wi-Fi enabled by radio killswitch; enabled by state file"),
		nmLine(0, "manager: rfkill: WWAN enabled by radio killswitch; enabled by state file"),
		nmLine(0, "manager: Networking is enabled by state file"),
		nmLine(1, "device (wlan0): state change: unmanaged -> unavailable (reason 'managed', sys-iface-state: 'external')"),
		nmLine(1, "sup-mgr: wpa_supplicant running"),
		nmLine(1, "device (p2p-dev-wlan0): state change: unknown -> unmanaged (reason 'none', sys-iface-state: 'external')"),
		nmLine(2, "device (wlan0): supplicant interface state: starting -> ready"),
		nmLine(2, "device (wlan0): state change: unavailable -> disconnected (reason 'supplicant-available', sys-iface-state: 'managed')"),
		nmLine(3, "device (wlan0): Activation: starting connection 'Home' (1)"),
		nmLine(8, "device (wlan0): state change: secondaries -> activated (reason 'none', sys-iface-state: 'managed')"),
		nmLine(8, "device (wlan0): Activation: successful, device activated."),
	}
	stop := []string{
		nmLine(100, "caught SIGTERM, shutting down normally."),
		nmLine(100, "device (wlan0): state change: activated -> unmanaged (reason 'unmanaged', sys-iface-state: 'managed')"),
		nmLine(100, "sup-mgr: wpa_supplicant stopped"),
		nmLine(101, "exiting (success)"),
	}
	for _, lines := range [][]string{join, append(append([]string{}, join...), stop...)} {
		rep, err := Diagnose(context.Background(), strings.NewReader(strings.Join(lines, "\n")), Options{Year: 2023})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Class != diagnostics.None {
			t.Errorf("%d lines: class %s (%s), want none", len(lines), rep.Class, rep.Detail)
		}
	}
}
