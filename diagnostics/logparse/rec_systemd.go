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
	keys: []string{".service: ", "Failed to start ", "Started ", "Stopped ",
		"sys-subsystem-net-devices-", "/sys/subsystem/net/devices/", // device units of network interfaces
		"could not be found", // systemctl: "Unit NetworkManager.service could not be found."
		" wlan ",             // networkctl list: "  8 wlan0  wlan  degraded  failed"
	},
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
	// dhcpcd is the network manager of Raspberry Pi OS before Bookworm
	// (its wpa_supplicant hook starts the supplicant): not running, no
	// interface is configured.
	{"dhcpcd", "DHCP Client Daemon", "dhcpcd"},
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
	if m.tag == cmdTag && m.prog == "systemctl" {
		return parseSystemctlStatus(m)
	}
	if m.prog != "systemd" && m.prog != "" {
		return p, pass
	}
	msg := m.msg
	if m.prog == "" {
		msg = unquote(msg) // pasted output, perhaps quoted in a reply
	}
	daemon, ok := "", false
	switch {
	case strings.Contains(msg, "sys-subsystem-net-devices-") || strings.Contains(msg, "/sys/subsystem/net/devices/"):
		return parseNetDeviceUnit(m, msg)
	case strings.Contains(msg, "could not be found"):
		// systemctl status of a unit that is not installed
		// (systemctl-show.c, show_one: "Unit %s could not be found.").
		g := reUnitNotFound.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		if daemon = stackDaemon(g[1], ""); daemon == "" {
			return p, pass
		}
		e.Name = daemon + " not installed (unit not found)"
	case strings.HasPrefix(msg, "Failed to ") && reStartNotFound.MatchString(msg):
		// systemctl start's error for a unit that is not installed or
		// masked (systemctl-start-unit.c: "Failed to %s %s: %s" with
		// the bus error "Unit %s not found." / "Unit %s is masked.").
		g := reStartNotFound.FindStringSubmatch(msg)
		if daemon = stackDaemon(g[1], ""); daemon == "" {
			return p, pass
		}
		e.Name = daemon + " not installed (unit not found)"
		if g[2] == "is masked" {
			e.Name = daemon + " unit masked"
		}
	case strings.Contains(msg, " wlan "):
		return parseNetworkctlRow(m)
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
	backendEvent(e, daemon, ok)
	return p, take
}

// systemd's device units for network interfaces
// (sys-subsystem-net-devices-wlan0.device, which wpa_supplicant@wlan0,
// dhcpcd@wlan0 and systemd-networkd-wait-online@wlan0 wait for through
// BindsTo=/After=): the device never appearing ends the start job with
// JOB_TIMEOUT. systemd's job.c logs "<unit>: Job <unit>/start timed out."
// (job_done, log_unit_struct with "Job %s/%s timed out.") and the status
// line from device.c's status_message_formats, "Timed out waiting for device
// %s." (%s the unit's status string: its description, which for a device
// that never appeared is its path "/sys/subsystem/net/devices/wlan0", or with
// StatusUnitFormat=combined "<id> - <description>"). This is how a Raspberry Pi or any
// systemd-networkd/ifupdown machine says its Wi-Fi interface does not exist
// (no firmware, driver not loaded, the dongle gone), and the dependent units
// then fail with "Dependency failed for ...", which is not read: the device
// is the cause.
var (
	reNetDevTimeout = regexp.MustCompile(`^(?:sys-subsystem-net-devices-([\w.:@\\-]+)\.device: Job sys-subsystem-net-devices-[\w.:@\\-]+\.device/start timed out|Timed out waiting for device (?:sys-subsystem-net-devices-([\w.:@\\-]+)\.device|/sys/subsystem/net/devices/([\w.:@-]+))\b)`)
)

func parseNetDeviceUnit(m *message, msg string) (parsed, match) {
	var p parsed
	e := &p.ev
	g := reNetDevTimeout.FindStringSubmatch(msg)
	if g == nil {
		// "Found device ..." is no evidence: once a device appeared
		// device.c names it by its udev model ("Found device BCM4345/6"),
		// and a start job that already timed out has no "Found" to
		// print when the interface turns up later.
		return p, drop
	}
	// Unit names escape "-" in interface names as \x2d (systemd-escape).
	ifname := strings.ReplaceAll(g[1]+g[2]+g[3], `\x2d`, "-")
	if !reWifiNetdev.MatchString(ifname) {
		return p, drop // another interface's device unit
	}
	e.Source, e.Kind, e.OK, e.Iface = diagnostics.SourceKernel, diagnostics.KindDevice, diagnostics.Bool(false), ifname
	e.Name = "missing (systemd timed out waiting for the interface)"
	return p, take
}

