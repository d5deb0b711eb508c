package logparse

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestLocalizedSyslogMonths: journalctl's short output names the month in
// the reader's locale (strftime %b); the stamp, host and program are read
// as in the C locale. A word that only looks like a month is not a stamp.
func TestLocalizedSyslogMonths(t *testing.T) {
	type got struct {
		T          time.Time
		Host, Prog string
	}
	at := func(m time.Month) time.Time { return time.Date(2024, m, 3, 10, 0, 1, 0, time.UTC) }
	for _, tc := range []struct {
		line string
		want got
	}{
		{"Dez 03 10:00:01 pi wpa_supplicant[512]: wlan0: CTRL-EVENT-SCAN-FAILED ret=-16", got{at(12), "pi", "wpa_supplicant"}},
		{"Mär 03 10:00:01 pi wpa_supplicant[512]: wlan0: CTRL-EVENT-SCAN-FAILED ret=-16", got{at(3), "pi", "wpa_supplicant"}},
		{"okt 03 10:00:01 pi wpa_supplicant[512]: wlan0: CTRL-EVENT-SCAN-FAILED ret=-16", got{at(10), "pi", "wpa_supplicant"}},
		{"dic 03 10:00:01 pi wpa_supplicant[512]: wlan0: CTRL-EVENT-SCAN-FAILED ret=-16", got{at(12), "pi", "wpa_supplicant"}},
		{"jan 03 10:00:01 pi wpa_supplicant[512]: wlan0: CTRL-EVENT-SCAN-FAILED ret=-16", got{at(1), "pi", "wpa_supplicant"}},
		{"Dec 03 10:00:01 pi wpa_supplicant[512]: wlan0: CTRL-EVENT-SCAN-FAILED ret=-16", got{at(12), "pi", "wpa_supplicant"}},
		{"set 03 done", got{}},
	} {
		lp := newLineParser(2024)
		li, _ := lp.split([]byte(tc.line))
		if diff := cmp.Diff(tc.want, got{li.t, li.host, li.prog}); diff != "" {
			t.Errorf("%q: (-want +got):\n%s", tc.line, diff)
		}
	}
}
