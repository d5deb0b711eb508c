package logparse

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// lnxsitLines: lines of Linux logs that show a refused scan or an unusable
// device, each as posted in public threads (or the upstream format string
// instantiated, where noted), and the event each gives (also fuzz seeds).
var lnxsitLines = func() []struct {
	line string
	want diagnostics.Event
} {
	f := diagnostics.Bool(false)
	k := diagnostics.SourceKernel
	nm := diagnostics.SourceNM
	return []struct {
		line string
		want diagnostics.Event
	}{
		// brcmfmac's bphy_err goes through wiphy_err since 5.2:
		// github.com/aunali1/linux-mbp-arch/issues/44 and
		// github.com/raspberrypi/linux/issues/3849.
		{"[1814.538443] ieee80211 phy0: brcmf_run_escan: error (-5)",
			diagnostics.Event{Source: k, Kind: diagnostics.KindScanDone, OK: f, Code: -5, Name: "brcmfmac scan error"}},
		{"[1814.538511] ieee80211 phy0: brcmf_cfg80211_scan: scan error (-5)",
			diagnostics.Event{Source: k, Kind: diagnostics.KindScanDone, OK: f, Code: -5, Name: "brcmfmac scan error"}},
		{"[2079447.004847] ieee80211 phy0: brcmf_cfg80211_scan: scan error (-110)",
			diagnostics.Event{Source: k, Kind: diagnostics.KindScanDone, OK: f, Code: -110, Name: "brcmfmac scan error"}},
		{"[1814.538323] ieee80211 phy0: brcmf_msgbuf_query_dcmd: Timeout on response for query command",
			diagnostics.Event{Source: k, Kind: diagnostics.KindNote, Name: "control timeout"}},
		{"[ 5490.501082] brcmfmac: brcmf_msgbuf_query_dcmd: Timeout on response for query command",
			diagnostics.Event{Source: k, Kind: diagnostics.KindNote, Name: "control timeout"}},
		// The busy refusal through the wiphy prefix (brcmf_cfg80211_scan's
		// format string).
		{"[  100.000000] ieee80211 phy0: brcmf_cfg80211_scan: Connecting: status (3)",
			diagnostics.Event{Source: k, Kind: diagnostics.KindScanBusy, Code: -11, Name: "brcmfmac Connecting"}},
		// dmesg -x -T and dmesg -x --time-format iso (util-linux
		// dmesg.c, print_record).
		{"kern  :err   : [Fri Mar  1 10:00:00 2024] iwlwifi 0000:00:14.3: Scan failed! ret -16",
			diagnostics.Event{Source: k, Kind: diagnostics.KindScanBusy, Code: -16, Name: "EBUSY"}},
		{"kern  :err   : 2024-03-01T10:00:00,123456+01:00 iwlwifi 0000:00:14.3: Scan failed! ret -16",
			diagnostics.Event{Source: k, Kind: diagnostics.KindScanBusy, Code: -16, Name: "EBUSY"}},
		// mwifiex_cfg80211_scan: community.toradex.com/t/strange-wi-fi-
		// behavior-on-colibri-imx6ull-when-wi-fi-network-is-not-available/17546;
		// -16 is the format string with mwifiex_scan_networks' -EBUSY.
		{"[ 6935.007244] mwifiex_sdio mmc1:0001:1: scan failed: -14",
			diagnostics.Event{Source: k, Kind: diagnostics.KindScanDone, OK: f, Code: -14, Name: "mwifiex scan failed"}},
		{"[  100.000000] mwifiex_pcie 0000:01:00.0: scan failed: -16",
			diagnostics.Event{Source: k, Kind: diagnostics.KindScanBusy, Code: -16, Name: "EBUSY"}},
		// dmesg -H / -e (util-linux dmesg.c, short_ctime "%b%e %H:%M"
		// on a minute's first line, deltas after it).
		{"[Mar14 19:51] iwlwifi 0000:00:14.3: Scan failed! ret -16",
			diagnostics.Event{Source: k, Kind: diagnostics.KindScanBusy, Code: -16, Name: "EBUSY"}},
		{"[Mar 1 10:00] ieee80211 phy0: brcmf_cfg80211_scan: scan error (-110)",
			diagnostics.Event{Source: k, Kind: diagnostics.KindScanDone, OK: f, Code: -110, Name: "brcmfmac scan error"}},
		{"[  +0.000123] iwlwifi 0000:00:14.3: Scan failed! ret -16",
			diagnostics.Event{Source: k, Kind: diagnostics.KindScanBusy, Code: -16, Name: "EBUSY"}},
		// nm-supplicant-interface.c, interface_add_cb: 0.9's (as in
		// github.com/aircrack-ng/rtl8812au/issues/88) and 1.2 to 1.20's
		// prefix.
		{"Jun 23 00:02:23 bola NetworkManager[5874]: <error> [1529704943.438531] [nm-supplicant-interface.c:997] interface_add_cb(): (wlan8): error adding interface: wpa_supplicant couldn't grab this interface.",
			diagnostics.Event{Source: nm, Kind: diagnostics.KindDevice, OK: f, Iface: "wlan8", Name: "wpa_supplicant could not use the interface"}},
		{"Jul 17 15:57:33 host NetworkManager[11778]: <error> [1500278253.1057] sup-iface[0x25924b0,wlp4s0]: error adding interface: wpa_supplicant couldn't grab this interface.",
			diagnostics.Event{Source: nm, Kind: diagnostics.KindDevice, OK: f, Iface: "wlp4s0", Name: "wpa_supplicant could not use the interface"}},
		// nm-supplicant-interface.c, scan_request_cb (1.22 on: the
		// ifindex in the prefix; ScanError at debug).
		{"<debug> [1700000000.0000] sup-iface[4ec2f6ec0f3a5fb6,3,wlp2s0]: request-scan: could not get scan request result: GDBus.Error:fi.w1.wpa_supplicant1.Interface.ScanError: Scan request rejected",
			diagnostics.Event{Source: nm, Kind: diagnostics.KindScanBusy, Iface: "wlp2s0", Name: diagnostics.ScanDeferred}},
		// systemctl status NetworkManager, its line chopped by less.
		{"Mai 05 09:13:50 nmanme01 NetworkManager[990]: <error> [1651734830.1758] sup-iface[0x5589cffc5920,wlp2s0]: error adding interface: wpa_supplicant cou>",
			diagnostics.Event{Source: nm, Kind: diagnostics.KindDevice, OK: f, Iface: "wlp2s0", Name: "wpa_supplicant could not use the interface"}},
		{"Mai 05 09:13:50 nmanme01 NetworkManager[990]: <error> [1651734830.1758] sup-iface[0x5589cffc5920,wlp2s0]: error adding interface: Timeo\u2026",
			diagnostics.Event{Source: nm, Kind: diagnostics.KindNote, Iface: "wlp2s0", Name: "error adding supplicant interface: Timeo\u2026"}},
		{"Aug 29 20:35:30 byos NetworkManager[423]: <error> [1567110930.2595] sup-iface[0x63f170,wlp1s0]: error adding interface: Timeout was reached",
			diagnostics.Event{Source: nm, Kind: diagnostics.KindNote, Iface: "wlp1s0", Name: "error adding supplicant interface: Timeout was reached"}},
	}
}()

