package logparse

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Apple's macOS and iOS Wi-Fi lines as people paste them: `log show` and
// `log stream` (default and compact styles), Xcode's console (NSLog's
// envelope), the old /var/log/wifi.log and Console copies, and the text of
// the system's own dialogs. docs/logformats/apple.md lists the lines read,
// with their sources.
//
// What the lines can and cannot tell apart: airportd logs a scan the
// driver refused as busy in so many words ("Failed to perform Wi-Fi scan,
// returned error code 16", 16 being EBUSY, with the driver's
// "APPLE80211_IOC_SCAN_REQ ... return 16" before it;
// https://developer.apple.com/forums/thread/761487). That is scan_busy
// evidence. The dialog text "Unable to join the network" (iOS) and "The
// network could not be found" (macOS) is the same whether the network was
// absent or the stack never got a scan through: it is reported for
// hidden networks and for stacks whose Wi-Fi was broken after sleep
// (github.com/BenSova/Patched-Sur/issues/36,
// github.com/barrykn/big-sur-micropatcher/issues/47), and
// NEHotspotConfigurationManager attempts the join and shows that alert
// even when the network is not nearby (rdar://40488313, mirrored at
// github.com/lionheart/openradar-mirror/issues/19767). So those lines end
// an attempt as a note only: never not_found by themselves.
//
// macOS names its Wi-Fi interface en0 (or en1), which reNotWifi takes for
// Ethernet, so events here leave Iface empty; the interface stays in the
// line kept as the event's message.

var recApple = recognizer{
	name:  "apple",
	title: "Apple macOS/iOS (log show, log stream, Xcode console)",
	keys: []string{
		"Failed to perform Wi-Fi scan",
		"APPLE80211_IOC_SCAN_REQ",
		"NEHotspotConfigurationErrorDomain",
		"NEHotspotConfigurationHelper",
		"apple80211API.error",
		"com.apple.coreWLAN.error",
		"CWErrorDomain",
		"Unable to join the network",
		"The network could not be found",
		"AirPort: Link ",
		"Scan request failed (",
		"wlcStart failed",
		"AirPort_Brcm43XX::start: ",
		"is not a Wi-Fi interface.", "Could not find network ",
		"Failed to join network ", "Error: -39",
		" Power (en",
		"power is currently off", // networksetup -getairportnetwork with Wi-Fi off
		"802.11d country code set to",
		"has the self-assigned IP address",
		"INIT-REBOOT (", ": SELECT timed out", ": got DHCP NAK",
	},
	envelope: appleEnvelope,
	parse:    parseApple,
}

// appleTypes are the message types of `log show` (default style) and their
// compact-style abbreviations.
var appleTypes = map[string]bool{
	"Default": true, "Info": true, "Debug": true, "Error": true, "Fault": true,
	"Df": true, "I": true, "Db": true, "E": true, "F": true,
}

// appleEnvelope recognises:
//
//	log show/stream default: "2024-08-06 18:24:13.090634+0800 0x86f393   Default     0x0   158    0    airportd: msg"
//	log show/stream compact: "2024-08-06 18:24:13.090 Df airportd[158:86f393] msg"
//	NSLog, Xcode's console:  "2021-05-11 17:07:35.066667+0200 ToyLights[968:409645] msg"
//	old Console copies:      "2012-07-25 5:24:59.000 PM kernel[0]: msg"
//	/var/log/wifi.log:       "Sun Oct 23 22:37:01.981 <airport[184]> msg"
//
// The syslog style of log show ("... localhost airportd[158]: msg") is
// plain syslog; parseApple strips the library and subsystem prefix there.
func appleEnvelope(lp *lineParser, s string) (lineInfo, bool) {
	var li lineInfo
	if len(s) < 24 {
		return li, false
	}
	if s[4] == '-' && s[7] == '-' && s[10] == ' ' && s[0] >= '0' && s[0] <= '9' {
		return appleISO(lp, s)
	}
	if s[3] == ' ' && s[7] == ' ' && s[0] >= 'A' && s[0] <= 'Z' && s[10] == ' ' && s[13] == ':' && s[19] == '.' {
		return appleWifiLog(lp, s)
	}
	return li, false
}

