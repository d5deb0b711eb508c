package logparse

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDmesgFunctionNotHost: after a bare dmesg stamp, a message whose first
// word is a function ("brcmf_bus_started:") is not split as "host prog:".
func TestDmesgFunctionNotHost(t *testing.T) {
	for _, tc := range []struct{ line, host, prog, msg string }{
		{"[    7.100000] brcmf_bus_started: failed: -52", "", "", "brcmf_bus_started: failed: -52"},
		{"[    7.100000] RTW: rtw_ndev_init(wlan0)", "", "", "RTW: rtw_ndev_init(wlan0)"},
		{"Nov 14 22:13:20 host kernel: [ 7.1] wlan0: associated", "host", "kernel", "wlan0: associated"},
	} {
		lp := newLineParser(2024)
		li, ok := lp.split([]byte(tc.line))
		if !ok {
			t.Errorf("%q: not split", tc.line)
			continue
		}
		if diff := cmp.Diff([3]string{tc.host, tc.prog, tc.msg}, [3]string{li.host, li.prog, li.msg}); diff != "" {
			t.Errorf("%q: (host, prog, msg) (-want +got):\n%s", tc.line, diff)
		}
	}
}
