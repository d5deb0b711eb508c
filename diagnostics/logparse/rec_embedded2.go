package logparse

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Serial consoles of embedded stations other than the ESP-IDF family
// (rec_embedded.go): Espressif's ESP-AT firmware, Zephyr's wifi shell,
// the Raspberry Pi Pico SDK's cyw43_arch, MicroPython's network.WLAN on
// ESP32 and the Arduino WiFiNINA / WiFi101 / WiFiS3 examples.
// docs/logformats/embedded.md describes the lines and the mapping. None of
// these lines has an envelope: each pattern is anchored on the whole
// message, after a terminal program's own time stamp ("12:34:56.789 -> ").

// emb2Msg is the message as these recognizers read it: trimmed, without a
// serial monitor's time stamp or a forum quote's "> ".
func emb2Msg(m *message) string {
	s := strings.TrimSpace(skipMonitorStamp(strings.TrimSpace(m.msg)))
	return strings.TrimSpace(strings.TrimPrefix(s, "> "))
}

// ESP-AT (espressif/esp-at, docs/en/AT_Command_Set/Wi-Fi_AT_Commands.rst,
// AT+CWJAP; Basic_AT_Commands / index.rst "AT Messages"). The module echoes
// the command (ATE1, the default), then answers "WIFI CONNECTED",
// "WIFI GOT IP", "OK", or "+CWJAP:<error code>" and "ERROR" ("FAIL" on the
// ESP8266 AT firmware 1.x).

var (
	// AT+CWJAP="ssid","pwd"[,...], AT+CWJAP (the last configuration),
	// AT+CWJAP_CUR= / AT+CWJAP_DEF= (ESP8266 AT 1.x). Escapes: \" \, \\.
	reATJoin = regexp.MustCompile(`^AT\+CWJAP(?:_CUR|_DEF)?(?:="((?:[^"\\]|\\.)*)"(?:,.*)?)?$`)
	// "+CWJAP:<error code>", only a number: "+CWJAP:<ssid>,<bssid>,..."
	// (the answer to AT+CWJAP?) has a quoted SSID.
	reATJoinErr = regexp.MustCompile(`^\+CWJAP(?:_CUR|_DEF)?:(\d{1,3})$`)
)

var recESPAT = recognizer{
	name:  "esp-at",
	title: "ESP-AT firmware responses",
	keys:  []string{"AT+CWJAP", "+CWJAP", "WIFI CONNECTED", "WIFI GOT IP", "WIFI DISCONNECT", "busy p...", "busy s..."},
	parse: parseESPAT,
}

func parseESPAT(m *message) (parsed, match) {
	var p parsed
	if m.prog != "" {
		return p, pass
	}
	msg := emb2Msg(m)
	e := &p.ev
	e.Source = diagnostics.SourceEmbedded
	switch {
	case strings.HasPrefix(msg, "AT+CWJAP"):
		if strings.HasSuffix(msg, "?") {
			return p, drop // the query AT+CWJAP?
		}
		g := reATJoin.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		e.Kind, p.role = diagnostics.KindActivationStart, roleStartRequest
		e.SSID = cleanSSID(g[1]) // its unescaping undoes AT's \" \, \\
	case strings.HasPrefix(msg, "+CWJAP"):
		g := reATJoinErr.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		code, _ := strconv.Atoi(g[1])
		*e = espATJoinError(code)
		p.role = roleTerminal
	case msg == "WIFI CONNECTED":
		// The station associated (and, on a secured AP, completed the
		// 4-way handshake): ESP-IDF's WIFI_EVENT_STA_CONNECTED, which
		// the firmware reports this way; the address follows. A note,
		// not wpa_supplicant's "completed": without NetworkManager
		// lines that state ends an attempt as joined (split.go), and
		// +CWJAP:<code> can still follow it.
		e.Kind, e.Name = diagnostics.KindNote, "WIFI CONNECTED"
	case msg == "WIFI GOT IP":
		// "WIFI GOT IP" then "OK": AT+CWJAP's success, "the IPv4 network
		// is ready" (AT+CWJAP notes).
		e.Kind, p.role, e.Message = diagnostics.KindJoined, roleTerminal, "WIFI GOT IP"
	case msg == "WIFI DISCONNECT":
		// Printed on every station disconnection, also the firmware's
		// own before a new AT+CWJAP and between its reconnects: context.
		e.Kind, e.Name = diagnostics.KindNote, "WIFI DISCONNECT"
	case msg == "busy p..." || msg == "busy s...":
		// "busy p...": the previous command is still being processed,
		// the new one was not taken ("busy s...": still sending). A
		// refused command, not a failed join: context.
		e.Kind, e.Name = diagnostics.KindNote, "AT busy: command refused"
	default:
		return p, pass
	}
	return p, take
}

