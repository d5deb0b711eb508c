package logparse

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// nmcli's output and invocations as people paste them from a terminal:
// "$ nmcli dev wifi connect X password ..." then "Error: ...".

var recNmcli = recognizer{
	name:  "nmcli",
	title: "nmcli output",
	keys:  append([]string{"Error: ", "nmcli", "successfully activated", "NetworkManager is not running", "w disabled,", "returned non-zero exit status"}, nmcliL10nKeys...),
	parse: parseNmcli,
}

var (
	// Python's subprocess.CalledProcessError for an nmcli command:
	// "Command '['nmcli', 'd', 'wifi', 'rescan']' returned non-zero exit
	// status 1." (also with the command as one string).
	reNmcliExit    = regexp.MustCompile(`Command '\[?["']?nmcli\b.*' returned non-zero exit status (\d+)`)
	reNmcliNoAP    = regexp.MustCompile(`Error: (?:No access point with BSSID '([^']*)' found|Access point with bssid '([^']*)' not found)`)
	reNmcliNotWifi = regexp.MustCompile(`Error: Device '([^']*)' (?:is not a Wi-Fi device|was not recognized as a Wi-Fi device)`)
	// nmcli device connect's failure (nmcli devices.c,
	// connect_device_cb: "Error: Device activation failed: %s" with the
	// D-Bus error's message).
	reNmcliConnNotAvail = regexp.MustCompile(`is not available on (?:the )?device ([\w.:@-]+) because (device is (?:strictly )?unmanaged|device is not available)`)
	reNmcliDevActF      = regexp.MustCompile(`Error: Device activation failed: ?(?:\((\d+)\) )?(.*)`)
)

// nmcliActivationFailed matches nmcli's activation failures, of a
// connection (reNmcliActF) or a device (reNmcliDevActF): the reason
// number, when printed, and the text.
func nmcliActivationFailed(msg string) []string {
	if g := reNmcliActF.FindStringSubmatch(msg); g != nil {
		return g
	}
	return reNmcliDevActF.FindStringSubmatch(msg)
}

func parseNmcli(m *message) (parsed, match) {
	if en, ok := nmcliEnglish(m.msg); ok {
		// A translated message (nmcli_l10n.go), read as its English.
		m2 := *m
		m2.msg, m2.body = en, en
		return parseNmcliText(&m2)
	}
	return parseNmcliText(m)
}

