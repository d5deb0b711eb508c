package logparse

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// role is what a recognised line means for splitting attempts; Classify
// never sees it.
type role uint8

const (
	roleNone         role = iota
	roleStartRequest      // a join was requested: nmcli, audit, policy auto-activation
	roleStartDevice       // NetworkManager began activating the device
	roleStartWpa          // wpa_supplicant began authenticating (used without NetworkManager)
	roleTerminal          // the attempt ended: activated, failed, a client error
	roleWpaNotFound       // wpa_supplicant found no enabled network after a scan
	roleEndIfOpen         // ends an open attempt (device became unavailable), else nothing
)

// parsed is one event with its role.
type parsed struct {
	ev   diagnostics.Event
	role role
}

// maxMessage bounds Event.Message.
const maxMessage = 512

var (
	reIfacePrefix = regexp.MustCompile(`^([a-z][a-z0-9_.-]*[0-9][a-z0-9_.-]*): `)
	reNMDevice    = regexp.MustCompile(`^(?:device(?:\[[^\]]*\])? )?\(([^)]+)\):? `)
	reOldActIface = regexp.MustCompile(`Activation \(([^)/]+)(?:/[^)]*)?\)`)

	reDevState   = regexp.MustCompile(`(?:^|: )(?:device )?state change: (\S+) -> (\S+) \(reason '?([\w-]+)'?(?:[^)]*\))?(?: \[(\d+) (\d+) (\d+)\])?`)
	reSupState   = regexp.MustCompile(`supplicant interface state: (.+?) -> (.+?)\s*$`)
	reActStart   = regexp.MustCompile(`Activation:? (?:\([^)]*\) )?starting connection '(.*)'`)
	reAutoAct    = regexp.MustCompile(`(?i)auto-activating connection '(.*)'`)
	reActFailed  = regexp.MustCompile(`Activation:? (?:\([^)]*\) )?failed for connection '(.*)'`)
	reActSuccess = regexp.MustCompile(`Activation:? (?:\([^)]*\) )?successful, device activated`)
	reAssocLong  = regexp.MustCompile(`Activation:? \(.*association took too long`)
	reSecReq     = regexp.MustCompile(`access point '(.*)' has security, but secrets are required`)
	reNewSecrets = regexp.MustCompile(`asking for new secrets`)
	reCfgSSID    = regexp.MustCompile(`added 'ssid' value '(.*)'`)
	reConnected  = regexp.MustCompile(`Connected to wireless network ["'](.*)["']`)
	reDHCPTO     = regexp.MustCompile(`(?:dhcp4 \(([^)]+)\): request timed out|\(([^)]+)\): DHCPv4 request timed out)`)
	reDHCPState  = regexp.MustCompile(`dhcp4 \(([^)]+)\): (?:state changed|dhclient state changed) (?:\S+ -> )?(\S+?),?(?: |$)`)
	reDHCPLease  = regexp.MustCompile(`dhcp4 \(([^)]+)\): (?:state changed new lease|new lease)`)
	reAudit      = regexp.MustCompile(`audit: op="([^"]+)"(.*?)result="(\w+)"(?:.*?reason="([^"]*)")?`)
	reAuditName  = regexp.MustCompile(`name="([^"]*)"`)
	reAuditArg   = regexp.MustCompile(`arg="([^"]*)"`)
	reAuditIface = regexp.MustCompile(`interface="([^"]*)"`)
	reKillswitch = regexp.MustCompile(`(?i)(?:wi-?fi|wireless|wlan) (?:now (enabled|disabled)( by radio killswitch)?|hardware radio set (enabled|disabled))`)

	reScanFailed  = regexp.MustCompile(`CTRL-EVENT-SCAN-FAILED ret=(-?\d+)`)
	reAssocReject = regexp.MustCompile(`CTRL-EVENT-ASSOC-REJECT (?:bssid=)?(\S+) status_code=(\d+)( timeout)?`)
	reAuthReject  = regexp.MustCompile(`CTRL-EVENT-AUTH-REJECT (\S+) auth_type=(\d+)(?: auth_transaction=(\d+))? status_code=(\d+)`)
	reTempDis     = regexp.MustCompile(`CTRL-EVENT-SSID-TEMP-DISABLED id=\d+ ssid="(.*)" auth_failures=(\d+) duration=\d+ reason=(\S+)`)
	reDisconn     = regexp.MustCompile(`CTRL-EVENT-DISCONNECTED bssid=(\S+) reason=(\d+)( locally_generated=1)?`)
	reConnectedW  = regexp.MustCompile(`CTRL-EVENT-CONNECTED - Connection to (\S+) completed`)
	reSMEAuth     = regexp.MustCompile(`SME: Trying to authenticate with (\S+)(?: \(SSID='(.*)' freq=\d+ MHz\))?`)
	reTryAssoc    = regexp.MustCompile(`Trying to associate with (?:SSID '(.*)'|(\S+)(?: \(SSID='(.*)' freq=\d+ MHz\))?)`)
	reSMETimeout  = regexp.MustCompile(`SME: (Authentication|Association) time(?:d out|out)`)
	reWpaAuthTO   = regexp.MustCompile(`(?i)^(?:\S+: )?authentication with (\S+?) timed out`)
	reWpaState    = regexp.MustCompile(`^(?:\S+: )?State: (\S+) -> (\S+)`)
	reSAEFail     = regexp.MustCompile(`(?i)SAE.*(?:fail|mismatch|invalid|reject)|CTRL-EVENT-SAE-UNKNOWN-PASSWORD-IDENTIFIER`)

	reKAuthWith  = regexp.MustCompile(`^(\S+): authenticate with (\S+)`)
	reKSendAuth  = regexp.MustCompile(`^(\S+): send auth to (\S+) \(try (\d+)/(\d+)\)`)
	reKAssocWith = regexp.MustCompile(`^(\S+): associate with (\S+) \(try (\d+)/(\d+)\)`)
	reKAssocTO   = regexp.MustCompile(`^(\S+): association with (\S+) timed out`)
	reKAssocResp = regexp.MustCompile(`^(\S+): RX (?:Re)?[Aa]ssocResp from (\S+) \(capab=\S+ status=(\d+)`)
	reKAuthResp  = regexp.MustCompile(`^(\S+): RX authentication from (\S+) \(alg=\d+ trans=\d+ status=(\d+)`)
	reKDenied    = regexp.MustCompile(`denied association \(code=(\d+)\)`)
	reKDeauth    = regexp.MustCompile(`^(\S+): (?:deauthenticated|disassociated) from (\S+) \(Reason: (\d+)`)
	reKDeauthLoc = regexp.MustCompile(`^(\S+): (?:deauthenticating|disassociating) from (\S+) by local choice \(Reason: (\d+)`)

	reIwdConnFail = regexp.MustCompile(`event: connect-failed, status: (\d+)`)
	reIwdFailed   = regexp.MustCompile(`Failed to connect: (\S+)`)
	reWpaRfkill   = regexp.MustCompile(`rfkill: WLAN (soft blocked|hard blocked|unblocked)`)
	reHandshake   = regexp.MustCompile(`(?i)(?:4-way )?handshake failed`)

	reNmcliNoNet  = regexp.MustCompile(`Error: No network with SSID '(.*)' found`)
	reNmcliActF   = regexp.MustCompile(`Error: (?:Connection activation failed|Failed to add/activate new connection|Failed to activate connection|Could not activate connection|Failed to activate '[^']*'(?: \([^)]*\))?): ?(?:\((\d+)\) )?(.*)`)
	reNmcliDevNF  = regexp.MustCompile(`Error: (?:Device '(.*)' not found|No Wi-Fi device found)`)
	reNmcliTO     = regexp.MustCompile(`Error: Timeout (?:expired \((\d+) seconds\)|(\d+) sec expired)`)
	reNmcliDown   = regexp.MustCompile(`Error: (?:NetworkManager is not running|Could not create NMClient object)`)
	reNmcliAuth   = regexp.MustCompile(`Error: .*(?:[Nn]ot authorized|[Ii]nsufficient privileges|Permission denied)`)
	reNmcliInvoke = regexp.MustCompile(`(?:^|[\s$#>])nmcli\s+(?:-\S+\s+(?:\d+\s+)?)*(?:d|de|dev|devi|devic|device|c|co|con|conn|conne|connec|connect|connecti|connectio|connection)\s+(?:(?:wifi|wif|wi)\s+)?(?:connect|up)\b`)
	reNmcliTarget = regexp.MustCompile(`\b(connect|up)\s+(?:(?:id|uuid)\s+)?('[^']*'|"[^"]*"|[^\s'"]+)`)
	reNmcliIfname = regexp.MustCompile(`\b(?:ifname|iface)\s+(\S+)`)
	reNmcliOK     = regexp.MustCompile(`(?:Device '(.*)' successfully activated|Connection successfully activated)`)

	reMAC = regexp.MustCompile(`^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}$`)
)

