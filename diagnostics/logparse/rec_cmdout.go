package logparse

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Command output people paste with their logs: iw and iwlist scans,
// rfkill, nmcli radio and device listings, ip link.
//
// Most lines decide alone. Two outputs do not: `rfkill list` puts a
// device's block state on the lines under its header
//
//	0: phy0: Wireless LAN
//		Soft blocked: yes
//		Hard blocked: no
//
// and `nmcli radio wifi` answers a bare "disabled". For those the envelope
// keeps a few bytes of state in the stream's lineParser (cmdState): the
// Wireless LAN header the block lines belong to, and whether the line
// before was an `nmcli radio wifi` prompt. The state lives for one
// pre-filtered line: any other line clears it, so it never grows and never
// carries across unrelated input. It applies to bare terminal output
// only: a line with a timestamp or a journal entry never reaches this
// envelope with state set (the envelope clears it first and JSON skips
// envelopes), so reversed input (journalctl -r), which always has stamps,
// is never misattributed: its rfkill block lines, read before their
// header, are dropped.

var recCmdOut = recognizer{
	name:  "command-output",
	title: "command output (iw, iwlist, rfkill, nmcli radio/device, ip link)",
	keys: []string{
		"command failed: ", // iw
		"support scanning", // iwlist: Interface doesn't support scanning : <errno text>
		"No scan results",  // iwlist
		"read scan data",   // iwlist: Failed to read scan data : <errno text>
		"Wireless LAN",     // rfkill list: entry header
		"Soft blocked: ",   // rfkill list
		"Hard blocked: ",   // rfkill list
		" wlan ",           // rfkill (util-linux table): " 0 wlan phy0 unblocked blocked"
		"disabled",         // nmcli radio wifi; nmcli radio / general rows
		"enabled  enabled", // nmcli radio / general rows, all on
		"enabled enabled",  // the same, whitespace collapsed by a paste
		"wifi  ",           // nmcli device: "wlan0  wifi  unavailable  --"
		"wifi unavailable", // the same, collapsed
		"wifi unmanaged",   //
		"> mtu ",           // ip link
	},
	envelope: cmdEnvelope,
	parse:    parseCmdOut,
}

// cmdState is the per-stream state of cmdEnvelope (a field of lineParser).
type cmdState struct {
	rfkillDev     string // the Wireless LAN entry whose block lines follow
	rfkillLeft    uint8  // block lines still expected under it
	rfkillSoft    bool   // its soft block was "yes"
	rfkillListing bool   // inside `rfkill list` or `rfkill` output
	rfkillBlocked bool   // a Wireless LAN entry of this listing is blocked
	nmcliRadio    bool   // the line before was `nmcli radio wifi`
}

// cmdTag marks messages cmdEnvelope rewrote: "<device> <verdict>" for
// rfkill, "radio wifi disabled" for nmcli.
const cmdTag = "cmd-output"

var (
	reRfkillHeader = regexp.MustCompile(`^(\d+): (\S+): Wireless LAN\s*$`)
	reRfkillRow    = regexp.MustCompile(`^\s*\d+\s+(wlan)\s+(\S+)\s+(blocked|unblocked)\s+(blocked|unblocked)\s*$`)
	reNmcliRadioQ  = regexp.MustCompile(`(?:^|[\s$#>])nmcli\s+(?:-\S+\s+)*r(?:a|ad|adi|adio)?\s+wifi\s*$`)

	reIwFailed     = regexp.MustCompile(`command failed: (.+?) \((-\d+)\)\s*$`)
	reIwlistScan   = regexp.MustCompile(`^\s*(\S+)\s+Interface doesn't support scanning(?:\s*:\s*(.+?))?\.?\s*$`)
	reIwlistNone   = regexp.MustCompile(`^\s*(\S+)\s+No scan results\s*$`)
	reIwlistRead   = regexp.MustCompile(`^\s*(\S+)\s+Failed to read scan data\s*:\s*(.+?)\s*$`)
	reNmcliRadio   = regexp.MustCompile(`^\s*(enabled|disabled|missing)\s+(enabled|disabled)\s+(?:enabled|disabled|missing)\s+(?:enabled|disabled)\s*$`)
	reNmcliGeneral = regexp.MustCompile(`^\s*\S+\s+(?:full|limited|portal|none|unknown)\s+(enabled|disabled|missing)\s+(enabled|disabled)\s+(?:enabled|disabled|missing)\s+(?:enabled|disabled)\s*$`)
	reNmcliDevRow  = regexp.MustCompile(`^\s*(\S+)\s+wifi\s+(unavailable|unmanaged|disconnected|connected|connecting|deactivating|disconnecting|unknown)\b`)
	reIPLink       = regexp.MustCompile(`^\d+: ([^:@\s]+)(?:@\S+)?: <([A-Z0-9_,-]*)> mtu \d+.*? state (\S+)`)
)

