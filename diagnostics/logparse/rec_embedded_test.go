package logparse

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// parseEmbedded runs one line through split and parseLine, as Diagnose does.
func parseEmbedded(line string) (diagnostics.Event, role, string, bool) {
	lp := newLineParser(2024)
	li, ok := lp.split([]byte(line))
	if !ok {
		return diagnostics.Event{}, roleNone, "", false
	}
	p, r, ok := parseLine(li.msg, li.prog, li.tag)
	name := ""
	if r != nil {
		name = r.name
	}
	return p.ev, p.role, name, ok
}

func TestEmbeddedLines(t *testing.T) {
	emb := diagnostics.SourceEmbedded
	tr, f := diagnostics.Bool(true), diagnostics.Bool(false)
	tests := []struct {
		line string
		rec  string
		want diagnostics.Event
		role role
	}{
		// https://github.com/bertmelis/espMqttClient/issues/106
		{`[ 41315][W][WiFiGeneric.cpp:1057] _eventCallback(): Reason: 201 - NO_AP_FOUND`, "arduino-esp32",
			diagnostics.Event{Source: emb, Kind: "scan_verdict", Name: "absent", Code: 201,
				Message: "NO_AP_FOUND: the station's connect scan of all channels did not find the SSID"}, roleNone},
		// https://github.com/espressif/arduino-esp32/issues/2639 (before 2.0: no "[ ms]")
		{`[W][WiFiGeneric.cpp:357] _eventCallback(): Reason: 201 - NO_AP_FOUND`, "arduino-esp32",
			diagnostics.Event{Source: emb, Kind: "scan_verdict", Name: "absent", Code: 201,
				Message: "NO_AP_FOUND: the station's connect scan of all channels did not find the SSID"}, roleNone},
		{`[D][WiFiGeneric.cpp:342] _eventCallback(): Event: 5 - STA_DISCONNECTED`, "arduino-esp32", diagnostics.Event{}, roleNone},
		// https://github.com/tzapu/WiFiManager/issues/1714
		{`[ 6844][W][WiFiGeneric.cpp:1061] _eventCallback(): Reason: 15 - 4WAY_HANDSHAKE_TIMEOUT`, "arduino-esp32",
			diagnostics.Event{Source: emb, Kind: "psk_mismatch", Name: "4WAY_HANDSHAKE_TIMEOUT", Code: 15}, roleNone},
		// https://github.com/esphome/issues/issues/1371 (ESPHome on the Arduino framework)
		{`[20:48:10][D][WiFiGeneric.cpp:337] _eventCallback(): Event: 1 - SCAN_DONE`, "arduino-esp32",
			diagnostics.Event{Source: emb, Kind: "scan_done", OK: tr}, roleNone},
		// https://github.com/esphome/issues/issues/5509
		{"[W][wifi_esp32:458]:\tEvent: Disconnected ssid='BuburuzaWifi' bssid=00:31:92:FA:EA:96[redacted] reason='Authentication Failed'", "esphome",
			diagnostics.Event{Source: emb, Kind: "auth_status", Name: "AUTH_FAIL", Code: 1, SSID: "BuburuzaWifi"}, roleNone},
		{"[W][wifi_esp32:455]:\tEvent: Disconnected ssid='BuburuzaWifi' reason='Probe Request Unsuccessful'", "esphome",
			diagnostics.Event{Source: emb, Kind: "scan_verdict", Name: "absent", Code: 201, SSID: "BuburuzaWifi",
				Message: "NO_AP_FOUND: the station's connect scan of all channels did not find the SSID"}, roleNone},
		{"[W][wifi_esp32:458]:\tEvent: Disconnected ssid='BuburuzaWifi' bssid=00:31:92:FA:EA:96[redacted] reason='Not Authenticated'", "esphome",
			diagnostics.Event{Source: emb, Kind: "disconnect", Name: "NOT_AUTHED", Code: 6, SSID: "BuburuzaWifi"}, roleNone},
		// https://github.com/esphome/issues/issues/1669
		{`[21:20:42][I][wifi:194]: WiFi Connecting to 'MyNetworkSSID'...`, "esphome",
			diagnostics.Event{Source: emb, Kind: "activation_start", SSID: "MyNetworkSSID"}, roleStartRequest},
		// https://github.com/espressif/esp-idf/issues/2359 (IDF 3.x: "wifi: state: ")
		{`I (54840) wifi: state: init -> auth (b0)`, "esp-idf",
			diagnostics.Event{Source: emb, Kind: "supplicant_state", OldState: "disconnected", State: "authenticating"}, roleNone},
		{`I (55840) wifi: state: auth -> init (200)`, "esp-idf",
			diagnostics.Event{Source: emb, Kind: "supplicant_state", OldState: "authenticating", State: "disconnected"}, roleNone},
		{`I (58400) wifi: connected with Wifine, channel 6`, "esp-idf",
			diagnostics.Event{Source: emb, Kind: "supplicant_state", State: "completed", SSID: "Wifine"}, roleNone},
		{`I (62770) event: sta ip: 192.168.137.4, mask: 255.255.255.0, gw: 192.168.137.1`, "esp-idf",
			diagnostics.Event{Source: emb, Kind: "joined", Message: "got IP 192.168.137.4"}, roleTerminal},
		// https://github.com/espressif/esp-at/issues/200
		{`D (153894) event: SYSTEM_EVENT_STA_DISCONNECTED, ssid:Carmens iPhone, ssid_len:14, bssid:e6:61:8b:0d:dc:8d, reason:8,wifi reason: assoc leave`, "esp-idf",
			diagnostics.Event{Source: emb, Kind: "disconnect", Name: "ASSOC_LEAVE", Code: -8}, roleNone},
		// https://github.com/espressif/esp-idf/issues/3246 (colours as the monitor prints them)
		{"\x1b[0;32mI (105) wifi station: ESP_WIFI_MODE_STA\x1b[0m", "esp-idf", diagnostics.Event{}, roleNone},
		// IDF 4+/5 lines with the "wifi:" tag form, as quoted in public
		// files the code search returned without naming their
		// repository (an esp-idf WPS example run log and a project's
		// notes on scanning while connecting). No URL: see
		// docs/logformats/embedded.md.
		{"I (8084) wifi:state: init -> auth (b0)", "esp-idf",
			diagnostics.Event{Source: emb, Kind: "supplicant_state", OldState: "disconnected", State: "authenticating"}, roleNone},
		{"I (8104) wifi:state: assoc -> run (10)", "esp-idf",
			diagnostics.Event{Source: emb, Kind: "supplicant_state", OldState: "associating", State: "4way_handshake"}, roleNone},
		{"E (8914) wifi:sta is connecting, return error", "esp-idf",
			diagnostics.Event{Source: emb, Kind: "note", Name: "connect refused: already connecting"}, roleNone},
		{"W (756) wifi:sta_scan: STA is connecting, scan are not allowed!", "esp-idf",
			diagnostics.Event{Source: emb, Kind: "scan_busy", Name: "STA is connecting"}, roleNone},
		// https://github.com/martin-ger/esp_wifi_repeater/issues/320
		{`scandone`, "esp8266", diagnostics.Event{Source: emb, Kind: "scan_done", OK: tr}, roleNone},
		{`f 0, scandone`, "esp8266", diagnostics.Event{Source: emb, Kind: "scan_done", OK: tr}, roleNone},
		{`no "MY_HOME_NETWORK_SSID" found, reconnect after 1s`, "esp8266",
			diagnostics.Event{Source: emb, Kind: "scan_verdict", Name: "absent", SSID: "MY_HOME_NETWORK_SSID", Message: "the SDK's scan did not find the SSID"}, roleNone},
		{`disconnect from ssid "MY_HOME_NETWORK_SSID", reason 201`, "esp8266",
			diagnostics.Event{Source: emb, Kind: "scan_verdict", Name: "absent", Code: 201, SSID: "MY_HOME_NETWORK_SSID",
				Message: "NO_AP_FOUND: the station's connect scan of all channels did not find the SSID"}, roleNone},
		// https://github.com/martin-ger/esp_wifi_repeater/issues/394
		{`state: 0 -> 2 (b0)`, "esp8266",
			diagnostics.Event{Source: emb, Kind: "supplicant_state", OldState: "disconnected", State: "authenticating"}, roleNone},
		{`disconnect from ssid WLAN-595083, reason 2`, "esp8266",
			diagnostics.Event{Source: emb, Kind: "auth_timeout", Name: "AUTH_EXPIRE", SSID: "WLAN-595083"}, roleNone},
		// https://github.com/letscontrolit/ESPEasy/issues/2008: ESPEasy's own reason line.
		{`17368 : WIFI : Disconnected! Reason: '(201) No AP found' Connected for 2859 ms`, "esp-apps",
			diagnostics.Event{Source: emb, Kind: "scan_verdict", Name: "absent", Code: 201,
				Message: "NO_AP_FOUND: the station's connect scan of all channels did not find the SSID"}, roleNone},
		{`Event: Getting IP address timeout`, "", diagnostics.Event{}, roleNone},
		{`[W][wifi_esp8266:500]: Event: Getting IP address timeout`, "esphome",
			diagnostics.Event{Source: emb, Kind: "dhcp", OK: f, Name: "timeout"}, roleNone},
	}
	for _, tt := range tests {
		got, r, rec, ok := parseEmbedded(tt.line)
		if tt.want.Kind == "" {
			if ok {
				t.Errorf("%q: want no event, got %+v", tt.line, got)
			}
			if rec != tt.rec {
				t.Errorf("%q: recognizer %q, want %q", tt.line, rec, tt.rec)
			}
			continue
		}
		if !ok {
			t.Errorf("%q: not recognised", tt.line)
			continue
		}
		if rec != tt.rec {
			t.Errorf("%q: recognizer %q, want %q", tt.line, rec, tt.rec)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (-want +got)\n%s", tt.line, diff)
		}
		if r != tt.role {
			t.Errorf("%q: role %d, want %d", tt.line, r, tt.role)
		}
	}
}