// nmcliReasons maps the texts nmcli prints for NMDeviceStateReason values
// (libnm-client's reason strings) to the reason.
var nmcliReasons = []struct {
	text string
	code int
}{
	{"Secrets were required", diagnostics.ReasonNoSecrets},
	{"IP configuration could not be reserved", diagnostics.ReasonIPConfigUnavailable},
	{"IP configuration is no longer valid", 6},
	{"802.1X supplicant disconnected", diagnostics.ReasonSupplicantDisconn},
	{"802.1X supplicant configuration failed", diagnostics.ReasonSupplicantConfig},
	{"802.1X supplicant failed", diagnostics.ReasonSupplicantFailed},
	{"802.1X supplicant took too long", diagnostics.ReasonSupplicantTimeout},
	{"DHCP client failed to start", diagnostics.ReasonDHCPStartFailed},
	{"DHCP client error", diagnostics.ReasonDHCPError},
	{"DHCP client failed", diagnostics.ReasonDHCPFailed},
	{"network could not be found", diagnostics.ReasonSSIDNotFound},
	{"disconnected by user", diagnostics.ReasonUserRequested},
	{"device was removed", diagnostics.ReasonRemoved},
	{"went to sleep", diagnostics.ReasonSleeping},
	{"Configuration failed", 4},
	{"new connection activation was enqueued", diagnostics.ReasonNewActivation},
}

