package logparse

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// TestDmesgHandshakeDrop: dmesg's monotonic stamps time the AP's drop after
// association (diagnostics.KernelHandshakeDrops), and IPv6's "link becomes
// ready" says the handshake completed before it.
func TestDmesgHandshakeDrop(t *testing.T) {
	const assoc = "" +
		"[  200.100000] wlp2s0: authenticate with aa:bb:cc:00:11:22\n" +
		"[  200.110000] wlp2s0: send auth to aa:bb:cc:00:11:22 (try 1/3)\n" +
		"[  200.120000] wlp2s0: authenticated\n" +
		"[  200.130000] wlp2s0: associate with aa:bb:cc:00:11:22 (try 1/3)\n" +
		"[  200.140000] wlp2s0: RX AssocResp from aa:bb:cc:00:11:22 (capab=0x411 status=0 aid=3)\n" +
		"[  200.150000] wlp2s0: associated\n"
	for _, tc := range []struct {
		name, log string
		want      diagnostics.Class
	}{
		{"dropped during the handshake", assoc + "[  205.150000] wlp2s0: deauthenticated from aa:bb:cc:00:11:22 (Reason: 2=PREV_AUTH_NOT_VALID)\n", diagnostics.WrongKey},
		{"dropped after the link came up", assoc +
			"[  200.400000] IPv6: ADDRCONF(NETDEV_CHANGE): wlp2s0: link becomes ready\n" +
			"[  205.150000] wlp2s0: deauthenticated from aa:bb:cc:00:11:22 (Reason: 2=PREV_AUTH_NOT_VALID)\n", diagnostics.Unknown},
		{"joined: the link became ready", assoc + "[  200.400000] IPv6: ADDRCONF(NETDEV_CHANGE): wlp2s0: link becomes ready\n", diagnostics.None},
		{"reassociation (RX ReassocResp) then a drop", strings.Replace(assoc, "RX AssocResp", "RX ReassocResp", 1) +
			"[  205.150000] wlp2s0: deauthenticated from aa:bb:cc:00:11:22 (Reason: 2=PREV_AUTH_NOT_VALID)\n", diagnostics.WrongKey},
		{"reason 15 with no AssocResp line (a trimmed paste)", strings.Replace(assoc, "[  200.140000] wlp2s0: RX AssocResp from aa:bb:cc:00:11:22 (capab=0x411 status=0 aid=3)\n", "", 1) +
			"[  204.150000] wlp2s0: deauthenticated from aa:bb:cc:00:11:22 (Reason: 15=4WAY_HANDSHAKE_TIMEOUT)\n", diagnostics.WrongKey},
		{"reason 2 with no AssocResp line", strings.Replace(assoc, "[  200.140000] wlp2s0: RX AssocResp from aa:bb:cc:00:11:22 (capab=0x411 status=0 aid=3)\n", "", 1) +
			"[  204.150000] wlp2s0: deauthenticated from aa:bb:cc:00:11:22 (Reason: 2=PREV_AUTH_NOT_VALID)\n", diagnostics.Unknown},
		{"dropped much later", assoc + "[  900.150000] wlp2s0: deauthenticated from aa:bb:cc:00:11:22 (Reason: 2=PREV_AUTH_NOT_VALID)\n", diagnostics.Unknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := diagnoseString(t, tc.log)
			if diff := cmp.Diff(tc.want, rep.Class); diff != "" {
				t.Errorf("class (-want +got):\n%s\ndetail: %s", diff, rep.Detail)
			}
		})
	}
}

// TestDmesgLinkReadyOnce: IPv6's "link becomes ready" is printed once per
// interface, so after a first good join a WPA2 AP's reason-2 drops seconds
// after each new association are not a wrong key (review of the lab's
// deauth-loop finding); a reason-15 drop still is.
func TestDmesgLinkReadyOnce(t *testing.T) {
	join := func(at int, tail string) string {
		return fmt.Sprintf("[  %d.100000] wlp2s0: authenticate with aa:bb:cc:00:11:22\n", at) +
			fmt.Sprintf("[  %d.120000] wlp2s0: authenticated\n", at) +
			fmt.Sprintf("[  %d.140000] wlp2s0: RX AssocResp from aa:bb:cc:00:11:22 (capab=0x411 status=0 aid=3)\n", at) +
			fmt.Sprintf("[  %d.150000] wlp2s0: associated\n", at) + tail
	}
	first := join(100, "[  100.300000] IPv6: ADDRCONF(NETDEV_CHANGE): wlp2s0: link becomes ready\n"+
		"[  101.000000] wlp2s0: deauthenticated from aa:bb:cc:00:11:22 (Reason: 2=PREV_AUTH_NOT_VALID)\n")
	for _, tc := range []struct {
		name, log string
		want      []diagnostics.Class
	}{
		{"reason 2 after an earlier link-ready", first + join(106, "[  106.300000] wlp2s0: deauthenticated from aa:bb:cc:00:11:22 (Reason: 2=PREV_AUTH_NOT_VALID)\n"),
			[]diagnostics.Class{diagnostics.None, diagnostics.Unknown}},
		{"reason 15 after an earlier link-ready", first + join(106, "[  110.300000] wlp2s0: deauthenticated from aa:bb:cc:00:11:22 (Reason: 15=4WAY_HANDSHAKE_TIMEOUT)\n"),
			[]diagnostics.Class{diagnostics.None, diagnostics.WrongKey}},
	} {
		rep := diagnoseString(t, tc.log)
		var got []diagnostics.Class
		for _, a := range rep.Attempts {
			got = append(got, a.Class)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: attempts (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestDmesgSAETwoInterfaces: two interfaces authenticating to one BSSID are
// not one SAE exchange; wlan0's single Open System frame refused stays the
// AP's refusal.
func TestDmesgSAETwoInterfaces(t *testing.T) {
	rep := diagnoseString(t, ""+
		"[  115.407824] wlan0: authenticate with 02:00:00:00:01:00\n"+
		"[  115.413860] wlan0: send auth to 02:00:00:00:01:00 (try 1/3)\n"+
		"[  115.459326] wlan1: authenticate with 02:00:00:00:01:00\n"+
		"[  115.459793] wlan1: send auth to 02:00:00:00:01:00 (try 1/3)\n"+
		"[  115.474477] wlan0: 02:00:00:00:01:00 denied authentication (status 1)\n")
	if diff := cmp.Diff(diagnostics.AssocRejected, rep.Class); diff != "" {
		t.Errorf("class (-want +got):\n%s\ndetail: %s", diff, rep.Detail)
	}
}