// espATJoinError maps AT+CWJAP's <error code> ("for reference only"):
// 1 connection timeout, 2 wrong password, 3 cannot find the target AP,
// 4 connection failed, others unknown.
func espATJoinError(code int) diagnostics.Event {
	e := diagnostics.Event{Source: diagnostics.SourceEmbedded, Code: code}
	switch code {
	case 1:
		// AT+CWJAP's own <jap_timeout> (default 15 s) ran out.
		e.Kind, e.Name, e.Message = diagnostics.KindDeadline, "+CWJAP:1", "AT+CWJAP: connection timeout"
	case 2:
		e.Kind, e.Name = diagnostics.KindPskMismatch, "+CWJAP:2 wrong password"
	case 3:
		e.Kind, e.Name = diagnostics.KindScanVerdict, "absent"
		e.Message = "+CWJAP:3: cannot find the target AP"
	default:
		// 4 "connection failed" and the undocumented rest name no
		// cause: the command's end, as ESP-IDF's station example's
		// "Failed to connect to SSID".
		e.Code = 0
		e.Kind, e.Name = diagnostics.KindNote, "+CWJAP:"+strconv.Itoa(code)+" connection failed"
	}
	return e
}

// Zephyr's wifi shell (subsys/net/l2/wifi/wifi_shell.c): cmd_wifi_connect
// prints "Connection requested"; handle_wifi_connect_result, on
// NET_EVENT_WIFI_CONNECT_RESULT, "Connection request failed (%d)" with
// the driver's status, which is enum wifi_conn_status
// (include/zephyr/net/wifi_mgmt.h: 1 CONN_FAIL, 2 CONN_WRONG_PASSWORD,
// 3 CONN_TIMEOUT, 4 CONN_AP_NOT_FOUND) or, from older drivers, a negative
// errno; handle_wifi_scan_done "Scan request failed (%d)". The shell's
// prompt ("uart:~$ ") may lead the line.

var (
	reZephyrConnFail = regexp.MustCompile(`^Connection request failed \((-?\d{1,4})\)$`)
	reZephyrScanFail = regexp.MustCompile(`^Scan request failed \((-?\d{1,4})\)$`)
)

var recZephyrWifi = recognizer{
	name:  "zephyr-wifi",
	title: "Zephyr wifi shell",
	keys:  []string{"Connection requested", "Connection request failed (", "Scan request failed (", "Connected"},
	parse: parseZephyrWifi,
}

func parseZephyrWifi(m *message) (parsed, match) {
	var p parsed
	if m.prog != "" {
		return p, pass
	}
	msg := emb2Msg(m)
	if i := strings.Index(msg, ":~$ "); i >= 0 && i < 16 {
		msg = strings.TrimSpace(msg[i+4:])
	}
	e := &p.ev
	e.Source = diagnostics.SourceEmbedded
	switch {
	case msg == "Connection requested":
		e.Kind, p.role = diagnostics.KindActivationStart, roleStartRequest
	case msg == "Connected":
		// handle_wifi_connect_result's success line. The word alone is
		// common, so it counts only inside an attempt this shell began
		// (roleEndIfOpen): outside one it is nothing.
		e.Kind, p.role, e.Message = diagnostics.KindJoined, roleEndIfOpen, "Connected"
	case strings.HasPrefix(msg, "Connection request failed ("):
		g := reZephyrConnFail.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		code, _ := strconv.Atoi(g[1])
		p.role = roleTerminal
		switch code {
		case 2:
			e.Kind, e.Code, e.Name = diagnostics.KindPskMismatch, code, "WIFI_STATUS_CONN_WRONG_PASSWORD"
		case 3:
			e.Kind, e.Code, e.Name = diagnostics.KindDeadline, code, "WIFI_STATUS_CONN_TIMEOUT"
			e.Message = "the driver's connect timed out"
		case 4:
			e.Kind, e.Code, e.Name = diagnostics.KindScanVerdict, code, "absent"
			e.Message = "WIFI_STATUS_CONN_AP_NOT_FOUND: the driver did not find the AP"
		default:
			// 1 WIFI_STATUS_CONN_FAIL (generic) or a driver's errno:
			// no cause named.
			e.Kind, e.Name = diagnostics.KindNote, "connection request failed ("+g[1]+")"
		}
	case strings.HasPrefix(msg, "Scan request failed ("):
		if reZephyrScanFail.FindStringSubmatch(msg) == nil {
			return p, pass
		}
		e.Kind, e.OK, e.Name = diagnostics.KindScanDone, diagnostics.Bool(false), "zephyr"
	default:
		return p, pass
	}
	return p, take
}