// normState turns a supplicant state as NetworkManager or wpa_supplicant
// logs it ("4-way handshake", "4WAY_HANDSHAKE") into the D-Bus property form
// the classifier uses ("4way_handshake").
func normState(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "4-way", "4way")
	return strings.ReplaceAll(s, " ", "_")
}

// normBSSID returns a lowercase MAC address, or "" for anything else
// (redacted "xx:xx:...", "[redacted]", all zeros).
func normBSSID(s string) string {
	s = strings.Trim(s, "(),.;'\"")
	if !reMAC.MatchString(s) {
		return ""
	}
	s = strings.ToLower(s)
	if s == "00:00:00:00:00:00" {
		return ""
	}
	return s
}

// unescapeSSID decodes wpa_supplicant's printf_encode form of an SSID
// ("caf\xc3\xa9", "a\"b") to its bytes, rendered by
// diagnostics.PrintableSSID: text when it is UTF-8, else "0x" and hex.
func unescapeSSID(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b = append(b, c)
			continue
		}
		i++
		switch s[i] {
		case 'x':
			if i+2 < len(s) {
				if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
					b = append(b, byte(v))
					i += 2
					continue
				}
			}
			b = append(b, '\\', 'x')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'e':
			b = append(b, 0x1b)
		default:
			b = append(b, s[i])
		}
	}
	return diagnostics.PrintableSSID(b)
}

// cleanSSID drops SSIDs that were redacted in the log and decodes escaped
// ones.
func cleanSSID(s string) string {
	s = unescapeSSID(s)
	l := strings.ToLower(s)
	if s == "" || strings.Contains(l, "redacted") || strings.Contains(l, "hidden") || strings.Contains(l, "xxx") ||
		strings.Contains(l, "***") || strings.Contains(l, "removed") || strings.Contains(l, "<") {
		return ""
	}
	return s
}

func deviceState(old, new, reason string, codes []string) diagnostics.Event {
	e := diagnostics.Event{Kind: diagnostics.KindDeviceState, OldState: old, State: new}
	if n, err := strconv.Atoi(old); err == nil && n >= 10 {
		e.OldState = diagnostics.DeviceStateName(uint32(n))
	}
	if n, err := strconv.Atoi(new); err == nil && n >= 10 {
		e.State = diagnostics.DeviceStateName(uint32(n))
	}
	if n, err := strconv.Atoi(reason); err == nil && n >= 0 {
		e.Code, e.Name = n, diagnostics.DeviceReasonName(uint32(n))
	} else {
		e.Name = reason
		if c, ok := diagnostics.DeviceReasonCode(reason); ok {
			e.Code = c
		} else if len(codes) == 3 && codes[2] != "" {
			e.Code, _ = strconv.Atoi(codes[2])
		}
	}
	return e
}

