package logparse

import (
	"testing"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// TestReview2 collects the inputs an adversarial review (2026-12-04) of 0597efb (recovered, reason
// 72), 9017fc0 (FirmwareSilent), a5b3caa (systemd device units), c90ba39
// (networkd, OpenWrt, networksetup) and b256927 (impala) found classified
// wrongly. Each case says what the verdict was before the commits.
func TestReview2(t *testing.T) {
	const nm = "Mar 10 22:00:01 laptop NetworkManager[612]: "
	const pi = "Dec 01 10:00:01 pi "
	for _, tc := range []struct {
		name  string
		lines []string
		want  diagnostics.Class // "!x": any class but x
	}{
		// --- recovered(): a state the failure causes is read as the
		// stack working again.

		// NetworkManager 1.48+ stopping with a connected Wi-Fi device: it
		// always takes Wi-Fi down (nm-device-wifi.c unmanaged_on_quit),
		// and NetworkManager itself logs the supplicant's state on the
		// way ("supplicant interface state: completed -> disconnected").
		// That state lifts the iface-less "NetworkManager stopping".
		// Before: backend_unavailable (the commit's own test without the
		// supplicant line still says so).
		{"NM quitting, with the supplicant line NM logs", []string{
			nm + "<info>  [1710108001.1000] caught SIGTERM, shutting down normally.",
			nm + "<info>  [1710108001.1100] device (wlp2s0): state change: activated -> deactivating (reason 'unmanaged-quitting', managed-type: 'removed')",
			nm + "<info>  [1710108001.1200] device (wlp2s0): supplicant interface state: completed -> disconnected",
			nm + "<info>  [1710108001.1500] device (wlp2s0): state change: deactivating -> unmanaged (reason 'unmanaged-quitting', managed-type: 'removed')",
		}, diagnostics.BackendUnavailable},
		// wpa_supplicant outlives NetworkManager: its own DISCONNECTED
		// after NetworkManager's exit lifts the exit. Before: backend.
		{"NM exited, then wpa_supplicant disconnected", []string{
			nm + "<info>  [1710108001.1000] caught SIGTERM, shutting down normally.",
			nm + "<info>  [1710108001.3000] exiting (success)",
			"Mar 10 22:00:01 laptop wpa_supplicant[600]: wlp2s0: State: COMPLETED -> DISCONNECTED",
		}, diagnostics.BackendUnavailable},
		// nmcli networking off on 1.48+: reason 73 (unmanaged-sleeping
		// is "networking is disabled or the system is suspended"), and
		// the supplicant's disconnected lifts the audit's device
		// failure. Before: device_unavailable; without the supplicant
		// line still device_unavailable.
		{"nmcli networking off", []string{
			nm + `<info>  [1710108001.0000] audit: op="networking-control" arg="off" pid=4242 uid=1000 result="success"`,
			nm + "<info>  [1710108001.1100] device (wlp2s0): state change: activated -> deactivating (reason 'unmanaged-sleeping', managed-type: 'full')",
			nm + "<info>  [1710108001.1200] device (wlp2s0): supplicant interface state: completed -> disconnected",
			nm + "<info>  [1710108001.1500] device (wlp2s0): state change: deactivating -> unmanaged (reason 'unmanaged-sleeping', managed-type: 'full')",
		}, diagnostics.DeviceUnavailable},
		{"networking disabled by state file, wpa_supplicant inactive", []string{
			nm + "<info>  [1710108001.0000] manager: Networking is disabled by state file",
			"Mar 10 22:00:02 laptop wpa_supplicant[600]: wlp2s0: State: DISCONNECTED -> INACTIVE",
		}, diagnostics.DeviceUnavailable},
		// mac80211 could not restart the hardware (util.c,
		// ieee80211_handle_reconfig_failure): wpa_supplicant's
		// DISCONNECTED is the consequence, not a recovery. Before:
		// device_unavailable.
		{"restart failed, then the supplicant's disconnect", []string{
			"Mar 10 22:00:00 host kernel: Hardware became unavailable during restart.",
			"Mar 10 22:00:01 host wpa_supplicant[612]: wlan0: CTRL-EVENT-DISCONNECTED bssid=00:11:22:33:44:55 reason=3 locally_generated=1",
			"Mar 10 22:00:01 host wpa_supplicant[612]: wlan0: State: COMPLETED -> DISCONNECTED",
		}, diagnostics.DeviceUnavailable},
		// An iface-less failure lifted by ANOTHER interface's
		// supplicant (a USB dongle's wlx... scanning). Before:
		// device_unavailable.
		{"no firmware, another interface scanning", []string{
			"Jul 17 15:57:30 host kernel: iwlwifi 0000:00:14.3: no suitable firmware found!",
			"Jul 17 15:57:38 host wpa_supplicant[700]: wlx00c0ca112233: State: DISCONNECTED -> SCANNING",
		}, diagnostics.DeviceUnavailable},
		// Reason 72 hides a device that was already unavailable when
		// NetworkManager was stopped (an excerpt without the SIGTERM
		// line). Before: device_unavailable; None says nothing is wrong
		// while the log ends with NetworkManager gone. The lead's
		// reading: reason 72 is NetworkManager stopping, which is what
		// the window ends with (backend_unavailable).
		{"unavailable, then quitting (no SIGTERM line)", []string{
			"Jul 17 15:57:33 host NetworkManager[778]: <info>  [1500278253.0001] device (wlp4s0): state change: disconnected -> unavailable (reason 'supplicant-failed', sys-iface-state: 'managed')",
			"Jul 17 15:58:33 host NetworkManager[778]: <info>  [1500278313.1500] device (wlp4s0): state change: unavailable -> unmanaged (reason 'unmanaged-quitting', managed-type: 'removed')",
		}, diagnostics.BackendUnavailable},

		// --- FirmwareSilent.

		// One -110 from brcmfmac and one -5 from another driver: one
		// failure each, which the commit says stays unknown (before:
		// none here, unknown with ath11k's -5); not device_unavailable.
		{"one -110 and one -5 from two drivers", []string{
			"[  100.100000] ieee80211 phy0: brcmf_run_escan: error (-110)",
			"[  130.100000] mwifiex_sdio mmc1:0001:1: scan failed: -5",
		}, "!" + diagnostics.DeviceUnavailable},
		{"one -110 and one -5 from two devices", []string{
			"[  100.100000] ieee80211 phy0: brcmf_run_escan: error (-110)",
			"[  130.100000] ath11k_pci 0000:01:00.0: failed to start hw scan: -5",
		}, diagnostics.Unknown},
		// The link came up after the two timeouts: the firmware
		// answers (it associated). Before: none.
		{"two -110, then the link became ready", []string{
			"[  100.100000] ieee80211 phy0: brcmf_run_escan: error (-110)",
			"[  130.100000] ieee80211 phy0: brcmf_run_escan: error (-110)",
			"[  140.100000] IPv6: ADDRCONF(NETDEV_CHANGE): wlan0: link becomes ready",
		}, diagnostics.None},

		// --- systemd device units.

		// wpa_supplicant@wlan0's device timed out; wlan1 being found
		// does not bring wlan0 back. Before: none (the lines were not
		// read); the commit means device_unavailable for wlan0.
		{"wlan0 timed out, wlan1 found", []string{
			pi + "systemd[1]: sys-subsystem-net-devices-wlan0.device: Job sys-subsystem-net-devices-wlan0.device/start timed out.",
			pi + "systemd[1]: Timed out waiting for device /sys/subsystem/net/devices/wlan0.",
			pi + "systemd[1]: Dependency failed for WPA supplicant daemon (interface-specific version).",
			"Dec 01 10:01:31 pi systemd[1]: Found device /sys/subsystem/net/devices/wlan1.",
		}, diagnostics.DeviceUnavailable},

		// --- OpenWrt: /sbin/wifi prints "'<dev>' is disabled" for
		// every wifi-device with disabled=1 (_wifi_updown's loop); one
		// radio disabled and the other in use is the usual setup.

		{"radio1 disabled, station on radio0 connected", []string{
			"root@OpenWrt:~# wifi",
			"'radio1' is disabled",
			"Mon Dec  1 10:00:00 2025 daemon.notice wpa_supplicant[1234]: phy0-sta0: CTRL-EVENT-CONNECTED - Connection to 00:11:22:33:44:55 completed [id=1 id_str=]",
		}, diagnostics.None},
		// Before: scan_busy.
		{"radio1 disabled, scans on radio0 refused", []string{
			"'radio1' is disabled",
			"Mon Dec  1 10:00:00 2025 daemon.notice wpa_supplicant[1234]: phy0-sta0: CTRL-EVENT-SCAN-FAILED ret=-16 retry=1",
			"Mon Dec  1 10:00:10 2025 daemon.notice wpa_supplicant[1234]: phy0-sta0: CTRL-EVENT-SCAN-FAILED ret=-16 retry=1",
			"Mon Dec  1 10:00:20 2025 daemon.notice wpa_supplicant[1234]: phy0-sta0: CTRL-EVENT-SCAN-FAILED ret=-16 retry=1",
		}, diagnostics.ScanBusy},

		// --- ATTEMPTS whose verdict the new recognisers change: the
		// new radio/device events of another interface win over the
		// attempt's own failure (ruleRadio/ruleDevice read the last
		// event of the kind whatever its interface). Before: wrong_key.

		{"attempt: wrong key on phy0-sta0, OpenWrt radio1 disabled inside", []string{
			"Mon Dec  1 10:00:00 2025 daemon.notice wpa_supplicant[1234]: phy0-sta0: SME: Trying to authenticate with 00:11:22:33:44:55 (SSID='Cafe' freq=2412 MHz)",
			"'radio1' is disabled",
			"Mon Dec  1 10:00:01 2025 daemon.notice wpa_supplicant[1234]: phy0-sta0: Trying to associate with 00:11:22:33:44:55 (SSID='Cafe' freq=2412 MHz)",
			"Mon Dec  1 10:00:01 2025 daemon.notice wpa_supplicant[1234]: phy0-sta0: Associated with 00:11:22:33:44:55",
			"Mon Dec  1 10:00:05 2025 daemon.notice wpa_supplicant[1234]: phy0-sta0: CTRL-EVENT-DISCONNECTED bssid=00:11:22:33:44:55 reason=15",
			"Mon Dec  1 10:00:05 2025 daemon.notice wpa_supplicant[1234]: phy0-sta0: WPA: 4-Way Handshake failed - pre-shared key may be incorrect",
		}, diagnostics.WrongKey},
		{"attempt: wrong key on wlan0, networkd fails to bring up wlan1", []string{
			pi + "wpa_supplicant[1234]: wlan0: SME: Trying to authenticate with 00:11:22:33:44:55 (SSID='Cafe' freq=2412 MHz)",
			pi + "wpa_supplicant[1234]: wlan0: Trying to associate with 00:11:22:33:44:55 (SSID='Cafe' freq=2412 MHz)",
			pi + "systemd-networkd[300]: wlan1: Could not bring up interface, ignoring: Device or resource busy",
			pi + "wpa_supplicant[1234]: wlan0: Associated with 00:11:22:33:44:55",
			"Dec 01 10:00:05 pi wpa_supplicant[1234]: wlan0: CTRL-EVENT-DISCONNECTED bssid=00:11:22:33:44:55 reason=15",
			"Dec 01 10:00:05 pi wpa_supplicant[1234]: wlan0: WPA: 4-Way Handshake failed - pre-shared key may be incorrect",
		}, diagnostics.WrongKey},
		{"attempt: wrong key on wlan0, wlan1's device unit times out", []string{
			pi + "wpa_supplicant[1234]: wlan0: SME: Trying to authenticate with 00:11:22:33:44:55 (SSID='Cafe' freq=2412 MHz)",
			pi + "wpa_supplicant[1234]: wlan0: Trying to associate with 00:11:22:33:44:55 (SSID='Cafe' freq=2412 MHz)",
			pi + "systemd[1]: Timed out waiting for device /sys/subsystem/net/devices/wlan1.",
			pi + "wpa_supplicant[1234]: wlan0: Associated with 00:11:22:33:44:55",
			"Dec 01 10:00:05 pi wpa_supplicant[1234]: wlan0: CTRL-EVENT-DISCONNECTED bssid=00:11:22:33:44:55 reason=15",
			"Dec 01 10:00:05 pi wpa_supplicant[1234]: wlan0: WPA: 4-Way Handshake failed - pre-shared key may be incorrect",
		}, diagnostics.WrongKey},

		// --- networkd: log_link_message_full_errno puts the kernel's
		// extack text before %m (networkd-link.h: format ": %s%s %m"),
		// so an RF-kill with an extack message is read as another errno.
		{"networkd RF-kill after an extack message", []string{
			pi + "systemd-networkd[300]: wlan0: Could not bring up interface, ignoring: Some driver message. Operation not possible due to RF-kill",
		}, diagnostics.RadioOff},
	} {
		rep := diagnoseText(t, tc.lines...)
		if w := string(tc.want); w[0] == '!' {
			if string(rep.Class) == w[1:] {
				t.Errorf("%s: class %s, want any other (detail %q)", tc.name, rep.Class, rep.Detail)
			}
			continue
		}
		if rep.Class != tc.want {
			t.Errorf("%s: class %s, want %s (detail %q)", tc.name, rep.Class, tc.want, rep.Detail)
		}
	}
}
