package logparse

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Serial consoles of embedded Wi-Fi stations: ESP-IDF (and MicroPython on
// ESP32, which logs through it), Arduino-ESP32, ESPHome and the ESP8266
// NONOS SDK. docs/logformats/embedded.md describes the lines and the
// mapping. All four report one number for every failed join, the
// WIFI_EVENT_STA_DISCONNECTED reason (wifi_err_reason_t in
// components/esp_wifi/include/esp_wifi_types_generic.h): the 802.11 reason
// codes 1-68 and Espressif's own 200-212. espReasonEvent maps it.

var (
	// ESP-IDF's esp_log: "I (1234) tag: message", the time in
	// milliseconds since boot or, with CONFIG_LOG_TIMESTAMP_SOURCE_SYSTEM,
	// "(12:34:56.789)".
	reESPIDFLine = regexp.MustCompile(`^([EWIDV]) \(([0-9:.]+)\) ([^:]{1,40}):\s?(.*)$`)
	// Arduino-ESP32's log_x: "[  1234][W][WiFiGeneric.cpp:950] _eventCallback(): msg",
	// before 2.0 without the "[  1234]".
	reArduinoLine = regexp.MustCompile(`^(?:\[\d\d:\d\d:\d\d(?:\.\d+)?\])?(?:\[ *\d+\])?\[([EWIDV])\]\[([A-Za-z0-9_.-]+\.(?:cpp|c|h|hpp|ino)):\d+\] ([A-Za-z0-9_:~]+)\(\): ?(.*)$`)
	// ESPHome's logger: "[20:48:09][W][wifi_esp32:458]: msg" (the
	// "[HH:MM:SS]" is the esphome CLI's), tab-indented messages included.
	reESPHomeLine = regexp.MustCompile(`^(?:\[\d\d:\d\d:\d\d(?:\.\d+)?\])?\[([EWIDVC]|VV)\]\[([a-z0-9_.-]+)(?::\d+)?\]: ?\s*(.*)$`)

	reESPState     = regexp.MustCompile(`^state: ?(\w+) -> (\w+) \(([0-9a-fx]+)\)`)
	reESPConnected = regexp.MustCompile(`^connected with (.+?), (?:aid|channel)`)
	reESPStaIP     = regexp.MustCompile(`sta ip: (\d+\.\d+\.\d+\.\d+)`)
	reESPReason    = regexp.MustCompile(`(?i)disconn\w*\b.*?\breason\s*[:=]?\s*(\d{1,3})\b`)
	reExConnecting = regexp.MustCompile(`^Connecting to (.+?)\.\.\.`)

	reArdReason = regexp.MustCompile(`^Reason: (\d+)(?: - (\w+))?`)
	reArdEvent  = regexp.MustCompile(`Event: (\d+) - (\w+)`)

	reEHDisconn    = regexp.MustCompile(`Disconnected ssid='(.*?)'.*reason='([^']+)'`)
	reEHConnecting = regexp.MustCompile(`WiFi Connecting to '(.*)'`)

	re8266NotFound  = regexp.MustCompile(`^no "?(.+?)"? found, reconnect after \d+s$`)
	re8266FScandone = regexp.MustCompile(`^f -?\d+, scandone$`)
	re8266State     = regexp.MustCompile(`^state: (\d) -> (\d) \(([0-9a-f]+)\)$`)
	re8266Conn      = regexp.MustCompile(`^connected with (.+), channel \d+$`)
	re8266IP        = regexp.MustCompile(`^ip:([^,\s]+),mask:`) // "<ip>" when redacted
	re8266Reason    = regexp.MustCompile(`^disconnect from ssid "?(.*?)"?, reason (\d+)$`)
	re8266Evt       = regexp.MustCompile(`^wifi evt: (\d+)$`)
)

// espStates maps the Wi-Fi library's station states (ESP-IDF's names,
// the ESP8266 SDK's numbers 0 init, 2 auth, 3 assoc, 5 run) to
// wpa_supplicant's. "run" is entered when the association response
// arrives and the 4-way handshake runs in it: the ESP-IDF driver's debug
// output has "state: assoc -> run (10)" then "start 10s connect timer for
// 4 way handshake" (https://github.com/espressif/esp-at/issues/200), and
// WIFI_EVENT_STA_CONNECTED ("connected with ...") comes after message 4/4
// (ESP-IDF Wi-Fi guide, "Four-way Handshake Phase", s4.7).
var espStates = map[string]string{
	"init": "disconnected", "auth": "authenticating", "assoc": "associating", "run": "4way_handshake",
	"0": "disconnected", "2": "authenticating", "3": "associating", "5": "4way_handshake",
}

// espReasonNames are wifi_err_reason_t's names without WIFI_REASON_
// (esp_wifi_types_generic.h; Arduino-ESP32 prints the same names).
var espReasonNames = map[int]string{
	1: "UNSPECIFIED", 2: "AUTH_EXPIRE", 3: "AUTH_LEAVE", 4: "ASSOC_EXPIRE", 5: "ASSOC_TOOMANY",
	6: "NOT_AUTHED", 7: "NOT_ASSOCED", 8: "ASSOC_LEAVE", 9: "ASSOC_NOT_AUTHED", 10: "DISASSOC_PWRCAP_BAD",
	11: "DISASSOC_SUPCHAN_BAD", 12: "BSS_TRANSITION_DISASSOC", 13: "IE_INVALID", 14: "MIC_FAILURE",
	15: "4WAY_HANDSHAKE_TIMEOUT", 16: "GROUP_KEY_UPDATE_TIMEOUT", 17: "IE_IN_4WAY_DIFFERS",
	18: "GROUP_CIPHER_INVALID", 19: "PAIRWISE_CIPHER_INVALID", 20: "AKMP_INVALID", 21: "UNSUPP_RSN_IE_VERSION",
	22: "INVALID_RSN_IE_CAP", 23: "802_1X_AUTH_FAILED", 24: "CIPHER_SUITE_REJECTED", 25: "TDLS_PEER_UNREACHABLE",
	26: "TDLS_UNSPECIFIED", 27: "SSP_REQUESTED_DISASSOC", 28: "NO_SSP_ROAMING_AGREEMENT", 29: "BAD_CIPHER_OR_AKM",
	30: "NOT_AUTHORIZED_THIS_LOCATION", 31: "SERVICE_CHANGE_PERCLUDES_TS", 32: "UNSPECIFIED_QOS",
	33: "NOT_ENOUGH_BANDWIDTH", 34: "MISSING_ACKS", 35: "EXCEEDED_TXOP", 36: "STA_LEAVING", 37: "END_BA",
	38: "UNKNOWN_BA", 39: "TIMEOUT", 46: "PEER_INITIATED", 47: "AP_INITIATED", 48: "INVALID_FT_ACTION_FRAME_COUNT",
	49: "INVALID_PMKID", 50: "INVALID_MDE", 51: "INVALID_FTE", 67: "TRANSMISSION_LINK_ESTABLISH_FAILED",
	68:  "ALTERATIVE_CHANNEL_OCCUPIED",
	200: "BEACON_TIMEOUT", 201: "NO_AP_FOUND", 202: "AUTH_FAIL", 203: "ASSOC_FAIL", 204: "HANDSHAKE_TIMEOUT",
	205: "CONNECTION_FAIL", 206: "AP_TSF_RESET", 207: "ROAMING", 208: "ASSOC_COMEBACK_TIME_TOO_LONG",
	209: "SA_QUERY_TIMEOUT", 210: "NO_AP_FOUND_W_COMPATIBLE_SECURITY", 211: "NO_AP_FOUND_IN_AUTHMODE_THRESHOLD",
	212: "NO_AP_FOUND_IN_RSSI_THRESHOLD",
}

// espReasonEvent maps one station disconnection reason to an event. The
// source for every row is the ESP-IDF Wi-Fi guide's "Wi-Fi Reason Code"
// table, which says for each code when an ESP station reports it
// (https://docs.espressif.com/projects/esp-idf/en/latest/esp32/api-guides/wifi.html#wi-fi-reason-code,
// docs/en/api-guides/wifi.rst in espressif/esp-idf).
func espReasonEvent(code int) diagnostics.Event {
	e := diagnostics.Event{Source: diagnostics.SourceEmbedded, Name: espReasonNames[code]}
	if e.Name == "" {
		e.Name = "reason " + strconv.Itoa(code)
	}
	switch code {
	case 201, 211, 212:
		// The connect scan is a scan for the configured SSID on all
		// channels (guide, "Scan in Wi-Fi Connect": the same as "Scan
		// for Specific AP on All Channels", whose fast scan stops only
		// when the AP is found); NO_AP_FOUND is reported when it did
		// not find it ("Scan Phase", s1.2). So one 201 follows a
		// completed scan of every channel: the platform's own verdict.
		// 211 and 212 say the SSID was seen but filtered out by the
		// configured authmode or RSSI threshold: absent for this
		// station's configuration.
		e.Kind, e.Code = diagnostics.KindScanVerdict, code
		e.Name = "absent"
		switch code {
		case 201:
			e.Message = "NO_AP_FOUND: the station's connect scan of all channels did not find the SSID"
		case 211:
			e.Message = "NO_AP_FOUND_IN_AUTHMODE_THRESHOLD: seen, but below the configured authmode threshold"
		case 212:
			e.Message = "NO_AP_FOUND_IN_RSSI_THRESHOLD: seen, but below the configured RSSI threshold"
		}
	case 15, 204, 210:
		// The guide's table "Wi-Fi Reason code related to wrong
		// password" lists 15 ("Setting wrong password when STA
		// connecting to an encrypted AP"), 204 (its ESP-specific
		// replacement, "for legacy reasons") and the scenarios now
		// reported as 210 (a password set for an open AP, none for a
		// secured one). An AP that fails message 2/4's MIC stays
		// silent, so the station's handshake timer expires (s4.4).
		// A weak link can time the handshake out too (the guide lists
		// 204 under low RSSI as well): that case is not told apart.
		e.Kind, e.Code = diagnostics.KindPskMismatch, code
	case 2:
		// "reported when auth is timed out" (or received from the AP).
		e.Kind = diagnostics.KindAuthTimeout
	case 4:
		// The association timer's expiry ("Association Phase", s3.2).
		e.Kind = diagnostics.KindAssocTimeout
	case 202, 205:
		// AUTH_FAIL: "the authentication fails, but not because of a
		// timeout" (the AP refused it: 802.11 status 1, unspecified);
		// MicroPython's handler notes "Password may be wrong, or it
		// just failed to connect" (ports/esp32/network_wlan.c), so it
		// is not taken as the key.
		e.Kind, e.Code = diagnostics.KindAuthStatus, 1
	case 203:
		e.Kind, e.Code = diagnostics.KindAssocStatus, 1
	case 5:
		// ASSOC_TOOMANY: "the AP is unable to handle all currently
		// associated STAs", received from the AP: the AP is full,
		// 802.11 status 17 ("AP unable to handle additional
		// associated STAs") in reason form.
		e.Kind, e.Code = diagnostics.KindAssocStatus, 17
	case 208:
		// The association response carried a comeback time: 802.11
		// status 30, "rejected temporarily; try again later".
		e.Kind, e.Code = diagnostics.KindAssocStatus, 30
	case 8:
		// ASSOC_LEAVE is what esp_wifi_disconnect() reports: the
		// station's own leaving (WiFi.begin() and reconnect helpers
		// call it first).
		e.Kind, e.Code = diagnostics.KindDisconnect, -8
	case 207:
		// ROAMING: "just for info, station will automatically move".
		e.Kind, e.Name = diagnostics.KindNote, "ROAMING"
	case 0:
		e.Kind, e.Name = diagnostics.KindNote, "reason 0"
	default:
		// The 802.11 reason codes the AP sent, and the ESP-specific
		// link losses (200 beacon timeout, 206 TSF reset, 209 SA
		// query timeout), as a disconnection by the AP side.
		e.Kind, e.Code = diagnostics.KindDisconnect, code
	}
	return e
}

func espReasonString(s string) (diagnostics.Event, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n > 255 {
		return diagnostics.Event{}, false
	}
	return espReasonEvent(n), true
}

// ESP-IDF serial console (idf.py monitor, any terminal). ANSI colours are
// stripped by the line splitter before the envelope is read.

var recESPIDF = recognizer{
	name:  "esp-idf",
	title: "ESP-IDF serial console",
	keys: []string{"wifi:state: ", "wifi: state: ", "connected with ", "sta ip: ", "scan are not allowed",
		"sta is connecting", "example_connect: ", "wifi station: ", "isconnect", "ISCONNECT",
		"user scan invalid now", "wifi is not init", "wifi not init", "wifi not start"},
	envelope: espIDFEnvelope,
	parse:    parseESPIDF,
}

// espIDFEnvelope reads "L (ms) tag: message". A terminal program's own
// time prefix ("12:34:56.789 -> ", Arduino IDE and PlatformIO monitors)
// is skipped first.
func espIDFEnvelope(_ *lineParser, s string) (lineInfo, bool) {
	s = skipMonitorStamp(s)
	if len(s) < 6 || s[1] != ' ' || s[2] != '(' {
		return lineInfo{}, false
	}
	switch s[0] {
	case 'E', 'W', 'I', 'D', 'V':
	default:
		return lineInfo{}, false
	}
	g := reESPIDFLine.FindStringSubmatch(s)
	if g == nil {
		return lineInfo{}, false
	}
	return lineInfo{prog: "esp-idf", tag: strings.TrimSpace(g[3]), msg: g[4]}, true
}

// bracketLevel cheaply tells "[W][..." and "[  1234][W][..." (with an
// optional "[12:34:56]" before) from dmesg's "[   12.345678] ".
func bracketLevel(s string) bool {
	if len(s) < 8 || s[0] != '[' {
		return false
	}
	return strings.Contains(s[:min(len(s), 24)], "][")
}

// skipMonitorStamp drops "HH:MM:SS.mmm -> " or "HH:MM:SS.mmm > ".
func skipMonitorStamp(s string) string {
	if len(s) > 10 && s[2] == ':' && s[5] == ':' && s[0] >= '0' && s[0] <= '9' {
		if i := strings.Index(s[:min(len(s), 20)], "> "); i > 0 {
			return s[i+2:]
		}
	}
	return s
}

func parseESPIDF(m *message) (parsed, match) {
	var p parsed
	if m.prog != "esp-idf" {
		if m.prog == "" && espDriverRefusal(m.msg) {
			// The driver's own refusal pasted without its envelope
			// ("wifi: Now is connecting, user scan invalid now!"):
			// the text is the Wi-Fi library's, on every ESP chip.
			p.ev = espScanRefused()
			return p, take
		}
		return p, pass
	}
	e := &p.ev
	msg, tag := m.msg, m.tag
	e.Source = diagnostics.SourceEmbedded
	switch {
	case tag == "wifi" && strings.HasPrefix(msg, "state:"):
		g := reESPState.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		ev, ok := espStateEvent(g[1], g[2])
		if !ok {
			return p, drop
		}
		// "init -> auth" does not start an attempt: the station's
		// reconnects (the application's event handler, MicroPython,
		// Arduino's auto-reconnect) are retries of one join, and a
		// retry that works ends it as a success.
		*e = ev
	case tag == "wifi" && strings.HasPrefix(msg, "connected with "):
		// WIFI_EVENT_STA_CONNECTED, after message 4/4 (guide s4.7):
		// the station's link is up, wpa_supplicant's "completed".
		// The address that follows ("sta ip: ") is not always
		// printed (MicroPython, Mongoose OS log their own lines).
		e.Kind, e.State = diagnostics.KindSupplicantState, "completed"
		if g := reESPConnected.FindStringSubmatch(msg); g != nil {
			e.SSID = cleanSSID(g[1])
		}
		if i := strings.Index(msg, "bssid = "); i >= 0 {
			e.BSSID = normBSSID(strings.Fields(msg[i+8:] + " ")[0])
		}
	case espDriverRefusal(msg):
		// esp_wifi_scan_start() while the station connects: "W (756)
		// wifi:sta_scan: STA is connecting, scan are not allowed!"
		// (IDF 4+), "W (167973) wifi: Now is connecting, user scan
		// invalid now!" (IDF 3.x; https://github.com/espressif/esp-idf/issues/3044,
		// where Espressif explains the connect scan has priority). The
		// guide, "Scan When Wi-Fi Is Connecting": the scan "fails
		// immediately if the Wi-Fi is connecting".
		*e = espScanRefused()
	case tag == "wifi" && (strings.HasSuffix(msg, "wifi is not init") || strings.HasSuffix(msg, "wifi not init")):
		// "E (1022) wifi: esp_wifi_get_mode 799 wifi is not init": an
		// esp_wifi_* call returned ESP_ERR_WIFI_NOT_INIT, the driver
		// is not initialised (esp_wifi_init() not called, or
		// esp_wifi_deinit() since): no station exists to join with.
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "ESP_ERR_WIFI_NOT_INIT"
		e.Message = "the Wi-Fi driver is not initialised"
	case tag == "wifi" && strings.HasSuffix(msg, "wifi not start"):
		// "E (7051) wifi: esp_wifi_scan_start 1245 wifi not start":
		// ESP_ERR_WIFI_NOT_STARTED, the driver is initialised but
		// not started (esp_wifi_start() not called, or esp_wifi_stop(),
		// which WiFi.mode(WIFI_OFF) and WiFi.disconnect(true) call):
		// the radio is off.
		e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "ESP_ERR_WIFI_NOT_STARTED"
		e.Message = "the Wi-Fi driver is not started (radio off)"
	case strings.Contains(msg, "sta is connecting, return error"):
		// esp_wifi_connect() refused while a connect runs
		// (ESP_ERR_WIFI_CONN: Arduino-ESP32 follows it with "STA
		// connect failed! 0x3007: ESP_ERR_WIFI_CONN"). A connect
		// request, not a scan, was refused: context only.
		e.Kind, e.Name = diagnostics.KindNote, "connect refused: already connecting"
	case strings.Contains(msg, "sta ip: "):
		// esp_netif_handlers (tcpip_adapter's "event" before IDF 4.1):
		// "sta ip: 192.168.1.5, mask: ..., gw: ...", the IP_EVENT_STA_GOT_IP.
		e.Kind, p.role = diagnostics.KindJoined, roleTerminal
		if g := reESPStaIP.FindStringSubmatch(msg); g != nil {
			e.Message = "got IP " + g[1]
		}
	case tag == "example_connect":
		g := reExConnecting.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		e.Kind, e.SSID, p.role = diagnostics.KindActivationStart, cleanSSID(g[1]), roleStartRequest
	case tag == "wifi station" && strings.HasPrefix(msg, "Failed to connect to SSID:"):
		// The station example's final word after its retries.
		e.Kind, e.Name, p.role = diagnostics.KindNote, "failed to connect", roleTerminal
	default:
		// An application's WIFI_EVENT_STA_DISCONNECTED handler, or
		// MicroPython's "STA_DISCONNECTED, reason:202".
		g := reESPReason.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		ev, ok := espReasonString(g[1])
		if !ok {
			return p, drop
		}
		*e = ev
	}
	return p, take
}

// espDriverRefusal: the Wi-Fi library's refusal of esp_wifi_scan_start()
// while the station connects, in its IDF 4+ and IDF 3 wordings.
func espDriverRefusal(msg string) bool {
	return strings.Contains(msg, "scan are not allowed") || strings.Contains(msg, "user scan invalid now")
}

func espScanRefused() diagnostics.Event {
	return diagnostics.Event{Source: diagnostics.SourceEmbedded, Kind: diagnostics.KindScanBusy, Name: "STA is connecting"}
}

func espStateEvent(from, to string) (diagnostics.Event, bool) {
	old, okOld := espStates[from]
	cur, okNew := espStates[to]
	if !okOld || !okNew {
		return diagnostics.Event{}, false
	}
	return diagnostics.Event{Source: diagnostics.SourceEmbedded, Kind: diagnostics.KindSupplicantState, OldState: old, State: cur}, true
}

// Arduino-ESP32's core debug output (Core Debug Level Warn or more).

var recArduinoESP32 = recognizer{
	name:     "arduino-esp32",
	title:    "Arduino-ESP32 core debug output",
	keys:     []string{"][WiFiGeneric.cpp:", "][WiFiSTA.cpp:", "][STA.cpp:", "][NetworkEvents.cpp:"},
	envelope: arduinoEnvelope,
	parse:    parseArduinoESP32,
}

func arduinoEnvelope(_ *lineParser, s string) (lineInfo, bool) {
	s = skipMonitorStamp(s)
	if !bracketLevel(s) {
		return lineInfo{}, false
	}
	g := reArduinoLine.FindStringSubmatch(s)
	if g == nil {
		return lineInfo{}, false
	}
	return lineInfo{prog: "arduino-esp32", tag: g[2], msg: g[3] + "(): " + g[4]}, true
}

func parseArduinoESP32(m *message) (parsed, match) {
	var p parsed
	if m.prog != "arduino-esp32" {
		return p, pass
	}
	e := &p.ev
	e.Source = diagnostics.SourceEmbedded
	fn, msg, _ := strings.Cut(m.msg, "(): ")
	switch {
	case strings.HasPrefix(msg, "Reason: "):
		// "[W][WiFiGeneric.cpp:950] _eventCallback(): Reason: 201 - NO_AP_FOUND"
		g := reArdReason.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		ev, ok := espReasonString(g[1])
		if !ok {
			return p, drop
		}
		*e = ev
	case strings.Contains(msg, "Event: "):
		g := reArdEvent.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		switch g[2] {
		case "STA_GOT_IP":
			e.Kind, p.role = diagnostics.KindJoined, roleTerminal
		case "SCAN_DONE":
			e.Kind, e.OK = diagnostics.KindScanDone, diagnostics.Bool(true)
		default:
			// STA_DISCONNECTED is followed by its "Reason:" line.
			return p, drop
		}
	case strings.HasPrefix(msg, "Could not set mode! "):
		// WiFiGeneric mode(): esp_wifi_set_mode() failed; the number
		// is its esp_err_t. 12289 (0x3001) is ESP_ERR_WIFI_NOT_INIT:
		// the driver is not initialised
		// (https://github.com/espressif/arduino-esp32/issues/4421).
		code, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(msg, "Could not set mode! ")))
		if err != nil || code != 0x3001 {
			e.Kind, e.Name = diagnostics.KindNote, "could not set mode"
			break
		}
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "ESP_ERR_WIFI_NOT_INIT"
		e.Message = "the Wi-Fi driver is not initialised"
	case strings.Contains(msg, "connect failed"):
		// WiFiSTA begin(): esp_wifi_connect() returned an error (often
		// ESP_ERR_WIFI_CONN, a connect already running).
		e.Kind, e.Name = diagnostics.KindNote, fn+"(): connect failed"
	default:
		return p, drop
	}
	return p, take
}

