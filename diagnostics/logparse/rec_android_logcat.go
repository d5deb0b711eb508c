// The file is not named rec_android.go: Go reads a "_android" suffix as a
// GOOS build constraint and would compile it only for Android.

package logparse

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Android logcat as people paste it: `adb logcat` in its threadtime (the
// default), brief and time formats, and Android Studio's
// "2019-04-16 22:25:20.902 1748-1748/? E/wificond: ..." export. The
// envelope is logprint.c's (system/logging/liblog/logprint.cpp,
// https://android.googlesource.com/platform/system/logging/+/refs/heads/main/liblog/logprint.cpp):
//
//	threadtime  "MM-DD HH:MM:SS.mmm  PID  TID L TAG     : msg"   (%5d %5d %c %-8s:)
//	brief       "L/TAG     ( PID): msg"                          (%c/%-8s(%5d):)
//	time        "MM-DD HH:MM:SS.mmm L/TAG     ( PID): msg"
//	DDMS export "MM-DD HH:MM:SS.mmm: L/TAG(PID):  msg"            (Eclipse ADT's "Save logcat")
//	process     "L( PID) msg  (TAG)"                             (%c(%5d) ... "  (%s)")
//	-v year     "YYYY-MM-DD HH:MM:SS.mmm ..." in front of any of them
//
// wpa_supplicant logs to logcat under its own name ("wpa_supplicant:
// wlan0: CTRL-EVENT-SCAN-FAILED ret=-16"): those lines are given the
// program "wpa_supplicant" and left to its recognizers. The framework's own
// lines (packages/modules/Wifi, https://android.googlesource.com/platform/packages/modules/Wifi/)
// and wificond's (system/connectivity/wificond) are read here; their tags
// carry Samsung's and Android 12's "[id:wlan0]" suffix at times
// ("WifiClientModeImpl[16509:wlan0]"). `logcat -v long` puts the envelope
// on a line of its own; rec_android_long.go holds the join, which needs a
// hook in lineParser.split, and until then such logs are not read (their
// wpa_supplicant messages still are, by their content). `dumpsys wifi`'s
// state machine history ("rec[N]: time=...") is read by logcatLogRec
// (rec_android_legacy.go).

var recAndroid = recognizer{
	name:  "android-logcat",
	title: "Android logcat (threadtime, brief, time)",
	keys: append([]string{
		"Association rejection", "Authentication failure", "Network not found event",
		"Network disconnection", "NETWORK_SELECTION_DISABLED_", "CMD_START_CONNECT",
		"connectToNetwork", "connectToUserSelectNetwork", "TRIGGER_SCAN failed",
		"Failed to trigger scan", "Scan aborted", "Failed to start scan", "Scan failed",
		"Scan failure received", "Scan result ready event", "Timed out waiting for scan result from wificond", "DHCP failure", "handleIPv4",
		"setWifiEnabled", "Scan request from", "Timed out waiting for dhcpcd to start",
		"Timed out waiting for DHCP to finish", "timed out.]", "Failed to start Hal",
		"Failed to create STA iface", "Failed to setup iface in", "Failed to load driver",
		"Failed to start supplicant", "ASSOCIATION_REJECTION_EVENT",
		"CMD_IP_CONFIGURATION_LOST", "AUTHENTICATION_FAILURE_EVENT",
	}, append(androidBringUpKeys, androidLegacyKeys...)...),
	envelope: logcatEnvelope,
	parse:    parseAndroid,
}

// logcatLevel reports whether c is one of logcat's priority letters.
func logcatLevel(c byte) bool {
	switch c {
	case 'V', 'D', 'I', 'W', 'E', 'F', 'A', 'S':
		return true
	}
	return false
}

// logcatEnvelope splits a logcat line. It returns false within a few byte
// comparisons for anything that does not start like one (a priority letter
// and '/', or a "MM-DD HH:MM:SS." / "YYYY-MM-DD HH:MM:SS." stamp followed by
// logcat's columns rather than a host name).
func logcatEnvelope(lp *lineParser, s string) (lineInfo, bool) {
	// Pasted logs are often indented or quoted.
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	s = s[i:]
	if len(s) < 4 {
		return lineInfo{}, false
	}
	var li lineInfo
	if logcatLevel(s[0]) && s[1] == '/' {
		return logcatBrief(s, li)
	}
	if logcatLevel(s[0]) && s[1] == '(' {
		return logcatProcess(s, li)
	}
	if s[0] == 'r' {
		return logcatLogRec(lp, s) // dumpsys wifi's state machine history
	}
	if s[0] < '0' || s[0] > '9' {
		return lineInfo{}, false
	}
	var year, off int
	switch {
	case len(s) >= 19 && s[2] == '-' && s[5] == ' ' && s[8] == ':' && s[11] == ':' && s[14] == '.':
		year, off = lp.year, 0
		if year < 0 {
			year = lp.fallback
		}
		li.yearless = true
	case len(s) >= 24 && s[4] == '-' && s[7] == '-' && s[10] == ' ' && s[13] == ':' && s[16] == ':' && s[19] == '.':
		y, ok := digits(s[:4])
		if !ok {
			return lineInfo{}, false
		}
		year, off = y, 5
	case len(s) > 15 && s[10] == '.':
		return logcatEpoch(lp, s)
	default:
		return lineInfo{}, false
	}
	mon, ok1 := digits(s[off : off+2])
	day, ok2 := digits(s[off+3 : off+5])
	hh, ok3 := digits(s[off+6 : off+8])
	mm, ok4 := digits(s[off+9 : off+11])
	ss, ok5 := digits(s[off+12 : off+14])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || mon < 1 || mon > 12 || day < 1 || day > 31 {
		return lineInfo{}, false
	}
	j := off + 15
	k := j
	for k < len(s) && s[k] >= '0' && s[k] <= '9' {
		k++
	}
	frac := s[j:k]
	if k+1 < len(s) && s[k] == ':' && s[k+1] == ' ' {
		// Eclipse DDMS's "Save logcat" export: "01-18 21:09:47.901: I/Tag(pid): msg".
		k++
	}
	if frac == "" || k >= len(s) || s[k] != ' ' {
		return lineInfo{}, false
	}
	if len(frac) > 9 {
		frac = frac[:9]
	}
	ns, _ := digits(frac + strings.Repeat("0", 9-len(frac)))
	rest := strings.TrimLeft(s[k:], " ")
	// -v zone: "+0000" after the stamp.
	if len(rest) > 5 && (rest[0] == '+' || rest[0] == '-') && rest[5] == ' ' {
		if _, ok := digits(rest[1:5]); ok {
			rest = strings.TrimLeft(rest[5:], " ")
		}
	}
	var out lineInfo
	var ok bool
	switch {
	case len(rest) > 2 && logcatLevel(rest[0]) && rest[1] == '/':
		out, ok = logcatBrief(rest, li) // -v time
	default:
		out, ok = logcatColumns(rest, li)
	}
	if !ok {
		return lineInfo{}, false
	}
	out.t = time.Date(year, time.Month(mon), day, hh, mm, ss, ns, time.UTC)
	out.yearless = li.yearless
	if !li.yearless {
		lp.year = year
	}
	lp.zoneless = true
	return out, true
}

// logcatEpoch reads `-v epoch`'s stamp, seconds since 1970 ("%19lld",
// right-aligned, then ".mmm"): "1700000000.123  1234  1234 E Tag: msg" or,
// with -v time, "1700000000.123 E/Tag( 1234): msg". wpa_supplicant -t's
// "1700000000.123456: wlan0: ..." has a colon after the stamp and is not
// one.
func logcatEpoch(lp *lineParser, s string) (lineInfo, bool) {
	sec, ok := digits(s[:9])
	if !ok || s[9] < '0' || s[9] > '9' {
		return lineInfo{}, false
	}
	sec = sec*10 + int(s[9]-'0')
	k := 11
	for k < len(s) && s[k] >= '0' && s[k] <= '9' {
		k++
	}
	frac := s[11:k]
	if frac == "" || k >= len(s) || s[k] != ' ' {
		return lineInfo{}, false
	}
	if len(frac) > 9 {
		frac = frac[:9]
	}
	ns, _ := digits(frac + strings.Repeat("0", 9-len(frac)))
	rest := strings.TrimLeft(s[k:], " ")
	var out lineInfo
	if len(rest) > 2 && logcatLevel(rest[0]) && rest[1] == '/' {
		out, ok = logcatBrief(rest, lineInfo{})
	} else {
		out, ok = logcatColumns(rest, lineInfo{})
	}
	if !ok {
		return lineInfo{}, false
	}
	out.t = time.Unix(int64(sec), int64(ns)).UTC()
	lp.year = out.t.Year()
	return out, true
}

// logcatColumns reads threadtime's "PID TID L TAG: msg" (and -v uid's extra
// column), or Android Studio's "PID-TID/package L/TAG: msg".
func logcatColumns(s string, li lineInfo) (lineInfo, bool) {
	named := false
	for n := 0; n < 4; n++ {
		s = strings.TrimLeft(s, " ")
		if len(s) < 3 {
			return lineInfo{}, false
		}
		if n > 0 && !(named && n < 2) && logcatLevel(s[0]) {
			switch s[1] {
			case ' ':
				return logcatTag(s[2:], li)
			case '/':
				return logcatBrief(s, li)
			}
		}
		sp := strings.IndexByte(s, ' ')
		if sp < 0 {
			return lineInfo{}, false
		}
		// -v uid's column: the uid's name when it has at most 5
		// characters ("wifi", "root"), else its number (logprint.cpp's
		// "%5s"/"%5d" before the PID).
		if n == 0 && logcatUidName(s[:sp]) {
			named, s = true, s[sp:]
			continue
		}
		// Android Studio's Logcat window (Dolphin and later): "PID-TID
		// TAG PACKAGE L  msg".
		if n == 0 && logcatStudioPidTid(s[:sp]) {
			return logcatStudio(s[sp:], li)
		}
		// A column: a number, or Android Studio's "1748-1748/?".
		if s[0] < '0' || s[0] > '9' {
			return lineInfo{}, false
		}
		if _, ok := digits(s[:sp]); !ok && !strings.Contains(s[:sp], "/") {
			return lineInfo{}, false
		}
		s = s[sp:]
	}
	return lineInfo{}, false
}

// logcatTag reads "TAG     : msg" (threadtime pads the tag to 8).
func logcatTag(s string, li lineInfo) (lineInfo, bool) {
	j := strings.Index(s, ": ")
	msg := ""
	if j < 0 {
		if !strings.HasSuffix(s, ":") {
			return lineInfo{}, false
		}
		j = len(s) - 1
	} else {
		msg = s[j+2:]
	}
	tag := strings.TrimRight(s[:j], " ")
	if tag == "" || len(tag) > 128 {
		return lineInfo{}, false
	}
	li.tag, li.prog, li.msg = tag, logcatProg(tag), msg
	return li, true
}

// logcatBrief reads "L/TAG( PID): msg", or "L/TAG: msg" (Android Studio).
func logcatBrief(s string, li lineInfo) (lineInfo, bool) {
	s = s[2:]
	if j := strings.Index(s, "): "); j >= 0 || strings.HasSuffix(s, "):") {
		if j < 0 {
			j = len(s) - 2
		}
		if k := strings.LastIndexByte(s[:j], '('); k > 0 {
			if _, ok := digits(logcatBriefPid(s[k+1 : j])); ok {
				tag := strings.TrimRight(s[:k], " ")
				if tag == "" || len(tag) > 128 {
					return lineInfo{}, false
				}
				msg := ""
				if j+3 <= len(s) {
					// DDMS exports pad the message with a space.
					msg = strings.TrimLeft(s[j+3:], " ")
				}
				li.tag, li.prog, li.msg = tag, logcatProg(tag), msg
				return li, true
			}
		}
	}
	return logcatTag(s, li)
}

// logcatProcess reads `-v process`: "L( PID) msg  (TAG)" (logprint.cpp,
// android_log_formatLogLine's FORMAT_PROCESS: prefix "%c(%s%5d) ", suffix
// "  (%.*s)" with the tag; -v uid puts "NAME:" or "UID:" before the PID).
func logcatProcess(s string, li lineInfo) (lineInfo, bool) {
	j := strings.Index(s, ") ")
	if j < 3 {
		return lineInfo{}, false
	}
	if _, ok := digits(logcatBriefPid(s[2:j])); !ok {
		return lineInfo{}, false
	}
	rest := s[j+2:]
	k := strings.LastIndex(rest, "  (")
	if k < 0 || !strings.HasSuffix(rest, ")") {
		return lineInfo{}, false
	}
	tag := rest[k+3 : len(rest)-1]
	if tag == "" || len(tag) > 128 || strings.ContainsAny(tag, " ()") {
		return lineInfo{}, false
	}
	li.tag, li.prog, li.msg = tag, logcatProg(tag), rest[:k]
	return li, true
}

// logcatBriefPid is the PID in brief's and time's "( PID)", without -v
// uid's "NAME:" or "UID:" before it ("( wifi:  984)", logprint.cpp's
// "(%s%5d)" with uid "%5s:").
func logcatBriefPid(s string) string {
	s = strings.TrimLeft(s, " ")
	if c := strings.IndexByte(s, ':'); c > 0 {
		if _, ok := digits(s[:c]); ok || logcatUidName(s[:c]) {
			s = strings.TrimLeft(s[c+1:], " ")
		}
	}
	return s
}

// logcatUidName reports whether s is a uid's name as -v uid prints it: at
// most 5 lower-case letters, digits or '_', starting with a letter.
func logcatUidName(s string) bool {
	if s == "" || len(s) > 5 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// logcatProg is the program a tag names: the tag without its "[...]"
// suffix.
func logcatProg(tag string) string {
	if i := strings.IndexByte(tag, '['); i > 0 {
		return tag[:i]
	}
	return tag
}

// digits parses a run of ASCII digits (no sign), at most 9.
func digits(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// androidTags are the tags whose lines are read here (the program, that is
// the tag without "[...]"). A line under one of them that says nothing is
// dropped, so that no other recognizer reads the framework's prose
// ("Associated with ...") as its own.
var androidTags = map[string]bool{
	"WifiStateMachine": true, "ClientModeImpl": true, "WifiClientModeImpl": true,
	"SupplicantStaIfaceHal": true, "SupplicantStaIfaceHalAidlImpl": true, "SupplicantStaIfaceHalHidlImpl": true,
	"WifiConnectivityManager": true, "WifiScanningService": true, "WifiScanner": true,
	"WifiScanRequestProxy": true, "WificondScannerImpl": true, "WifiNative": true,
	"WifiConfigManager": true, "WifiBlocklistMonitor": true, "WificondControl": true, "wificond": true,
	"WifiService": true, "WifiServiceImpl": true, "NetworkMonitor": true, "DhcpClient": true,
	"IpClient": true, "WifiManager": true, "WifiMonitor": true, "SupplicantStateTracker": true,
	"WifiStateTracker": true, "SupplicantWifiScannerImpl": true,
}

var (
	reAndAssocRej     = regexp.MustCompile(`Association rejection\s+ssid:\s*(.*?)\s+bssid:\s*(\S+)\s+statusCode:\s*(\d+)(?:\s+timedOut:\s*(true|false))?`)
	reAndAuthFail     = regexp.MustCompile(`Authentication failure\s+reason=(-?\d+)(?:\s+error=(-?\d+))?`)
	reAndNotFound     = regexp.MustCompile(`Network not found event received: network: (.*)$`)
	reAndDisconn      = regexp.MustCompile(`Network disconnection\s+ssid:\s*(.*?)\s+bssid:\s*(\S+)\s+reasonCode:\s*(\d+)\s+locallyGenerated:\s*(true|false)`)
	reAndSelStatus    = regexp.MustCompile(`networkStatus=(NETWORK_SELECTION_\w+)\s+disableReason=(NETWORK_SELECTION_\w+)`)
	reAndDisCount     = regexp.MustCompile(`Disable counter for network (.*) for reason (NETWORK_SELECTION_\w+) is \d+`)
	reAndDisCount7    = regexp.MustCompile(`Network:(.*?)disable counter of (NETWORK_SELECTION_\w+)\s*is: \d+`)
	reAndStartConn    = regexp.MustCompile(`CMD_START_CONNECT\s+my state \S+ nid=(\d+)`)
	reAndConnNet      = regexp.MustCompile(`connectToNetwork\s+"(.*)"`)
	reAndUserSel      = regexp.MustCompile(`connectToUserSelectNetwork netId (\d+)`)
	reAndCode         = regexp.MustCompile(`(?:status:|error code:|errorCode:|reason:)\s*(-?\d+)`)
	reAndWifiOn       = regexp.MustCompile(`setWifiEnabled(?:: (true|false) pid=| package=\S+ uid=\d+ enable=(true|false))`)
	reAndIPv4Addr     = regexp.MustCompile(`IP address ([0-9.]+)`)
	reAndAssocRejInfo = regexp.MustCompile(`ssid:\s*(.*?)\s+bssid:\s*(\S+)\s+statusCode:\s*(\d+)(?:\s+timedOut:\s*(true|false))?`)
	reAndAuthFailEv   = regexp.MustCompile(`^\s*\w+State !?(?:\(-?\d+\))?AUTHENTICATION_FAILURE_EVENT(?: uid=\d+)? rt=\S+ (-?\d+) (-?\d+)`)
	reAndIPLost       = regexp.MustCompile(`^\s*\w+State !?(?:\(-?\d+\))?CMD_IP_CONFIGURATION_LOST\b`)
	reAndAssocRejEv   = regexp.MustCompile(`ASSOCIATION_REJECTION_EVENT\b.*?\btimedOut=(\d+) (\d+)(?: ([0-9A-Fa-f:]{17}))?`)
)

// androidDisable maps WifiConfiguration.NetworkSelectionStatus's disable
// reasons, by the names AOSP logs (DisableReasonInfo's mReasonStr,
// framework/java/android/net/wifi/WifiConfiguration.java,
// https://developer.android.com/reference/android/net/wifi/WifiConfiguration.NetworkSelectionStatus),
// to an event. Reasons that only repeat what the line before said (an
// association rejection's status code is on the rejection's own line) are
// notes.
func androidDisable(e *diagnostics.Event, reason string) {
	reason = strings.TrimSpace(reason)
	name := strings.TrimPrefix(reason, "NETWORK_SELECTION_")
	e.Name = strings.ToLower(strings.ReplaceAll(name, "_", "-"))
	switch name {
	case "DISABLED_BY_WRONG_PASSWORD":
		// Set only by ClientModeImpl.isPermanentWrongPasswordFailure: a
		// 4-way handshake or SAE failure on a network that never
		// connected, which the platform itself calls a wrong password.
		e.Kind = diagnostics.KindPskMismatch
	case "DISABLED_DHCP_FAILURE":
		e.Kind, e.OK = diagnostics.KindDHCP, diagnostics.Bool(false)
	case "DISABLED_NETWORK_NOT_FOUND":
		// ClientModeImpl sets it after wpa_supplicant's NETWORK_NOT_FOUND
		// events, each sent after a scan of its own that did not find the
		// network.
		e.Kind = diagnostics.KindScanVerdict
		e.Name = "absent"
	default:
		// ASSOCIATION_REJECTION, AUTHENTICATION_FAILURE, NO_INTERNET_*,
		// AUTHENTICATION_NO_CREDENTIALS, BY_WIFI_MANAGER,
		// AUTHENTICATION_NO_SUBSCRIPTION, AUTHENTICATION_PRIVATE_EAP_ERROR,
		// CONSECUTIVE_FAILURES, TRANSITION_DISABLE_INDICATION,
		// UNWANTED_LOW_RSSI, ENABLE: the cause is in the lines before.
		e.Kind = diagnostics.KindNote
	}
}

// androidScanReason maps a WifiScanner REASON_* code
// (https://developer.android.com/reference/android/net/wifi/WifiScanner,
// framework/java/android/net/wifi/WifiScanner.java) to a scan event.
func androidScanReason(e *diagnostics.Event, code int) {
	e.Code = code
	switch code {
	case -6: // REASON_BUSY: "Scan failed - Device or resource busy"
		e.Kind, e.Name = diagnostics.KindScanBusy, "EBUSY"
	case -7: // REASON_ABORT
		e.Kind = diagnostics.KindScanAborted
	default: // -1 UNSPECIFIED, -8 NO_DEVICE, -9 INVALID_ARGS, -10 TIMEOUT, ...
		e.Kind, e.OK = diagnostics.KindScanDone, diagnostics.Bool(false)
		e.Name = map[int]string{-1: "REASON_UNSPECIFIED", -8: "REASON_NO_DEVICE", -9: "REASON_INVALID_ARGS", -10: "REASON_TIMEOUT"}[code]
	}
}

func parseAndroid(m *message) (parsed, match) {
	var p parsed
	e := &p.ev
	msg := m.msg
	if r, ok := androidDhcpUtils(m, &p); ok {
		return p, r
	}
	if strings.Contains(msg, "addToBlocklist: bssid=") && (m.tag == "" || androidTags[m.prog] || m.prog == "BssidBlocklistMonitor") {
		return androidBlocklist(m, p)
	}
	if m.prog == androidLogRecProg {
		return androidLogRec(m)
	}
	if m.tag == "" {
		// WifiConfigManager's and WifiBlocklistMonitor's LocalLog, as
		// `adb shell dumpsys wifi` prints it (no logcat envelope).
		if !strings.Contains(msg, "NETWORK_SELECTION_DISABLED_") {
			return p, pass
		}
		return androidSelection(m, p)
	}
	prog := m.prog
	if _, ipc := androidIpClientTag(prog); !androidTags[prog] && !androidBringUpTags[prog] && !androidManagerTags[prog] && !androidLegacyTags[prog] && !androidHALService(prog) && !ipc && prog != "WifiUtils" && prog != "wpa_supplicant" {
		return p, pass
	}
	e.Source = diagnostics.SourceAndroid
	if prog == "wpa_supplicant" {
		// Its lines are wpa_supplicant's recognizers', but for the few
		// androidLegacy reads.
		e.Source = diagnostics.SourceSupplicant
	}
	if i := strings.LastIndexByte(m.tag, ':'); i > 0 && strings.HasSuffix(m.tag, "]") {
		e.Iface = m.tag[i+1 : len(m.tag)-1]
	} else if i := strings.IndexByte(m.tag, '['); i > 0 && strings.HasSuffix(m.tag, "]") {
		e.Iface = m.tag[i+1 : len(m.tag)-1]
	}
	if r, ok := androidBringUp(m, &p); ok {
		return p, r
	}
	if r, ok := androidLegacy(m, &p); ok {
		return p, r
	}
	switch prog {
	case "WifiMonitor", "SupplicantStateTracker", "WifiStateTracker":
		// WifiMonitor echoes wpa_supplicant's events ("Event
		// [CTRL-EVENT-STATE-CHANGE ...]", Android 2-4): wpa_supplicant's
		// own line is read, the echo would count it twice. The echo of
		// an authentication or association timeout is read: Android 2's
		// wpa_supplicant logs it (wpa_supplicant.c wpa_supplicant_timeout,
		// "Authentication with %s timed out.") where logcat often lost
		// it, and the same timeout read twice is the same verdict.
		if prog == "WifiMonitor" {
			if g := reAndMonitorTO.FindStringSubmatch(msg); g != nil {
				e.Kind, e.BSSID = diagnostics.KindAuthTimeout, normBSSID(g[2])
				if g[1] == "Association" {
					e.Kind = diagnostics.KindAssocTimeout
				}
				return p, take
			}
		}
		return p, drop
	case "WifiNative", "WifiStateMachine":
		// The station interface could not be brought up: WifiNative's
		// setupInterfaceForClientMode (Android 8 and later) and Android
		// 4's WifiStateMachine. The driver or vendor HAL failing is the
		// device; wpa_supplicant failing to start or take the interface
		// is the backend. Wi-Fi then does not switch on at all.
		if k, name, ok := androidIfaceSetup(msg); ok {
			e.Kind, e.OK, e.Name = k, diagnostics.Bool(false), name
			return p, take
		}
	case "wificond", "WificondControl":
		return androidWificond(m, p)
	}
	switch prog {
	case "WificondScannerImpl", "SupplicantWifiScannerImpl", "WifiNative", "WifiScanRequestProxy", "WifiConnectivityManager", "WifiScanningService", "WifiScanner", "WifiNetworkFactory":
		if r, ok := androidScan(m, &p); ok {
			return p, r
		}
	}
	switch {
	case strings.Contains(msg, "Association rejection"):
		g := reAndAssocRej.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		e.SSID, e.BSSID = cleanSSID(strings.Trim(g[1], `"`)), normBSSID(g[2])
		e.Code, _ = strconv.Atoi(g[3])
		e.Kind = diagnostics.KindAssocStatus
		if g[4] == "true" {
			// wpa_supplicant reports an association that got no
			// answer as a rejection with status 1 and timed_out set
			// (AssocRejectEventInfo.timedOut).
			e.Kind, e.Code = diagnostics.KindAssocTimeout, 0
		}
	case strings.Contains(msg, "CMD_IP_CONFIGURATION_LOST"):
		// Verbose logStateAndMessage (" L2ConnectedState
		// !CMD_IP_CONFIGURATION_LOST rt=..."): IpClient's
		// onProvisioningFailure reached ClientModeImpl (WifiStateMachine
		// before Android 10), which reports the attempt's end as
		// FAILURE_DHCP and disconnects.
		if !reAndIPLost.MatchString(msg) {
			return p, drop
		}
		e.Kind, e.OK, e.Name = diagnostics.KindDHCP, diagnostics.Bool(false), "IP configuration lost"
	case strings.Contains(msg, "ASSOCIATION_REJECTION_EVENT"):
		// Android 8-10 with verbose logging: logStateAndMessage's
		// " ConnectModeState !ASSOCIATION_REJECTION_EVENT rt=U/E
		// timedOut=T STATUS BSSID blacklist=B" (WifiStateMachine,
		// ClientModeImpl getLogRecString).
		g := reAndAssocRejEv.FindStringSubmatch(msg)
		if g == nil {
			// Android 12 and later append AssocRejectEventInfo's
			// toString (" ssid: S bssid: B statusCode: N timedOut: T
			// ..."), the words of "Association rejection" above.
			if g = reAndAssocRejInfo.FindStringSubmatch(msg); g == nil {
				return p, drop
			}
			e.SSID, e.BSSID = cleanSSID(strings.Trim(g[1], `"`)), normBSSID(g[2])
			e.Code, _ = strconv.Atoi(g[3])
			e.Kind = diagnostics.KindAssocStatus
			if g[4] == "true" {
				e.Kind, e.Code = diagnostics.KindAssocTimeout, 0
			}
			break
		}
		e.Kind, e.BSSID = diagnostics.KindAssocStatus, normBSSID(g[3])
		e.Code, _ = strconv.Atoi(g[2])
		if g[1] == "1" {
			e.Kind, e.Code = diagnostics.KindAssocTimeout, 0
		}
	case strings.Contains(msg, "Authentication failure"):
		g := reAndAuthFail.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		androidAuthFailure(e, g[1], g[2])
	case strings.Contains(msg, "AUTHENTICATION_FAILURE_EVENT"):
		// Verbose logStateAndMessage: " L2ConnectingState
		// !AUTHENTICATION_FAILURE_EVENT rt=U/E REASON ERROR"
		// (getLogRecString's default arg1 arg2; WifiMonitor's
		// broadcastAuthenticationFailureEvent sends the reason and the
		// error code as those), Android 8-12. Later releases send an
		// AuthenticationFailureEventInfo instead and print "0 0", which
		// reads as ERROR_AUTH_FAILURE_NONE: a note.
		g := reAndAuthFailEv.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		if g[1] == "0" && (g[2] == "1" || g[2] == "2" || g[2] == "3") {
			// Android 8.0-8.1's WifiMonitor sends (0, REASON)
			// (broadcastAuthenticationFailureEvent(iface, reason)); 9
			// and later send (REASON, ERROR), ERROR an EAP error code
			// or -1, never 1-3 with reason NONE.
			g[1], g[2] = g[2], "-1"
		}
		androidAuthFailure(e, g[1], g[2])
	case strings.Contains(msg, "Network not found event received"):
		g := reAndNotFound.FindStringSubmatch(msg)
		if g == nil {
			return p, drop // ", network: X which is not the target network"
		}
		e.Kind, e.Name, e.SSID = diagnostics.KindScanVerdict, "absent", cleanSSID(strings.Trim(g[1], `"`))
	case strings.Contains(msg, "Network disconnection"):
		g := reAndDisconn.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		e.Kind, e.SSID, e.BSSID = diagnostics.KindDisconnect, cleanSSID(strings.Trim(g[1], `"`)), normBSSID(g[2])
		e.Code, _ = strconv.Atoi(g[3])
		if g[4] == "true" {
			e.Code = -e.Code
		}
	case strings.Contains(msg, "NETWORK_SELECTION_DISABLED_"):
		return androidSelection(m, p)
	case strings.HasPrefix(msg, "CMD_START_CONNECT Failed to start connection to network"):
		// ClientModeImpl.connectToNetwork: WifiNative.connectToNetwork
		// returned false (SupplicantStaIfaceHal could not add, save or
		// select the network; its own "Failed to ..." line comes first)
		// and the attempt ends as FAILURE_CONNECT_NETWORK_FAILED
		// (reportConnectionAttemptEnd). wpa_supplicant refused the
		// request itself, for a reason the line does not give (a
		// setting it rejects, or its HAL gone): the attempt ends, cause
		// not stated.
		e.Kind, e.Name, p.role = diagnostics.KindNote, "connect request not accepted by wpa_supplicant", roleTerminal
	case strings.Contains(msg, "CMD_START_CONNECT"):
		g := reAndStartConn.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		e.Kind, e.Name, p.role = diagnostics.KindActivationStart, "netId "+g[1], roleStartRequest
	case strings.Contains(msg, "connectToUserSelectNetwork"):
		g := reAndUserSel.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		e.Kind, e.Name, p.role = diagnostics.KindActivationStart, "netId "+g[1], roleStartRequest
	case strings.Contains(msg, "connectToNetwork"):
		g := reAndConnNet.FindStringSubmatch(msg)
		if g == nil || !strings.HasPrefix(prog, "SupplicantStaIfaceHal") {
			return p, drop
		}
		ssid := cleanSSID(g[1])
		e.Kind, e.Name, e.SSID, p.role = diagnostics.KindActivationStart, ssid, ssid, roleStartRequest
	case strings.Contains(msg, "handleIPv4Failure") || strings.HasPrefix(msg, "DHCP failure"):
		e.Kind, e.OK = diagnostics.KindDHCP, diagnostics.Bool(false)
	case strings.Contains(msg, "handleIPv4Success"):
		e.Kind, e.OK = diagnostics.KindDHCP, diagnostics.Bool(true)
		if g := reAndIPv4Addr.FindStringSubmatch(msg); g != nil {
			e.Name = g[1]
		}
	case strings.Contains(msg, "setWifiEnabled in Airplane mode: only Settings can"):
		// WifiServiceImpl.setWifiEnabled refuses an app that is not
		// Settings while airplane mode is on ("... can enable wifi",
		// Android 8-9; "... can toggle wifi", 10 and later) and returns
		// false: Wi-Fi stays off.
		e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "airplane-mode"
	case strings.Contains(msg, "setWifiEnabled"):
		g := reAndWifiOn.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		e.Kind = diagnostics.KindRadio
		if g[1]+g[2] == "false" {
			e.OK, e.Name = diagnostics.Bool(false), "wifi-disabled"
		} else {
			e.OK = diagnostics.Bool(true)
		}
	default:
		return p, drop
	}
	return p, take
}

// androidAuthFailure maps an authentication failure's reason, WifiManager's
// ERROR_AUTH_FAILURE_* code
// (https://developer.android.com/reference/android/net/wifi/WifiManager#ERROR_AUTH_FAILURE_WRONG_PSWD),
// and error code to an event.
func androidAuthFailure(e *diagnostics.Event, reason, errCode string) {
	code, _ := strconv.Atoi(reason)
	switch code {
	case 1: // ERROR_AUTH_FAILURE_TIMEOUT
		e.Kind = diagnostics.KindAuthTimeout
	case 2: // ERROR_AUTH_FAILURE_WRONG_PSWD
		e.Kind = diagnostics.KindPskMismatch
	case 3: // ERROR_AUTH_FAILURE_EAP_FAILURE
		e.Kind, e.Name = diagnostics.KindNote, "eap-failure error="+errCode
	default: // 0 ERROR_AUTH_FAILURE_NONE
		e.Kind, e.Name = diagnostics.KindNote, "authentication failure reason="+reason
	}
}

// androidSelection reads a network selection status change or a disable
// counter: the disable reason is the event; a network disabled for good
// ends the attempt, since the platform will not try it again by itself.
func androidSelection(m *message, p parsed) (parsed, match) {
	e := &p.ev
	e.Source = diagnostics.SourceAndroid
	if g := reAndSelStatus.FindStringSubmatch(m.msg); g != nil {
		androidDisable(e, g[2])
		if g[1] == "NETWORK_SELECTION_PERMANENTLY_DISABLED" {
			p.role = roleTerminal
		}
		return p, take
	}
	if g := reAndDisCount.FindStringSubmatch(m.msg); g != nil {
		androidDisable(e, g[2])
		e.SSID = cleanSSID(strings.Trim(g[1], `"`))
		return p, take
	}
	if g := reAndDisCount7.FindStringSubmatch(m.msg); g != nil {
		// Android 7's WifiConfigManager.updateNetworkSelectionStatus
		// local log: "Network:" + SSID + "disable counter of " + REASON +
		// " is: " + N + "and threshold is: " + T (no blanks between).
		androidDisable(e, g[2])
		e.SSID = cleanSSID(strings.Trim(g[1], `"`))
		return p, take
	}
	if m.tag == "" {
		return p, pass
	}
	return p, drop
}

// androidWificond reads wificond's scan trigger results
// (scanning/scan_utils.cpp and scanner_impl.cpp in
// https://android.googlesource.com/platform/system/connectivity/wificond/).
func androidWificond(m *message, p parsed) (parsed, match) {
	e := &p.ev
	msg := m.msg
	switch {
	case strings.Contains(msg, "TRIGGER_SCAN failed"):
		// "NL80211_CMD_TRIGGER_SCAN failed: " << strerror(error_code).
		if _, why, ok := strings.Cut(msg, "failed: "); ok {
			why = strings.TrimSpace(why)
			switch why {
			case "Device or resource busy":
				e.Kind, e.Name, e.Code = diagnostics.KindScanBusy, "EBUSY", -16
			case "Try again", "Resource temporarily unavailable":
				// EAGAIN in bionic's words (bionic_errdefs.h; glibc's
				// for the second): the driver refused the trigger
				// because a scan or a connection of its own is under
				// way (bcmdhd's is_scan_allowed, "Scanning already",
				// rec_android_bcmdhd.go; brcmfmac's
				// brcmf_cfg80211_scan), read as wpa_supplicant's
				// "CTRL-EVENT-SCAN-FAILED ret=-11" is.
				e.Kind, e.Name, e.Code = diagnostics.KindScanBusy, "EAGAIN", -11
			default:
				e.Kind, e.OK, e.Name = diagnostics.KindScanDone, diagnostics.Bool(false), why
			}
			break
		}
		fallthrough
	case strings.Contains(msg, "Failed to trigger scan"):
		// Older wificond logs the refusal without its errno
		// (SendMessageAndGetAck drops it). The kernel refuses a trigger
		// with EBUSY while a scan or a connection is in progress
		// (nl80211_trigger_scan, net/wireless/nl80211.c), which is what
		// a refused trigger is on a running phone.
		e.Kind, e.Name = diagnostics.KindScanBusy, "refused"
	case strings.Contains(msg, "Scan aborted"):
		e.Kind = diagnostics.KindScanAborted
	case m.prog == "WificondControl" && strings.HasPrefix(msg, "Scan result ready event"):
		// Android 8-10's WificondControl.ScanEventHandler relays
		// wificond's scan events (WifiNative logs them from 11 on):
		// OnScanResultReady, a completed scan, and OnScanFailed, which
		// wificond sends for a scan the kernel aborted, read as
		// WifiNative's "Scan failed event" is. Its "Pno Scan failed
		// event" is a background scan's and is dropped.
		e.Kind, e.OK = diagnostics.KindScanDone, diagnostics.Bool(true)
	case m.prog == "WificondControl" && msg == "Scan failed event":
		e.Kind = diagnostics.KindScanAborted
	default:
		return p, drop
	}
	return p, take
}

// androidDhcpUtils reads libnetutils' dhcp_do_request errors
// (system/core/libnetutils/dhcp_utils.c, Android 2.x-4.x), which the
// framework logs under its own tags ("DHCP request failed: ...",
// "DHCP request error:...") and which people paste without an envelope:
// dhcpcd did not start, or gave no result in time. No lease was obtained.
// Vendors that retry log "..., try N" first; only the final error counts.
func androidDhcpUtils(m *message, p *parsed) (match, bool) {
	msg := m.msg
	if !strings.Contains(msg, "Timed out waiting for dhcpcd to start") && !strings.Contains(msg, "Timed out waiting for DHCP to finish") {
		return pass, false
	}
	if strings.Contains(msg, ", try ") {
		return drop, true
	}
	e := &p.ev
	e.Source, e.Kind, e.OK = diagnostics.SourceAndroid, diagnostics.KindDHCP, diagnostics.Bool(false)
	e.Name = "dhcpcd did not start"
	if strings.Contains(msg, "DHCP to finish") {
		e.Name = "no DHCP result"
	}
	return take, true
}

// androidScan reads the framework's scan outcomes; false when the line is
// not one of them.
var reAndMonitorTO = regexp.MustCompile(`^Event \[(Authentication|Association) with (\S+) timed out\.?\]`)

// androidIfaceSetup maps the messages of a station interface that could not
// be set up (AOSP WifiNative.setupInterfaceForClientMode: "Failed to start
// Hal", "Failed to create STA iface in vendor HAL", "Failed to setup iface
// in wificond on ...", "Failed to start supplicant", "Failed to setup iface
// in supplicant on ..."; Android 4 WifiStateMachine: "Failed to load
// driver!", "Failed to start supplicant!").
func androidIfaceSetup(msg string) (diagnostics.Kind, string, bool) {
	switch {
	case strings.HasPrefix(msg, "Failed to start Hal"), strings.HasPrefix(msg, "Failed to create STA iface in vendor HAL"),
		strings.HasPrefix(msg, "Failed to setup iface in wificond on"), strings.HasPrefix(msg, "Failed to load driver"):
		return diagnostics.KindDevice, "station interface setup failed", true
	case strings.HasPrefix(msg, "Failed to start supplicant"), strings.HasPrefix(msg, "Failed to setup iface in supplicant on"):
		return diagnostics.KindBackend, "wpa_supplicant", true
	}
	return "", "", false
}

func androidScan(m *message, p *parsed) (match, bool) {
	e := &p.ev
	msg := m.msg
	switch {
	case strings.HasPrefix(msg, "Pno ") || strings.HasPrefix(msg, "PnoScanListener"):
		// PNO scans are the offloaded background scans of a screen-off
		// phone, not one a join waits for: WifiNative's
		// PnoScanEventCallback ("Pno Scan failed event", "Pno scan
		// result event") and WifiConnectivityManager's PnoScanListener
		// ("PnoScanListener onFailure: reason: N ..."). Their failures
		// are routine and refuse nothing.
		return drop, true
	case strings.HasPrefix(msg, "Scan request from ") && strings.HasSuffix(msg, " throttled"):
		// WifiScanRequestProxy.startScan (Android 9 and later) refuses
		// an app's scan beyond its quota (4 per 2 minutes in the
		// foreground, 1 per 30 minutes in the background): it starts no
		// scan, broadcasts SCAN_RESULTS with EXTRA_RESULTS_UPDATED false
		// and returns false, so the app gets the last cached results. The
		// stack would not scan: a refused scan, like EBUSY.
		e.Kind, e.Name = diagnostics.KindScanBusy, "throttled"
	case strings.HasPrefix(msg, "Timed out waiting for scan result from wificond"):
		// WificondScannerImpl.handleScanTimeout: the scan was triggered
		// but its results never came (reportScanFailure(REASON_TIMEOUT),
		// "Device didn't respond back with scan results" in
		// WifiScanner): a scan that did not complete.
		androidScanReason(e, -10)
	case strings.Contains(msg, "Scan result ready event"):
		// WifiNative's ScanEventCallback: wificond's scan completed.
		e.Kind, e.OK = diagnostics.KindScanDone, diagnostics.Bool(true)
	case strings.Contains(msg, "Failed to start scan because there is no available channel"):
		e.Kind, e.OK, e.Name = diagnostics.KindScanDone, diagnostics.Bool(false), "no channel"
	case strings.Contains(msg, "Failed to start scan") && (m.prog == "WificondScannerImpl" || m.prog == "SupplicantWifiScannerImpl"),
		strings.Contains(msg, "Scan failed"),
		strings.Contains(msg, "Scan failure received"),
		strings.Contains(msg, "onFailure") && strings.Contains(msg, "reason:"):
		if g := reAndCode.FindStringSubmatch(msg); g != nil {
			c, _ := strconv.Atoi(g[1])
			androidScanReason(e, c)
			break
		}
		switch {
		case strings.Contains(msg, "Scan failed event"):
			// WifiNative.onScanFailed() without a code: wificond calls it
			// for a scan the kernel aborted (ScannerImpl::OnScanResultsReady,
			// after its own "Scan aborted").
			e.Kind = diagnostics.KindScanAborted
		case strings.Contains(msg, "Failed to start scan"):
			// Before Android 14 WifiNative.scan returned a boolean: the
			// refusal is wificond's failed trigger, logged there with its
			// reason, which decides; this line only says the scan failed.
			e.Kind, e.OK, e.Name = diagnostics.KindScanDone, diagnostics.Bool(false), "start failed"
		default:
			e.Kind, e.OK = diagnostics.KindScanDone, diagnostics.Bool(false)
		}
	default:
		return pass, false
	}
	return take, true
}