func appleISO(lp *lineParser, s string) (lineInfo, bool) {
	var li lineInfo
	end := strings.IndexByte(s[11:], ' ')
	if end < 0 {
		return li, false
	}
	end += 11
	stamp, rest := s[:end], strings.TrimLeft(s[end:], " ")
	if strings.HasPrefix(rest, "AM ") || strings.HasPrefix(rest, "PM ") {
		// Console.app of OS X 10.8 and earlier: a 12-hour clock.
		t, err := time.Parse("2006-01-02 3:04:05.999999999 PM", stamp+" "+rest[:2])
		if err != nil {
			return li, false
		}
		prog, msg, ok := cutProg(strings.TrimLeft(rest[3:], " "))
		if !ok {
			return li, false
		}
		li.t, li.prog, li.msg = t.UTC(), prog, msg
		lp.zoneless, lp.year = true, t.Year()
		li.msg, li.tag = appleStrip(li.msg)
		return li, true
	}
	var t time.Time
	var err error
	zoned := true
	if t, err = time.Parse("2006-01-02 15:04:05.999999999-0700", stamp); err != nil {
		zoned = false
		if t, err = time.Parse("2006-01-02 15:04:05.999999999", stamp); err != nil {
			return li, false
		}
	}
	tok, after := cutField(rest)
	switch {
	case strings.HasPrefix(tok, "0x"):
		// default style: thread, type, activity, pid, ttl, "process: ".
		typ, r := cutField(after)
		act, r := cutField(r)
		pid, r := cutField(r)
		if !appleTypes[typ] && typ != "Activity" || !strings.HasPrefix(act, "0x") || !appleDigits(pid) {
			return li, false
		}
		// macOS 10.12's log show has no TTL column.
		if ttl, r2 := cutField(r); appleDigits(ttl) {
			r = r2
		}
		i := strings.Index(r, ": ")
		if i <= 0 {
			return li, false
		}
		li.prog, li.msg = r[:i], r[i+2:]
	case appleTypes[tok]:
		// compact style: "Df airportd[158:86f393] msg".
		p, r := cutField(after)
		prog, ok := appleProcPID(p)
		if !ok {
			return li, false
		}
		li.prog, li.msg = prog, r
	default:
		// NSLog: "ToyLights[968:409645] msg".
		prog, ok := appleProcPID(tok)
		if !ok {
			return li, false
		}
		li.prog, li.msg = prog, after
	}
	li.t = t.UTC()
	lp.year = li.t.Year()
	lp.zoneless = lp.zoneless || !zoned
	li.msg, li.tag = appleStrip(li.msg)
	return li, true
}

// appleWifiLog reads /var/log/wifi.log's "Sun Oct 23 22:37:01.981 <airport[184]> msg".
func appleWifiLog(lp *lineParser, s string) (lineInfo, bool) {
	var li lineInfo
	mon, ok := months[s[4:7]]
	if !ok {
		return li, false
	}
	end := strings.IndexByte(s[20:], ' ')
	if end < 0 {
		return li, false
	}
	end += 20
	rest := s[end+1:]
	if len(rest) < 3 || rest[0] != '<' {
		return li, false
	}
	j := strings.IndexByte(rest, '>')
	if j < 2 {
		return li, false
	}
	day, err1 := strconv.Atoi(strings.TrimLeft(s[8:10], " "))
	clock, err2 := time.Parse("15:04:05.999999999", s[11:end])
	if err1 != nil || err2 != nil {
		return li, false
	}
	year := lp.year
	if year < 0 {
		year = lp.fallback
	}
	li.t = time.Date(year, mon, day, clock.Hour(), clock.Minute(), clock.Second(), clock.Nanosecond(), time.UTC)
	li.yearless = true
	lp.zoneless = true
	li.prog = rest[1:j]
	if k := strings.IndexByte(li.prog, '['); k > 0 {
		li.prog = li.prog[:k]
	}
	li.msg = strings.TrimLeft(rest[j+1:], " ")
	return li, true
}

// cutField splits the first space-separated field off s.
func cutField(s string) (field, rest string) {
	s = strings.TrimLeft(s, " \t")
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimLeft(s[i:], " \t")
}

func appleDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// appleProcPID reads "airportd[158:86f393]" (process, pid, thread).
func appleProcPID(tok string) (string, bool) {
	i := strings.IndexByte(tok, '[')
	if i <= 0 || !strings.HasSuffix(tok, "]") {
		return "", false
	}
	inner := tok[i+1 : len(tok)-1]
	c := strings.IndexByte(inner, ':')
	if c <= 0 || !appleDigits(inner[:c]) {
		return "", false
	}
	return tok[:i], true
}