// parseMessage maps one message to at most one event. prog is the program
// that logged it, when the envelope said ("" otherwise).
func parseMessage(msg, prog string) (parsed, bool) {
	var p parsed
	e := &p.ev
	iface := ""
	body := msg
	if m := reIfacePrefix.FindStringSubmatch(msg); m != nil && m[1] != "nl80211" && m[1] != "cfg80211" && m[1] != "mac80211" {
		iface, body = m[1], msg[len(m[0]):]
	}
	nmIface := func() string {
		if m := reNMDevice.FindStringSubmatch(msg); m != nil {
			return m[1]
		}
		if m := reOldActIface.FindStringSubmatch(msg); m != nil {
			return m[1]
		}
		return iface
	}
	ok := true
	switch {
	// --- wpa_supplicant control events.
	case strings.Contains(body, "CTRL-EVENT-"):
		e.Source, e.Iface = diagnostics.SourceSupplicant, iface
		switch {
		case strings.Contains(body, "CTRL-EVENT-SCAN-STARTED"):
			e.Kind = diagnostics.KindScanStarted
		case strings.Contains(body, "CTRL-EVENT-SCAN-RESULTS"):
			e.Kind, e.OK = diagnostics.KindScanDone, diagnostics.Bool(true)
		case strings.Contains(body, "CTRL-EVENT-SCAN-FAILED"):
			ret := 0
			if m := reScanFailed.FindStringSubmatch(body); m != nil {
				ret, _ = strconv.Atoi(m[1])
			}
			e.Code = ret
			if ret == -16 {
				e.Kind, e.Name = diagnostics.KindScanBusy, "EBUSY"
			} else {
				e.Kind, e.OK = diagnostics.KindScanDone, diagnostics.Bool(false)
			}
		case strings.Contains(body, "CTRL-EVENT-ASSOC-REJECT"):
			m := reAssocReject.FindStringSubmatch(body)
			if m == nil {
				return p, false
			}
			e.BSSID = normBSSID(m[1])
			e.Code, _ = strconv.Atoi(m[2])
			e.Kind = diagnostics.KindAssocStatus
			if m[3] != "" {
				e.Kind, e.Code = diagnostics.KindAssocTimeout, 0
			}
		case strings.Contains(body, "CTRL-EVENT-AUTH-REJECT"):
			m := reAuthReject.FindStringSubmatch(body)
			if m == nil {
				return p, false
			}
			e.Kind, e.BSSID = diagnostics.KindAuthStatus, normBSSID(m[1])
			e.Code, _ = strconv.Atoi(m[4])
			if m[2] == "3" {
				e.Name = "SAE"
				if m[3] == "2" {
					// The AP refused our SAE confirm: the password
					// did not match (lab/FINDINGS.md, wrong WPA3-SAE
					// key). A refused commit (transaction 1) is the
					// AP's policy instead.
					e.Kind, e.Name = diagnostics.KindSAEFailure, "SAE confirm rejected"
				}
			}
		case strings.Contains(body, "CTRL-EVENT-SSID-TEMP-DISABLED"):
			m := reTempDis.FindStringSubmatch(body)
			if m == nil {
				return p, false
			}
			e.SSID = cleanSSID(m[1])
			if m[3] == "WRONG_KEY" {
				e.Kind = diagnostics.KindPskMismatch
			} else {
				e.Kind, e.Name = diagnostics.KindNote, "temp-disabled "+m[3]
			}
		case strings.Contains(body, "CTRL-EVENT-DISCONNECTED"):
			m := reDisconn.FindStringSubmatch(body)
			if m == nil {
				return p, false
			}
			e.Kind, e.BSSID = diagnostics.KindDisconnect, normBSSID(m[1])
			e.Code, _ = strconv.Atoi(m[2])
			if m[3] != "" {
				e.Code = -e.Code
			}
		case strings.Contains(body, "CTRL-EVENT-CONNECTED"):
			e.Kind, e.State = diagnostics.KindSupplicantState, "completed"
			if m := reConnectedW.FindStringSubmatch(body); m != nil {
				e.BSSID = normBSSID(m[1])
			}
		case strings.Contains(body, "CTRL-EVENT-NETWORK-NOT-FOUND"):
			e.Kind, e.Name, p.role = diagnostics.KindNote, "network-not-found", roleWpaNotFound
		case strings.Contains(body, "CTRL-EVENT-SAE-UNKNOWN-PASSWORD-IDENTIFIER"):
			e.Kind = diagnostics.KindSAEFailure
		case strings.Contains(body, "CTRL-EVENT-TERMINATING"):
			e.Kind, e.OK, e.Name = diagnostics.KindBackend, diagnostics.Bool(false), "wpa_supplicant terminating"
		default:
			ok = false
		}

	// --- NetworkManager.
	case strings.Contains(msg, "state change:") && !strings.Contains(msg, "management interface"):
		m := reDevState.FindStringSubmatch(msg)
		if m == nil {
			return p, false
		}
		*e = deviceState(m[1], m[2], m[3], m[4:])
		e.Source, e.Iface = diagnostics.SourceNM, nmIface()
		switch e.State {
		case "failed":
			p.role = roleTerminal
		case "unavailable", "unmanaged":
			if e.OldState != "unmanaged" && e.OldState != "unavailable" {
				// Also what every shutdown logs: it ends an attempt
				// but does not make one.
				p.role = roleEndIfOpen
			}
		}
	case strings.Contains(msg, "supplicant interface state:"):
		m := reSupState.FindStringSubmatch(msg)
		if m == nil {
			return p, false
		}
		e.Source, e.Kind, e.Iface = diagnostics.SourceNM, diagnostics.KindSupplicantState, nmIface()
		e.OldState, e.State = normState(m[1]), normState(m[2])
	case strings.Contains(msg, "audit: op="):
		m := reAudit.FindStringSubmatch(msg)
		if m == nil {
			return p, false
		}
		e.Source = diagnostics.SourceNM
		if n := reAuditIface.FindStringSubmatch(msg); n != nil {
			e.Iface = n[1]
		}
		op, result, reason := m[1], m[3], m[4]
		switch {
		case result != "success" && (strings.Contains(reason, "ot authorized") || strings.Contains(strings.ToLower(reason), "permission")):
			e.Kind, e.Name, p.role = diagnostics.KindPermission, op, roleTerminal
		case op == "radio-control":
			arg := ""
			if n := reAuditArg.FindStringSubmatch(msg); n != nil {
				arg = n[1]
			}
			if !strings.HasPrefix(arg, "wireless-enabled:") || result != "success" {
				return p, false
			}
			on := strings.HasSuffix(arg, ":on") || strings.HasSuffix(arg, ":1") || strings.HasSuffix(arg, ":true")
			e.Kind, e.OK = diagnostics.KindRadio, diagnostics.Bool(on)
			if !on {
				e.Name = "nm-disabled"
			}
		case strings.HasPrefix(op, "connection-") && strings.HasSuffix(op, "activate") && !strings.HasSuffix(op, "deactivate"):
			if n := reAuditName.FindStringSubmatch(msg); n != nil {
				e.Name = n[1]
			}
			if result == "success" {
				e.Kind, p.role = diagnostics.KindActivationStart, roleStartRequest
			} else {
				e.Kind, e.Name, p.role = diagnostics.KindNote, "activation request failed: "+reason, roleTerminal
			}
		default:
			return p, false
		}
	case strings.Contains(msg, "Activation"):
		e.Source, e.Iface = diagnostics.SourceNM, nmIface()
		if m := reActStart.FindStringSubmatch(msg); m != nil {
			e.Kind, e.Name, p.role = diagnostics.KindActivationStart, m[1], roleStartDevice
		} else if m := reActFailed.FindStringSubmatch(msg); m != nil {
			e.Kind, e.Name, p.role = diagnostics.KindNote, "activation failed: "+m[1], roleTerminal
		} else if reActSuccess.MatchString(msg) {
			e.Kind, p.role = diagnostics.KindJoined, roleTerminal
		} else if reAssocLong.MatchString(msg) {
			e.Kind, e.Name = diagnostics.KindNote, "association took too long"
		} else if m := reSecReq.FindStringSubmatch(msg); m != nil {
			e.Kind, e.Name = diagnostics.KindNote, "secrets required"
		} else if m := reConnected.FindStringSubmatch(msg); m != nil {
			e.Kind, e.Name, e.SSID = diagnostics.KindNote, "connected to wireless network", cleanSSID(m[1])
		} else if reNewSecrets.MatchString(msg) {
			e.Kind, e.Name = diagnostics.KindNote, "asking for new secrets"
		} else {
			ok = false
		}
	case strings.Contains(msg, "-activating connection"):
		m := reAutoAct.FindStringSubmatch(msg)
		if m == nil {
			return p, false
		}
		e.Source, e.Kind, e.Name, p.role = diagnostics.SourceNM, diagnostics.KindActivationStart, m[1], roleStartRequest
	case strings.Contains(msg, "added 'ssid'"):
		m := reCfgSSID.FindStringSubmatch(msg)
		if m == nil || cleanSSID(m[1]) == "" {
			return p, false
		}
		e.Source, e.Kind, e.Name, e.SSID, e.Iface = diagnostics.SourceNM, diagnostics.KindNote, "ssid", m[1], nmIface()
	case strings.Contains(msg, "dhcp4 (") || strings.Contains(msg, "DHCPv4"):
		e.Source, e.Kind = diagnostics.SourceNM, diagnostics.KindDHCP
		if m := reDHCPTO.FindStringSubmatch(msg); m != nil {
			e.Iface, e.OK, e.Name = m[1]+m[2], diagnostics.Bool(false), "timeout"
		} else if m := reDHCPLease.FindStringSubmatch(msg); m != nil {
			e.Iface, e.OK, e.Name = m[1], diagnostics.Bool(true), "lease"
		} else if m := reDHCPState.FindStringSubmatch(msg); m != nil {
			switch m[2] {
			case "timeout", "fail", "failed", "expire", "expired", "terminated", "abend", "end", "done":
				e.Iface, e.OK, e.Name = m[1], diagnostics.Bool(false), m[2]
			case "bound", "bound6", "renew", "rebind", "reboot", "extended":
				e.Iface, e.OK, e.Name = m[1], diagnostics.Bool(true), m[2]
			default:
				return p, false
			}
		} else {
			return p, false
		}
	case reKillswitch.MatchString(msg) && (prog == "" || prog == "NetworkManager" || strings.Contains(msg, "rfkill")):
		m := reKillswitch.FindStringSubmatch(msg)
		e.Source, e.Kind = diagnostics.SourceNM, diagnostics.KindRadio
		switch {
		case m[3] != "":
			e.OK = diagnostics.Bool(m[3] == "enabled")
			e.Name = "hard-blocked"
		case m[2] != "":
			e.OK = diagnostics.Bool(m[1] == "enabled")
			e.Name = "soft-blocked"
		default:
			e.OK = diagnostics.Bool(m[1] == "enabled")
			e.Name = "nm-disabled"
		}
		if *e.OK {
			e.Name = ""
		}

	case strings.Contains(msg, "rfkill: WLAN "):
		m := reWpaRfkill.FindStringSubmatch(msg)
		if m == nil {
			return p, false
		}
		e.Source, e.Kind, e.Iface = diagnostics.SourceRfkill, diagnostics.KindRadio, iface
		switch m[1] {
		case "soft blocked":
			e.OK, e.Name = diagnostics.Bool(false), "soft-blocked"
		case "hard blocked":
			e.OK, e.Name = diagnostics.Bool(false), "hard-blocked"
		default:
			e.OK = diagnostics.Bool(true)
		}

	case prog == "NetworkManager" && (strings.HasPrefix(msg, "caught SIG") || strings.HasPrefix(msg, "exiting (") ||
		strings.Contains(msg, ") is starting...") || strings.HasPrefix(msg, "NetworkManager (version")):
		// NetworkManager's own life: stopping makes it unreachable, a
		// start makes it reachable again.
		e.Source, e.Kind = diagnostics.SourceNM, diagnostics.KindBackend
		if strings.Contains(msg, "is starting") {
			e.OK, e.Name = diagnostics.Bool(true), "networkmanager started"
		} else if strings.HasPrefix(msg, "caught SIG") {
			if !strings.Contains(msg, "shutting down") {
				return p, false
			}
			e.OK, e.Name = diagnostics.Bool(false), "networkmanager stopping"
		} else {
			e.OK, e.Name = diagnostics.Bool(false), "networkmanager exited"
		}

	// --- nmcli.
	case strings.Contains(msg, "Error: "):
		e.Source, p.role = diagnostics.SourceNmcli, roleTerminal
		if m := reNmcliNoNet.FindStringSubmatch(msg); m != nil {
			*e = deviceState("", "failed", "ssid-not-found", nil)
			e.Source, e.SSID = diagnostics.SourceNmcli, cleanSSID(m[1])
		} else if reNmcliAuth.MatchString(msg) {
			e.Kind, e.Name = diagnostics.KindPermission, "not authorized"
		} else if reNmcliDown.MatchString(msg) {
			e.Kind, e.OK, e.Name = diagnostics.KindBackend, diagnostics.Bool(false), "networkmanager"
		} else if m := reNmcliDevNF.FindStringSubmatch(msg); m != nil {
			e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "missing"
			e.Iface = m[1]
		} else if m := reNmcliTO.FindStringSubmatch(msg); m != nil {
			e.Kind, e.Name = diagnostics.KindDeadline, "nmcli timeout"
		} else if m := reNmcliActF.FindStringSubmatch(msg); m != nil {
			text := m[2]
			code := -1
			for _, r := range nmcliReasons {
				if strings.Contains(strings.ToLower(text), strings.ToLower(r.text)) {
					code = r.code
					break
				}
			}
			if code < 0 && m[1] != "" {
				code, _ = strconv.Atoi(m[1])
			}
			switch {
			case strings.Contains(text, "No suitable device found") || strings.Contains(text, "not available because"):
				e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "unavailable"
			case code >= 0:
				*e = deviceState("", "failed", strconv.Itoa(code), nil)
				e.Source = diagnostics.SourceNmcli
			default:
				*e = deviceState("", "failed", "unknown", nil)
				e.Source, e.Code = diagnostics.SourceNmcli, 1
			}
		} else {
			return p, false
		}
	case strings.Contains(msg, "nmcli"):
		if !reNmcliInvoke.MatchString(msg) {
			return p, false
		}
		e.Source, e.Kind, p.role = diagnostics.SourceNmcli, diagnostics.KindActivationStart, roleStartRequest
		if m := reNmcliTarget.FindStringSubmatch(msg); m != nil {
			target := strings.Trim(m[2], `'"`)
			if m[1] == "connect" {
				e.SSID = cleanSSID(target)
			} else {
				e.Name = target
			}
		}
		if m := reNmcliIfname.FindStringSubmatch(msg); m != nil {
			e.Iface = m[1]
		}
	case strings.Contains(msg, "successfully activated"):
		m := reNmcliOK.FindStringSubmatch(msg)
		if m == nil {
			return p, false
		}
		e.Source, e.Kind, e.Iface, p.role = diagnostics.SourceNmcli, diagnostics.KindJoined, m[1], roleTerminal

	// --- iwd.
	case strings.Contains(msg, "connect-failed"):
		m := reIwdConnFail.FindStringSubmatch(msg)
		if m == nil {
			return p, false
		}
		e.Source, e.Kind, p.role = diagnostics.SourceIwd, diagnostics.KindAuthStatus, roleTerminal
		e.Code, _ = strconv.Atoi(m[1])
		if e.Code == 0 {
			e.Kind, e.Name = diagnostics.KindNote, "connect-failed"
		}
	case strings.Contains(msg, "Failed to connect") && (prog == "iwd" || prog == "iwctl" || strings.Contains(msg, "iwd")):
		m := reIwdFailed.FindStringSubmatch(msg)
		e.Source, e.Kind, p.role = diagnostics.SourceIwd, diagnostics.KindNote, roleTerminal
		if m != nil {
			e.Name = "failed to connect: " + m[1]
		}

	// --- wpa_supplicant (non-CTRL) and the kernel.
	case strings.Contains(body, "andshake failed"):
		if !reHandshake.MatchString(body) {
			return p, false
		}
		e.Kind, e.Iface = diagnostics.KindPskMismatch, iface
		e.Source = diagnostics.SourceSupplicant
		if prog == "iwd" || strings.Contains(body, "ifindex") {
			// iwd logs nothing when it starts connecting: its failure
			// line is all there is.
			e.Source, p.role = diagnostics.SourceIwd, roleTerminal
		}
	case strings.HasPrefix(body, "SME: Trying to authenticate"):
		m := reSMEAuth.FindStringSubmatch(body)
		if m == nil {
			return p, false
		}
		e.Source, e.Kind, e.Name, e.Iface, p.role = diagnostics.SourceSupplicant, diagnostics.KindNote, "trying to authenticate", iface, roleStartWpa
		e.BSSID, e.SSID = normBSSID(m[1]), cleanSSID(m[2])
	case strings.HasPrefix(body, "Trying to associate with"):
		m := reTryAssoc.FindStringSubmatch(body)
		if m == nil {
			return p, false
		}
		e.Source, e.Kind, e.Name, e.Iface, p.role = diagnostics.SourceSupplicant, diagnostics.KindNote, "trying to associate", iface, roleStartWpa
		e.BSSID, e.SSID = normBSSID(m[2]), cleanSSID(m[1]+m[3])
	case strings.HasPrefix(body, "SME: "):
		m := reSMETimeout.FindStringSubmatch(body)
		if m == nil {
			return p, false
		}
		e.Source, e.Iface, e.Kind = diagnostics.SourceSupplicant, iface, diagnostics.KindAuthTimeout
		if m[1] == "Association" {
			e.Kind = diagnostics.KindAssocTimeout
		}
	case strings.HasPrefix(body, "State: "):
		m := reWpaState.FindStringSubmatch(body)
		if m == nil {
			return p, false
		}
		e.Source, e.Iface, e.Kind = diagnostics.SourceSupplicant, iface, diagnostics.KindSupplicantState
		e.OldState, e.State = normState(m[1]), normState(m[2])
	case iface != "" && strings.Contains(body, "timed out"):
		if m := reKAssocTO.FindStringSubmatch(msg); m != nil {
			e.Source, e.Kind, e.Iface, e.BSSID = diagnostics.SourceKernel, diagnostics.KindAssocTimeout, m[1], normBSSID(m[2])
		} else if m := reWpaAuthTO.FindStringSubmatch(msg); m != nil {
			e.Kind, e.Iface, e.BSSID = diagnostics.KindAuthTimeout, iface, normBSSID(m[1])
			e.Source = diagnostics.SourceKernel
			if strings.HasPrefix(body, "Authentication") {
				e.Source = diagnostics.SourceSupplicant
			}
		} else {
			return p, false
		}
	case iface != "" && (strings.Contains(body, "uthenticat") || strings.Contains(body, "ssociat") || strings.Contains(body, "send auth") || strings.Contains(body, "RX ")):
		e.Source, e.Iface = diagnostics.SourceKernel, iface
		if m := reKAuthWith.FindStringSubmatch(msg); m != nil {
			// Starts an attempt when neither NetworkManager nor
			// wpa_supplicant is in the log (dmesg alone).
			e.Kind, e.Name, e.BSSID, p.role = diagnostics.KindNote, "authenticate", normBSSID(m[2]), roleStartWpa
		} else if m := reKSendAuth.FindStringSubmatch(msg); m != nil {
			e.Kind, e.Name, e.BSSID = diagnostics.KindNote, "send auth (try "+m[3]+"/"+m[4]+")", normBSSID(m[2])
		} else if m := reKAssocWith.FindStringSubmatch(msg); m != nil {
			e.Kind, e.Name, e.BSSID = diagnostics.KindNote, "associate (try "+m[3]+"/"+m[4]+")", normBSSID(m[2])
		} else if m := reKAssocResp.FindStringSubmatch(msg); m != nil {
			e.Kind, e.BSSID = diagnostics.KindAssocStatus, normBSSID(m[2])
			e.Code, _ = strconv.Atoi(m[3])
		} else if m := reKAuthResp.FindStringSubmatch(msg); m != nil {
			e.Kind, e.BSSID = diagnostics.KindAuthStatus, normBSSID(m[2])
			e.Code, _ = strconv.Atoi(m[3])
		} else if m := reKDenied.FindStringSubmatch(msg); m != nil {
			e.Kind = diagnostics.KindAssocStatus
			e.Code, _ = strconv.Atoi(m[1])
		} else if m := reKDeauthLoc.FindStringSubmatch(msg); m != nil {
			e.Kind, e.BSSID = diagnostics.KindDisconnect, normBSSID(m[2])
			c, _ := strconv.Atoi(m[3])
			e.Code = -c
		} else if m := reKDeauth.FindStringSubmatch(msg); m != nil {
			e.Kind, e.BSSID = diagnostics.KindDisconnect, normBSSID(m[2])
			e.Code, _ = strconv.Atoi(m[3])
		} else if strings.HasSuffix(body, "associated") && !strings.Contains(body, " ") {
			e.Kind, e.Name = diagnostics.KindNote, "associated"
		} else {
			return p, false
		}
	case strings.Contains(body, "SAE") && reSAEFail.MatchString(body) && prog != "hostapd":
		e.Source, e.Iface, e.Kind = diagnostics.SourceSupplicant, iface, diagnostics.KindSAEFailure
	default:
		ok = false
	}
	if !ok || e.Kind == "" || notWifi(e.Iface) {
		return p, false
	}
	return p, true
}

// reNotWifi matches interface names that are never a Wi-Fi station:
// NetworkManager logs the same lines for wired, loopback, bridge, VPN and
// Wi-Fi P2P devices, and those are not join attempts.
var reNotWifi = regexp.MustCompile(`^(?:lo|eth|en[opsx]?[0-9a-f]|em[0-9]|docker|veth|br[-0-9]|virbr|vnet|tun|tap|wg|tailscale|zt|bond|team|vlan|ppp|wwan|ib[0-9]|usb[0-9]|dummy|p2p-dev-)`)

func notWifi(iface string) bool { return iface != "" && reNotWifi.MatchString(iface) }
