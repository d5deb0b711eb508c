package logparse

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// TestLinuxDaemonLines reads lines in the formats of the upstream sources
// cited per case.
func TestLinuxDaemonLines(t *testing.T) {
	no := diagnostics.Bool(false)
	yes := diagnostics.Bool(true)
	tests := []struct {
		line, prog string
		want       *diagnostics.Event
	}{
		// hostap src/drivers/linux_ioctl.c, linux_set_iface_flags.
		{"Could not read interface wlan0 flags: No such device", "wpa_supplicant",
			&diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindDevice, OK: no, Name: "missing", Iface: "wlan0"}},
		{"Could not set interface wlan0 flags (UP): Operation not possible due to RF-kill", "wpa_supplicant",
			&diagnostics.Event{Source: diagnostics.SourceRfkill, Kind: diagnostics.KindRadio, OK: no, Name: "rfkill-blocked", Iface: "wlan0"}},
		{"Could not read interface wlan1 flags: No such device", "hostapd", nil},
		{"Could not set interface wlan0 flags (UP): Resource temporarily unavailable", "wpa_supplicant", nil},
		// hostap wpa_supplicant/ctrl_iface_unix.c, wpa_supplicant_ctrl_iface_init.
		{"Failed to initialize control interface '/var/run/wpa_supplicant'.", "wpa_supplicant",
			&diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindBackend, OK: no, Name: "wpa_supplicant could not start (control interface)"}},
		// hostap wpa_supplicant/wpa_cli.c, main.
		{"Failed to connect to wpa_supplicant global interface: /var/run/wpa_supplicant  error: No such file or directory", "",
			&diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindBackend, OK: no, Name: "wpa_supplicant global control interface unreachable"}},
		// hostap wpa_supplicant/wpa_cli.c, interactive reconnect loop.
		{"Could not connect to wpa_supplicant: wlan0 - re-trying", "",
			&diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindBackend, OK: no, Name: "wpa_supplicant control interface unreachable"}},
		// iwd client/display.c, display_disable_cmd_prompt.
		{"Waiting for IWD to start...", "",
			&diagnostics.Event{Source: diagnostics.SourceIwd, Kind: diagnostics.KindBackend, OK: no, Name: "iwd not running"}},
		// hostap wpa_supplicant/wpa_supplicant.c, wpa_supplicant_timeout.
		{"wlan0: Authentication with 00:11:22:33:44:55 timed out.", "wpa_supplicant",
			&diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindAuthTimeout, Iface: "wlan0", BSSID: "00:11:22:33:44:55"}},
		// hostap wpa_supplicant/scan.c, wpa_supplicant_req_sched_scan: noise.
		{"wlan0: Failed to initiate sched scan", "wpa_supplicant",
			&diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindNote, Name: "sched scan refused", Iface: "wlan0"}},
		// NetworkManager src/supplicant/nm-supplicant-interface.c (1.0):
		// "Connection disconnected (reason %d)".
		{"<warn>  Connection disconnected (reason -4)", "NetworkManager",
			&diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDisconnect, Code: -4}},
		// NetworkManager src/devices/wifi/nm-device-wifi.c,
		// supplicant_iface_scan_done_cb (1.2 to 1.20).
		{"device[0x560603d3f780] (wlan0): wifi-scan: scan-done callback: failed", "NetworkManager",
			&diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindScanDone, OK: no, Iface: "wlan0"}},
		{"device[0xfa8c50] (wlp2s0): wifi-scan: scan-done callback: successful", "NetworkManager",
			&diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindScanDone, OK: yes, Iface: "wlp2s0"}},
		// NetworkManager 0.8 src/nm-device-wifi.c, the supplicant
		// connection-state handler.
		{"(wlan0): supplicant connection state:  4-way handshake -> disconnected", "NetworkManager",
			&diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindSupplicantState, OldState: "4way_handshake", State: "disconnected", Iface: "wlan0"}},
		// NetworkManager src/core/dhcp/nm-dhcp-client.c (1.36 on).
		{"<info>  [1721654810.0279] dhcp4 (wlo1): state changed new lease, address=192.168.130.55", "NetworkManager",
			&diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindDHCP, OK: yes, Name: "lease", Iface: "wlo1"}},
		{"<info>  [1720991636.6937] dhcp4 (wlo1): state changed no lease", "NetworkManager",
			&diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindNote, Name: "dhcp4 no lease", Iface: "wlo1"}},
	}
	for _, tt := range tests {
		p, ok := parseMessage(tt.line, tt.prog)
		var got *diagnostics.Event
		if ok {
			got = &p.ev
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.line, diff)
		}
	}
}

// linuxDaemonSeeds are fuzz seeds that reach TestLinuxDaemonLines' branches
// in their syslog envelope.
var linuxDaemonSeeds = []string{
	"Oct 18 09:17:57 pi wpa_supplicant[1206]: Could not read interface wlan0 flags: No such device",
	"Oct 18 09:17:57 pi wpa_supplicant[1206]: Could not set interface wlan0 flags (UP): Operation not possible due to RF-kill",
	"Oct 18 09:17:57 pi wpa_supplicant[1206]: Failed to initialize control interface '/var/run/wpa_supplicant'.",
	"Failed to connect to wpa_supplicant global interface: /var/run/wpa_supplicant  error: No such file or directory",
	"Could not connect to wpa_supplicant: wlan0 - re-trying",
	"Waiting for IWD to start...",
	"Jan  2 10:00:00 h NetworkManager: <info> (wlan0): supplicant connection state:  4-way handshake -> disconnected",
	"Oct 18 19:09:30 ubuntu wpa_supplicant[1500]: wlan0: Authentication with 00:11:22:33:44:55 timed out.",
	"Oct 18 19:09:30 ubuntu wpa_supplicant[1500]: wlan0: Failed to initiate sched scan",
	"Sep 04 01:06:27 h NetworkManager[17950]: <warn>  Connection disconnected (reason -4)",
	"Jul 14 17:13:56 h NetworkManager[712]: <info>  [1720991636.6937] dhcp4 (wlo1): state changed no lease",
	"Mar 28 10:56:36 desk1 NetworkManager[816]: <debug> [1553766996.4307] device[0x560603d3f780] (wlan0): wifi-scan: scan-done callback: failed",
	"Jul 14 17:13:56 h NetworkManager[712]: <info>  [1720991636.6937] dhcp4 (wlo1): state changed new lease, address=192.168.1.5",
	// Scan refusals by errno (rec_scanrefuse_test.go).
	"Jan 10 10:00:00 host wpa_supplicant[900]: wlan0: CTRL-EVENT-SCAN-FAILED ret=-100 retry=1",
	"Jan 10 10:00:00 host wpa_supplicant[900]: wlan0: CTRL-EVENT-SCAN-FAILED ret=-132",
	"Jan 10 10:00:00 host wpa_supplicant[900]: nl80211: Scan trigger failed: ret=-11 (Resource temporarily unavailable)",
	"Jan 10 10:00:00 host wpa_supplicant[900]: ioctl[SIOCSIWSCAN]: Network is down",
	"Jan 10 10:00:00 host wpa_supplicant[900]: Ongoing scan action - reject new request",
	"Jan 10 10:00:00 host NetworkManager[612]: <trace> [1704880801.1] device[5b3c0ab5d2cfe4a1] (wlan0): wifi-scan: kickoff: don't scan (explicit scan requested but not allowed)",
}