// appleStrip removes the unified log's sender image "(IO80211) " and
// "[subsystem:category] " from a message; the subsystem is the tag.
func appleStrip(msg string) (body, tag string) {
	if len(msg) > 2 && msg[0] == '(' {
		if j := strings.IndexByte(msg, ')'); j > 1 && j < 64 && j+1 < len(msg) && msg[j+1] == ' ' {
			msg = msg[j+2:]
		}
	}
	if len(msg) > 1 && msg[0] == '[' {
		if j := strings.IndexByte(msg, ']'); j >= 1 && j < 128 && j+1 < len(msg) && msg[j+1] == ' ' {
			tag = strings.TrimSuffix(msg[1:j], ":")
			if k := strings.IndexByte(tag, ':'); k >= 0 {
				tag = tag[:k]
			}
			msg = msg[j+2:]
		}
	}
	return msg, tag
}

var (
	reAppleScanFail = regexp.MustCompile(`Failed to perform Wi-Fi scan, returned error code (-?\d+)(, will try again)?`)
	reAppleScanIOC  = regexp.MustCompile(`'APPLE80211_IOC_SCAN_REQ'.*? return (-?\d+)/`)
	// "Error Domain=D Code=N ..." is NSError's description, "(D error N.)"
	// the tail of its default localizedDescription ("The operation
	// couldn’t be completed. (com.apple.coreWLAN.error error -3905.)").
	reAppleNEError  = regexp.MustCompile(`NEHotspotConfigurationErrorDomain(?: Code=| error )(-?\d+)`)
	reApple80211Err = regexp.MustCompile(`(?:com\.apple\.wifi\.apple80211API\.error(?: Code=| error )(-?\d+)|\[(-?\d+), com\.apple\.wifi\.apple80211API\.error,)`)
	reAppleCWErr    = regexp.MustCompile(`(?:com\.apple\.coreWLAN\.error|CWErrorDomain)(?: Code=| error )(-?\d+)`)
	reAppleUnable   = regexp.MustCompile(`Unable to join the network [“"'](.*?)[”"']`)
	reAppleScanReq  = regexp.MustCompile(`IO80211ScanManager::\w+: Scan request failed \((-?\d+)\)`)
	reAppleLink     = regexp.MustCompile(`AirPort: Link (Down|Up) on (\w+)(?:\. Reason (\d+))?`)
)

// kIOReturnBusy is IOKit's "Device Busy", iokit_common_err(0x2d5) in
// IOKit/IOReturn.h: 0xE00002D5 as the signed 32-bit value airportd prints.
const kIOReturnBusy = -536870187

// neHotspotErrors maps NEHotspotConfigurationError's raw values (the enum
// in NetworkExtension's NEHotspotConfigurationManager.h starts at 0:
// invalid = 0 ... invalidSSIDPrefix = 15, then userUnauthorized = 16 and
// systemDenied = 17; https://developer.apple.com/documentation/networkextension/nehotspotconfigurationerror)
// to events. The request checks (0-6, 12, 15) are invalid input; the
// refusals by the user or the system (7, 10, 14, 16, 17) are permission;
// alreadyAssociated (13) means the device is on that network; internal
// (8), pending (9) and unknown (11) say nothing about the cause and stay
// notes, which classify as unknown.
var neHotspotErrors = map[int]struct {
	name string
	kind diagnostics.Kind
}{
	0:  {"invalid", diagnostics.KindInvalidInput},
	1:  {"invalidSSID", diagnostics.KindInvalidInput},
	2:  {"invalidWPAPassphrase", diagnostics.KindInvalidInput},
	3:  {"invalidWEPPassphrase", diagnostics.KindInvalidInput},
	4:  {"invalidEAPSettings", diagnostics.KindInvalidInput},
	5:  {"invalidHS20Settings", diagnostics.KindInvalidInput},
	6:  {"invalidHS20DomainName", diagnostics.KindInvalidInput},
	7:  {"userDenied", diagnostics.KindPermission},
	8:  {"internal", diagnostics.KindNote},
	9:  {"pending", diagnostics.KindNote},
	10: {"systemConfiguration", diagnostics.KindPermission},
	11: {"unknown", diagnostics.KindNote},
	12: {"joinOnceNotSupported", diagnostics.KindInvalidInput},
	13: {"alreadyAssociated", diagnostics.KindJoined},
	14: {"applicationIsNotInForeground", diagnostics.KindPermission},
	15: {"invalidSSIDPrefix", diagnostics.KindInvalidInput},
	16: {"userUnauthorized", diagnostics.KindPermission},
	17: {"systemDenied", diagnostics.KindPermission},
}