// TestLinuxSituationLines checks lnxsitLines.
func TestLinuxSituationLines(t *testing.T) {
	for _, tc := range lnxsitLines {
		got, _, ok := parseOne(tc.line)
		if !ok {
			t.Errorf("%q: not recognised", tc.line)
			continue
		}
		if d := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(diagnostics.Event{}, "Time", "Message")); d != "" {
			t.Errorf("%q (-want +got):\n%s", tc.line, d)
		}
	}
}

// TestLinuxSituationVerdicts: whole excerpts, and the look-alikes that must
// not become failures.
func TestLinuxSituationVerdicts(t *testing.T) {
	for _, tc := range []struct {
		name string
		log  string
		want diagnostics.Class
	}{
		{"NetworkManager: wpa_supplicant's driver would not take the interface", `
Jul 17 15:57:33 host wpa_supplicant[1332]: WEXT: Could not set interface 'wlp4s0' UP
Jul 17 15:57:33 host NetworkManager[11778]: <error> [1500278253.1057] sup-iface[0x25924b0,wlp4s0]: error adding interface: wpa_supplicant couldn't grab this interface.
Jul 17 15:57:33 host NetworkManager[11778]: <info>  [1500278253.1058] device (wlp4s0): supplicant interface state: starting -> down
`, diagnostics.DeviceUnavailable},
		// Decoy: wpa_supplicant slow to answer at boot, then the
		// re-acquired interface is ready and the device available.
		{"decoy: supplicant interface timeout, then ready", `
Aug 29 20:35:30 byos NetworkManager[423]: <error> [1567110930.2595] sup-iface[0x63f170,wlp1s0]: error adding interface: Timeout was reached
Aug 29 20:35:30 byos NetworkManager[423]: <info>  [1567110930.2597] device (wlp1s0): supplicant interface state: starting -> down
Aug 29 20:35:40 byos NetworkManager[423]: <warn>  [1567110940.4745] device (wlp1s0): re-acquiring supplicant interface (#1).
Aug 29 20:36:05 byos NetworkManager[423]: <error> [1567110965.5045] sup-iface[0x63f1d8,wlp1s0]: error adding interface: Timeout was reached
Aug 29 20:36:05 byos NetworkManager[423]: <info>  [1567110965.5048] device (wlp1s0): supplicant interface state: starting -> down
Aug 29 20:36:51 byos NetworkManager[423]: <info>  [1567111011.2760] device (wlp1s0): supplicant interface state: starting -> ready
Aug 29 20:36:51 byos NetworkManager[423]: <info>  [1567111011.2775] device (wlp1s0): state change: unavailable -> disconnected (reason 'supplicant-available', sys-iface-state: 'managed')
`, diagnostics.None},
		// Decoy: a brcmfmac scan refused while connecting, then a scan
		// that completes.
		{"decoy: brcmfmac refusal through the wiphy prefix, then a scan", `
Mar  1 10:00:00 host kernel: ieee80211 phy0: brcmf_cfg80211_scan: Connecting: status (3)
Mar  1 10:00:02 host wpa_supplicant[900]: wlan0: CTRL-EVENT-SCAN-STARTED
Mar  1 10:00:05 host wpa_supplicant[900]: wlan0: CTRL-EVENT-SCAN-RESULTS
`, diagnostics.None},
		{"mwifiex: firmware in bad state, the scan ignored", `
[ 6934.890375] mwifiex_sdio mmc1:0001:1: mwifiex_cmd_timeout_func: Timeout cmd id = 0x6b, act = 0x1
[ 6934.992590] mwifiex_sdio mmc1:0001:1: PREP_CMD: FW is in bad state
[ 6934.998865] mwifiex_sdio mmc1:0001:1: Ignore scan. Card removed or firmware in bad state
[ 6935.007244] mwifiex_sdio mmc1:0001:1: scan failed: -14
`, diagnostics.DeviceUnavailable},
		// Decoy: mwifiex refuses a scan during an association, and
		// wpa_supplicant's retry completes.
		{"decoy: mwifiex busy refusal, then a completed scan", `
Mar  1 10:00:00 host kernel: mwifiex_pcie 0000:01:00.0: scan failed: -16
Mar  1 10:00:00 host wpa_supplicant[900]: mlan0: CTRL-EVENT-SCAN-FAILED ret=-16 retry=1
Mar  1 10:00:01 host wpa_supplicant[900]: mlan0: CTRL-EVENT-SCAN-STARTED
Mar  1 10:00:04 host wpa_supplicant[900]: mlan0: CTRL-EVENT-SCAN-RESULTS
`, diagnostics.None},
		// Decoy: OpenWrt's netifd logs its wireless setup script's iw
		// calls (forum.openwrt.org/t/hostapd-start-failed-with-wpa3-
		// enabled/45541 for the shape); an iw errno there is no scan
		// refusal and no missing device.
		{"decoy: netifd's wireless script, iw errors", `
Sun Sep 29 16:44:37 2019 user.notice mac80211: Failed command: iw phy phy0 set antenna 0xffffffff 0xffffffff
Sun Sep 29 16:44:37 2019 daemon.notice netifd: radio0 (1290): command failed: Not supported (-122)
Sun Sep 29 16:44:37 2019 daemon.notice netifd: radio0 (1290): command failed: Device or resource busy (-16)
Sun Sep 29 16:44:38 2019 daemon.notice netifd: radio0 (1290): command failed: No such device (-19)
`, diagnostics.None},
	} {
		rep := diagnoseString(t, strings.TrimPrefix(tc.log, "\n"))
		if rep.Class != tc.want {
			t.Errorf("%s: class %s, want %s (%s)", tc.name, rep.Class, tc.want, rep.Detail)
		}
	}
}