// ESPHome's logger (esphome logs, the web log, the API log).

var recESPHome = recognizer{
	name:     "esphome",
	title:    "ESPHome logs",
	keys:     []string{"][wifi"},
	envelope: espHomeEnvelope,
	parse:    parseESPHome,
}

func espHomeEnvelope(lp *lineParser, s string) (lineInfo, bool) {
	if !bracketLevel(s) {
		return lineInfo{}, false
	}
	g := reESPHomeLine.FindStringSubmatch(s)
	if g == nil {
		return lineInfo{}, false
	}
	if g[2] == "esp-idf" {
		// ESPHome forwards ESP-IDF's own log: "[V][esp-idf:000]: I (25684) wifi: mode".
		if li, ok := espIDFEnvelope(lp, g[3]); ok {
			return li, true
		}
	}
	return lineInfo{prog: "esphome", tag: g[2], msg: g[3]}, true
}

// espHomeReasons maps ESPHome's reason texts (get_disconnect_reason_str in
// esphome/components/wifi/wifi_component_esp*.cpp) to the reason codes.
var espHomeReasons = map[string]int{
	"Auth Expired": 2, "Auth Leave": 3, "Association Expired": 4, "Too Many Associations": 5,
	"Not Authenticated": 6, "Not Associated": 7, "Association Leave": 8, "Association not Authenticated": 9,
	"Disassociate Power Cap Bad": 10, "Disassociate Supported Channel Bad": 11, "IE Invalid": 13,
	"Mic Failure": 14, "4-Way Handshake Timeout": 15, "Group Key Update Timeout": 16,
	"IE In 4-Way Handshake Differs": 17, "Group Cipher Invalid": 18, "Pairwise Cipher Invalid": 19,
	"AKMP Invalid": 20, "Unsupported RSN IE version": 21, "Invalid RSN IE Cap": 22,
	"802.1x Authentication Failed": 23, "Cipher Suite Rejected": 24, "Beacon Timeout": 200,
	"AP Not Found": 201, "Probe Request Unsuccessful": 201, "Authentication Failed": 202,
	"Association Failed": 203, "Handshake Failed": 204, "Unspecified": 1,
}