// cwErrors maps CoreWLAN's CWErr values to events. The values are the
// enum in CoreWLAN's CoreWLANTypes.h (CWGlobals.h before macOS 10.10;
// https://developer.apple.com/documentation/corewlan/cwerr): kCWNoErr 0,
// kCWEAPOLErr 1, then -3900 kCWInvalidParameterErr counting down one by
// one to -3931 kCWErr, with no gaps. Checked against the header again
// after a review doubted three of them: -3903 is kCWNotSupportedErr
// ("Operation not supported."), -3905 kCWTimeoutErr and -3931 kCWErr
// ("Generic error, no specific error code exists to describe the error
// condition."). The header describes -3905 as "Operation timed out.", the
// documentation page as "Authentication/Association timed out."; CoreWLAN
// returns it from a join, so it is read as the association's timeout.
// Apple documents -3906 ... -3924, -3926 and -3927 with the words of IEEE
// 802.11's status codes, so each becomes the status code it names
// (kCWAPFullErr, "Access point is unable to handle another associated
// station", is status 17). There is no CWErr for a busy radio: a scan
// refused as busy comes back as errno 16 in com.apple.wifi.apple80211API.error.
var cwErrors = map[int]struct {
	name   string
	kind   diagnostics.Kind
	status int
}{
	1:     {"kCWEAPOLErr", diagnostics.KindNote, 0},
	-3900: {"kCWInvalidParameterErr", diagnostics.KindNote, 0},
	-3901: {"kCWNoMemoryErr", diagnostics.KindNote, 0},
	-3902: {"kCWUnknownErr", diagnostics.KindNote, 0},
	-3903: {"kCWNotSupportedErr", diagnostics.KindNote, 0},
	-3904: {"kCWInvalidFormatErr", diagnostics.KindNote, 0},
	// "Authentication/Association timed out."
	-3905: {"kCWTimeoutErr", diagnostics.KindAssocTimeout, 0},
	-3906: {"kCWUnspecifiedFailureErr", diagnostics.KindAssocStatus, 1},
	-3907: {"kCWUnsupportedCapabilitiesErr", diagnostics.KindAssocStatus, 10},
	-3908: {"kCWReassociationDeniedErr", diagnostics.KindAssocStatus, 11},
	-3909: {"kCWAssociationDeniedErr", diagnostics.KindAssocStatus, 12},
	-3910: {"kCWAuthenticationAlgorithmUnsupportedErr", diagnostics.KindAuthStatus, 13},
	-3911: {"kCWInvalidAuthenticationSequenceNumberErr", diagnostics.KindAuthStatus, 14},
	-3912: {"kCWChallengeFailureErr", diagnostics.KindAuthStatus, 15},
	-3913: {"kCWAPFullErr", diagnostics.KindAssocStatus, 17},
	-3914: {"kCWUnsupportedRateSetErr", diagnostics.KindAssocStatus, 18},
	-3915: {"kCWShortSlotUnsupportedErr", diagnostics.KindAssocStatus, 25},
	-3916: {"kCWDSSSOFDMUnsupportedErr", diagnostics.KindAssocStatus, 26},
	-3917: {"kCWInvalidInformationElementErr", diagnostics.KindAssocStatus, 40},
	-3918: {"kCWInvalidGroupCipherErr", diagnostics.KindAssocStatus, 41},
	-3919: {"kCWInvalidPairwiseCipherErr", diagnostics.KindAssocStatus, 42},
	-3920: {"kCWInvalidAKMPErr", diagnostics.KindAssocStatus, 43},
	-3921: {"kCWUnsupportedRSNVersionErr", diagnostics.KindAssocStatus, 44},
	-3922: {"kCWInvalidRSNCapabilitiesErr", diagnostics.KindAssocStatus, 45},
	-3923: {"kCWCipherSuiteRejectedErr", diagnostics.KindAssocStatus, 46},
	-3924: {"kCWInvalidPMKErr", diagnostics.KindAssocStatus, 53},
	// "WPA/WPA2 handshake timed out": a timeout, which CoreWLAN does not
	// attribute to the password, so it is not wrong_key.
	-3925: {"kCWSupplicantTimeoutErr", diagnostics.KindAuthTimeout, 0},
	-3926: {"kCWHTFeaturesNotSupportedErr", diagnostics.KindAssocStatus, 27},
	-3927: {"kCWPCOTransitionTimeNotSupportedErr", diagnostics.KindAssocStatus, 29},
	-3928: {"kCWReferenceNotBoundErr", diagnostics.KindNote, 0},
	// "Error communicating with a separate process": airportd.
	-3929: {"kCWIPCFailureErr", diagnostics.KindBackend, 0},
	// "Calling process does not have permission to perform this operation."
	-3930: {"kCWOperationNotPermittedErr", diagnostics.KindPermission, 0},
	-3931: {"kCWErr", diagnostics.KindNote, 0},
}