// cmdEnvelope reads the two outputs that need the line before them and
// leaves every other line to the ordinary envelopes.
func cmdEnvelope(lp *lineParser, s string) (lineInfo, bool) {
	st := lp.cmd
	lp.cmd = cmdState{}
	if s == "" {
		return lineInfo{}, false
	}
	switch c := s[0]; {
	case c >= '0' && c <= '9', c == ' ', c == '\t', c == 'S', c == 'H':
		t := strings.TrimLeft(s, " \t")
		if strings.HasPrefix(t, "Soft blocked: ") || strings.HasPrefix(t, "Hard blocked: ") {
			if !st.rfkillListing {
				return lineInfo{}, false // no header before it: whose block is it?
			}
			lp.cmd = st
			verdict := "none"
			yes := strings.TrimSpace(t[len("Soft blocked: "):]) == "yes"
			if st.rfkillLeft > 0 {
				lp.cmd.rfkillLeft--
				if t[0] == 'S' {
					lp.cmd.rfkillSoft = yes
					if yes {
						verdict, lp.cmd.rfkillBlocked = "soft-blocked", true
					}
				} else {
					switch {
					case yes:
						verdict, lp.cmd.rfkillBlocked = "hard-blocked", true
					case !st.rfkillSoft && !st.rfkillBlocked:
						verdict = "unblocked"
					}
				}
			}
			// A block line under another type's entry (Bluetooth)
			// keeps the listing but says nothing of Wi-Fi.
			return lineInfo{prog: "rfkill", tag: cmdTag, msg: dashIfEmpty(st.rfkillDev) + " " + verdict}, true
		}
		if g := reRfkillHeader.FindStringSubmatch(t); g != nil {
			lp.cmd = cmdState{rfkillDev: g[2], rfkillLeft: 2, rfkillListing: true, rfkillBlocked: st.rfkillBlocked}
			return lineInfo{prog: "rfkill", tag: cmdTag, msg: g[2] + " none"}, true
		}
		if g := reRfkillRow.FindStringSubmatch(s); g != nil {
			lp.cmd = cmdState{rfkillListing: true, rfkillBlocked: st.rfkillBlocked}
			verdict := "unblocked"
			switch {
			case g[4] == "blocked":
				verdict = "hard-blocked"
			case g[3] == "blocked":
				verdict = "soft-blocked"
			case st.rfkillBlocked:
				verdict = "none"
			}
			if verdict != "unblocked" && verdict != "none" {
				lp.cmd.rfkillBlocked = true
			}
			return lineInfo{prog: "rfkill", tag: cmdTag, msg: g[2] + " " + verdict}, true
		}
	case c == 'd':
		if st.nmcliRadio && strings.TrimSpace(s) == "disabled" {
			return lineInfo{prog: "nmcli", tag: cmdTag, msg: "radio wifi disabled"}, true
		}
	}
	if strings.Contains(s, "nmcli") && reNmcliRadioQ.MatchString(s) {
		lp.cmd.nmcliRadio = true
	}
	return lineInfo{}, false
}

// iwErrno maps the errno iw prints ("command failed: %s (%d)", iw.c
// __handle_cmd) to an event, for the failures that name a cause.
// Errno values: Linux include/uapi/asm-generic/errno-base.h, errno.h.
func iwErrno(e *diagnostics.Event, code int) bool {
	switch code {
	case -16: // EBUSY: a scan or connection already runs on the radio
		e.Kind, e.Name = diagnostics.KindScanBusy, "EBUSY"
	case -100: // ENETDOWN: the interface is down
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "unavailable"
	case -19: // ENODEV: no such interface
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "missing"
	case -1, -13: // EPERM, EACCES: nl80211 needs CAP_NET_ADMIN
		e.Kind, e.Name = diagnostics.KindPermission, "not permitted"
	case -132: // ERFKILL
		e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "soft-blocked"
	default:
		return false
	}
	return true
}

// errnoText maps the strerror text iwlist prints to the errno iw would.
var errnoText = map[string]int{
	"Device or resource busy":               -16,
	"Network is down":                       -100,
	"No such device":                        -19,
	"Operation not permitted":               -1,
	"Permission denied":                     -13,
	"Operation not possible due to RF-kill": -132,
}

