//go:build linux

package scan

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

func TestRegulatory(t *testing.T) {
	for _, tc := range []struct {
		name string
		own  bool
	}{{"system domain", false}, {"radio's own domain", true}} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, fastOptions())
			r.k.regOwn = tc.own
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			got, err := r.s.Regulatory(ctx, "wlan0")
			if err != nil {
				t.Fatalf("Regulatory: %v", err)
			}
			want := Regulatory{Ifname: "wlan0", Country: "DE", OwnDomain: tc.own, DFSRegion: "ETSI", Channels: []ChannelInfo{
				{FreqMHz: 2412, Channel: 1}, {FreqMHz: 2437, Channel: 6}, {FreqMHz: 2462, Channel: 11, NoIR: true},
				{FreqMHz: 5180, Channel: 36, Radar: true}, {FreqMHz: 5200, Channel: 40, Disabled: true}, {FreqMHz: 5955, Channel: 1},
			}}
			wantReqs := 1
			if tc.own {
				want.Country, want.SystemCountry = "99", "DE"
				wantReqs = 2 // the radio's domain, then the system's
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Regulatory (-want +got):\n%s", diff)
			}
			// GET_REG must name the radio, or cfg80211 answers with the
			// system's domain even for a radio with its own.
			if len(r.k.regReqs) != wantReqs {
				t.Fatalf("GET_REG requests = %d, want %d", len(r.k.regReqs), wantReqs)
			}
			ad, err := netlink.NewAttributeDecoder(r.k.regReqs[0].Data)
			if err != nil {
				t.Fatal(err)
			}
			phy := -1
			for ad.Next() {
				if ad.Type() == unix.NL80211_ATTR_WIPHY {
					phy = int(ad.Uint32())
				}
			}
			if phy != testPhy {
				t.Errorf("GET_REG wiphy = %d, want %d", phy, testPhy)
			}
		})
	}
}

func TestRegulatoryNoInterface(t *testing.T) {
	r := newRig(t, fastOptions())
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := r.s.Regulatory(ctx, "wlan9")
	if !errors.Is(err, ErrNoInterface) {
		t.Errorf("Regulatory(wlan9) error = %v, want ErrNoInterface", err)
	}
}
