package scan

import (
	"context"
	"fmt"
	"strings"
)

// Regulatory is what a radio may do where it is: the regulatory domain
// cfg80211 applies to it and the state of each of its channels. A channel the
// radio may not use is invisible to it: cfg80211 neither scans a disabled
// channel nor sends probe requests on a no-IR (passive-only) one, so a
// network there is never seen, or, when it is hidden, never answers.
type Regulatory struct {
	Ifname string
	// Country is the ISO 3166 alpha2 of the domain: "00" is the world
	// domain (no country set: 5 GHz and channels 12-14 passive-only), "99"
	// a domain built by intersecting several hints or defined by the driver.
	Country string
	// OwnDomain is set when the radio has a domain of its own
	// (NL80211_ATTR_WIPHY in the GET_REG answer: self-managed firmware, or a
	// driver's custom domain such as hwsim's) instead of the system's.
	OwnDomain bool
	// SystemCountry is the system's domain when the radio has its own.
	SystemCountry string
	// DFSRegion is "FCC", "ETSI", "JP" or "" when unset.
	DFSRegion string
	// Channels are the radio's channels from NL80211_CMD_GET_WIPHY, in the
	// kernel's order.
	Channels []ChannelInfo
}

// ChannelInfo is one channel of a radio and what regulatory rules (and the
// radio's own limits, which cfg80211 folds into the same flags) allow on it.
type ChannelInfo struct {
	FreqMHz int
	Channel int
	// Disabled: the radio may neither transmit nor receive here
	// (NL80211_FREQUENCY_ATTR_DISABLED).
	Disabled bool
	// NoIR: no initiating radiation; only passive scanning, so a hidden
	// network here is not probed for (NL80211_FREQUENCY_ATTR_NO_IR).
	NoIR bool
	// Radar: DFS channel; access points need a channel availability check
	// before beaconing (NL80211_FREQUENCY_ATTR_RADAR).
	Radar bool
}

// RegulatoryReader reads a radio's regulatory state. *NL80211 implements it
// on Linux; tests substitute fakes.
type RegulatoryReader interface {
	// Regulatory returns the regulatory state of the radio behind ifname.
	// It fails with ErrNoInterface for an interface that is not wireless
	// and with ErrUnsupported off Linux.
	Regulatory(ctx context.Context, ifname string) (Regulatory, error)
}

// Band names the band of a centre frequency in MHz: "2.4GHz", "5GHz",
// "6GHz", "60GHz", or "" outside them. The 4.9 GHz public-safety channels
// count as 5GHz, as cfg80211 puts them in NL80211_BAND_5GHZ.
func Band(freqMHz int) string {
	switch {
	case freqMHz >= 2400 && freqMHz < 2500:
		return "2.4GHz"
	case freqMHz >= 4900 && freqMHz < 5925:
		return "5GHz"
	case freqMHz >= 5925 && freqMHz <= 7125:
		return "6GHz"
	case freqMHz >= 57000 && freqMHz <= 71000:
		return "60GHz"
	}
	return ""
}

// commonChannel reports whether access points commonly use the channel:
// 2.4 GHz channels 1-13 and the 5 GHz UNII-1 to UNII-3 channels 36-165.
// Channel 14 (Japan's 802.11b-only channel) and the 4.9 GHz and ITS bands are
// disabled in nearly every domain; naming them after every miss would only be
// noise.
func commonChannel(c ChannelInfo) bool {
	switch Band(c.FreqMHz) {
	case "2.4GHz":
		return c.Channel >= 1 && c.Channel <= 13
	case "5GHz":
		return c.Channel >= 36 && c.Channel <= 165
	}
	return false
}

// Unusable returns the commonly used channels (2.4 GHz 1-13, 5 GHz 36-165)
// the radio cannot use at all, and the bands it has none of: a network on one
// of those is invisible to this radio, whatever it scans.
func (r Regulatory) Unusable() (disabled []ChannelInfo, missingBands []string) {
	has := map[string]bool{}
	for _, c := range r.Channels {
		has[Band(c.FreqMHz)] = true
		if c.Disabled && commonChannel(c) {
			disabled = append(disabled, c)
		}
	}
	for _, b := range []string{"2.4GHz", "5GHz"} {
		if len(r.Channels) > 0 && !has[b] {
			missingBands = append(missingBands, b)
		}
	}
	return disabled, missingBands
}

// PassiveOnly returns the commonly used channels the radio may listen on
// but not probe (no-IR), where a hidden network cannot be found.
func (r Regulatory) PassiveOnly() []ChannelInfo {
	var out []ChannelInfo
	for _, c := range r.Channels {
		if !c.Disabled && c.NoIR && commonChannel(c) {
			out = append(out, c)
		}
	}
	return out
}

// Domain describes the domain for people: "regulatory domain DE",
// "regulatory domain 00 (world: no country set)", or for a radio with a
// domain of its own "its own regulatory domain 99 (driver-defined; the
// system's is DE)".
func (r Regulatory) Domain() string {
	note := func(c string) string {
		switch c {
		case "00":
			return "world: no country set"
		case "99":
			return "driver-defined"
		}
		return ""
	}
	if r.Country == "" {
		return "an unknown regulatory domain"
	}
	var notes []string
	if n := note(r.Country); n != "" {
		notes = append(notes, n)
	}
	s := "regulatory domain " + r.Country
	if r.OwnDomain {
		s = "its own " + s
		if r.SystemCountry != "" && r.SystemCountry != r.Country {
			notes = append(notes, "the system's is "+r.SystemCountry)
		}
	}
	if len(notes) > 0 {
		s += " (" + strings.Join(notes, "; ") + ")"
	}
	return s
}

// ChannelList renders channels as a compact list of channel numbers with
// ranges of consecutive channels in one band merged: "12-13, 52-144". The
// 5 GHz channels step by 4, 2.4 GHz ones by 1.
func ChannelList(cs []ChannelInfo) string {
	var parts []string
	for i := 0; i < len(cs); {
		j := i
		step := 1
		if Band(cs[i].FreqMHz) == "5GHz" {
			step = 4
		}
		for j+1 < len(cs) && Band(cs[j+1].FreqMHz) == Band(cs[i].FreqMHz) && cs[j+1].Channel == cs[j].Channel+step {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", cs[i].Channel, cs[j].Channel))
		} else {
			parts = append(parts, fmt.Sprint(cs[i].Channel))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}
