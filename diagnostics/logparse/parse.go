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
	// own: the event is one of hotspotctl's own, from its debug log
	// (rec_hotspotctl.go), framed by explicit begin and end lines: the
	// splitter's heuristics for other sources do not apply to it.
	own bool
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
	reScanTrigger = regexp.MustCompile(`Scan trigger failed: ret=(-?\d+)`)
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

	reKFirmware  = regexp.MustCompile(`(?i)(?:failed to load firmware|firmware (?:load|request|download) failed|failed to (?:request|download) firmware)`)
	reKAuthWith  = regexp.MustCompile(`^(\S+): authenticate with (\S+)`)
	reKSendAuth  = regexp.MustCompile(`^(\S+): send auth to (\S+) \(try (\d+)/(\d+)\)`)
	reKAssocWith = regexp.MustCompile(`^(\S+): associate with (\S+) \(try (\d+)/(\d+)\)`)
	reKAssocTO   = regexp.MustCompile(`^(\S+): association with (\S+) timed out`)
	reKAssocResp = regexp.MustCompile(`^(\S+): RX (?:Re)?[Aa]ssocResp from (\S+) \(capab=(\S+) status=(\d+)`)
	reKAuthResp  = regexp.MustCompile(`^(\S+): RX authentication from (\S+) \(alg=\d+ trans=\d+ status=(\d+)`)
	reKDenied    = regexp.MustCompile(`denied association \(code=(\d+)\)`)
	reKDeauth    = regexp.MustCompile(`^(\S+): (?:deauthenticated|disassociated) from (\S+) \(Reason: (\d+)`)
	reKDeauthLoc = regexp.MustCompile(`^(\S+): (?:deauthenticating|disassociating) from (\S+) by local choice \(Reason: (\d+)`)

	reIwdConnFail = regexp.MustCompile(`event: connect-failed, status: (\d+)`)
	reIwdFailed   = regexp.MustCompile(`Failed to connect: (\S+)`)
	reWpaRfkill   = regexp.MustCompile(`rfkill: WLAN (soft blocked|hard blocked|unblocked)`)
	reHandshake   = regexp.MustCompile(`(?i)(?:4-way )?handshake failed`)

	reNmcliNoNet  = regexp.MustCompile(`Error: No network (?:with SSID '(.*)'|called (.*?)) (?:could be )?found`)
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
	// The active connection's reason NO_SECRETS (libnmc-base
	// nm-client-utils.c, nmc_activation_get_effective_state: given
	// when the device's own reason is not known): the device's 7.
	{"No valid secrets", diagnostics.ReasonNoSecrets},
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

// reNotWifi matches interface names that are never a Wi-Fi station:
// NetworkManager logs the same lines for wired, loopback, bridge, VPN and
// Wi-Fi P2P devices, and those are not join attempts.
var reNotWifi = regexp.MustCompile(`^(?:lo|eth|en[opsx]?[0-9a-f]|em[0-9]|docker|veth|br[-0-9]|virbr|vnet|tun|tap|wg|tailscale|zt|bond|team|vlan|ppp|wwan|ib[0-9]|usb[0-9]|dummy|p2p-dev-)`)

func notWifi(iface string) bool { return iface != "" && reNotWifi.MatchString(iface) }