func parseNmcliText(m *message) (parsed, match) {
	var p parsed
	e := &p.ev
	msg := m.msg
	switch {
	case strings.Contains(msg, "returned non-zero exit status") && strings.Contains(msg, "nmcli"):
		// nmcli's exit status (nmcli(1) EXIT STATUS, src/nmcli/nmcli.h
		// NMCResultCode): only 8, NetworkManager not running, names a
		// cause by itself; the others (1 unknown, 4 activation failed,
		// 10 not found: a connection, a device or an access point) are
		// what nmcli's own Error: line, printed before, says better.
		g := reNmcliExit.FindStringSubmatch(msg)
		if g == nil || g[1] != "8" {
			return p, drop
		}
		e.Source, e.Kind, e.OK, e.Name, p.role = diagnostics.SourceNmcli, diagnostics.KindBackend, diagnostics.Bool(false), "networkmanager", roleTerminal
	case strings.Contains(msg, "Error: "):
		e.Source, p.role = diagnostics.SourceNmcli, roleTerminal
		if g := reNmcliNoNet.FindStringSubmatch(msg); g != nil {
			*e = deviceState("", "failed", "ssid-not-found", nil)
			e.Source, e.SSID = diagnostics.SourceNmcli, cleanSSID(g[1]+g[2])
		} else if g := reNmcliNoAP.FindStringSubmatch(msg); g != nil {
			// nmcli device wifi connect <BSSID> and device wifi
			// list bssid <BSSID> (nmcli devices.c: "No access point
			// with BSSID '%s' found.", "Access point with bssid '%s'
			// not found."): NetworkManager's scan list lacks it,
			// what ssid-not-found says of a name.
			*e = deviceState("", "failed", "ssid-not-found", nil)
			e.Source, e.BSSID = diagnostics.SourceNmcli, normBSSID(g[1]+g[2])
		} else if g := reNmcliNotWifi.FindStringSubmatch(msg); g != nil {
			// nmcli devices.c: "Device '%s' is not a Wi-Fi device."
			// (and "was not recognized as a Wi-Fi device"): the
			// interface named is not a Wi-Fi one, so no Wi-Fi
			// device is there to join with.
			e.Kind, e.OK, e.Name, e.Iface = diagnostics.KindDevice, diagnostics.Bool(false), "not a Wi-Fi device", g[1]
		} else if strings.Contains(msg, "Scanning not allowed") {
			// RequestScan's refusal (nm-device-wifi.c, _nm_device_wifi_request_scan):
			// "while already scanning" and "immediately following
			// previous scan" mean the radio is busy scanning; "while
			// unavailable or activating" also covers a device that is
			// activating. Only "while unavailable" alone is the device.
			e.Kind, e.Name, p.role = diagnostics.KindScanBusy, "scanning not allowed", roleNone
			if strings.Contains(msg, "already scanning") || strings.Contains(msg, "immediately following") {
				e.Name = diagnostics.ScanDeferred // a scan runs, or just ran
			}
			if strings.Contains(msg, "while unavailable") && !strings.Contains(msg, "activating") {
				e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "unavailable"
			}
		} else if reNmcliAuth.MatchString(msg) {
			e.Kind, e.Name = diagnostics.KindPermission, "not authorized"
		} else if reNmcliDown.MatchString(msg) {
			e.Kind, e.OK, e.Name = diagnostics.KindBackend, diagnostics.Bool(false), "networkmanager"
		} else if g := reNmcliDevNF.FindStringSubmatch(msg); g != nil {
			e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "missing"
			e.Iface = g[1]
		} else if reNmcliTO.MatchString(msg) {
			e.Kind, e.Name = diagnostics.KindDeadline, "nmcli timeout"
		} else if g := nmcliActivationFailed(msg); g != nil {
			text := g[2]
			code := -1
			for _, r := range nmcliReasons {
				if strings.Contains(strings.ToLower(text), strings.ToLower(r.text)) {
					code = r.code
					break
				}
			}
			if code < 0 && g[1] != "" {
				code, _ = strconv.Atoi(g[1])
			}
			_, because, hasReason := strings.Cut(text, "not available because ")
			switch {
			case hasReason && (strings.HasPrefix(because, "no compatible access point found") || strings.HasPrefix(because, "requested access point not found")):
				// nm-manager.c: "No suitable device found for this
				// connection (device %s not available because %s)." with
				// the Wi-Fi device's check_connection_available reason
				// (nm-device-wifi.c): no AP of the profile in
				// NetworkManager's scan list, what nmcli's "No network
				// with SSID" says.
				*e = deviceState("", "failed", "ssid-not-found", nil)
				e.Source = diagnostics.SourceNmcli
			case hasReason && strings.Contains(because, "unmanaged"):
				// "device is strictly unmanaged", "device is currently
				// unmanaged" (nm-device.c).
				e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "unmanaged"
			case strings.Contains(text, "No suitable device found") || strings.Contains(text, "not available because"):
				e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "unavailable"
			case reNmcliConnNotAvail.MatchString(text):
				// nm-manager.c, _internal_activate_device: "Connection
				// '%s' is not available on device %s because %s", the
				// device's check_connection_available reason; only the
				// device's own state is the device's failure (the
				// profile not matching it is not).
				g := reNmcliConnNotAvail.FindStringSubmatch(text)
				e.Kind, e.OK, e.Name, e.Iface = diagnostics.KindDevice, diagnostics.Bool(false), "unavailable", g[1]
				if strings.Contains(g[2], "unmanaged") {
					e.Name = "unmanaged"
				}
			case strings.Contains(text, "Device class NMDeviceGeneric had no complete_connection method"):
				// nm-device.c, nm_device_complete_connection: the
				// interface is a generic device to NetworkManager,
				// which a Wi-Fi link is when the Wi-Fi plugin is not
				// installed (nm-manager.c: "'wifi' plugin not
				// available; creating generic device"): nothing can
				// join with it.
				e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "generic device (NetworkManager Wi-Fi plugin missing)"
			case code >= 0:
				*e = deviceState("", "failed", strconv.Itoa(code), nil)
				e.Source = diagnostics.SourceNmcli
			default:
				*e = deviceState("", "failed", "unknown", nil)
				e.Source, e.Code = diagnostics.SourceNmcli, 1
			}
		} else {
			return p, pass
		}
	case strings.HasPrefix(strings.TrimSpace(msg), "wifi (") && (strings.Contains(msg, ", sw disabled,") || strings.Contains(msg, ", hw disabled,")):
		// `nmcli`'s overview of a Wi-Fi device ("wifi (brcmfmac), MAC,
		// sw disabled, hw, mtu 1500"): nmcli adds "sw disabled" when
		// NetworkManager's WirelessEnabled is off and "hw disabled" when
		// the radio is hardware-blocked (nmcli/general.c,
		// device_overview).
		e.Source, e.Kind, e.OK, e.Name = diagnostics.SourceNmcli, diagnostics.KindRadio, diagnostics.Bool(false), "nm-disabled"
		if strings.Contains(msg, ", hw disabled,") {
			e.Name = "hard-blocked"
		}
	case strings.Contains(msg, "NetworkManager is not running"):
		// nmcli's NMClient error as wrapper libraries re-raise it
		// (python-nmcli's NetworkManagerNotRunningException, exit 8).
		e.Source, e.Kind, e.OK, e.Name, p.role = diagnostics.SourceNmcli, diagnostics.KindBackend, diagnostics.Bool(false), "networkmanager", roleTerminal
	case strings.Contains(msg, "nmcli"):
		if !reNmcliInvoke.MatchString(msg) {
			return p, drop
		}
		e.Source, e.Kind, p.role = diagnostics.SourceNmcli, diagnostics.KindActivationStart, roleStartRequest
		if g := reNmcliTarget.FindStringSubmatch(msg); g != nil {
			target := strings.Trim(g[2], `'"`)
			if g[1] == "connect" {
				e.SSID = cleanSSID(target)
			} else {
				e.Name = target
			}
		}
		if g := reNmcliIfname.FindStringSubmatch(msg); g != nil {
			e.Iface = g[1]
		}
	case strings.Contains(msg, "successfully activated"):
		g := reNmcliOK.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		e.Source, e.Kind, e.Iface, p.role = diagnostics.SourceNmcli, diagnostics.KindJoined, g[1], roleTerminal
	default:
		return p, pass
	}
	return p, take
}
