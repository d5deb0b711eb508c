package logparse

import (
	"regexp"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// systemd's lines about the units of the Wi-Fi stack, as the journal and
// syslog carry them: "wpa_supplicant.service: Main process exited,
// code=exited, status=255/n/a", "NetworkManager.service: Failed with result
// 'exit-code'.", "Failed to start Network Manager.", "Started WPA
// supplicant.". A unit that failed or stopped is a daemon that is not
// running; a later start lifts it (ClassifySituation reads the last word).

var recSystemd = recognizer{
	name:  "systemd",
	title: "systemd unit lines for NetworkManager, wpa_supplicant, iwd, connman",
	keys:  []string{".service: ", "Failed to start ", "Started ", "Stopped "},
	progs: []string{"systemd"},
	parse: parseSystemd,
}

// stackUnits maps unit names and the descriptions systemd prints for them
// (their Description= lines in the Debian/Fedora/Arch units) to the daemon.
var stackUnits = []struct{ unit, desc, daemon string }{
	{"NetworkManager", "Network Manager", "networkmanager"},
	{"wpa_supplicant", "WPA supplicant", "wpa_supplicant"},
	{"iwd", "Wireless service", "iwd"},
	{"connman", "Connection service", "connman"},
}

var reUnitLine = regexp.MustCompile(`^([\w@.-]+)\.service: (Main process exited, code=(\w+), status=(\S+)|Failed with result '([\w-]+)'|Deactivated successfully)`)

func stackDaemon(unit, desc string) string {
	for _, u := range stackUnits {
		if unit != "" && (strings.EqualFold(unit, u.unit) || strings.HasPrefix(strings.ToLower(unit), strings.ToLower(u.unit)+"@")) {
			return u.daemon
		}
		if desc != "" && strings.EqualFold(strings.TrimSuffix(desc, "."), u.desc) {
			return u.daemon
		}
	}
	return ""
}

func parseSystemd(m *message) (parsed, match) {
	var p parsed
	e := &p.ev
	if m.prog != "systemd" && m.prog != "" {
		return p, pass
	}
	msg := m.msg
	daemon, ok := "", false
	switch {
	case strings.Contains(msg, ".service: "):
		g := reUnitLine.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		if daemon = stackDaemon(g[1], ""); daemon == "" {
			return p, pass
		}
		switch {
		case g[3] != "":
			// A main process that exited with status 0 was stopped on
			// purpose; any other exit is a failure.
			ok = g[3] == "exited" && (g[4] == "0/SUCCESS" || g[4] == "0")
			if ok {
				return p, drop
			}
		case g[5] != "":
			ok = false
		default:
			ok = false // deactivated: stopped
		}
		e.Name = daemon + " unit " + strings.TrimSpace(g[2])
	case strings.HasPrefix(msg, "Failed to start "):
		if daemon = stackDaemon("", strings.TrimPrefix(msg, "Failed to start ")); daemon == "" {
			return p, pass
		}
		e.Name = daemon + " failed to start"
	case strings.HasPrefix(msg, "Started "):
		if daemon = stackDaemon("", strings.TrimPrefix(msg, "Started ")); daemon == "" {
			return p, pass
		}
		ok, e.Name = true, daemon+" started"
	case strings.HasPrefix(msg, "Stopped "):
		if daemon = stackDaemon("", strings.TrimPrefix(msg, "Stopped ")); daemon == "" {
			return p, pass
		}
		e.Name = daemon + " stopped"
	default:
		return p, pass
	}
	e.Source, e.Kind, e.OK = diagnostics.SourceNM, diagnostics.KindBackend, diagnostics.Bool(ok)
	if daemon != "networkmanager" {
		e.Source = diagnostics.SourceSupplicant
		if daemon == "iwd" {
			e.Source = diagnostics.SourceIwd
		}
	}
	return p, take
}