func parseESPHome(m *message) (parsed, match) {
	var p parsed
	if m.prog != "esphome" {
		return p, pass
	}
	if !strings.HasPrefix(m.tag, "wifi") {
		return p, drop
	}
	e := &p.ev
	e.Source = diagnostics.SourceEmbedded
	msg := m.msg
	switch {
	case strings.Contains(msg, "Disconnected ssid="):
		// "Event: Disconnected ssid='X' bssid=... reason='Authentication Failed'"
		g := reEHDisconn.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		code, ok := espHomeReasons[g[2]]
		if !ok {
			return p, drop
		}
		*e = espReasonEvent(code)
		e.SSID = cleanSSID(g[1])
	case strings.Contains(msg, "WiFi Connecting to '"):
		g := reEHConnecting.FindStringSubmatch(msg)
		e.Kind, p.role = diagnostics.KindActivationStart, roleStartRequest
		if g != nil {
			e.SSID = cleanSSID(g[1])
		}
	case strings.HasPrefix(msg, "WiFi Connected!"):
		e.Kind, p.role = diagnostics.KindJoined, roleTerminal
	case strings.HasPrefix(msg, "Scan failed"):
		e.Kind, e.OK = diagnostics.KindScanDone, diagnostics.Bool(false)
	case strings.Contains(msg, "Getting IP address timeout"):
		e.Kind, e.OK, e.Name = diagnostics.KindDHCP, diagnostics.Bool(false), "timeout"
	default:
		return p, drop
	}
	return p, take
}

