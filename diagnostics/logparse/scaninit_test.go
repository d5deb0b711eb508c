package logparse

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// TestScanInitFailed: wpa_supplicant's "Failed to initiate AP scan" is one
// failed trigger with the line logged just before it for the same trigger
// (a deferral, or wext's EBUSY), and a refusal of its own when bare;
// NetworkManager's "Could not get scan request result" with wpa_supplicant's
// ScanError is a deferral.
func TestScanInitFailed(t *testing.T) {
	const (
		reject  = "Jan 10 10:00:00 host wpa_supplicant[900]: wlan0: Reject scan trigger since one is already pending\n"
		initF   = "Jan 10 10:00:00 host wpa_supplicant[900]: wlan0: Failed to initiate AP scan\n"
		initF2  = "Jan 10 10:00:05 host wpa_supplicant[900]: wlan0: Failed to initiate AP scan\n"
		wext    = "Jan 10 10:00:00 host wpa_supplicant[900]: ioctl[SIOCSIWSCAN]: Device or resource busy\n"
		wextF   = "Jan 10 10:00:00 host wpa_supplicant[900]: Failed to initiate AP scan.\n"
		results = "Jan 10 10:00:09 host wpa_supplicant[900]: wlan0: CTRL-EVENT-SCAN-RESULTS\n"
		nmScanE = "Jan 10 10:00:00 host NetworkManager[800]: <warn>  Could not get scan request result: GDBus.Error:fi.w1.wpa_supplicant1.Interface.ScanError: Scan request rejected\n"
		nmNoRep = "Jan 10 10:00:00 host NetworkManager[800]: <warn> Could not get scan request result: Did not receive a reply.\n"
	)
	type res struct {
		Class  diagnostics.Class
		Detail string
	}
	for _, tc := range []struct {
		name, log string
		want      res
	}{
		{"a deferral and its echo", reject + initF, res{diagnostics.None, "the log shows no join attempt and no failure (1 scan requests deferred behind a scan already running)"}},
		{"two bare failed triggers", initF + initF2, res{diagnostics.ScanBusy, "2 scans refused as busy in 5s, none completed after"}},
		{"wext EBUSY and its echo", wext + wextF, res{diagnostics.ScanBusy, "1 scans refused as busy, none completed after"}},
		{"a failed trigger, then a scan", initF + results, res{diagnostics.None, "the log shows no join attempt and no failure (1 scans refused as busy, then a scan completed)"}},
		{"NetworkManager: ScanError is a deferral", nmScanE, res{diagnostics.None, "the log shows no join attempt and no failure (1 scan requests deferred behind a scan already running)"}},
		{"NetworkManager: no reply is a note", nmNoRep, res{diagnostics.None, "the log shows no join attempt and no failure"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := diagnoseString(t, tc.log)
			if diff := cmp.Diff(tc.want, res{rep.Class, rep.Detail}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
