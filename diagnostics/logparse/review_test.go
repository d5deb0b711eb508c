package logparse

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// These tests hold the cases an adversarial review of the session's change
// found (each failed before its fix).

func TestReviewLinkReadyOtherInterface(t *testing.T) {
	in := "" +
		"[  100.000000] wlan0: authenticate with aa:bb:cc:00:11:22\n" +
		"[  100.010000] wlan0: send auth to aa:bb:cc:00:11:22 (try 1/3)\n" +
		"[  100.200000] IPv6: ADDRCONF(NETDEV_CHANGE): wlan1: link becomes ready\n" +
		"[  100.210000] wlan0: send auth to aa:bb:cc:00:11:22 (try 2/3)\n" +
		"[  100.410000] wlan0: send auth to aa:bb:cc:00:11:22 (try 3/3)\n" +
		"[  100.610000] wlan0: authentication with aa:bb:cc:00:11:22 timed out\n"
	if diff := cmp.Diff(diagnostics.AssocRejected, diagnoseString(t, in).Class); diff != "" {
		t.Errorf("class (-want +got):\n%s", diff)
	}
}

func TestReviewBlockersBefore(t *testing.T) {
	const attempt = "" +
		"Jan 10 10:00:20 host NetworkManager[800]: <info>  [1700000020.0000] device (wlan0): Activation: starting connection 'Lab' (1b2c)\n"
	const failed = "Jan 10 10:00:30 host NetworkManager[800]: <info>  [1700000030.0000] device (wlan0): state change: config -> failed (reason 'unknown', sys-iface-state: 'managed')\n"
	for _, tc := range []struct {
		name, log string
		want      diagnostics.Class
	}{
		{"another interface's device failure", "" +
			"Jan 10 10:00:00 host NetworkManager[800]: <info>  [1700000000.0000] device (wlan1): firmware may be missing.\n" +
			attempt + failed, diagnostics.Unknown},
		{"the supplicant answered in the attempt", "" +
			"Jan 10 10:00:00 host NetworkManager[800]: <warn>  [1700000000.0000] sup-mgr: wpa_supplicant stopped\n" +
			attempt +
			"Jan 10 10:00:21 host NetworkManager[800]: <info>  [1700000021.0000] device (wlan0): supplicant interface state: disconnected -> scanning\n" +
			"Jan 10 10:00:22 host NetworkManager[800]: <info>  [1700000022.0000] device (wlan0): supplicant interface state: scanning -> associating\n" +
			failed, diagnostics.Unknown},
		{"the same interface's firmware", "" +
			"Jan 10 10:00:00 host NetworkManager[800]: <info>  [1700000000.0000] device (wlan0): firmware may be missing.\n" +
			attempt + failed, diagnostics.DeviceUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := diagnoseString(t, tc.log)
			if diff := cmp.Diff(tc.want, rep.Class); diff != "" {
				t.Errorf("class (-want +got):\n%s\ndetail: %s", diff, rep.Detail)
			}
			if len(rep.Attempts) > 0 {
				if got := rep.Attempts[0].Started.UTC().Format("15:04:05"); got != "10:00:20" {
					t.Errorf("attempt started %s, want its own first event's 10:00:20", got)
				}
			}
		})
	}
}

func TestReviewNegativeStatusCode(t *testing.T) {
	in := "" +
		"[1737121661.086544][835545:835546] CHIP:DL: wpa_supplicant:PropertiesChanged:key:State -> 'associating'\n" +
		"[1737121661.186544][835545:835546] CHIP:DL: wpa_supplicant:PropertiesChanged:key:AssocStatusCode -> -1\n" +
		"[1737121661.286544][835545:835546] CHIP:DL: wpa_supplicant:PropertiesChanged:key:State -> 'disconnected'\n"
	rep := diagnoseString(t, in) // the schema check is the test
	for _, a := range rep.Attempts {
		if a.StatusCode < 0 {
			t.Errorf("status_code %d", a.StatusCode)
		}
	}
}

func TestReviewScanInitFoldInterleaved(t *testing.T) {
	in := "" +
		"Jan 10 10:00:00 host wpa_supplicant[900]: wlan0: Reject scan trigger since one is already pending\n" +
		"Jan 10 10:00:00 host NetworkManager[800]: <info>  [1700000000.0000] device (wlan0): supplicant interface state: ready -> disconnected\n" +
		"Jan 10 10:00:00 host wpa_supplicant[900]: wlan0: Failed to initiate AP scan\n"
	if diff := cmp.Diff(diagnostics.None, diagnoseString(t, in).Class); diff != "" {
		t.Errorf("class (-want +got):\n%s", diff)
	}
}

func TestReviewScanInitThenConnected(t *testing.T) {
	in := "" +
		"Jan 10 10:00:00 host wpa_supplicant[900]: wlan0: Failed to initiate AP scan\n" +
		"Jan 10 10:00:02 host NetworkManager[800]: <info>  [1700000002.0000] device (wlan0): supplicant interface state: scanning -> completed\n"
	if diff := cmp.Diff(diagnostics.None, diagnoseString(t, in).Class); diff != "" {
		t.Errorf("class (-want +got):\n%s", diff)
	}
	// A failed trigger puts the state back (scan.c): scanning ->
	// disconnected is no completed scan.
	in = "" +
		"Jan 10 10:00:00 host wpa_supplicant[900]: wlan0: Failed to initiate AP scan\n" +
		"Jan 10 10:00:00 host NetworkManager[800]: <info>  [1700000000.0000] device (wlan0): supplicant interface state: scanning -> disconnected\n"
	if diff := cmp.Diff(diagnostics.ScanBusy, diagnoseString(t, in).Class); diff != "" {
		t.Errorf("restored state: class (-want +got):\n%s", diff)
	}
}

