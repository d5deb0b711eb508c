package join

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/scan"
)

// fakeRegulatory answers Regulatory with a fixed state.
type fakeRegulatory struct {
	r     scan.Regulatory
	err   error
	calls []string
}

func (f *fakeRegulatory) Regulatory(_ context.Context, ifname string) (scan.Regulatory, error) {
	f.calls = append(f.calls, ifname)
	r := f.r
	r.Ifname = ifname
	return r, f.err
}

// regScanner is a scanner that also reads the regulatory state, as
// *scan.NL80211 does; join must pick the second role up by itself.
type regScanner struct {
	*fakeScanner
	*fakeRegulatory
}

func channels(disabled, noIR map[int]bool, freqs ...int) []scan.ChannelInfo {
	var out []scan.ChannelInfo
	for _, f := range freqs {
		out = append(out, scan.ChannelInfo{FreqMHz: f, Channel: scan.Channel(f), Disabled: disabled[f], NoIR: noIR[f]})
	}
	return out
}

func TestNotFoundNamesChannelsTheRadioCannotUse(t *testing.T) {
	// A radio like the lab's hwsim radio with custom regulatory domain 01
	// under the system's DE: channels 12-13 and 52-64 are disabled on it.
	all := []int{2412, 2437, 2462, 2467, 2472, 2484, 5180, 5200, 5220, 5240, 5260, 5280, 5300, 5320}
	disabled := map[int]bool{2467: true, 2472: true, 2484: true, 5260: true, 5280: true, 5300: true, 5320: true}
	for _, tc := range []struct {
		name      string
		reg       scan.Regulatory
		hidden    bool
		wantHints []string
	}{
		{
			name: "disabled channels",
			reg:  scan.Regulatory{Country: "DE", Channels: channels(disabled, nil, all...)},
			wantHints: []string{"wlan0 cannot use channels 12-13, 52-64: they are disabled in regulatory domain DE or by the radio itself, " +
				"so a network on one of them is invisible to it; check that the country is the one the device is in (iw reg get)"},
		},
		{
			name: "a radio with its own domain",
			reg:  scan.Regulatory{Country: "99", OwnDomain: true, SystemCountry: "DE", Channels: channels(disabled, nil, all...)},
			wantHints: []string{"wlan0 cannot use channels 12-13, 52-64: they are disabled in its own regulatory domain 99 (driver-defined; the system's is DE) or by the radio itself, " +
				"so a network on one of them is invisible to it; check that the country is the one the device is in (iw reg get)"},
		},
		{
			name:      "every channel usable",
			reg:       scan.Regulatory{Country: "DE", Channels: channels(nil, nil, 2412, 2437, 5180)},
			wantHints: []string{},
		},
		{
			name:      "2.4 GHz-only radio",
			reg:       scan.Regulatory{Country: "US", Channels: channels(nil, nil, 2412, 2437, 2462)},
			wantHints: []string{"wlan0 has no 5GHz channels: a network only on 5GHz is invisible to it; use a radio that has them"},
		},
		{
			name:   "hidden network in the world domain",
			reg:    scan.Regulatory{Country: "00", Channels: channels(nil, map[int]bool{2467: true, 2472: true, 5180: true, 5200: true}, 2412, 2467, 2472, 5180, 5200)},
			hidden: true,
			wantHints: []string{
				"no country is set (world regulatory domain 00), so 5 GHz channels and channels 12-13 are passive-only or off: " +
					"set the country the device is in (iw reg set XX, or country= in wpa_supplicant's configuration)",
				"a hidden network on channels 12-13, 36-40 cannot be probed for: they are passive-only in regulatory domain 00 (world: no country set); " +
					"it is found only once it beacons its name; make it visible or set the country",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake()
			reg := &fakeRegulatory{r: tc.reg}
			sc := regScanner{&fakeScanner{results: []scan.Result{okScan(bss("Other", "02:00:00:00:00:09", -30, "open"))}}, reg}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			j := New(f, Options{Scanner: sc, Clock: instantClock{}, Host: "test"})
			req := Request{SSID: []byte("Cafe"), ScansPerAttempt: 2, ScanWindow: time.Millisecond}
			if tc.hidden {
				// Hidden networks take NetworkManager's directed scan, whose
				// fake answer carries another SSID.
				req.SSID = []byte("Elsewhere")
				req.Hidden = true
			}
			rep, _ := j.Join(ctx, req)
			if rep.Class != diagnostics.NotFound {
				t.Fatalf("class = %s, want not_found; attempts %+v", rep.Class, rep.Attempts)
			}
			if diff := cmp.Diff(tc.wantHints, rep.Hints); diff != "" {
				t.Errorf("hints (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"wlan0"}, reg.calls); diff != "" {
				t.Errorf("regulatory reads (-want +got):\n%s", diff)
			}
		})
	}
}

func TestJoinedReportShowsBand(t *testing.T) {
	f := newFake()
	f.scripts = [][]diagnostics.Event{joinedScript}
	hw, _ := net.ParseMAC("02:00:00:00:00:01")
	b := scan.BSS{SSID: []byte("Cafe"), BSSID: hw, FrequencyMHz: 5260, Channel: 52, SignalDBm: -40, Security: "wpa-psk"}
	rep, err, _ := runJoin(t, f, &fakeScanner{results: []scan.Result{okScan(b)}}, Request{SSID: []byte("Cafe"), Passphrase: secret}, "")
	if err != nil {
		t.Fatalf("Join: %v", err)
	}
	type band struct {
		Freq, Channel int
		Band          string
	}
	want := band{5260, 52, "5GHz"}
	if diff := cmp.Diff(want, band{rep.FreqMHz, rep.Channel, rep.Band}); diff != "" {
		t.Errorf("report band (-want +got):\n%s", diff)
	}
	a := rep.Attempts[len(rep.Attempts)-1]
	if diff := cmp.Diff(want, band{a.FreqMHz, a.Channel, a.Band}); diff != "" {
		t.Errorf("attempt band (-want +got):\n%s", diff)
	}
}
