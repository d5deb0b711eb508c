package logparse

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// TestFirmwareSilent: a driver whose scan commands time out again and again
// (brcmfmac's firmware command timeout, ath11k's WMI timeout) shows a device
// that does not answer; one timeout, a timeout followed by a completed scan,
// and EBUSY refusals do not.
func TestFirmwareSilent(t *testing.T) {
	const (
		brcm  = "[  100.100000] ieee80211 phy0: brcmf_run_escan: error (-110)\n"
		brcm2 = "[  130.100000] ieee80211 phy0: brcmf_cfg80211_scan: scan error (-110)\n"
		ath   = "[  100.100000] ath11k_pci 0000:01:00.0: failed to start hw scan: -110\n"
	)
	for _, tc := range []struct {
		name, log string
		want      diagnostics.Class
	}{
		{"brcmfmac twice", brcm + brcm2, diagnostics.DeviceUnavailable},
		{"ath11k twice", ath + ath, diagnostics.DeviceUnavailable},
		{"once", brcm, diagnostics.Unknown},
		{"twice, then a scan completed", brcm + brcm2 + "Mar 10 22:00:01 host wpa_supplicant[612]: wlan0: CTRL-EVENT-SCAN-RESULTS \n", diagnostics.None},
		{"refused as busy", "[  100.1] ieee80211 phy0: brcmf_run_escan: error (-16)\n[  110.1] ieee80211 phy0: brcmf_run_escan: error (-16)\n", diagnostics.ScanBusy},
	} {
		rep := diagnoseString(t, tc.log)
		if diff := cmp.Diff(tc.want, rep.Class); diff != "" {
			t.Errorf("%s: class (-want +got):\n%s\ndetail: %s", tc.name, diff, rep.Detail)
		}
	}
}