// cwEvent is the event of one CWErr value.
func cwEvent(code int) diagnostics.Event {
	e := diagnostics.Event{Source: diagnostics.SourceApple}
	c, ok := cwErrors[code]
	if !ok {
		e.Kind, e.Name, e.Code = diagnostics.KindNote, "CWErr "+strconv.Itoa(code), code
		return e
	}
	e.Kind, e.Name = c.kind, c.name
	switch c.kind {
	case diagnostics.KindAssocStatus, diagnostics.KindAuthStatus:
		e.Code = c.status
	case diagnostics.KindBackend:
		e.OK = diagnostics.Bool(false)
	default:
		e.Code = code
	}
	if c.kind == diagnostics.KindAuthTimeout || c.kind == diagnostics.KindAssocTimeout {
		e.Code = 0
	}
	return e
}

var (
	reNetworksetupNotWifi  = regexp.MustCompile(`^(?:en\d+|Wi-Fi|AirPort) is not a Wi-Fi interface\.$`)
	reNetworksetupNotFound = regexp.MustCompile(`^Could not find network (.+)\.$`)
	// networksetup -setairportnetwork's failure: "Failed to join network
	// X." and, on the next line (or the same one when a tool joined its
	// output), "Error: -3900  The operation couldn’t be completed. ...".
	reNetworksetupJoinFail = regexp.MustCompile(`^Failed to join network (.+?)\.(?:\s+Error: (-?\d+)(?:\s.*)?)?$`)
	reNetworksetupErr      = regexp.MustCompile(`^Error: (-39\d\d)(?:\s|$)`)
	// networksetup -getairportpower: "Wi-Fi Power (en0): Off" (OS X
	// 10.7 and later; "AirPort Power (en1): On" before).
	reNetworksetupPowerOff = regexp.MustCompile(`^\s*(?:Wi-Fi|AirPort) power is currently off\.?\s*$`)
	reNetworksetupPower    = regexp.MustCompile(`^(?:Wi-Fi|AirPort) Power \((en\d+)\): (On|Off)$`)
	reAppleCountry         = regexp.MustCompile(`802\.11d country code set to ['‘’′"]?([A-Za-z0-9]{2,3})['‘’′"]?`)
	reAppleSelfAssigned    = regexp.MustCompile(`^(?:Wi-Fi|AirPort) has the self-assigned IP address (169\.254\.\d{1,3}\.\d{1,3})\b`)
	reAppleInitReboot      = regexp.MustCompile(`^DHCP (\w+): INIT-REBOOT \([0-9.]+\) timed out`)
	reAppleDHCPSelect      = regexp.MustCompile(`^DHCP (\w+): SELECT timed out$`)
	reAppleDHCPNak         = regexp.MustCompile(`^DHCP (\w+): got DHCP NAK$`)
	reAppleScanWord        = regexp.MustCompile(`(?i)scan`)
)

