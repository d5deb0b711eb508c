package logparse

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Lines of NetworkManager, nmcli, wpa_supplicant, wpa_cli, systemd and the
// kernel that the wild corpus's tuning sources showed; each case cites the
// thread it is from (testdata/tuning-sources/linux.txt).
func TestLinuxStackLines(t *testing.T) {
	f, tr := diagnostics.Bool(false), diagnostics.Bool(true)
	for _, tc := range []struct {
		src, line string
		want      diagnostics.Event
	}{
		{"github.com/victronenergy/venus/issues/467",
			"May 30 10:11:52 ccgx daemon.notice wpa_supplicant[856]: wlan0: Reject scan trigger since one is already pending",
			diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindScanBusy, Iface: "wlan0", Name: diagnostics.ScanDeferred}},
		{"github.com/benzea/gnome-network-displays/issues/62",
			"Oct  2 20:11:48 thinkpad NetworkManager[11642]: <debug> [1570039908.9212] device[1a4c0c8d5ebfa1d2] (wlp0s29u1u2): wifi-scan: scanning requested but not allowed at this time",
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindScanBusy, Iface: "wlp0s29u1u2", Name: diagnostics.ScanDeferred}},
		{"github.com/canonical/checkbox/issues/1822",
			"Error: Scanning not allowed while already scanning.",
			diagnostics.Event{Source: diagnostics.SourceNmcli, Kind: diagnostics.KindScanBusy, Name: diagnostics.ScanDeferred}},
		{"(nmcli's RequestScan refusal while activating)",
			"Error: Scanning not allowed while unavailable or activating.",
			diagnostics.Event{Source: diagnostics.SourceNmcli, Kind: diagnostics.KindScanBusy, Name: "scanning not allowed"}},
		{"(nmcli's RequestScan refusal, nm-device-wifi.c)",
			"Error: Scanning not allowed while unavailable.",
			diagnostics.Event{Source: diagnostics.SourceNmcli, Kind: diagnostics.KindDevice, OK: f, Name: "unavailable"}},
		{"github.com/jareware/chilipie-kiosk/issues/119",
			"Failed to connect to non-global ctrl_ifname: wlan0  error: No such file or directory",
			diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindBackend, OK: f, Name: "wpa_supplicant control interface unreachable"}},
		{"github.com/nixos/nixpkgs/issues/13136",
			"Feb 19 10:23:22 c-cube wpa_supplicant[409]: wlp2s0: Failed to initialize driver interface",
			diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindDevice, OK: f, Name: "wpa_supplicant could not use the interface", Iface: "wlp2s0"}},
		{"github.com/nixos/nixpkgs/issues/13136",
			"Feb 19 10:23:22 c-cube systemd[1]: wpa_supplicant.service: Main process exited, code=exited, status=255/n/a",
			diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindBackend, OK: f, Name: "wpa_supplicant unit Main process exited, code=exited, status=255/n/a"}},
		{"github.com/nixos/nixpkgs/issues/13136",
			"Feb 19 10:23:22 c-cube systemd[1]: Started WPA Supplicant.",
			diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindBackend, OK: tr, Name: "wpa_supplicant started"}},
		{"github.com/openwrt/openwrt/issues/18328",
			"Sat Mar 22 18:40:30 2025 daemon.err wpa_supplicant[1691]: Failed to read or parse configuration '/var/run/wpa_supplicant-phy1-sta0.conf'.",
			diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindBackend, OK: f, Name: "wpa_supplicant could not start"}},
		{"github.com/nixos/nixpkgs/issues/27129",
			"[  211.273878] iwlwifi 0000:02:00.0: no suitable firmware found!",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindDevice, OK: f, Name: "firmware failed to load"}},
		{"github.com/pshycodr/airctl/issues/3",
			"nmcli._exception.NetworkManagerNotRunningException: NetworkManager is not running",
			diagnostics.Event{Source: diagnostics.SourceNmcli, Kind: diagnostics.KindBackend, OK: f, Name: "networkmanager"}},
		{"github.com/gitbls/sdm/issues/304",
			"        wifi (brcmfmac), E4:5F:01:51:67:0B, sw disabled, hw, mtu 1500",
			diagnostics.Event{Source: diagnostics.SourceNmcli, Kind: diagnostics.KindRadio, OK: f, Name: "nm-disabled"}},
		{"github.com/msolters/wifi-control-node/issues/20",
			"Error: No network called Home could be found.",
			diagnostics.Event{Source: diagnostics.SourceNmcli, Kind: diagnostics.KindDeviceState, State: "failed", Code: diagnostics.ReasonSSIDNotFound, Name: "ssid-not-found", SSID: "Home"}},
		{"github.com/void-linux/void-packages/issues/18713 (as posted, Markdown-escaped)",
			`2020-02-01T18:59:33.746456+03:00 localhost dbus-daemon\[773\]: \[system\] Rejected send message, 3 matched rules; type="method\_call", sender=":1.29" (uid=1000 pid=1597 comm="cmst") interface="net.connman.Manager" member="GetTechnologies" error name="(unset)" requested\_reply="0" destination="net.connman" (uid=0 pid=888 comm="connmand -n ")`,
			diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindPermission, Name: "D-Bus policy refused a call to net.connman"}},
		{"(driver_nl80211_scan.c)",
			"nl80211: Scan trigger failed: ret=-16 (Device or resource busy)",
			diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindScanBusy, Code: -16, Name: "EBUSY"}},
	} {
		got, _, ok := parseOne(tc.line)
		if !ok {
			t.Errorf("%s: %q not recognised", tc.src, tc.line)
			continue
		}
		if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(diagnostics.Event{}, "Time", "Message", "Line")); diff != "" {
			t.Errorf("%s: %q (-want +got)\n%s", tc.src, tc.line, diff)
		}
	}
	// Not events: iwlwifi logs one "Direct firmware load ... failed" for
	// every firmware version it lacks before it finds one it has.
	for _, line := range []string{
		"[  211.273676] iwlwifi 0000:02:00.0: Direct firmware load for iwlwifi-8000C-30.ucode failed with error -2",
		"Feb 19 10:23:22 c-cube systemd[1]: Started Session 3 of user alice.",
		"Feb 19 10:23:22 c-cube systemd[1]: ssh.service: Main process exited, code=exited, status=255/n/a",
	} {
		if e, _, ok := parseOne(line); ok {
			t.Errorf("%q gave %+v", line, e)
		}
	}
}