// backendEvent fills e as daemon's KindBackend event.
func backendEvent(e *diagnostics.Event, daemon string, ok bool) {
	e.Source, e.Kind, e.OK = diagnostics.SourceNM, diagnostics.KindBackend, diagnostics.Bool(ok)
	switch daemon {
	case "networkmanager":
	case "iwd":
		e.Source = diagnostics.SourceIwd
	case "connman":
		e.Source = diagnostics.SourceConnman
	case "dhcpcd":
		e.Source = diagnostics.SourceDHCP
	default:
		e.Source = diagnostics.SourceSupplicant
	}
}

var (
	reUnitNotFound  = regexp.MustCompile(`^Unit ([\w@:.\\-]+?)(?:\.service)? could not be found\.`)
	reStartNotFound = regexp.MustCompile(`^Failed to (?:start|restart|enable|reload|try-restart) ([\w@:.\\-]+?)(?:\.service)?: Unit \S+ (not found|is masked)\.`)

	// systemctl status (systemctl-show.c, print_status_info): the
	// header "● NetworkManager.service - Network Manager" (the glyph is
	// unit_active_state_to_glyph's, "*" or "x" without UTF-8,
	// glyph-util.c; a paste may number it "1."), then "     Loaded:
	// loaded (/usr/lib/systemd/system/NetworkManager.service; enabled;
	// preset: enabled)" or "Loaded: not-found (Reason: ...)", then
	// "     Active: inactive (dead)", "Active: failed (Result:
	// exit-code) since ...", "Active: active (running) since ...".
	reStatusHead   = regexp.MustCompile(`^\s*(?:\d+\.\s*)?(?:●|○|×|↻|\*|x) ([\w@:.\\-]+?)\.service(?: - .*)?\s*$`)
	reStatusLoaded = regexp.MustCompile(`^\s*Loaded: ([\w-]+)(?: \(([^;)]*))?`)
	reStatusActive = regexp.MustCompile(`^\s*Active: ([\w-]+)(?: \(([\w-]+)\))?(?: \(Result: ([\w-]+)\))?`)
	reStatusPrompt = regexp.MustCompile(`(?:^|[\s$#>])systemctl\s+(?:-\S+\s+)*status\s+([\w@:.\\-]+?)(?:\.service)?\s*$`)
)

// systemctlStatus is cmdEnvelope's part for `systemctl status` of the
// stack's units: the header (or the Loaded: line's unit file, or the
// prompt) names the unit, and its Loaded: and Active: lines, a few lines
// below, say whether it runs. It rewrites them to "<daemon> <verdict>"
// (prog systemctl, tag cmd-output). Units of other daemons are not read.
func systemctlStatus(lp *lineParser, st cmdState, s string) (lineInfo, bool) {
	if g := matchIf(strings.Contains(s, ".service"), reStatusHead, s); g != nil {
		if d := stackDaemon(g[1], ""); d != "" {
			lp.cmd = cmdState{unit: d}
		}
		return lineInfo{}, false
	}
	if strings.Contains(s, "systemctl") {
		if g := reStatusPrompt.FindStringSubmatch(s); g != nil {
			if d := stackDaemon(g[1], ""); d != "" {
				lp.cmd = cmdState{unit: d}
			}
			return lineInfo{}, false
		}
	}
	if g := matchIf(strings.Contains(s, "\u25cf "), reNetworkctlHead, s); g != nil {
		if reWifiNetdev.MatchString(g[1]) {
			lp.cmd = cmdState{netLink: g[1]}
		}
		return lineInfo{}, false
	}
	if st.netLink != "" {
		if g := reNetworkctlState.FindStringSubmatch(s); g != nil {
			return lineInfo{prog: "networkctl", tag: cmdTag, msg: st.netLink + " " + g[1] + " " + g[2]}, true
		}
		if strings.Contains(s, "Type: ") || strings.Contains(s, "Link File: ") || strings.Contains(s, "Network File: ") {
			lp.cmd = st // the block's other fields, before or after State:
			return lineInfo{}, false
		}
	}
	if g := matchIf(strings.Contains(s, "Loaded: "), reStatusLoaded, s); g != nil {
		d := st.unit
		if strings.HasPrefix(g[2], "/") {
			base := g[2][strings.LastIndexByte(g[2], '/')+1:]
			if u, ok := strings.CutSuffix(base, ".service"); ok {
				d = stackDaemon(u, "")
			}
		}
		if d == "" {
			return lineInfo{}, false
		}
		lp.cmd = cmdState{unit: d}
		verdict := "loaded"
		switch g[1] {
		case "not-found":
			verdict = "not-found"
		case "masked":
			verdict = "masked"
		}
		return lineInfo{prog: "systemctl", tag: cmdTag, msg: d + " " + verdict}, true
	}
	if g := matchIf(st.unit != "" && strings.Contains(s, "Active: "), reStatusActive, s); g != nil {
		verdict := g[1]
		if g[3] != "" {
			verdict += ":" + g[3]
		}
		return lineInfo{prog: "systemctl", tag: cmdTag, msg: st.unit + " " + verdict}, true
	}
	return lineInfo{}, false
}

