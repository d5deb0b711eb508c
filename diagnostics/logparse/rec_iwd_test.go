package logparse

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// The lines below are written from iwd 2.22's format strings (see
// rec_iwd.go for each one's file and function); no public sample was used
// unless a comment names one.

// iwdSeedLines are this file's lines, for the fuzz seeds.
var iwdSeedLines = func() []string {
	var out []string
	for _, c := range iwdCases {
		out = append(out, c.line)
	}
	return out
}()

var iwdCases = []struct {
	line string
	want []diagnostics.Event
	role role
}{
	// station.c, station_enter_state (iwd >= 2.15).
	{`Mar 10 12:00:01 pi iwd[512]: event: state, old: disconnected, new: connecting`,
		[]diagnostics.Event{{Source: "iwd", Kind: "activation_start", Name: "iwd connecting"}}, roleStartRequest},
	{`Mar 10 12:00:01 pi iwd[512]: event: state, old: autoconnect_quick, new: connecting (auto)`,
		[]diagnostics.Event{{Source: "iwd", Kind: "activation_start", Name: "iwd connecting (auto)"}}, roleStartRequest},
	{`Mar 10 12:00:02 pi iwd[512]: event: state, old: connecting, new: connected`,
		[]diagnostics.Event{{Source: "iwd", Kind: "supplicant_state", State: "completed"}}, roleNone},
	{`Mar 10 12:00:02 pi iwd[512]: event: state, old: connecting (netconfig), new: connected`,
		[]diagnostics.Event{{Source: "iwd", Kind: "joined", Name: "iwd connected"}}, roleTerminal},
	{`Mar 10 12:00:40 pi iwd[512]: event: state, old: connecting (netconfig), new: disconnecting`,
		[]diagnostics.Event{{Source: "iwd", Kind: "dhcp", OK: no, Name: "iwd netconfig failed"}}, roleTerminal},
	{`Mar 10 12:00:05 pi iwd[512]: event: state, old: connecting, new: disconnected`,
		[]diagnostics.Event{{Source: "iwd", Kind: "note", Name: "iwd connect failed", OldState: "connecting", State: "disconnected"}}, roleTerminal},
	{`Mar 10 12:00:05 pi iwd[512]: event: state, old: connected, new: roaming`,
		[]diagnostics.Event{{Source: "iwd", Kind: "note", Name: "iwd roaming", OldState: "connected", State: "roaming"}}, roleNone},
	// ell/dhcp.c through iwd's netconfig do_debug (IWD_DHCP_DEBUG=1).
	{`Mar 10 12:00:03 pi iwd[512]: [DHCPv4] dhcp_client_send_discover:322 `,
		[]diagnostics.Event{{Source: "iwd", Kind: "note", Name: "DHCPDISCOVER"}}, roleNone},
	{`Mar 10 12:00:03 pi iwd[512]: [DHCPv4] l_dhcp_client_start:1215 Entering state: DHCP_STATE_SELECTING`,
		[]diagnostics.Event{{Source: "iwd", Kind: "note", Name: "iwd DHCPv4 selecting"}}, roleNone},
	{`Mar 10 12:00:04 pi iwd[512]: [DHCPv4] dhcp_client_handle_offer:806 Entering state: DHCP_STATE_REQUESTING`,
		[]diagnostics.Event{{Source: "iwd", Kind: "note", Name: "DHCPOFFER"}}, roleNone},
	{`Mar 10 12:00:04 pi iwd[512]: [DHCPv4] dhcp_client_rx_message:910 Entering state: DHCP_STATE_BOUND`,
		[]diagnostics.Event{{Source: "iwd", Kind: "note", Name: "DHCPACK"}}, roleNone},
	{`Mar 10 12:00:04 pi iwd[512]: [DHCPv4] dhcp_client_rx_message:895 Received NAK, Stopping...`,
		[]diagnostics.Event{{Source: "iwd", Kind: "note", Name: "DHCPNAK"}}, roleNone},
	{`Mar 10 12:01:04 pi iwd[512]: [DHCPv4] dhcp_client_timeout_resend:569 Max request/discover attempts reached`,
		[]diagnostics.Event{{Source: "iwd", Kind: "dhcp", OK: no, Name: "iwd DHCPv4: max attempts reached"}}, roleNone},
	{`Mar 10 12:00:04 pi iwd[512]: [DHCPv4] dhcp_client_send_request:387 `, nil, roleNone},
	// station.c, station_retry_with_status / station_retry_with_reason.
	{`iwd[512]: event: connect-failed, status: 17`,
		[]diagnostics.Event{{Source: "iwd", Kind: "auth_status", Code: 17}}, roleTerminal},
	{`iwd[512]: event: connect-failed, reason: 15`,
		[]diagnostics.Event{{Source: "iwd", Kind: "psk_mismatch"}}, roleTerminal},
	{`iwd[512]: event: connect-failed, reason: 17`,
		[]diagnostics.Event{{Source: "iwd", Kind: "disconnect", Code: -17}}, roleTerminal},
	// netdev.c, netdev_handshake_failed.
	{`iwd[512]: 4-Way handshake failed for ifindex: 3, reason: 15`,
		[]diagnostics.Event{{Source: "iwd", Kind: "psk_mismatch"}}, roleTerminal},
	{`iwd[512]: 4-Way handshake failed for ifindex: 3, reason: 23`,
		[]diagnostics.Event{{Source: "iwd", Kind: "disconnect", Code: -23}}, roleTerminal},
	// netdev.c: the timeouts.
	{`iwd[512]: event: authentication-timeout, `,
		[]diagnostics.Event{{Source: "iwd", Kind: "auth_timeout"}}, roleNone},
	{`iwd[512]: event: association-timeout, `,
		[]diagnostics.Event{{Source: "iwd", Kind: "assoc_timeout"}}, roleNone},
	{`iwd[512]: event: connect-timeout, reason: 2`,
		[]diagnostics.Event{{Source: "iwd", Kind: "auth_timeout"}}, roleNone},
	{`iwd[512]: event: connect-timeout, reason: 3`,
		[]diagnostics.Event{{Source: "iwd", Kind: "assoc_timeout"}}, roleNone},
	{`iwd[512]: event: connect-timeout, reason: 1`,
		[]diagnostics.Event{{Source: "iwd", Kind: "note", Name: "connect-timeout", Code: 1}}, roleNone},
	// netdev.c, netdev_disconnect_event and netdev_deauthenticate_event.
	{`iwd[512]: Received Deauthentication event, reason: 2, from_ap: true`,
		[]diagnostics.Event{{Source: "iwd", Kind: "disconnect", Code: 2}}, roleNone},
	{`iwd[512]: Received Deauthentication event, reason: 3, from_ap: false`,
		[]diagnostics.Event{{Source: "iwd", Kind: "disconnect", Code: -3}}, roleNone},
	{`iwd[512]: deauth event, src=00:11:22:33:44:55 dest=66:77:88:99:aa:bb bssid=00:11:22:33:44:55 reason=6`,
		[]diagnostics.Event{{Source: "iwd", Kind: "disconnect", Code: 6, BSSID: "00:11:22:33:44:55"}}, roleNone},
	{`iwd[512]: authentication timed out`,
		[]diagnostics.Event{{Source: "iwd", Kind: "auth_timeout"}}, roleNone},
	{`iwd[512]: authentication event timed out`,
		[]diagnostics.Event{{Source: "iwd", Kind: "auth_timeout"}}, roleNone},
	{`iwd[512]: association timed out`,
		[]diagnostics.Event{{Source: "iwd", Kind: "assoc_timeout"}}, roleNone},
	{`iwd[512]: unprotected disconnect event, src=00:11:22:33:44:55 dest=66:77:88:99:aa:bb bssid=00:11:22:33:44:55 reason=7`,
		[]diagnostics.Event{{Source: "iwd", Kind: "note", Name: "unprotected disassociation (SA Query)"}}, roleNone},
	{`iwd[512]: disconnect event, src=00:11:22:33:44:55 dest=66:77:88:99:aa:bb bssid=00:11:22:33:44:55 reason=7`,
		[]diagnostics.Event{{Source: "iwd", Kind: "note", Name: "unprotected disassociation (SA Query)"}}, roleNone},
	// The kernel's own wording is the kernel recognizer's.
	{`kernel: wlan0: authentication with 00:11:22:33:44:55 timed out`,
		[]diagnostics.Event{{Source: "kernel", Kind: "auth_timeout", BSSID: "00:11:22:33:44:55", Iface: "wlan0"}}, roleNone},
	{`iwd[512]: event: disconnect-info, reason: 2`,
		[]diagnostics.Event{{Source: "iwd", Kind: "note", Name: "disconnect-info"}}, roleNone},
	// scan.c, scan_request_triggered.
	{`iwd[512]: Received error during CMD_TRIGGER_SCAN: Network is down (100)`,
		[]diagnostics.Event{{Source: "iwd", Kind: "note", Code: -100, Name: "scan refused: interface down (ENETDOWN)"}}, roleNone},
	{`iwd[512]: Received error during CMD_TRIGGER_SCAN: Resource temporarily unavailable (11)`,
		[]diagnostics.Event{{Source: "iwd", Kind: "scan_busy", Code: -11, Name: "EAGAIN"}}, roleNone},
	{`iwd[512]: Received error during CMD_TRIGGER_SCAN: Invalid argument (22)`,
		[]diagnostics.Event{{Source: "iwd", Kind: "scan_done", OK: no, Code: -22, Name: "Invalid argument"}}, roleNone},
	{`iwd[512]: Received error during CMD_TRIGGER_SCAN: Operation not possible due to RF-kill (132)`,
		[]diagnostics.Event{{Source: "iwd", Kind: "radio", OK: no, Code: -132, Name: "rfkill-blocked (scan refused)"}}, roleNone},
	{`iwd[512]: Received error during CMD_TRIGGER_SCAN: Device or resource busy (16)`,
		[]diagnostics.Event{{Source: "iwd", Kind: "scan_busy", Code: -16, Name: "EBUSY"}}, roleNone},
	// netdev.c, netdev_initial_up_cb.
	{`iwd[512]: Error bringing interface 3 up: Operation not possible due to RF-kill`,
		[]diagnostics.Event{{Source: "iwd", Kind: "radio", OK: no, Name: "rfkill-blocked (interface up refused)"}}, roleNone},
	// main.c.
	{`iwd[512]: Name request failed`,
		[]diagnostics.Event{{Source: "iwd", Kind: "backend", OK: no, Name: "iwd: Name request failed"}}, roleNone},
	{`iwd[512]: D-Bus disconnected, quitting...`,
		[]diagnostics.Event{{Source: "iwd", Kind: "backend", OK: no, Name: "iwd: D-Bus disconnected, quitting"}}, roleNone},
	{`iwd[512]: Unexpected connection related event -- is another supplicant running?`,
		[]diagnostics.Event{{Source: "iwd", Kind: "note", Name: "another supplicant running?"}}, roleNone},
	// iwctl: src/dbus.c's messages, printed by client/dbus-proxy.c.
	{"\x1b[0;91mOperation failed\x1b[0m",
		[]diagnostics.Event{{Source: "iwd", Kind: "note", Name: "iwctl: Operation failed"}}, roleTerminal},
	{"Operation already in progress",
		[]diagnostics.Event{{Source: "iwd", Kind: "scan_busy", Name: diagnostics.ScanDeferred}}, roleNone},
	{"Argument format is invalid",
		[]diagnostics.Event{{Source: "iwd", Kind: "invalid_input", Name: "iwctl: Argument format is invalid"}}, roleTerminal},
	{"Not configured",
		[]diagnostics.Event{{Source: "iwd", Kind: "invalid_input", Name: "iwctl: Not configured"}}, roleTerminal},
	{"No Agent registered",
		[]diagnostics.Event{{Source: "iwd", Kind: "invalid_input", Name: "iwctl: No Agent registered"}}, roleTerminal},
	{"Operation not available",
		[]diagnostics.Event{{Source: "iwd", Kind: "radio", OK: no, Name: "rfkill-blocked (iwd: Operation not available)"}}, roleTerminal},
	{"Operation aborted",
		[]diagnostics.Event{{Source: "iwd", Kind: "note", Name: "iwctl: Operation aborted"}}, roleTerminal},
	{"GDBus.Error:net.connman.iwd.NotConfigured: Not configured",
		[]diagnostics.Event{{Source: "iwd", Kind: "invalid_input", Name: "iwd: Not configured"}}, roleTerminal},
	// iwctl's own messages: client/station.c, client/device.c,
	// client/dbus-proxy.c.
	{"Invalid network name 'Lab Net'",
		[]diagnostics.Event{{Source: "iwd", Kind: "device_state", State: "failed", Code: 53, Name: "ssid-not-found", SSID: "Lab Net"}}, roleTerminal},
	{"Provided network name is ambiguous. Please specify security type.",
		[]diagnostics.Event{{Source: "iwd", Kind: "invalid_input", Name: "iwctl: ambiguous network name"}}, roleTerminal},
	{"No station on device: 'wlan0'",
		[]diagnostics.Event{{Source: "iwd", Kind: "device", OK: no, Name: "no station (powered off or not in station mode)", Iface: "wlan0"}}, roleTerminal},
	{"Device wlan1 not found.",
		[]diagnostics.Event{{Source: "iwd", Kind: "device", OK: no, Name: "missing", Iface: "wlan1"}}, roleTerminal},
	{"No devices in Station mode available.",
		[]diagnostics.Event{{Source: "iwd", Kind: "device", OK: no, Name: "no station device"}}, roleNone},
	{"Failed to retrieve IWD dbus objects, quitting...",
		[]diagnostics.Event{{Source: "iwd", Kind: "backend", OK: no, Name: "iwd not answering"}}, roleTerminal},
	{"Waiting for IWD to start...",
		[]diagnostics.Event{{Source: "iwd", Kind: "backend", OK: no, Name: "iwd not running"}}, roleNone},
	// Look-alikes: another program's line with the same words.
	{`Mar 10 12:00:01 pi someprog[77]: Operation failed`, nil, roleNone},
	{`Mar 10 12:00:01 pi someprog[77]: Name request failed`, nil, roleNone},
	{`dbus-daemon[1]: [system] Rejected send message, 2 matched rules; type="method_call", interface="net.connman.iwd.Station" member="Scan"`, nil, roleNone},
}

