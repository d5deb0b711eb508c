package join

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Issue 8 item 8: candidates are filtered by the security the request
// implies before the strongest is chosen; with nothing compatible, all are
// kept so chooseSecurity can explain the mismatch.
func TestMatchSecurity(t *testing.T) {
	ssid := []byte("Venue")
	open := candidate{SSID: ssid, BSSID: "02:00:00:00:05:01", Signal: -30, Security: "open"}
	wpa := candidate{SSID: ssid, BSSID: "02:00:00:00:05:00", Signal: -70, Security: "wpa-psk"}
	sae := candidate{SSID: ssid, BSSID: "02:00:00:00:05:02", Signal: -60, Security: "sae"}
	bssids := func(cs []candidate) []string {
		out := []string{}
		for _, c := range cs {
			out = append(out, c.BSSID)
		}
		return out
	}
	tests := []struct {
		name          string
		req           Request
		cands         []candidate
		chosen, twins []string
	}{
		{"passphrase: never the louder open BSS", Request{SSID: ssid, Passphrase: "secret-pass", Security: SecurityAuto},
			[]candidate{open, wpa}, []string{wpa.BSSID}, []string{open.BSSID}},
		{"passphrase: SAE and PSK both fit, strongest first", Request{SSID: ssid, Passphrase: "secret-pass", Security: SecurityAuto},
			[]candidate{open, wpa, sae}, []string{sae.BSSID, wpa.BSSID}, []string{open.BSSID}},
		{"no passphrase: the open BSS", Request{SSID: ssid, Security: SecurityAuto},
			[]candidate{wpa, open}, []string{open.BSSID}, []string{wpa.BSSID}},
		{"--security open with a passphrase", Request{SSID: ssid, Passphrase: "secret-pass", Security: SecurityOpen},
			[]candidate{wpa, open}, []string{open.BSSID}, []string{wpa.BSSID}},
		{"nothing fits: all kept, no twins", Request{SSID: ssid, Passphrase: "secret-pass", Security: SecurityAuto},
			[]candidate{open}, []string{open.BSSID}, []string{}},
	}
	j := &Joiner{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, tw := j.matchSecurity(&tt.req, tt.cands)
			if diff := cmp.Diff([][]string{tt.chosen, tt.twins}, [][]string{bssids(m), bssids(tw)}); diff != "" {
				t.Errorf("[chosen, twins] (-want +got):\n%s", diff)
			}
		})
	}
}