func parseCmdOut(m *message) (parsed, match) {
	var p parsed
	e := &p.ev
	msg := m.msg
	switch {
	case m.tag == cmdTag && m.prog == "rfkill":
		dev, verdict, _ := strings.Cut(msg, " ")
		e.Source, e.Kind = diagnostics.SourceRfkill, diagnostics.KindRadio
		if dev != "-" {
			// rfkill names the wiphy (phy0) or a platform switch
			// (ideapad_wlan), not the netdev: recorded to say which
			// switch blocks.
			e.Iface = dev
		}
		switch verdict {
		case "soft-blocked", "hard-blocked":
			e.OK, e.Name = diagnostics.Bool(false), verdict
		case "unblocked":
			e.OK = diagnostics.Bool(true)
		default:
			return p, drop
		}
	case m.tag == cmdTag && m.prog == "nmcli":
		e.Source, e.Kind, e.OK, e.Name = diagnostics.SourceNmcli, diagnostics.KindRadio, diagnostics.Bool(false), "nm-disabled"
	case strings.Contains(msg, "command failed: "):
		// iw.
		g := reIwFailed.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		e.Source = diagnostics.SourceNL80211
		e.Code, _ = strconv.Atoi(g[2])
		if !iwErrno(e, e.Code) {
			e.Kind, e.Name = diagnostics.KindNote, "iw: "+g[1]
		}
	case strings.Contains(msg, "support scanning") || strings.Contains(msg, "No scan results") || strings.Contains(msg, "read scan data"):
		// iwlist (wireless-tools iwlist.c, print_scanning_info):
		// "%-8.16s  Interface doesn't support scanning : %s", "%-8.16s  No
		// scan results", "%-8.16s  Failed to read scan data : %s".
		e.Source = diagnostics.SourceKernel
		if g := reIwlistScan.FindStringSubmatch(msg); g != nil {
			e.Iface = g[1]
			if code, ok := errnoText[g[2]]; ok && iwErrno(e, code) {
				e.Code = code
				break
			}
			if g[2] == "" || g[2] == "Operation not supported" {
				// Not a wireless interface (no SIOCSIWSCAN).
				e.Kind, e.Name = diagnostics.KindNote, "iwlist: no scanning on this interface"
				break
			}
			e.Kind, e.OK, e.Name = diagnostics.KindScanDone, diagnostics.Bool(false), "iwlist: "+g[2]
		} else if g := reIwlistNone.FindStringSubmatch(msg); g != nil {
			// The scan completed with nothing in range.
			e.Iface, e.Kind, e.OK, e.Name = g[1], diagnostics.KindScanDone, diagnostics.Bool(true), "iwlist: no scan results"
		} else if g := reIwlistRead.FindStringSubmatch(msg); g != nil {
			e.Iface, e.Kind, e.OK, e.Name = g[1], diagnostics.KindScanDone, diagnostics.Bool(false), "iwlist: "+g[2]
		} else {
			return p, pass
		}
	case strings.Contains(msg, "abled"):
		// nmcli radio ("WIFI-HW  WIFI  WWAN-HW  WWAN") and nmcli general
		// ("STATE  CONNECTIVITY  WIFI-HW  WIFI  WWAN-HW  WWAN") rows.
		// WIFI-HW is NetworkManager's WirelessHardwareEnabled (the rfkill
		// hard switch), WIFI its WirelessEnabled (nmcli(1)).
		g := reNmcliRadio.FindStringSubmatch(msg)
		if g == nil {
			g = reNmcliGeneral.FindStringSubmatch(msg)
		}
		if g == nil {
			return p, pass
		}
		e.Source, e.Kind = diagnostics.SourceNmcli, diagnostics.KindRadio
		switch {
		case g[1] == "missing":
			e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "missing"
		case g[1] == "disabled":
			e.OK, e.Name = diagnostics.Bool(false), "hard-blocked"
		case g[2] == "disabled":
			e.OK, e.Name = diagnostics.Bool(false), "nm-disabled"
		default:
			e.OK = diagnostics.Bool(true)
		}
	case strings.Contains(msg, "wifi"):
		// nmcli device (status): "DEVICE  TYPE  STATE  CONNECTION".
		g := reNmcliDevRow.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		e.Source, e.Iface = diagnostics.SourceNmcli, g[1]
		switch g[2] {
		case "unavailable", "unmanaged":
			e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), g[2]
		default:
			e.Kind, e.Name = diagnostics.KindNote, "nmcli device: "+g[2]
		}
	case strings.Contains(msg, "> mtu "):
		// ip link: DOWN or NO-CARRIER is where a station is before it
		// joins, so it is context, never a failure.
		g := reIPLink.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		e.Source, e.Kind, e.Iface = diagnostics.SourceKernel, diagnostics.KindNote, g[1]
		e.Name = "ip link: state " + g[3]
		flags := "," + g[2] + ","
		if !strings.Contains(flags, ",UP,") {
			e.Name += ", administratively down"
		} else if strings.Contains(flags, ",NO-CARRIER,") {
			e.Name += ", no carrier"
		}
	default:
		return p, pass
	}
	return p, take
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