// The Pico SDK's cyw43_arch (src/rp2_common/pico_cyw43_arch/cyw43_arch.c):
// with PICO_CYW43_ARCH_DEBUG_ENABLED, cyw43_arch_wifi_connect_*() prints
// "connect status: %s" at each change of cyw43_tcpip_link_status(), named
// by cyw43_tcpip_link_status_name(). It returns PICO_ERROR_BADAUTH after
// "bad auth", PICO_ERROR_CONNECT_FAILED after "link fail", and
// PICO_ERROR_TIMEOUT silently when its time runs out. "network fail"
// (CYW43_LINK_NONET) is never printed: the loop turns it into a rejoin.

var recCYW43Arch = recognizer{
	name:  "pico-cyw43",
	title: "Raspberry Pi Pico SDK cyw43_arch debug output",
	keys:  []string{"connect status: "},
	parse: parseCYW43Arch,
}

func parseCYW43Arch(m *message) (parsed, match) {
	var p parsed
	if m.prog != "" {
		return p, pass
	}
	msg := emb2Msg(m)
	st, ok := strings.CutPrefix(msg, "connect status: ")
	if !ok {
		return p, pass
	}
	e := &p.ev
	e.Source = diagnostics.SourceEmbedded
	switch st {
	case "joining", "link down":
		e.Kind, e.Name = diagnostics.KindNote, "cyw43 "+st
	case "no ip":
		// CYW43_LINK_NOIP: joined (and keyed), waiting for DHCP. A note
		// for the same reason as ESP-AT's "WIFI CONNECTED".
		e.Kind, e.Name = diagnostics.KindNote, "cyw43 no ip"
	case "link up":
		e.Kind, p.role = diagnostics.KindJoined, roleTerminal
	case "bad auth":
		// CYW43_LINK_BADAUTH: cyw43-driver's cyw43_ctrl.c sets
		// WIFI_JOIN_STATE_BADAUTH on a failed EV_PSK_SUP, the key
		// handshake (its timeouts, status 4/8/10 with reason 15, are
		// retried rather than reported). As ESP-IDF's
		// 4WAY_HANDSHAKE_TIMEOUT, a weak link is not told apart.
		e.Kind, e.Name, p.role = diagnostics.KindPskMismatch, "CYW43_LINK_BADAUTH", roleTerminal
	case "link fail":
		// CYW43_LINK_FAIL: the join failed (EV_SET_SSID or EV_AUTH
		// failure) without a cause the driver names.
		e.Kind, e.Name, p.role = diagnostics.KindNote, "CYW43_LINK_FAIL", roleTerminal
	default:
		return p, pass
	}
	return p, take
}

// MicroPython on ESP32: network.WLAN methods raise the esp_err_t of the
// esp_wifi_* call they make as an OSError whose text
// esp_exceptions_helper() (ports/esp32/network_common.c) chooses. A
// traceback's last line is "OSError: Wifi Internal Error".

var recMicroPython = recognizer{
	name:  "micropython",
	title: "MicroPython network.WLAN exceptions",
	keys:  []string{"OSError: Wifi "},
	parse: parseMicroPython,
}

func parseMicroPython(m *message) (parsed, match) {
	var p parsed
	if m.prog != "" {
		return p, pass
	}
	msg, ok := strings.CutPrefix(emb2Msg(m), "OSError: Wifi ")
	if !ok {
		return p, pass
	}
	e := &p.ev
	e.Source = diagnostics.SourceEmbedded
	switch msg {
	case "Internal Error":
		// ESP_ERR_WIFI_CONN from esp_wifi_connect(): a connect is
		// already running ("sta is connecting, return error" in the
		// driver's own log): a refused request, context only.
		e.Kind, e.Name = diagnostics.KindNote, "connect refused: already connecting"
	case "Not Initialized":
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "ESP_ERR_WIFI_NOT_INIT"
		e.Message = "the Wi-Fi driver is not initialised"
	case "Not Started":
		// ESP_ERR_WIFI_NOT_STARTED: wlan.active(True) was not called
		// (network_wlan_active starts the driver): the radio is off.
		e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "ESP_ERR_WIFI_NOT_STARTED"
		e.Message = "the Wi-Fi driver is not started (radio off)"
	case "SSID Invalid", "Invalid Password":
		// ESP_ERR_WIFI_SSID / ESP_ERR_WIFI_PASSWORD from
		// esp_wifi_set_config(): the request's own SSID or key is
		// malformed, rejected before any radio work.
		e.Kind, e.Name = diagnostics.KindInvalidInput, "Wifi "+msg
	default:
		return p, pass
	}
	return p, take
}