// Every documented reason code maps to a kind the classifier reads.
func TestESPReasonTable(t *testing.T) {
	for code := range espReasonNames {
		e := espReasonEvent(code)
		if e.Kind == "" || e.Source != diagnostics.SourceEmbedded {
			t.Errorf("reason %d: %+v", code, e)
		}
	}
}

func TestEmbeddedDiagnose(t *testing.T) {
	tests := []struct {
		name, log string
		want      diagnostics.Class
	}{
		// https://github.com/Xinyuan-LilyGO/T-ZigBee/issues/16: an
		// Arduino-ESP32 station retrying an SSID that is not there.
		{"arduino not found", `[128631][V][WiFiGeneric.cpp:300] _arduino_event_cb(): STA Disconnected: SSID: ChinaNet-A179, BSSID: 00:00:00:00:00:00, Reason: 201
[128632][D][WiFiGeneric.cpp:852] _eventCallback(): Arduino Event: 5 - STA_DISCONNECTED      
[128639][W][WiFiGeneric.cpp:873] _eventCallback(): Reason: 201 - NO_AP_FOUND
[128646][D][WiFiGeneric.cpp:898] _eventCallback(): WiFi AutoReconnect Running
`, diagnostics.NotFound},
		// https://github.com/espressif/esp-idf/issues/2359: wrong
		// password on IDF 3.x. The application printed the reason on
		// a line of its own, without an envelope ("reason: 2"), which
		// is not read, and the driver's "(200)" is not decoded; the
		// station's own reconnects are not attempts of their own, so
		// the window shows no failure diagnose can name.
		{"esp-idf reason on its own line", `I (54840) wifi: state: init -> auth (b0)
I (55840) wifi: state: auth -> init (200)
I (55840) wifi: n:6 0, o:6 0, ap:255 255, sta:6 0, prof:1
I (55840) scan: SYSTEM_EVENT_STA_DISCONNECTED
reason: 2
`, diagnostics.None},
		{"esp-idf joined", `I (58380) wifi: state: init -> auth (b0)
I (58380) wifi: state: auth -> assoc (0)
I (58390) wifi: state: assoc -> run (10)
I (58400) wifi: connected with Wifine, channel 6
I (58410) wifi: pm start, type: 1
I (62770) event: sta ip: 192.168.137.4, mask: 255.255.255.0, gw: 192.168.137.1
`, diagnostics.None},
		// https://github.com/tzapu/WiFiManager/issues/1714
		{"arduino handshake timeout", `[ 6836][V][WiFiGeneric.cpp:362] _arduino_event_cb(): STA Disconnected: SSID: xxxx, BSSID: xxxxxxxxxx, Reason: 15
[ 6837][D][WiFiGeneric.cpp:1039] _eventCallback(): Arduino Event: 5 - STA_DISCONNECTED
[ 6844][W][WiFiGeneric.cpp:1061] _eventCallback(): Reason: 15 - 4WAY_HANDSHAKE_TIMEOUT
[ 6851][D][WiFiGeneric.cpp:1081] _eventCallback(): WiFi Reconnect Running
`, diagnostics.WrongKey},
		// https://github.com/martin-ger/esp_wifi_repeater/issues/320
		{"esp8266 not found", `scandone
no "MY_HOME_NETWORK_SSID" found, reconnect after 1s
disconnect from ssid "MY_HOME_NETWORK_SSID", reason 201
reconnect
`, diagnostics.NotFound},
	}
	for _, tt := range tests {
		rep, err := Diagnose(context.Background(), strings.NewReader(tt.log), Options{})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if rep.Class != tt.want {
			t.Errorf("%s: class %s, want %s (attempts %d)", tt.name, rep.Class, tt.want, len(rep.Attempts))
			for _, a := range rep.Attempts {
				t.Logf("  %s: %s", a.Class, a.Detail)
			}
		}
	}
}

