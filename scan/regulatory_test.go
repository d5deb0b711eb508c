package scan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBand(t *testing.T) {
	for freq, want := range map[int]string{2412: "2.4GHz", 2484: "2.4GHz", 4920: "5GHz", 5180: "5GHz", 5825: "5GHz",
		5955: "6GHz", 7115: "6GHz", 58320: "60GHz", 900: ""} {
		if got := Band(freq); got != want {
			t.Errorf("Band(%d) = %q, want %q", freq, got, want)
		}
	}
}

func chans(flag func(*ChannelInfo), freqs ...int) []ChannelInfo {
	var out []ChannelInfo
	for _, f := range freqs {
		c := ChannelInfo{FreqMHz: f, Channel: Channel(f)}
		if flag != nil {
			flag(&c)
		}
		out = append(out, c)
	}
	return out
}

func TestUnusable(t *testing.T) {
	disabled := func(c *ChannelInfo) { c.Disabled = true }
	// hwsim's custom regulatory domain 01 under the system's DE: channels
	// 12, 13 and 52-144 disabled on the radio; channel 14 is disabled in DE
	// and deliberately not named.
	var cs []ChannelInfo
	cs = append(cs, chans(nil, 2412, 2437, 2462)...)
	cs = append(cs, chans(disabled, 2467, 2472, 2484)...)
	cs = append(cs, chans(nil, 5180, 5200, 5220, 5240)...)
	cs = append(cs, chans(disabled, 5260, 5280, 5300, 5320, 5500, 5520)...)
	cs = append(cs, chans(nil, 5745)...)
	cs = append(cs, chans(disabled, 5865)...)
	r := Regulatory{Country: "DE", Channels: cs}
	gotDis, gotMissing := r.Unusable()
	if diff := cmp.Diff("12-13, 52-64, 100-104", ChannelList(gotDis)); diff != "" {
		t.Errorf("Unusable channels (-want +got):\n%s", diff)
	}
	if len(gotMissing) != 0 {
		t.Errorf("missing bands = %v, want none", gotMissing)
	}

	only24 := Regulatory{Country: "US", Channels: chans(nil, 2412, 2437)}
	_, gotMissing = only24.Unusable()
	if diff := cmp.Diff([]string{"5GHz"}, gotMissing); diff != "" {
		t.Errorf("missing bands of a 2.4 GHz-only radio (-want +got):\n%s", diff)
	}
	if _, m := (Regulatory{}).Unusable(); m != nil {
		t.Errorf("a radio whose channels are unknown lacks no band; got %v", m)
	}
}

func TestPassiveOnly(t *testing.T) {
	noir := func(c *ChannelInfo) { c.NoIR = true }
	// The world domain 00: 5 GHz and channels 12-13 are passive-only.
	cs := append(chans(nil, 2412, 2462), chans(noir, 2467, 2472, 5180, 5200, 5260)...)
	cs = append(cs, chans(func(c *ChannelInfo) { c.NoIR, c.Disabled = true, true }, 5500)...)
	got := ChannelList(Regulatory{Country: "00", Channels: cs}.PassiveOnly())
	if diff := cmp.Diff("12-13, 36-40, 52", got); diff != "" {
		t.Errorf("PassiveOnly (-want +got):\n%s", diff)
	}
}

func TestDomain(t *testing.T) {
	for _, tc := range []struct {
		r    Regulatory
		want string
	}{
		{Regulatory{Country: "00"}, "regulatory domain 00 (world: no country set)"},
		{Regulatory{Country: "DE"}, "regulatory domain DE"},
		{Regulatory{}, "an unknown regulatory domain"},
		{Regulatory{Country: "US", OwnDomain: true, SystemCountry: "US"}, "its own regulatory domain US"},
		{Regulatory{Country: "99", OwnDomain: true, SystemCountry: "DE"}, "its own regulatory domain 99 (driver-defined; the system's is DE)"},
	} {
		if got := tc.r.Domain(); got != tc.want {
			t.Errorf("Domain(%+v) = %q, want %q", tc.r, got, tc.want)
		}
	}
}