// The Arduino WiFiNINA, WiFiS3 and WiFi101 libraries' examples (and the
// many sketches copied from them) test WiFi.status() against
// WL_NO_MODULE / WL_NO_SHIELD (255 in utility/wl_definitions.h: the
// library got no answer from the Wi-Fi module) before anything else, and
// print a fixed line: "Communication with WiFi module failed!"
// (WiFiNINA, WiFiS3: examples/ConnectWithWPA/ConnectWithWPA.ino) or
// "WiFi shield not present" (WiFi101 and the old WiFi shield library).
// Their join loop prints "Attempting to connect to SSID: <ssid>" before
// each WiFi.begin(); the status numbers a sketch prints are its own text.

var recArduinoWiFi = recognizer{
	name:  "arduino-wifi",
	title: "Arduino WiFiNINA/WiFi101/WiFiS3 examples",
	keys:  []string{"Communication with WiFi module failed", "WiFi shield not present", "Attempting to connect to SSID: "},
	parse: parseArduinoWiFi,
}

func parseArduinoWiFi(m *message) (parsed, match) {
	var p parsed
	if m.prog != "" {
		return p, pass
	}
	msg := emb2Msg(m)
	e := &p.ev
	e.Source = diagnostics.SourceEmbedded
	switch {
	case msg == "Communication with WiFi module failed!" || msg == "Communication with WiFi module failed":
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "WL_NO_MODULE"
		e.Message = "the Wi-Fi module does not answer"
	case msg == "WiFi shield not present":
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "WL_NO_SHIELD"
		e.Message = "the Wi-Fi shield does not answer"
	case strings.HasPrefix(msg, "Attempting to connect to SSID: "):
		e.Kind, p.role = diagnostics.KindActivationStart, roleStartRequest
		e.SSID = cleanSSID(strings.TrimSpace(strings.TrimPrefix(msg, "Attempting to connect to SSID: ")))
	default:
		return p, pass
	}
	return p, take
}

// Realtek Ameba (ameba-rtos) with Realtek's Matter port: the join-status
// handler matter_wifi_join_status_event_hdl, on RTW_JOINSTATUS_FAIL,
// prints "Join fail, error_flag = " then "%d (Can not found target AP)",
// "(Auth/Assoc/Handshake failed)", "(Wrong Password)" or "(Unknown Error)"
// on the same line, through RTK_LOGI (which may lead it with its
// "[TAG-I] "); "Join success!" on RTW_JOINSTATUS_SUCCESS. The numbers
// differ between SDK generations (rtw_connect_error_flag_t), so the text
// in parentheses is what is read.

var reAmebaJoinFail = regexp.MustCompile(`Join fail, error_flag = (\d{1,2}) \((Can not found target AP|Auth/Assoc/Handshake failed|Wrong Password|Unknown Error)\)$`)

var recAmeba = recognizer{
	name:  "ameba",
	title: "Realtek Ameba join status",
	keys:  []string{"Join fail, error_flag = "},
	parse: parseAmeba,
}

func parseAmeba(m *message) (parsed, match) {
	var p parsed
	if m.prog != "" {
		return p, pass
	}
	g := reAmebaJoinFail.FindStringSubmatch(emb2Msg(m))
	if g == nil {
		return p, pass
	}
	e := &p.ev
	e.Source, p.role = diagnostics.SourceEmbedded, roleTerminal
	switch g[2] {
	case "Can not found target AP":
		// RTW_CONNECT_SCAN_FAIL: the join's scan did not find the SSID.
		e.Kind, e.Name, e.Message = diagnostics.KindScanVerdict, "absent", "Can not found target AP"
	case "Wrong Password":
		// RTW_CONNECT_AUTH_PASSWORD_WRONG / RTW_CONNECT_4WAY_PASSWORD_WRONG.
		e.Kind, e.Name = diagnostics.KindPskMismatch, "RTW_WRONG_PASSWORD"
	default:
		// Auth, association or handshake failure lumped together, or
		// unknown: no cause named.
		e.Kind, e.Name = diagnostics.KindNote, "join fail: "+g[2]
	}
	return p, take
}
