package join

import (
	"context"
	"fmt"
	"time"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/scan"
)

// regulatoryTimeout bounds reading the radio's regulatory state after a
// not_found verdict: two small nl80211 requests.
const regulatoryTimeout = 2 * time.Second

// regulatoryFindings explains, after fresh scans proved a network absent,
// where this radio could not have seen it: channels its regulatory domain
// (or its own hardware limits, which cfg80211 folds into the same channel
// flags) disables, a band it lacks, or, for a hidden network, channels where
// it may only listen (no-IR: cfg80211 sends no probe requests there, and a
// hidden network answers nothing else). It returns a note event for the
// attempt's timeline and hints for the report, or nothing when the radio can
// use every common channel or its state cannot be read: the verdict stays
// not_found either way, because fresh scans of every channel the radio may
// use did not see the network.
func (j *Joiner) regulatoryFindings(ctx context.Context, ifname string, hidden bool) ([]diagnostics.Event, []string) {
	if j.opts.Regulatory == nil || ifname == "" {
		return nil, nil
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), regulatoryTimeout)
	defer cancel()
	r, err := j.opts.Regulatory.Regulatory(rctx, ifname)
	if err != nil {
		j.opts.Log.Debug().Err(err).Str("ifname", ifname).Msg("regulatory state unavailable")
		return nil, nil
	}
	var evs []diagnostics.Event
	var hints []string
	note := func(msg string) {
		evs = append(evs, diagnostics.Event{Time: j.now(), Source: diagnostics.SourceNL80211, Kind: diagnostics.KindNote,
			Name: "regulatory", Iface: ifname, Message: msg})
	}
	disabled, missing := r.Unusable()
	for _, b := range missing {
		note(fmt.Sprintf("%s has no %s channels", ifname, b))
		hints = append(hints, fmt.Sprintf("%s has no %s channels: a network only on %s is invisible to it; use a radio that has them", ifname, b, b))
	}
	if len(disabled) > 0 {
		list := scan.ChannelList(disabled)
		note(fmt.Sprintf("%s cannot use channels %s in %s", ifname, list, r.Domain()))
		hints = append(hints, fmt.Sprintf("%s cannot use channels %s: they are disabled in %s or by the radio itself, so a network on one of them is invisible to it; "+
			"check that the country is the one the device is in (iw reg get)", ifname, list, r.Domain()))
	}
	if r.Country == "00" || r.SystemCountry == "00" {
		hints = append(hints, "no country is set (world regulatory domain 00), so 5 GHz channels and channels 12-13 are passive-only or off: "+
			"set the country the device is in (iw reg set XX, or country= in wpa_supplicant's configuration)")
	}
	if hidden {
		if passive := r.PassiveOnly(); len(passive) > 0 {
			list := scan.ChannelList(passive)
			note(fmt.Sprintf("%s may only listen on channels %s in %s (no-IR)", ifname, list, r.Domain()))
			hints = append(hints, fmt.Sprintf("a hidden network on channels %s cannot be probed for: they are passive-only in %s; "+
				"it is found only once it beacons its name; make it visible or set the country", list, r.Domain()))
		}
	}
	return evs, hints
}
