package join

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/nm"
	"github.com/hotspotctl/hotspotctl/scan"
)

// statusReader is the optional part of a Backend that reports the device's
// current connection and access point; *nm.Client implements it.
type statusReader interface {
	Status(ctx context.Context, dev nm.Device) (nm.Status, error)
}

// associatedTimeout bounds reading the device's current association.
const associatedTimeout = 3 * time.Second

// associatedCandidate returns the BSS the device is associated with when it
// belongs to the target network and fits the request's security. An
// associated BSS is seen all the time — the station receives its beacons —
// so it proves presence as well as a fresh scan does; scanning on an
// associated interface, on the other hand, is slow: mac80211 goes back to
// the operating channel between off-channel dwells, and cfg80211 refuses a
// new trigger while NetworkManager's background scan runs (lab,
// concurrent-joins: every full 38-channel scan of a second join on an
// associated wlan0 ran past the 20 s per-scan limit under TCG). Presence
// only: absence is never concluded from an association, and a device that
// is not associated, or associated elsewhere, scans as before.
func (j *Joiner) associatedCandidate(ctx context.Context, req *Request, dev nm.Device) (candidate, bool) {
	sr, ok := j.nm.(statusReader)
	if !ok || req.BSSID != "" {
		return candidate{}, false
	}
	sctx, cancel := context.WithTimeout(ctx, associatedTimeout)
	defer cancel()
	st, err := sr.Status(sctx, dev)
	if err != nil || st.BSSID == "" || len(st.SSID) == 0 || st.Device.State != 100 {
		return candidate{}, false
	}
	if len(req.SSID) > 0 && !bytes.Equal(st.SSID, req.SSID) {
		return candidate{}, false
	}
	if len(req.SSID) == 0 && !bytes.HasPrefix(st.SSID, req.SSIDPrefix) {
		return candidate{}, false
	}
	aps, err := j.nm.AccessPoints(sctx, dev)
	if err != nil {
		return candidate{}, false
	}
	for _, ap := range aps {
		if !strings.EqualFold(ap.BSSID, st.BSSID) || !bytes.Equal(ap.SSID, st.SSID) {
			continue
		}
		c := candidate{SSID: ap.SSID, BSSID: strings.ToLower(ap.BSSID), FreqMHz: int(ap.FrequencyMHz),
			Channel: scan.Channel(int(ap.FrequencyMHz)), Signal: strengthToDBm(ap.Strength), Security: ap.Security}
		if !securityFits(req, c.Security) {
			// Scan instead: the request may mean another BSS of the SSID
			// (an open twin of a WPA2 network, issue 8 item 8).
			return candidate{}, false
		}
		return c, true
	}
	return candidate{}, false
}

// noteAssociated records the association that proved presence.
func (j *Joiner) noteAssociated(rec *recorder, c candidate) {
	j.note(rec, diagnostics.KindScanVerdict, diagnostics.Bool(true), "found",
		fmt.Sprintf("%q is the network the device is associated with: %s, channel %d, %.0f dBm, %s (no scan needed)",
			diagnostics.PrintableSSID(c.SSID), c.BSSID, c.Channel, c.Signal, c.Security))
}
