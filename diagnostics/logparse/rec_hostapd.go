package logparse

import (
	"regexp"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// hostapd, the access point's side. People whose device cannot join their
// own AP (a Raspberry Pi or OpenWrt hotspot, a test AP) paste its log, and
// for a wrong passphrase it is often the only side that says so: a station
// whose EAPOL-Key message 2/4 fails the MIC check is reported as
// AP-STA-POSSIBLE-PSK-MISMATCH (src/ap/wpa_auth.c, wpa_receive), while the
// station (an ESP8266, a phone) reports a bare reason 2 or 15. The control
// events are src/common/wpa_ctrl.h's AP_* prefixes, logged as "wlan0:
// AP-STA-CONNECTED 02:00:00:00:00:01"; hostapd_logger lines are "wlan0: STA
// 02:00:00:00:00:01 IEEE 802.11: associated (aid 1)" (hostapd/main.c,
// hostapd_logger_cb). The station's address is not a BSSID, so it goes into
// the event's message.

var recHostapd = recognizer{
	name:  "hostapd",
	title: "hostapd (the access point's log)",
	keys:  []string{"AP-STA-", "AP-REJECTED-MAX-STA", " IEEE 802.11: ", "WPA: pairwise key handshake completed"},
	progs: []string{"hostapd"},
	parse: parseHostapd,
}

var (
	reHapdEvent  = regexp.MustCompile(`^(?:(\S+): )?(AP-STA-CONNECTED|AP-STA-DISCONNECTED|AP-STA-POSSIBLE-PSK-MISMATCH|AP-REJECTED-MAX-STA) (\S+)`)
	reHapdLogger = regexp.MustCompile(`^(?:(\S+): )?STA (\S+) (IEEE 802\.11|WPA): (.*)$`)
)

func parseHostapd(m *message) (parsed, match) {
	var p parsed
	msg := m.msg
	e := &p.ev
	if g := reHapdEvent.FindStringSubmatch(msg); g != nil {
		e.Source, e.Iface, e.Message = diagnostics.SourceHostapd, g[1], "station "+g[3]
		switch g[2] {
		case "AP-STA-POSSIBLE-PSK-MISMATCH":
			// The MIC of the station's 4-way handshake message failed:
			// the station holds another passphrase.
			e.Kind = diagnostics.KindPskMismatch
		case "AP-REJECTED-MAX-STA":
			// handle_auth (src/ap/ieee802_11.c) refuses the
			// authentication with status 17 when max_num_sta is reached.
			e.Kind, e.Code = diagnostics.KindAuthStatus, 17
			e.Message += ": " + diagnostics.StatusCodeText(17)
		case "AP-STA-CONNECTED":
			// Sent when the station is authorized: associated and, on a
			// protected network, its handshake completed. A note, not a
			// join: on a repeater (OpenWrt's travelmate, a Pi that is AP
			// and station at once) the same log holds the station's own
			// join, and a client of the AP connecting says nothing of it.
			e.Kind, e.Name = diagnostics.KindNote, "station connected"
		case "AP-STA-DISCONNECTED":
			e.Kind, e.Name = diagnostics.KindNote, "station disconnected"
		}
		return p, take
	}
	g := reHapdLogger.FindStringSubmatch(msg)
	if g == nil {
		// Not a line this reads; hostapd's other lines (its SAE and
		// driver messages) are left to the recognizers that know them.
		return p, pass
	}
	e.Source, e.Iface, e.Message = diagnostics.SourceHostapd, g[1], "station "+g[2]
	switch txt := g[4]; {
	case g[3] == "IEEE 802.11" && strings.HasPrefix(txt, "authenticated"):
		e.Kind, e.Name = diagnostics.KindNote, "station authenticated"
	case g[3] == "IEEE 802.11" && strings.HasPrefix(txt, "associated"):
		e.Kind, e.Name = diagnostics.KindNote, "station associated"
	case g[3] == "WPA" && strings.HasPrefix(txt, "pairwise key handshake completed"):
		e.Kind, e.Name = diagnostics.KindNote, "station handshake completed"
	default:
		return p, pass
	}
	return p, take
}
