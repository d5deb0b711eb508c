package logparse

import (
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
