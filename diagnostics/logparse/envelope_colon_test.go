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

// TestGnomeLogsExport: GNOME Logs' export is "time TAB program TAB message".
func TestGnomeLogsExport(t *testing.T) {
	for _, tc := range []struct{ line, prog, msg string }{
		{"25/10/19 12:10 PM\tkernel\tIPv6: ADDRCONF(NETDEV_CHANGE): wlp3s0: link becomes ready", "kernel", "IPv6: ADDRCONF(NETDEV_CHANGE): wlp3s0: link becomes ready"},
		{"10/25/2019 12:10\twpa_supplicant\twlp3s0: CTRL-EVENT-SCAN-FAILED ret=-16", "wpa_supplicant", "wlp3s0: CTRL-EVENT-SCAN-FAILED ret=-16"},
		// Not an export: a tab inside an ordinary line.
		{"wlan0\tInterface doesn't support scanning", "", "wlan0\tInterface doesn't support scanning"},
	} {
		lp := newLineParser(2024)
		li, ok := lp.split([]byte(tc.line))
		if !ok {
			t.Errorf("%q: not split", tc.line)
			continue
		}
		if diff := cmp.Diff([2]string{tc.prog, tc.msg}, [2]string{li.prog, li.msg}); diff != "" {
			t.Errorf("%q: (prog, msg) (-want +got):\n%s", tc.line, diff)
		}
	}
}
