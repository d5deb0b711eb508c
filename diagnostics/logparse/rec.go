package logparse

import (
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// A recognizer is one log source's room: the substrings its lines always
// contain (the pre-filter keys), the envelope of its platform when that is
// not syslog or the journal (logcat, Apple's log show, a serial console),
// and the mapping of its messages onto diagnostics events. A new format is
// a new recognizer in a file of its own (rec_*.go) and one line in
// recognizers; nothing else changes.
type recognizer struct {
	// name is the format's name, as reports list it ("networkmanager",
	// "android-logcat", "esp-idf").
	name string
	// title is the format's name in a person's words, for messages.
	title string
	// keys: every line this recognizer takes contains at least one.
	keys []string
	// progs are the process names (journald's _COMM, _EXE's base name,
	// the unit's name) whose journal entries this recognizer reads: an
	// entry claiming one of them (SYSLOG_IDENTIFIER) from another process
	// is not evidence.
	progs []string
	// envelope, when set, splits this platform's own line envelope
	// (timestamp, level, tag) from the message; it returns false, cheaply,
	// for lines of another shape.
	envelope func(lp *lineParser, s string) (lineInfo, bool)
	// parse maps one message to at most one event: take (an event), drop
	// (the line is this source's but says nothing: no other recognizer
	// looks at it) or pass (not this source's line).
	parse func(m *message) (parsed, match)
}

// match is what a recognizer made of a message.
type match uint8

const (
	pass match = iota // not this recognizer's line
	drop              // this recognizer's line, but no event
	take              // an event
)

// message is one message with what every recognizer needs of it.
type message struct {
	msg  string // the message, envelope removed
	prog string // the program that logged it, when the envelope said
	// tag is the envelope's tag when it has one beside the program
	// (logcat's tag, Apple's subsystem or category, ESP-IDF's component).
	tag string
	// iface and body: a leading "wlan0: " split off (wpa_supplicant and
	// mac80211 put the interface first).
	iface, body string
}

func newMessage(msg, prog, tag string) *message {
	m := &message{msg: msg, prog: prog, tag: tag, body: msg}
	if g := reIfacePrefix.FindStringSubmatch(msg); g != nil && g[1] != "nl80211" && g[1] != "cfg80211" && g[1] != "mac80211" {
		m.iface, m.body = g[1], msg[len(g[0]):]
	}
	return m
}

// nmIface is the device a NetworkManager line names: "device (wlan0):",
// "(wlan0):", old "Activation (wlan0)", else the leading interface.
func (m *message) nmIface() string {
	if g := reNMDevice.FindStringSubmatch(m.msg); g != nil {
		return g[1]
	}
	if g := reOldActIface.FindStringSubmatch(m.msg); g != nil {
		return g[1]
	}
	return m.iface
}

// recognizers in the order they are asked: the first that does not pass
// decides. Order matters only where two sources' lines overlap
// (wpa_supplicant's and the kernel's "wlan0: ... timed out").
var recognizers = []*recognizer{
	&recHotspotctl,
	&recESPIDF, &recArduinoESP32, &recESPHome, &recESP8266, &recESPApps,
	&recESPAT, &recZephyrWifi, &recCYW43Arch, &recMicroPython, &recArduinoWiFi, &recAmeba, // rec_embedded2.go
	&recSimpleLink, &recParticle, // rec_simplelink.go, rec_particle.go
	&recESPCheck,
	&recMatter, &recHostapd,
	&recMobileApps, // before Android: WifiUtils' lines are its, and the apps' console tags
	&recAndroid,
	&recSupplicantCtrl,
	&recConnman, &recDHCP, &recIwdDHCP, &recCmdOut, // before NetworkManager: "wlan0: DHCPv4 address" is systemd-networkd's
	&recNetworkManager,
	&recNmcli,
	&recIwd,
	&recSupplicantText,
	&recAndroidBcmdhd, &recAndroidQcacld, // rec_android_bcmdhd.go, rec_android_qcacld.go: before the drivers
	&recDriver, &recKernel,
	&recSupplicantSAE,
	&recApple,
	&recSystemd,
	&recDBus,
}

// keys is the union of the recognizers' keys, in order: the pre-filter.
// bench/keys.txt holds the same list for the benchmark's grep baseline;
// TestBenchKeysInSync keeps the two equal.
var keys = func() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range recognizers {
		for _, k := range r.keys {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}()

// envelopes are the recognizers that have an envelope of their own.
var envelopes = func() []*recognizer {
	var out []*recognizer
	for _, r := range recognizers {
		if r.envelope != nil {
			out = append(out, r)
		}
	}
	return out
}()

// parseLine maps one message to at most one event and names the recognizer
// that took it. prog is the program that logged it and tag the envelope's
// tag, when the envelope said ("" otherwise).
func parseLine(msg, prog, tag string) (parsed, *recognizer, bool) {
	m := newMessage(msg, prog, tag)
	for _, r := range recognizers {
		p, res := r.parse(m)
		switch res {
		case pass:
			continue
		case drop:
			return parsed{}, r, false
		}
		if p.ev.Kind == "" || notWifi(p.ev.Iface) {
			return parsed{}, r, false
		}
		return p, r, true
	}
	return parsed{}, nil, false
}

// parseMessage is parseLine without the recognizer.
func parseMessage(msg, prog string) (parsed, bool) {
	p, _, ok := parseLine(msg, prog, "")
	return p, ok
}

// formatTitles lists the formats diagnose knows, for the message that says
// none was recognised.
func formatTitles() string {
	var out []string
	for _, r := range recognizers {
		if r.title != "" {
			out = append(out, r.title)
		}
	}
	return strings.Join(out, ", ")
}

var _ = diagnostics.None
