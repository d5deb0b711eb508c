package logparse

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Lines written from the upstream strings cited in rec_embedded2.go (the
// ESP-AT command set's AT+CWJAP responses, Zephyr's wifi_shell.c, the Pico
// SDK's cyw43_arch.c, MicroPython's esp_exceptions_helper, the Arduino
// WiFiNINA/WiFi101 examples).
func TestEmbedded2Lines(t *testing.T) {
	emb := diagnostics.SourceEmbedded
	f := diagnostics.Bool(false)
	tests := []struct {
		line string
		rec  string
		want diagnostics.Event
		role role
	}{
		// ESP-AT
		{`AT+CWJAP="abc","0123456789"`, "esp-at",
			diagnostics.Event{Source: emb, Kind: "activation_start", SSID: "abc"}, roleStartRequest},
		{`AT+CWJAP="ab\\\,c","0123456789\"\\"`, "esp-at",
			diagnostics.Event{Source: emb, Kind: "activation_start", SSID: `ab\,c`}, roleStartRequest},
		{`AT+CWJAP_CUR="HomeNet","secret"`, "esp-at",
			diagnostics.Event{Source: emb, Kind: "activation_start", SSID: "HomeNet"}, roleStartRequest},
		{`AT+CWJAP`, "esp-at", diagnostics.Event{Source: emb, Kind: "activation_start"}, roleStartRequest},
		{`AT+CWJAP?`, "esp-at", diagnostics.Event{}, roleNone},
		{`+CWJAP:1`, "esp-at",
			diagnostics.Event{Source: emb, Kind: "deadline", Code: 1, Name: "+CWJAP:1", Message: "AT+CWJAP: connection timeout"}, roleTerminal},
		{`+CWJAP:2`, "esp-at", diagnostics.Event{Source: emb, Kind: "psk_mismatch", Code: 2, Name: "+CWJAP:2 wrong password"}, roleTerminal},
		{`+CWJAP:3`, "esp-at",
			diagnostics.Event{Source: emb, Kind: "scan_verdict", Code: 3, Name: "absent", Message: "+CWJAP:3: cannot find the target AP"}, roleTerminal},
		{`+CWJAP:4`, "esp-at", diagnostics.Event{Source: emb, Kind: "note", Name: "+CWJAP:4 connection failed"}, roleTerminal},
		{`12:34:56.789 -> +CWJAP_CUR:2`, "esp-at", diagnostics.Event{Source: emb, Kind: "psk_mismatch", Code: 2, Name: "+CWJAP:2 wrong password"}, roleTerminal},
		// The answer to AT+CWJAP? is not an error code.
		{`+CWJAP:"abc","ca:d7:19:d8:a6:44",6,-60,0,1,3,0,1`, "", diagnostics.Event{}, roleNone},
		{`WIFI CONNECTED`, "esp-at", diagnostics.Event{Source: emb, Kind: "note", Name: "WIFI CONNECTED"}, roleNone},
		{`WIFI GOT IP`, "esp-at", diagnostics.Event{Source: emb, Kind: "joined", Message: "WIFI GOT IP"}, roleTerminal},
		{`WIFI DISCONNECT`, "esp-at", diagnostics.Event{Source: emb, Kind: "note", Name: "WIFI DISCONNECT"}, roleNone},
		{`busy p...`, "esp-at", diagnostics.Event{Source: emb, Kind: "note", Name: "AT busy: command refused"}, roleNone},
		// Zephyr wifi shell
		{`uart:~$ Connection requested`, "zephyr-wifi", diagnostics.Event{Source: emb, Kind: "activation_start"}, roleStartRequest},
		{`Connection request failed (2)`, "zephyr-wifi",
			diagnostics.Event{Source: emb, Kind: "psk_mismatch", Code: 2, Name: "WIFI_STATUS_CONN_WRONG_PASSWORD"}, roleTerminal},
		{`Connection request failed (3)`, "zephyr-wifi",
			diagnostics.Event{Source: emb, Kind: "deadline", Code: 3, Name: "WIFI_STATUS_CONN_TIMEOUT", Message: "the driver's connect timed out"}, roleTerminal},
		{`Connection request failed (4)`, "zephyr-wifi",
			diagnostics.Event{Source: emb, Kind: "scan_verdict", Code: 4, Name: "absent",
				Message: "WIFI_STATUS_CONN_AP_NOT_FOUND: the driver did not find the AP"}, roleTerminal},
		{`Connection request failed (1)`, "zephyr-wifi", diagnostics.Event{Source: emb, Kind: "note", Name: "connection request failed (1)"}, roleTerminal},
		{`Connection request failed (-5)`, "zephyr-wifi", diagnostics.Event{Source: emb, Kind: "note", Name: "connection request failed (-5)"}, roleTerminal},
		{`Scan request failed (-16)`, "zephyr-wifi", diagnostics.Event{Source: emb, Kind: "scan_done", OK: f, Name: "zephyr"}, roleNone},
		// Pico SDK cyw43_arch (PICO_CYW43_ARCH_DEBUG_ENABLED)
		{`connect status: joining`, "pico-cyw43", diagnostics.Event{Source: emb, Kind: "note", Name: "cyw43 joining"}, roleNone},
		{`connect status: no ip`, "pico-cyw43", diagnostics.Event{Source: emb, Kind: "note", Name: "cyw43 no ip"}, roleNone},
		{`connect status: link up`, "pico-cyw43", diagnostics.Event{Source: emb, Kind: "joined"}, roleTerminal},
		{`connect status: bad auth`, "pico-cyw43", diagnostics.Event{Source: emb, Kind: "psk_mismatch", Name: "CYW43_LINK_BADAUTH"}, roleTerminal},
		{`connect status: link fail`, "pico-cyw43", diagnostics.Event{Source: emb, Kind: "note", Name: "CYW43_LINK_FAIL"}, roleTerminal},
		{`connect status: whatever`, "", diagnostics.Event{}, roleNone},
		// MicroPython on ESP32
		{`OSError: Wifi Internal Error`, "micropython", diagnostics.Event{Source: emb, Kind: "note", Name: "connect refused: already connecting"}, roleNone},
		{`OSError: Wifi Not Started`, "micropython",
			diagnostics.Event{Source: emb, Kind: "radio", OK: f, Name: "ESP_ERR_WIFI_NOT_STARTED", Message: "the Wi-Fi driver is not started (radio off)"}, roleNone},
		{`OSError: Wifi Invalid Password`, "micropython", diagnostics.Event{Source: emb, Kind: "invalid_input", Name: "Wifi Invalid Password"}, roleNone},
		// Arduino WiFiNINA / WiFi101 examples
		{`Communication with WiFi module failed!`, "arduino-wifi",
			diagnostics.Event{Source: emb, Kind: "device", OK: f, Name: "WL_NO_MODULE", Message: "the Wi-Fi module does not answer"}, roleNone},
		{`WiFi shield not present`, "arduino-wifi",
			diagnostics.Event{Source: emb, Kind: "device", OK: f, Name: "WL_NO_SHIELD", Message: "the Wi-Fi shield does not answer"}, roleNone},
		{`Attempting to connect to SSID: HomeNet`, "arduino-wifi",
			diagnostics.Event{Source: emb, Kind: "activation_start", SSID: "HomeNet"}, roleStartRequest},
		// Realtek Ameba (Matter port's join-status handler)
		{`[MATTER-I] Join fail, error_flag = 1 (Can not found target AP)`, "ameba",
			diagnostics.Event{Source: emb, Kind: "scan_verdict", Name: "absent", Message: "Can not found target AP"}, roleTerminal},
		{`Join fail, error_flag = 3 (Wrong Password)`, "ameba", diagnostics.Event{Source: emb, Kind: "psk_mismatch", Name: "RTW_WRONG_PASSWORD"}, roleTerminal},
		{`Join fail, error_flag = 2 (Auth/Assoc/Handshake failed)`, "ameba",
			diagnostics.Event{Source: emb, Kind: "note", Name: "join fail: Auth/Assoc/Handshake failed"}, roleTerminal},
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

func TestEmbedded2Diagnose(t *testing.T) {
	tests := []struct {
		name, log string
		want      diagnostics.Class
	}{
		{"esp-at wrong password", "AT+CWJAP=\"HomeNet\",\"wrong\"\r\nWIFI DISCONNECT\r\n+CWJAP:2\r\n\r\nERROR\r\n", diagnostics.WrongKey},
		{"esp-at not found", "AT+CWJAP=\"Ghost\",\"x\"\n+CWJAP:3\n\nFAIL\n", diagnostics.NotFound},
		{"esp-at timeout", "AT+CWJAP=\"Far\",\"x\"\n+CWJAP:1\nERROR\n", diagnostics.Timeout},
		// Look-alike: a disconnection and a busy answer before the join
		// that works.
		{"esp-at joined", "AT+CWJAP=\"HomeNet\",\"right\"\nWIFI DISCONNECT\nbusy p...\nWIFI CONNECTED\nWIFI GOT IP\n\nOK\n", diagnostics.None},
		{"zephyr wrong password", "uart:~$ wifi connect -s HomeNet -p wrong -k 1\nConnection requested\nConnection request failed (2)\n", diagnostics.WrongKey},
		{"zephyr ap not found", "Connection requested\nConnection request failed (4)\n", diagnostics.NotFound},
		{"pico bad auth", "connect status: joining\nconnect status: bad auth\nfailed to connect.\n", diagnostics.WrongKey},
		// Look-alike: the status lines of a join that works.
		// Second review: "WIFI CONNECTED" does not end the attempt as
		// joined before the join's own answer.
		{"esp-at connected, then timed out", "AT+CWJAP=\"HomeNet\",\"pw\"\nWIFI CONNECTED\n+CWJAP:1\n\nERROR\n", diagnostics.Timeout},
		{"esp-at connected, then wrong key", "AT+CWJAP=\"HomeNet\",\"pw\"\nWIFI CONNECTED\nWIFI DISCONNECT\n+CWJAP:2\n\nERROR\n", diagnostics.WrongKey},
		{"zephyr failed then connected", "uart:~$ wifi connect -s HomeNet -k 1 -p pw\nConnection requested\nConnection request failed (2)\nConnection requested\nConnected\n", diagnostics.WrongKey},
		{"pico joined", "connect status: joining\nconnect status: no ip\nconnect status: link up\nConnected.\n", diagnostics.None},
		{"nina no module", "Communication with WiFi module failed!\n", diagnostics.DeviceUnavailable},
		// Look-alike: a sketch's connect loop ending connected.
		{"nina joined", "Attempting to connect to SSID: HomeNet\nAttempting to connect to SSID: HomeNet\nYou're connected to the network\n", diagnostics.None},
		{"micropython not active", "Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\nOSError: Wifi Not Started\n", diagnostics.RadioOff},
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

func FuzzEmbedded2(f *testing.F) {
	for _, s := range []string{
		`AT+CWJAP="ab\\\,c","0123456789\"\\"`, "+CWJAP:2", "WIFI GOT IP", "busy p...",
		"uart:~$ Connection request failed (-5)", "connect status: bad auth", "OSError: Wifi Internal Error",
		"Communication with WiFi module failed!", "Attempting to connect to SSID: ",
		"[MATTER-I] Join fail, error_flag = 3 (Wrong Password)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		for _, r := range []*recognizer{&recESPAT, &recZephyrWifi, &recCYW43Arch, &recMicroPython, &recArduinoWiFi, &recAmeba} {
			p, res := r.parse(newMessage(line, "", ""))
			if res == take && (p.ev.Kind == "" || p.ev.Source == "") {
				t.Fatalf("%s: %q: %+v", r.name, line, p.ev)
			}
		}
	})
}