// FuzzEmbedded: any line goes through the envelopes and the recognizers
// without panicking; an envelope that claims a line keeps its message a
// suffix of the line (it only cuts the envelope off).
func FuzzEmbedded(f *testing.F) {
	for _, s := range []string{
		"[ 41315][W][WiFiGeneric.cpp:1057] _eventCallback(): Reason: 201 - NO_AP_FOUND",
		"\x1b[0;32mI (8084) wifi:state: init -> auth (b0)\x1b[0m",
		"[21:20:42][V][esp-idf:000]: I (25684) wifi: sta ip: 1.2.3.4, mask",
		"[W][wifi_esp32:458]:\tEvent: Disconnected ssid='x' reason='Auth Expired'",
		"12:34:56.789 -> E (1) wifi:sta is connecting, return error",
		`no "x" found, reconnect after 1s`, "state: 0 -> 2 (b0)", "[   12.345678] wlan0: ][",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		for _, r := range []*recognizer{&recESPIDF, &recArduinoESP32, &recESPHome} {
			li, ok := r.envelope(nil, line)
			if ok && !strings.HasSuffix(line, li.msg) && !strings.Contains(li.msg, "(): ") {
				t.Fatalf("%s: %q: message %q is not the line's tail", r.name, line, li.msg)
			}
		}
		lp := newLineParser(2024)
		if li, ok := lp.split([]byte(line)); ok {
			if p, _, ok := parseLine(li.msg, li.prog, li.tag); ok && (p.ev.Kind == "" || p.ev.Source == "") {
				t.Fatalf("%q: %+v", line, p.ev)
			}
		}
		if _, err := Diagnose(context.Background(), strings.NewReader(line), Options{}); err != nil && !strings.Contains(err.Error(), "binary") {
			t.Logf("%q: %v", line, err)
		}
	})
}