// NetworkManager's association timer ("association took too long", then
// ssid-not-found) with no completed scan in the log is a timeout: the
// timer says nothing about absence (github.com/jwrdegoede/rtl8189es_linux/issues/63).
// With wpa_supplicant's scans completing empty around it, it is not_found.
func TestAssociationTimerIsNotAbsence(t *testing.T) {
	timer := `Jan 04 14:12:35 m NetworkManager[370]: <info>  [1641276755.9103] device (wlan0): Activation: starting connection 'Linkme' (0b1c)
Jan 04 14:12:35 m NetworkManager[370]: <info>  [1641276755.9118] device (wlan0): state change: prepare -> config (reason 'none', sys-iface-state: 'managed')
Jan 04 14:13:00 m NetworkManager[370]: <warn>  [1641276780.8943] device (wlan0): Activation: (wifi) association took too long, failing activation
Jan 04 14:13:00 m NetworkManager[370]: <info>  [1641276780.8944] device (wlan0): state change: config -> failed (reason 'ssid-not-found', sys-iface-state: 'managed')
`
	scanned := strings.Replace(timer, "Jan 04 14:13:00 m NetworkManager[370]: <warn>",
		"Jan 04 14:12:50 m NetworkManager[370]: <info>  [1641276770.1] device (wlan0): supplicant interface state: scanning -> disconnected\nJan 04 14:13:00 m NetworkManager[370]: <warn>", 1)
	for _, tc := range []struct {
		name, log string
		want      diagnostics.Class
	}{{"timer alone", timer, diagnostics.Timeout}, {"timer after an empty scan", scanned, diagnostics.NotFound}} {
		rep, err := Diagnose(context.Background(), strings.NewReader(tc.log), Options{Year: 2024})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, rep.Class); diff != "" {
			t.Errorf("%s: class (-want +got)\n%s\n%s", tc.name, diff, rep.Detail)
		}
	}
}
