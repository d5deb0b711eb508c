package logparse

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Matter (connectedhomeip) devices on Linux join Wi-Fi by driving
// wpa_supplicant over D-Bus themselves, and their log is what such a
// device's owner captures: the SDK logs every property wpa_supplicant
// changes on its interface, "wpa_supplicant:PropertiesChanged:key:%s -> %s"
// with the value as g_variant_print prints it (strings quoted 'associating',
// numbers bare), in src/platform/Linux/ConnectivityManagerImpl.cpp
// (_OnWpaPropertiesChanged). Those are the same properties hotspotctl reads
// live (nm/events.go supplicantProps), so they map onto the same events.
// The envelope is CHIP's Linux logging (src/platform/logging/impl/Stdio or
// the Linux LogV): "[1737121661.086544][835545:835546] CHIP:DL: message",
// seconds since the epoch, process and thread, "CHIP:" and the module.

var recMatter = recognizer{
	name:     "matter",
	title:    "Matter (connectedhomeip) Linux logs",
	keys:     []string{"wpa_supplicant:PropertiesChanged:key:"},
	envelope: matterEnvelope,
	parse:    parseMatter,
}

var (
	reMatterLine = regexp.MustCompile(`^\[(\d{9,11})\.(\d{1,9})\]\[\d+:\d+\] CHIP:([A-Za-z]+): (.*)$`)
	reMatterProp = regexp.MustCompile(`wpa_supplicant:PropertiesChanged:key:(\w+) -> (.*)$`)
)

func matterEnvelope(_ *lineParser, s string) (lineInfo, bool) {
	if !strings.HasPrefix(s, "[") || !strings.Contains(s, "] CHIP:") {
		return lineInfo{}, false
	}
	g := reMatterLine.FindStringSubmatch(s)
	if g == nil {
		return lineInfo{}, false
	}
	sec, err1 := strconv.ParseInt(g[1], 10, 64)
	frac := (g[2] + "000000000")[:9]
	ns, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil {
		return lineInfo{}, false
	}
	return lineInfo{t: time.Unix(sec, ns).UTC(), prog: "chip", tag: g[3], msg: g[4]}, true
}

// parseMatter reads the property lines; a line pasted without CHIP's
// envelope is read too (the key is specific enough), without a time.
func parseMatter(m *message) (parsed, match) {
	var p parsed
	if !strings.Contains(m.msg, "wpa_supplicant:PropertiesChanged:key:") {
		return p, pass
	}
	g := reMatterProp.FindStringSubmatch(m.msg)
	if g == nil {
		return p, drop
	}
	key, val := g[1], strings.TrimSpace(g[2])
	e := &p.ev
	e.Source = diagnostics.SourceSupplicant
	code := func() (int, bool) {
		n, err := strconv.Atoi(val)
		return n, err == nil
	}
	switch key {
	case "State":
		st, ok := strings.CutPrefix(val, "'")
		st, ok2 := strings.CutSuffix(st, "'")
		if !ok || !ok2 {
			return p, drop
		}
		e.Kind, e.State = diagnostics.KindSupplicantState, normState(st)
	case "AuthStatusCode", "AssocStatusCode":
		n, ok := code()
		if !ok {
			return p, drop
		}
		e.Kind, e.Code, e.Message = diagnostics.KindAssocStatus, n, diagnostics.StatusCodeText(n)
		if key == "AuthStatusCode" {
			e.Kind = diagnostics.KindAuthStatus
		}
	case "DisconnectReason":
		// wpa_supplicant's DisconnectReason is negative when the station
		// itself left (dbus_new_handlers.c, as in the live stream).
		n, ok := code()
		if !ok || n == 0 {
			return p, drop
		}
		e.Kind, e.Code, e.Message = diagnostics.KindDisconnect, n, diagnostics.ReasonCodeText(n)
	default:
		return p, drop
	}
	return p, take
}