// The ESP8266 NONOS SDK's own console lines (also under the ESP8266
// Arduino core and its esp_wifi_repeater-style firmwares), which have no
// envelope: each pattern is anchored on the whole message.

var recESP8266 = recognizer{
	name:  "esp8266",
	title: "ESP8266 SDK console",
	keys: []string{"scandone", "found, reconnect after", "disconnect from ssid", "wifi evt: ", ",mask:",
		"state: 0 -> ", "state: 2 -> ", "state: 3 -> ", "state: 5 -> "},
	parse: parseESP8266,
}

func parseESP8266(m *message) (parsed, match) {
	var p parsed
	if m.prog != "" {
		return p, pass
	}
	e := &p.ev
	e.Source = diagnostics.SourceEmbedded
	msg := strings.TrimSpace(m.msg)
	switch {
	case msg == "scandone" || re8266FScandone.MatchString(msg):
		// "f 0, scandone" is the same line from later SDKs (2.x), the
		// number before it a flag of the scan (github.com/hrvach/espple
		// issue 7, a tuning excerpt).
		e.Kind, e.OK = diagnostics.KindScanDone, diagnostics.Bool(true)
	case strings.HasPrefix(msg, "no ") && strings.HasSuffix(msg, "s"):
		// "no X found, reconnect after 1s": the SDK's scan did not see
		// the configured SSID.
		g := re8266NotFound.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		e.Kind, e.Name, e.SSID = diagnostics.KindScanVerdict, "absent", cleanSSID(g[1])
		e.Message = "the SDK's scan did not find the SSID"
	case strings.HasPrefix(msg, "state: "):
		g := re8266State.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		ev, ok := espStateEvent(g[1], g[2])
		if !ok {
			return p, pass
		}
		*e = ev // not an attempt start, as ESP-IDF's "init -> auth"
	case strings.HasPrefix(msg, "connected with "):
		g := re8266Conn.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		// EVENT_STAMODE_CONNECTED, as ESP-IDF's "connected with".
		e.Kind, e.State, e.SSID = diagnostics.KindSupplicantState, "completed", cleanSSID(g[1])
	case strings.HasPrefix(msg, "ip:"):
		g := re8266IP.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		e.Kind, p.role, e.Message = diagnostics.KindJoined, roleTerminal, "got IP "+g[1]
	case strings.HasPrefix(msg, "disconnect from ssid"):
		g := re8266Reason.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		ev, ok := espReasonString(g[2])
		if !ok {
			return p, pass
		}
		*e = ev
		e.SSID = cleanSSID(g[1])
	case strings.HasPrefix(msg, "wifi evt: "):
		// The ESP8266 Arduino core's DEBUG_ESP_WIFI event number
		// (System_Event_t: 4 is EVENT_STAMODE_DHCP_TIMEOUT).
		g := re8266Evt.FindStringSubmatch(msg)
		if g == nil || g[1] != "4" {
			return p, pass
		}
		e.Kind, e.OK, e.Name = diagnostics.KindDHCP, diagnostics.Bool(false), "timeout"
	default:
		return p, pass
	}
	return p, take
}