// parseSystemctlStatus maps systemctlStatus's "<daemon> <verdict>" to the
// daemon's KindBackend event. A unit that is not installed, masked,
// inactive or failed is a daemon that does not run; one that systemd is
// restarting after a failure (Active: activating (auto-restart) (Result:
// exit-code)) does not run either. A running unit is a daemon that runs.
func parseSystemctlStatus(m *message) (parsed, match) {
	var p parsed
	e := &p.ev
	daemon, verdict, _ := strings.Cut(m.msg, " ")
	state, result, _ := strings.Cut(verdict, ":")
	ok := false
	switch state {
	case "not-found":
		e.Name = daemon + " not installed (unit not found)"
	case "masked":
		e.Name = daemon + " unit masked"
	case "inactive":
		e.Name = daemon + " not running (inactive)"
	case "failed":
		e.Name = daemon + " unit failed"
	case "activating":
		if result == "" {
			return p, drop // starting
		}
		e.Name = daemon + " restarting after a failure"
	case "active", "reloading":
		ok, e.Name = true, daemon+" running"
	default:
		return p, drop
	}
	if result != "" && !ok {
		e.Name += " (Result: " + result + ")"
	}
	backendEvent(e, daemon, ok)
	return p, take
}

// networkctl list (systemd networkctl.c, list_links): "IDX LINK TYPE
// OPERATIONAL SETUP" rows. OPERATIONAL and SETUP are networkd's link
// operstate and link state (network-util.c link_operstate_table,
// networkd-link.c link_state_table; networkctl(1)).
var reNetworkctlRow = regexp.MustCompile(`^\s*\d+\s+(\S+)\s+wlan\s+` + networkctlOper + `\s+` + networkctlSetup + `\s*$`)

const (
	networkctlOper  = `(missing|off|no-carrier|dormant|degraded-carrier|carrier|degraded|enslaved|routable)`
	networkctlSetup = `(pending|initialized|configuring|configured|unmanaged|failed|linger)`
)

// networkctl status LINK (networkctl.c, link_status_one): a header "● 3:
// wlan0" (SPECIAL_GLYPH_BLACK_CIRCLE, "*" without UTF-8; the ifindex; the name), then a vertical table whose
// "State:" row is "<operational> (<setup>)". Only a link with a Wi-Fi
// name is followed (reWifiNetdev): the header does not say the type.
// Without UTF-8 the glyph is "*", which no pre-filter key can hold: such a
// header is not seen, and its State: row, with no link, says nothing.
var (
	reNetworkctlHead  = regexp.MustCompile(`^\s*(?:\x{25cf}|\*) \d+: ([\w.:@-]+)\s*$`)
	reNetworkctlState = regexp.MustCompile(`^\s*State: ` + networkctlOper + ` \(` + networkctlSetup + `\)\s*$`)
)

// parseNetworkctlRow reads a Wi-Fi link's row. Only one combination is
// read as a failure: SETUP failed (networkd gave up configuring the link,
// link_enter_failed) while OPERATIONAL is carrier or degraded (the station
// is associated: a Wi-Fi link has carrier only then; degraded is carrier
// with link-local addresses only), so the associated station has no
// routable address and networkd no longer tries: what the taxonomy calls
// dhcp_failed (associated, no IPv4 lease), whichever of the link's
// configuration steps failed. Everything else is a note: "configuring"
// is a lease still awaited, "routable" may be IPv6 alone, "no-carrier" is
// a station not yet associated.
func parseNetworkctlRow(m *message) (parsed, match) {
	g := reNetworkctlRow.FindStringSubmatch(unquote(m.msg))
	if g == nil {
		return parsed{}, pass
	}
	return networkctlLink(g[1], g[2], g[3]), take
}

// networkctlLink is the event of a Wi-Fi link's operational and setup
// states, as parseNetworkctlRow explains.
func networkctlLink(link, oper, setup string) parsed {
	var p parsed
	e := &p.ev
	e.Source, e.Iface = diagnostics.SourceDHCP, link
	if setup == "failed" && (oper == "carrier" || oper == "degraded") {
		e.Kind, e.OK, e.Name = diagnostics.KindDHCP, diagnostics.Bool(false), "systemd-networkd: link configuration failed while associated ("+oper+": no routable address)"
		return p
	}
	e.Kind, e.Name = diagnostics.KindNote, "networkctl: "+oper+" "+setup
	return p
}
