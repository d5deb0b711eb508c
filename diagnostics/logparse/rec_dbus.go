package logparse

import (
	"regexp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// dbus-daemon's policy refusals of calls to the Wi-Fi stack's services:
// `[system] Rejected send message, 3 matched rules; type="method_call",
// sender=":1.29" (uid=1000 ...) interface="net.connman.Manager" ...
// destination="net.connman" (uid=0 ...)` (bus/connection.c,
// bus_context_check_security_policy). The caller was not allowed to talk
// to NetworkManager, wpa_supplicant, iwd or ConnMan: permission_denied.

var recDBus = recognizer{
	name:  "dbus",
	title: "dbus-daemon policy refusals",
	keys:  []string{"Rejected send message"},
	progs: []string{"dbus-daemon"},
	parse: parseDBus,
}

var reDBusReject = regexp.MustCompile(`Rejected send message.*?destination="(org\.freedesktop\.NetworkManager|fi\.w1\.wpa_supplicant1|net\.connman\.iwd|net\.connman)"`)

func parseDBus(m *message) (parsed, match) {
	var p parsed
	g := reDBusReject.FindStringSubmatch(m.msg)
	if g == nil {
		return p, pass
	}
	p.ev = diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindPermission, Name: "D-Bus policy refused a call to " + g[1]}
	return p, take
}