func TestIwdLines(t *testing.T) {
	for _, tt := range iwdCases {
		got := parseSeq(tt.line)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.line, diff)
		}
		if _, r, _ := parseOne(tt.line); tt.want != nil && r != tt.role {
			t.Errorf("%q: role %d, want %d", tt.line, r, tt.role)
		}
	}
}

func TestIwdDiagnose(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  diagnostics.Class
	}{
		{"wrong key: iwd's handshake timer", []string{
			`Mar 10 12:00:01 pi iwd[512]: event: state, old: disconnected, new: connecting`,
			`Mar 10 12:00:04 pi iwd[512]: 4-Way handshake failed for ifindex: 3, reason: 15`,
			`Mar 10 12:00:04 pi iwd[512]: event: connect-failed, reason: 15`,
			`Mar 10 12:00:04 pi iwd[512]: event: state, old: connecting, new: disconnected`,
		}, diagnostics.WrongKey},
		{"refused by the AP", []string{
			`Mar 10 12:00:01 pi iwd[512]: event: state, old: disconnected, new: connecting`,
			`Mar 10 12:00:02 pi iwd[512]: event: connect-failed, status: 17`,
			`Mar 10 12:00:02 pi iwd[512]: event: state, old: connecting, new: disconnected`,
		}, diagnostics.AssocRejected},
		{"authentication timeout", []string{
			`Mar 10 12:00:01 pi iwd[512]: event: state, old: disconnected, new: connecting`,
			`Mar 10 12:00:03 pi iwd[512]: event: authentication-timeout, `,
			`Mar 10 12:00:03 pi iwd[512]: event: connect-failed, status: 1`,
			`Mar 10 12:00:03 pi iwd[512]: event: state, old: connecting, new: disconnected`,
		}, diagnostics.AssocRejected},
		{"iwd's DHCP gave up", []string{
			`Mar 10 12:00:01 pi iwd[512]: event: state, old: disconnected, new: connecting`,
			`Mar 10 12:00:02 pi iwd[512]: event: state, old: connecting, new: connecting (netconfig)`,
			`Mar 10 12:00:40 pi iwd[512]: event: state, old: connecting (netconfig), new: disconnecting`,
		}, diagnostics.DHCPFailed},
		{"joined with iwd's DHCP", []string{
			`Mar 10 12:00:01 pi iwd[512]: event: state, old: disconnected, new: connecting`,
			`Mar 10 12:00:02 pi iwd[512]: event: state, old: connecting, new: connecting (netconfig)`,
			`Mar 10 12:00:03 pi iwd[512]: event: state, old: connecting (netconfig), new: connected`,
		}, diagnostics.None},
		{"iwctl: name not in the scan results", []string{
			`[iwd]# station wlan0 connect "Lab Net"`,
			`Invalid network name 'Lab Net'`,
		}, diagnostics.NotFound},
		{"iwctl: no station (powered off)", []string{
			`[iwd]# station wlan0 scan`,
			`No station on device: 'wlan0'`,
		}, diagnostics.DeviceUnavailable},
		{"iwctl: scan while scanning, then the networks", []string{
			`[iwd]# station wlan0 scan`,
			`Operation already in progress`,
		}, diagnostics.None},
		{"iwd: interface up refused by rfkill", []string{
			`Mar 10 12:00:01 pi iwd[512]: Error bringing interface 3 up: Operation not possible due to RF-kill`,
		}, diagnostics.RadioOff},
	}
	for _, tt := range tests {
		if rep := diagnoseText(t, tt.lines...); rep.Class != tt.want {
			t.Errorf("%s: class %s, want %s (%+v)", tt.name, rep.Class, tt.want, rep.Attempts)
		}
	}
}