// Firmwares and libraries on top of the Arduino cores print the station's
// disconnection reason (the same wifi_err_reason_t, or the ESP8266 SDK's
// equal numbering) in lines of their own, without an envelope.

var (
	// ESPEasy: "3460 : WIFI : Disconnected! Reason: '(201) No AP found' Connected for 2860 ms"
	// (log envelope "<millis> : <TAG> : msg").
	reESPEasyReason = regexp.MustCompile(`^\d+ : WIFI : Disconnected! Reason: '\((\d{1,3})\)`)
	// WiFiManager's debug output, "*wm:[2] [EVENT] WIFI_REASON: 2" (2.x)
	// or "*WM: [2] [EVENT] WIFI_REASON: 2", from its ESP32 event handler
	// for STA_DISCONNECTED (WiFiManager.cpp, WiFiEvent).
	reWMReason = regexp.MustCompile(`^\*(?:wm|WM):\s?\[\d\] \[EVENT\] WIFI_REASON:\s+(\d{1,3})\b`)
	// Tasmota: "00:00:07 Wifi: Connect failed as AP cannot be reached"
	// (before 9.x), "00:00:07.123 WIF: ..." after.
	reTasmotaLine = regexp.MustCompile(`^(?:\d{1,2}:\d\d:\d\d(?:\.\d+)? )?(?:Wifi|WIF): (.*)$`)
)