func parseApple(m *message) (parsed, match) {
	var p parsed
	e := &p.ev
	e.Source = diagnostics.SourceApple
	body := m.msg
	if len(body) > 0 && (body[0] == '(' || body[0] == '[') {
		// log show --style syslog leaves the sender and subsystem in.
		body, _ = appleStrip(body)
	}
	switch {
	case reNetworksetupNotWifi.MatchString(body):
		// networksetup (-setairportnetwork, -getairportpower, ...) given
		// a device that is not Wi-Fi prints "en1 is not a Wi-Fi
		// interface." and exits 10: the Wi-Fi device the command was
		// meant for is not there under that name.
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "not a Wi-Fi interface"
	case strings.HasPrefix(body, "Could not find network "):
		// networksetup -setairportnetwork's own scan did not find the
		// SSID, the platform's verdict as nmcli's "No network with SSID"
		// is (and read the same way).
		g := reNetworksetupNotFound.FindStringSubmatch(body)
		if g == nil {
			return p, pass
		}
		*e = deviceState("", "failed", "ssid-not-found", nil)
		e.Source, e.SSID, p.role = diagnostics.SourceApple, cleanSSID(g[1]), roleTerminal
	case strings.HasPrefix(body, "Failed to join network "):
		// networksetup -setairportnetwork could not join: CoreWLAN's
		// -[CWInterface associateToNetwork:password:error:] failed, and
		// networksetup prints the NSError's code on the line after
		// ("Error: -3900  The operation couldn’t be completed. tmpErr").
		// The line alone ends the attempt without a cause; the code, on
		// this line or the next, is read through the CWErr table. -3900
		// (kCWInvalidParameterErr) is a note: tools that drive networksetup
		// report it both for a join that failed and for one that landed
		// a moment later.
		g := reNetworksetupJoinFail.FindStringSubmatch(body)
		if g == nil {
			return p, pass
		}
		if g[2] != "" {
			code, _ := strconv.Atoi(g[2])
			*e = cwEvent(code)
		} else {
			e.Kind, e.Name = diagnostics.KindNote, "networksetup: failed to join (cause not stated)"
		}
		e.SSID, p.role = cleanSSID(g[1]), roleTerminal
	case strings.HasPrefix(body, "Error: -39"):
		// The second line of networksetup's join failure (above): the
		// CWErr code. Only codes in the table are read.
		g := reNetworksetupErr.FindStringSubmatch(body)
		if g == nil {
			return p, pass
		}
		code, _ := strconv.Atoi(g[1])
		if _, ok := cwErrors[code]; !ok {
			return p, pass
		}
		*e = cwEvent(code)
	case strings.Contains(body, " Power (en"):
		// networksetup -getairportpower en0: the radio's power state as
		// CoreWLAN reports it (-[CWInterface powerOn]). Off means no
		// join can happen until it is turned on: the radio event that
		// Linux's rfkill soft block gives.
		g := reNetworksetupPower.FindStringSubmatch(body)
		if g == nil {
			return p, pass
		}
		e.Kind, e.OK = diagnostics.KindRadio, diagnostics.Bool(g[2] == "On")
		if g[2] == "Off" {
			e.Name = "Wi-Fi power off"
		}
	case strings.Contains(body, "power is currently off"):
		// networksetup -getairportnetwork on an interface whose power
		// is off prints "Wi-Fi power is currently off." (before OS X
		// 10.7 "AirPort power is currently off.") instead of the
		// network, as -getairportpower's "Off": the radio is off.
		if !reNetworksetupPowerOff.MatchString(body) {
			return p, pass
		}
		e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "Wi-Fi power off"
	case strings.Contains(body, "802.11d country code set to"):
		// IO80211Family (kernel) logs the regulatory country it adopted
		// from the APs' 802.11d beacons ("en0: 802.11d country code set
		// to 'TW'."). A change alters the channels the card may use, and
		// a code flapping between two countries has hidden an AP on a
		// channel one of them forbids
		// (https://rene.rebe.de/2013-03-29/when-mac-os-x-wifi-country-code-goes-wrong/),
		// but the line is logged on healthy joins too and says nothing
		// about any network: context only, never not_found.
		g := reAppleCountry.FindStringSubmatch(body)
		if g == nil {
			return p, drop
		}
		e.Kind, e.Name = diagnostics.KindNote, "802.11d country code "+strings.ToUpper(g[1])
	case strings.Contains(body, "has the self-assigned IP address"):
		// The Network pane's status of a service DHCP gave no lease to:
		// "Wi-Fi has the self-assigned IP address 169.254.x.y and will not
		// be able to connect to the Internet." IPConfiguration
		// (bootp/IPConfiguration.bproj/dhcp.c, dhcp_init) allocates the
		// link-local address when no DHCP server answered
		// (ipconfig_status_no_server_e, linklocal_service_change). Only the
		// Wi-Fi service's line is read.
		g := reAppleSelfAssigned.FindStringSubmatch(body)
		if g == nil {
			return p, pass
		}
		e.Kind, e.OK, e.Name = diagnostics.KindDHCP, diagnostics.Bool(false), "self-assigned "+g[1]
	case strings.Contains(body, "INIT-REBOOT ("):
		// IPConfiguration's dhcp_init_reboot (dhcp.c): the old lease was
		// not confirmed in time ("DHCP en0: INIT-REBOOT (192.168.1.5)
		// timed out"), and the client goes back to INIT to ask for a new
		// one. That is no failure yet: a note.
		if !reAppleInitReboot.MatchString(body) {
			return p, pass
		}
		e.Kind, e.Name = diagnostics.KindNote, "DHCP INIT-REBOOT timed out (back to INIT)"
	case strings.HasSuffix(body, ": SELECT timed out"):
		// IPConfiguration's dhcp_select (dhcp.c): no DHCPACK answered
		// its DHCPREQUEST for an offered address after the retries
		// ("DHCP en0: SELECT timed out"); it goes back to INIT and asks
		// again. A server did offer: no failure yet, a note.
		if !reAppleDHCPSelect.MatchString(body) {
			return p, pass
		}
		e.Kind, e.Name = diagnostics.KindNote, "DHCP SELECT timed out (back to INIT)"
	case strings.HasSuffix(body, ": got DHCP NAK"):
		// dhcp_select and dhcp_init_reboot (dhcp.c): the server refused
		// the address asked for ("DHCP en0: got DHCP NAK"), routinely
		// the old lease on another network; the client starts over
		// (dhcp_unbound, then INIT). A note, as for other DHCP clients.
		if !reAppleDHCPNak.MatchString(body) {
			return p, pass
		}
		e.Kind, e.Name = diagnostics.KindNote, "DHCPNAK"
	case strings.Contains(body, "Failed to perform Wi-Fi scan"):
		g := reAppleScanFail.FindStringSubmatch(body)
		if g == nil {
			return p, drop
		}
		code, _ := strconv.Atoi(g[1])
		e.Code = code
		switch code {
		case 16:
			// errno 16, EBUSY: the driver refused the scan request.
			// ", will try again in 200 ms" is airportd's own retry; the
			// line without it is its last word on that request.
			e.Kind, e.Name = diagnostics.KindScanBusy, "EBUSY"
		case kIOReturnBusy:
			// The same refusal in IOKit's words, as drivers return it
			// from the scan ioctl.
			e.Kind, e.Name = diagnostics.KindScanBusy, "kIOReturnBusy"
		case 82:
			// errno 82, EPWROFF "Device power is off" (xnu
			// bsd/sys/errno.h): the interface is powered off, so no scan
			// can run; as apple80211API.error 82 below.
			e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "Wi-Fi power off (EPWROFF)"
		default:
			e.Kind, e.OK = diagnostics.KindScanDone, diagnostics.Bool(false)
		}
	case strings.Contains(body, "Scan request failed ("):
		// IO80211Family's scan manager (kernel, OS X 10.9 and later)
		// logs the driver's refusal of a scan it was asked for
		// ("startScanMultiple: Scan request failed (16)!"); 16 is EBUSY,
		// as in airportd's "returned error code 16".
		g := reAppleScanReq.FindStringSubmatch(body)
		if g == nil {
			return p, drop
		}
		code, _ := strconv.Atoi(g[1])
		e.Code = code
		if code == 16 {
			e.Kind, e.Name = diagnostics.KindScanBusy, "EBUSY"
		} else {
			e.Kind, e.OK = diagnostics.KindScanDone, diagnostics.Bool(false)
		}
	case strings.Contains(body, "wlcStart failed") || strings.Contains(body, "AirPort_Brcm43XX::start: "):
		// AirPortBrcm4360's IOService start (kernel: "(AirPortBrcm4360)
		// ARPT: ...: wlcStart failed", then "AirPort_Brcm43XX::start:
		// failed"): the driver could not bring the chip up, so there is
		// no Wi-Fi interface.
		if !strings.Contains(body, "wlcStart failed") && !strings.Contains(body, "::start: failed") && !strings.Contains(body, "::start: Failed") {
			return p, drop
		}
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "driver start failed"
	case strings.Contains(body, "APPLE80211_IOC_SCAN_REQ"):
		// The driver's answer to the scan ioctl. airportd logs its own
		// line for every refusal ("Failed to perform Wi-Fi scan"), which
		// carries the verdict; this one is context, so refusals are not
		// counted twice.
		g := reAppleScanIOC.FindStringSubmatch(body)
		if g == nil || g[1] == "0" {
			return p, drop
		}
		e.Kind, e.Name = diagnostics.KindNote, "scan ioctl returned "+g[1]
	case strings.Contains(body, "NEHotspotConfigurationErrorDomain"):
		g := reAppleNEError.FindStringSubmatch(body)
		if g == nil {
			return p, drop
		}
		code, _ := strconv.Atoi(g[1])
		p.role = roleTerminal
		ne, ok := neHotspotErrors[code]
		if !ok {
			e.Kind, e.Code, e.Name = diagnostics.KindNote, code, "NEHotspotConfigurationError "+g[1]
			break
		}
		e.Kind, e.Name = ne.kind, ne.name
		if ne.kind != diagnostics.KindJoined {
			e.Code = code
		}
	case strings.Contains(body, "apple80211API.error"):
		g := reApple80211Err.FindStringSubmatch(body)
		if g == nil {
			return p, drop
		}
		code, _ := strconv.Atoi(g[1] + g[2])
		if code <= -3900 && code >= -3931 {
			*e = cwEvent(code)
			break
		}
		e.Kind, e.Code, e.Name = diagnostics.KindNote, code, "apple80211 error "+strconv.Itoa(code)
		if code == 82 {
			// The positive codes are Darwin errnos (16 is EBUSY, "Resource
			// busy", above); 82 is EPWROFF, "Device power is off"
			// (xnu bsd/sys/errno.h): the Wi-Fi interface is powered off,
			// so the call (a scan, a join) could not run. The radio
			// event networksetup's "Wi-Fi Power (en0): Off" gives.
			e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "Wi-Fi power off (EPWROFF)"
			break
		}
		if code == 16 {
			e.Name = "apple80211 error 16 (EBUSY)"
			// The line names a scan ("-[CWInterface scanForNetworksWithName:
			// error:] ... Code=16 \"Resource busy\""): the driver refused
			// that scan, as airportd's "returned error code 16" says.
			// Without the word the call is not known to be a scan's.
			if reAppleScanWord.MatchString(body) {
				e.Kind, e.Name = diagnostics.KindScanBusy, "EBUSY"
			}
		}
	case strings.Contains(body, "com.apple.coreWLAN.error") || strings.Contains(body, "CWErrorDomain"):
		g := reAppleCWErr.FindStringSubmatch(body)
		if g == nil {
			return p, drop
		}
		code, _ := strconv.Atoi(g[1])
		*e = cwEvent(code)
	case strings.Contains(body, "NEHotspotConfigurationHelper"):
		if !strings.Contains(body, "failed to communicate to helper server") {
			return p, drop
		}
		// Reported when the app lacks the Hotspot Configuration
		// entitlement (https://developer.apple.com/forums/thread/127834),
		// but the line itself says only that nehelper was not reached.
		e.Kind, e.Name, p.role = diagnostics.KindNote, "nehelper not reached", roleTerminal
	case strings.Contains(body, "Unable to join the network"):
		e.Kind, e.Name, p.role = diagnostics.KindNote, "unable to join (cause not stated)", roleTerminal
		if g := reAppleUnable.FindStringSubmatch(body); g != nil {
			e.SSID = cleanSSID(g[1])
		}
	case strings.Contains(body, "The network could not be found"):
		e.Kind, e.Name, p.role = diagnostics.KindNote, "network could not be found (cause not stated)", roleTerminal
	case strings.Contains(body, "AirPort: Link "):
		g := reAppleLink.FindStringSubmatch(body)
		if g == nil {
			return p, drop
		}
		// Link Down's reason is not said to be the AP's or ours (Apple
		// also logs 255, no 802.11 reason), so it is context only.
		e.Kind, e.Name = diagnostics.KindNote, "link "+strings.ToLower(g[1])
		if g[3] != "" {
			e.Name += " reason " + g[3]
		}
	default:
		return p, pass
	}
	return p, take
}
