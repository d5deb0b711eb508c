package logparse

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// kernelCases are mac80211 station lines in the formats of
// net/mac80211/mlme.c across kernel versions. seedLines adds them to the
// fuzz seeds.
func kernelCases() []driverCase {
	return []driverCase{
		{"mlme.c ieee80211_mgd_deauth (3.x: reason=%d)",
			"[  301.2] wlan0: deauthenticating from 00:11:22:33:44:55 by local choice (reason=3)",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindDisconnect, Iface: "wlan0", BSSID: "00:11:22:33:44:55", Code: -3}},
		{"mlme.c ieee80211_mgd_deauth (Reason: %u=%s)",
			"[  301.2] wlan0: deauthenticating from 00:11:22:33:44:55 by local choice (Reason: 3=DEAUTH_LEAVING)",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindDisconnect, Iface: "wlan0", BSSID: "00:11:22:33:44:55", Code: -3}},
		{"mlme.c ieee80211_mgd_deauth, an attempt cancelled before association",
			"kernel: wlp3s0: aborting authentication with 00:11:22:33:44:55 by local choice (Reason: 3=DEAUTH_LEAVING)",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindDisconnect, Iface: "wlp3s0", BSSID: "00:11:22:33:44:55", Code: -3}},
		{"mlme.c before 3.0: ieee80211_direct_probe",
			"[   40.1] wlan0: direct probe to AP 00:11:22:33:44:55 timed out",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindAuthTimeout, Iface: "wlan0", BSSID: "00:11:22:33:44:55"}},
		{"mlme.c before 3.0: ieee80211_authenticate",
			"[   40.1] wlan0: authentication with AP 00:11:22:33:44:55 timed out",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindAuthTimeout, Iface: "wlan0", BSSID: "00:11:22:33:44:55"}},
		{"mlme.c before 3.0: ieee80211_associate",
			"[   40.1] wlan0: association with AP 00:11:22:33:44:55 timed out",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindAssocTimeout, Iface: "wlan0", BSSID: "00:11:22:33:44:55"}},
		{"mlme.c ieee80211_auth, in dmesg -x's envelope",
			"kern  :info  : [   40.1] wlan0: authentication with 00:11:22:33:44:55 timed out",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindAuthTimeout, Iface: "wlan0", BSSID: "00:11:22:33:44:55"}},
		{"mlme.c ieee80211_auth",
			"[   40.1] wlan0: authentication with 00:11:22:33:44:55 timed out",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindAuthTimeout, Iface: "wlan0", BSSID: "00:11:22:33:44:55"}},
		{"mlme.c ieee80211_beacon_connection_loss_work",
			"[ 9001.0] wlan0: Connection to AP 00:11:22:33:44:55 lost",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindDisconnect, Iface: "wlan0", BSSID: "00:11:22:33:44:55", Code: -4, Name: "connection lost"}},
		{"mlme.c ieee80211_sta_work (5.x)",
			"[ 9001.0] wlp2s0: No probe response from AP 00:11:22:33:44:55 after 500ms, tried 3/3, disconnecting.",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindDisconnect, Iface: "wlp2s0", BSSID: "00:11:22:33:44:55", Code: -4, Name: "connection lost"}},
		{"mlme.c ieee80211_rx_mgmt_auth",
			"[  401.5] wlan0: 00:11:22:33:44:55 denied authentication (status 17)",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindAuthStatus, Iface: "wlan0", BSSID: "00:11:22:33:44:55", Code: 17}},
		{"mlme.c ieee80211_rx_mgmt_deauth, before the association response",
			"kernel: wlp2s0: deauthenticated from 00:11:22:33:44:55 while associating (Reason: 2=PREV_AUTH_NOT_VALID)",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindDisconnect, Iface: "wlp2s0", BSSID: "00:11:22:33:44:55", Code: 2, Name: "while associating"}},
		{"mlme.c ieee80211_rx_mgmt_beacon (3.10-6.8)",
			"[ 1240.1] wlan0: failed to follow AP 00:11:22:33:44:55 bandwidth change, disconnect",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindDisconnect, Iface: "wlan0", BSSID: "00:11:22:33:44:55", Code: -3, Name: "AP bandwidth change not followed"}},
		{"mlme.c ieee80211_config_bw",
			"[ 1240.1] wlan0: AP 00:11:22:33:44:55 changed bandwidth in a way we can't support - disconnect",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindNote, Iface: "wlan0", BSSID: "00:11:22:33:44:55", Name: "AP bandwidth change unsupported"}},
		{"mlme.c ieee80211_prep_connection",
			"[   88.0] wlan0: failed to insert STA entry for the AP (error -22)",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindNote, Iface: "wlan0", Code: -22, Name: "failed to insert STA entry"}},
		{"reg.c print_regdomain",
			"[   13.4] cfg80211: Regulatory domain changed to country: DE",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindNote, Name: "regulatory domain DE"}},
		{"reg.c print_regdomain, the world domain",
			"Jun  1 10:00:01 host kernel: cfg80211: World regulatory domain updated:",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindNote, Name: "regulatory domain 00"}},
		{"reg.c regdb_fw_cb",
			"[    4.0] cfg80211: failed to load regulatory.db",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindNote, Name: "regulatory.db missing"}},
		{"mlme.c ieee80211_sta_work (3.x)",
			"[ 9001.0] wlan0: No ack for nullfunc frame to AP 00:11:22:33:44:55, disconnecting.",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindDisconnect, Iface: "wlan0", BSSID: "00:11:22:33:44:55", Code: -4, Name: "connection lost"}},
	}
}

func TestKernelLines(t *testing.T) {
	// A probe retry is no disconnection.
	if got, _, ok := parseOne("[ 9000.5] wlan0: No probe response from AP 00:11:22:33:44:55 after 500ms, try 1/5"); ok {
		t.Errorf("probe retry: got %v, want no event", got)
	}
	// A bandwidth change mac80211 follows, and regulatory lines other
	// than the change itself, give nothing.
	for _, l := range []string{
		"[ 1240.1] wlan0: AP 00:11:22:33:44:55 changed bandwidth, new config is 2472 MHz, width 1 (2472/0 MHz)",
		"[   28.9] cfg80211: Disabling freq 2467 MHz",
		"[   13.4] cfg80211: Calling CRDA for country: DE",
		"[   13.4] cfg80211:   (2400000 KHz - 2483500 KHz @ 40000 KHz), (N/A, 2000 mBm), (N/A)",
	} {
		if got, _, ok := parseOne(l); ok {
			t.Errorf("%q: got %v, want no event", l, got)
		}
	}
	for _, tc := range kernelCases() {
		got, _, ok := parseOne(tc.line)
		if !ok {
			t.Errorf("%s: %q not recognised", tc.src, tc.line)
			continue
		}
		if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(diagnostics.Event{}, "Time", "Message", "Line")); diff != "" {
			t.Errorf("%s: %q (-want +got)\n%s", tc.src, tc.line, diff)
		}
	}
}
