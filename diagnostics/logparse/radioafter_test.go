package logparse

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// TestRadioOffAfterOwnFailure: a user switching Wi-Fi off after the join
// had failed for a cause of its own does not turn the verdict into
// radio_off; the radio going off before or during a join that then fails
// for no cause of its own still is radio_off.
func TestRadioOffAfterOwnFailure(t *testing.T) {
	const wrongKey = "" +
		"May 26 15:35:40 pc wpa_supplicant[612]: wlan0: SME: Trying to authenticate with aa:bb:cc:dd:ee:ff (SSID='Home' freq=2437 MHz)\n" +
		"May 26 15:35:40 pc wpa_supplicant[612]: wlan0: Trying to associate with aa:bb:cc:dd:ee:ff (SSID='Home' freq=2437 MHz)\n" +
		"May 26 15:35:40 pc wpa_supplicant[612]: wlan0: Associated with aa:bb:cc:dd:ee:ff\n" +
		"May 26 15:35:44 pc wpa_supplicant[612]: wlan0: CTRL-EVENT-DISCONNECTED bssid=aa:bb:cc:dd:ee:ff reason=15\n" +
		"May 26 15:35:44 pc wpa_supplicant[612]: wlan0: WPA: 4-Way Handshake failed - pre-shared key may be incorrect\n"
	const radioOff = "May 26 15:35:53 pc NetworkManager[466]: <info>  [1685129753.1957] audit: op=\"radio-control\" arg=\"wireless-enabled:off\" pid=2941 uid=1000 result=\"success\"\n"
	for _, tc := range []struct {
		name, log string
		want      diagnostics.Class
	}{
		{"wrong key, then Wi-Fi switched off", wrongKey + radioOff, diagnostics.WrongKey},
		{"Wi-Fi switched off alone", radioOff, diagnostics.RadioOff},
	} {
		rep := diagnoseString(t, tc.log)
		if diff := cmp.Diff(tc.want, rep.Class); diff != "" {
			t.Errorf("%s: class (-want +got):\n%s\ndetail: %s", tc.name, diff, rep.Detail)
		}
	}
}