func TestReviewGnomeLogsKeepsNMStamp(t *testing.T) {
	in := "" +
		"25/10/19 12:10 PM\tNetworkManager\t<info>  [1700000020.0000] device (wlan0): Activation: starting connection 'Lab' (1b2c)\n" +
		"25/10/19 12:10 PM\tNetworkManager\t<info>  [1700000030.0000] device (wlan0): state change: config -> failed (reason 'ssid-not-found', sys-iface-state: 'managed')\n"
	rep := diagnoseString(t, in)
	if len(rep.Attempts) != 1 || rep.Attempts[0].Started.IsZero() || rep.Interface != "wlan0" {
		t.Errorf("attempts %d, interface %q, started %v", len(rep.Attempts), rep.Interface, rep.Started)
	}
}

func TestReviewFollowEOFMidAttempt(t *testing.T) {
	data := journalLine("c1", 0, "NetworkManager", "<info>  [1700000000.0] device (wlan0): Activation: starting connection 'Home' (1)") +
		journalLine("c2", 1, "NetworkManager", "<info>  [1700000001.0] device (wlan0): state change: prepare -> config (reason 'none', managed-type: 'full')")
	var got []diagnostics.Class
	err := Follow(context.Background(), endedJournal{data}, FollowOptions{}, func(r *diagnostics.Report) error {
		got = append(got, r.Class)
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), io.ErrUnexpectedEOF.Error()) {
		t.Errorf("err = %v", err)
	}
	if diff := cmp.Diff([]diagnostics.Class{diagnostics.Unknown}, got); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
}

// TestReviewPositionalSecretsRedacted: a passphrase given as a positional
// argument (ESP-AT's echoed join command) never reaches the report
// (validate fails on the planted secrets).
func TestReviewPositionalSecretsRedacted(t *testing.T) {
	for _, in := range []string{
		"AT+CWJAP=\"HomeNet\",\"hunter2-not-real\"\n+CWJAP:2\n\nFAIL\n",
		"AT+CWJAP_DEF=\"HomeNet\",\"Sup3rS3cret!\"\n+CWJAP:3\n\nFAIL\n",
	} {
		rep := diagnoseString(t, in)
		if len(rep.Attempts) == 0 {
			t.Errorf("%q: no attempt", in)
		}
	}
}

// TestReviewLogcatLongEndsAtOtherStamp: a -v long entry that lost its blank
// line ends at a line with a timestamp of its own.
func TestReviewLogcatLongEndsAtOtherStamp(t *testing.T) {
	in := "[ 01-18 21:09:47.901  1234: 5678 I/WifiStateMachine ]\n" +
		"Starting\n" +
		"[  200.140000] wlp2s0: RX AssocResp from aa:bb:cc:00:11:22 (capab=0x411 status=17 aid=0)\n" +
		"[  200.150000] wlp2s0: aa:bb:cc:00:11:22 denied association (code=17)\n"
	if diff := cmp.Diff(diagnostics.AssocRejected, diagnoseString(t, in).Class); diff != "" {
		t.Errorf("class (-want +got):\n%s", diff)
	}
}

// TestReviewNegativeAssocStatusNotAPRefusal: wpa_supplicant's -1 is a local
// failure, never "the AP refused".
func TestReviewNegativeAssocStatusNotAPRefusal(t *testing.T) {
	in := "" +
		"[1737121661.086544][835545:835546] CHIP:DL: wpa_supplicant:PropertiesChanged:key:State -> 'associating'\n" +
		"[1737121661.186544][835545:835546] CHIP:DL: wpa_supplicant:PropertiesChanged:key:AssocStatusCode -> -1\n" +
		"[1737121661.286544][835545:835546] CHIP:DL: wpa_supplicant:PropertiesChanged:key:State -> 'disconnected'\n"
	rep := diagnoseString(t, in)
	if rep.Class == diagnostics.AssocRejected && strings.Contains(rep.Detail, "status -1") {
		t.Errorf("class %s: %s", rep.Class, rep.Detail)
	}
}

// TestReviewLinkLost: a rekey or a roam does not end a join's exemption;
// a fall back to disconnected does, until the link is completed again.
func TestReviewLinkLost(t *testing.T) {
	st := func(old, new string) diagnostics.Event {
		return diagnostics.Event{Kind: diagnostics.KindSupplicantState, OldState: old, State: new}
	}
	for _, tc := range []struct {
		name string
		evs  []diagnostics.Event
		want bool
	}{
		{"rekey", []diagnostics.Event{st("completed", "4way_handshake"), st("4way_handshake", "completed")}, false},
		{"roam", []diagnostics.Event{st("completed", "authenticating"), st("authenticating", "associating"), st("associating", "completed")}, false},
		{"lost", []diagnostics.Event{st("completed", "disconnected")}, true},
		{"lost, then back", []diagnostics.Event{st("completed", "disconnected"), st("scanning", "completed")}, false},
		{"deauthenticated by the AP", []diagnostics.Event{{Kind: diagnostics.KindDisconnect, Code: 3}}, true},
	} {
		if got := linkLost(tc.evs); got != tc.want {
			t.Errorf("%s: linkLost = %v, want %v", tc.name, got, tc.want)
		}
	}
}