var recESPApps = recognizer{
	name:  "esp-apps",
	title: "ESPEasy, WiFiManager and Tasmota logs",
	keys: []string{" : WIFI : Disconnected! Reason: '(", "[EVENT] WIFI_REASON:",
		"Connect failed as AP cannot be reached", "Connect failed as no IP address received"},
	parse: parseESPApps,
}

func parseESPApps(m *message) (parsed, match) {
	var p parsed
	if m.prog != "" {
		return p, pass
	}
	// A forum quote's "> " is not part of the line.
	msg := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(m.msg), "> "))
	if g := reESPEasyReason.FindStringSubmatch(msg); g != nil {
		ev, ok := espReasonString(g[1])
		if !ok {
			return p, pass
		}
		p.ev = ev
		return p, take
	}
	if g := reWMReason.FindStringSubmatch(msg); g != nil {
		ev, ok := espReasonString(g[1])
		if !ok {
			return p, pass
		}
		p.ev = ev
		return p, take
	}
	if g := reTasmotaLine.FindStringSubmatch(msg); g != nil {
		// Tasmota's WifiCheckIp (tasmota/support_wifi.ino) names the
		// core's WiFi.status() after a failed connect: WL_NO_SSID_AVAIL
		// is "Connect failed as AP cannot be reached" (D_CONNECT_FAILED_AP_NOT_REACHED),
		// WL_CONNECTED without an address "... as no IP address received".
		e := &p.ev
		e.Source = diagnostics.SourceEmbedded
		switch g[1] {
		case "Connect failed as AP cannot be reached":
			e.Kind, e.Name = diagnostics.KindScanVerdict, "absent"
			e.Message = "WL_NO_SSID_AVAIL: the station did not find the SSID"
		case "Connect failed as no IP address received":
			e.Kind, e.OK, e.Name = diagnostics.KindDHCP, diagnostics.Bool(false), "no IP address received"
		default:
			return p, pass
		}
		return p, take
	}
	return p, pass
}
