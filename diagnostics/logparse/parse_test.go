package logparse

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// parseOne runs one line through the envelope and message parsers.
func parseOne(line string) (diagnostics.Event, role, bool) {
	lp := newLineParser(2024)
	li, ok := lp.split([]byte(line))
	if !ok {
		return diagnostics.Event{}, roleNone, false
	}
	p, ok := parseMessage(li.msg, li.prog)
	p.ev.Time = li.t
	return p.ev, p.role, ok
}

func TestParseMessage(t *testing.T) {
	f := diagnostics.Bool(false)
	tr := diagnostics.Bool(true)
	tests := []struct {
		line string
		want diagnostics.Event
		role role
	}{
		{`<info>  [1700000000.1234] device (wlan0): state change: config -> failed (reason 'ssid-not-found', managed-type: 'full')`,
			diagnostics.Event{Source: "networkmanager", Kind: "device_state", OldState: "config", State: "failed", Code: 53, Name: "ssid-not-found", Iface: "wlan0"}, roleTerminal},
		{`<info>  [1700000000.1234] device (wlan0): state change: config -> failed (reason 'ssid-not-found') [50 120 53]`,
			diagnostics.Event{Source: "networkmanager", Kind: "device_state", OldState: "config", State: "failed", Code: 53, Name: "ssid-not-found", Iface: "wlan0"}, roleTerminal},
		{`NetworkManager[612]: <info> (wlan0): device state change: 50 -> 120 (reason 7)`,
			diagnostics.Event{Source: "networkmanager", Kind: "device_state", OldState: "config", State: "failed", Code: 7, Name: "no-secrets", Iface: "wlan0"}, roleTerminal},
		{`<info>  [1700000000.1234] device (wlan0): state change: need-auth -> failed (reason 'no-secrets', sys-iface-state: 'managed')`,
			diagnostics.Event{Source: "networkmanager", Kind: "device_state", OldState: "need-auth", State: "failed", Code: 7, Name: "no-secrets", Iface: "wlan0"}, roleTerminal},
		{`<warn>  [1700000000.1234] device (wlan0): Activation: failed for connection 'Home'`,
			diagnostics.Event{Source: "networkmanager", Kind: "note", Name: "activation failed: Home", Iface: "wlan0"}, roleTerminal},
		{`<info>  [1700000000.1234] device (wlan0): supplicant interface state: 4-way handshake -> disconnected`,
			diagnostics.Event{Source: "networkmanager", Kind: "supplicant_state", OldState: "4way_handshake", State: "disconnected", Iface: "wlan0"}, roleNone},
		{`<info>  [1700000000.1234] device (wlan0): Activation: starting connection 'Home' (4c3f)`,
			diagnostics.Event{Source: "networkmanager", Kind: "activation_start", Name: "Home", Iface: "wlan0"}, roleStartDevice},
		{`<info>  [1700000000.1234] policy: auto-activating connection 'Home' (4c3f)`,
			diagnostics.Event{Source: "networkmanager", Kind: "activation_start", Name: "Home"}, roleStartRequest},
		{`<info>  [1700000000.1234] device (wlan0): Activation: successful, device activated.`,
			diagnostics.Event{Source: "networkmanager", Kind: "joined", Iface: "wlan0"}, roleTerminal},
		{`<info>  [1700000000.1234] dhcp4 (wlan0): request timed out`,
			diagnostics.Event{Source: "networkmanager", Kind: "dhcp", OK: f, Name: "timeout", Iface: "wlan0"}, roleNone},
		{`<info>  [1700000000.1234] audit: op="connection-activate" uuid="x" name="Home" pid=1 uid=1000 result="fail" reason="Not authorized to control networking."`,
			diagnostics.Event{Source: "networkmanager", Kind: "permission", Name: "connection-activate"}, roleTerminal},
		{`<info>  [1700000000.1234] manager: rfkill: Wi-Fi now disabled by radio killswitch`,
			diagnostics.Event{Source: "networkmanager", Kind: "radio", OK: f, Name: "soft-blocked"}, roleNone},
		{`<info>  [1700000000.1234] manager: rfkill: Wi-Fi now enabled by radio killswitch`,
			diagnostics.Event{Source: "networkmanager", Kind: "radio", OK: tr}, roleNone},
		{`wlan0: CTRL-EVENT-SCAN-FAILED ret=-16`,
			diagnostics.Event{Source: "wpa_supplicant", Kind: "scan_busy", Code: -16, Name: "EBUSY", Iface: "wlan0"}, roleNone},
		{`wlan0: CTRL-EVENT-SCAN-FAILED ret=-22`,
			diagnostics.Event{Source: "wpa_supplicant", Kind: "scan_done", Code: -22, OK: f, Iface: "wlan0"}, roleNone},
		{`wlan0: CTRL-EVENT-SCAN-RESULTS `,
			diagnostics.Event{Source: "wpa_supplicant", Kind: "scan_done", OK: tr, Iface: "wlan0"}, roleNone},
		{`wlan0: CTRL-EVENT-ASSOC-REJECT bssid=02:00:00:00:01:00 status_code=17`,
			diagnostics.Event{Source: "wpa_supplicant", Kind: "assoc_status", Code: 17, BSSID: "02:00:00:00:01:00", Iface: "wlan0"}, roleNone},
		{`wlan0: CTRL-EVENT-AUTH-REJECT 02:00:00:00:01:00 auth_type=0 auth_transaction=2 status_code=1`,
			diagnostics.Event{Source: "wpa_supplicant", Kind: "auth_status", Code: 1, BSSID: "02:00:00:00:01:00", Iface: "wlan0"}, roleNone},
		{`wlan0: CTRL-EVENT-AUTH-REJECT 02:00:00:00:01:00 auth_type=3 auth_transaction=2 status_code=1`,
			diagnostics.Event{Source: "wpa_supplicant", Kind: "sae_failure", Code: 1, Name: "SAE confirm rejected", BSSID: "02:00:00:00:01:00", Iface: "wlan0"}, roleNone},
		{`wlan0: CTRL-EVENT-AUTH-REJECT 02:00:00:00:01:00 auth_type=3 auth_transaction=1 status_code=77`,
			diagnostics.Event{Source: "wpa_supplicant", Kind: "auth_status", Code: 77, Name: "SAE", BSSID: "02:00:00:00:01:00", Iface: "wlan0"}, roleNone},
		{`wlan0: CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="x" auth_failures=1 duration=10 reason=WRONG_KEY`,
			diagnostics.Event{Source: "wpa_supplicant", Kind: "psk_mismatch", SSID: "x", Iface: "wlan0"}, roleNone},
		{`wlan0: WPA: 4-Way Handshake failed - pre-shared key may be incorrect`,
			diagnostics.Event{Source: "wpa_supplicant", Kind: "psk_mismatch", Iface: "wlan0"}, roleNone},
		{`wlan0: CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:01:00 reason=15 locally_generated=1`,
			diagnostics.Event{Source: "wpa_supplicant", Kind: "disconnect", Code: -15, BSSID: "02:00:00:00:01:00", Iface: "wlan0"}, roleNone},
		{`wlan0: CTRL-EVENT-NETWORK-NOT-FOUND`,
			diagnostics.Event{Source: "wpa_supplicant", Kind: "note", Name: "network-not-found", Iface: "wlan0"}, roleWpaNotFound},
		{`wlan0: SME: Trying to authenticate with 02:00:00:00:01:00 (SSID='test' freq=2412 MHz)`,
			diagnostics.Event{Source: "wpa_supplicant", Kind: "note", Name: "trying to authenticate", BSSID: "02:00:00:00:01:00", SSID: "test", Iface: "wlan0"}, roleStartWpa},
		{`wlan0: SME: Authentication timed out`,
			diagnostics.Event{Source: "wpa_supplicant", Kind: "auth_timeout", Iface: "wlan0"}, roleNone},
		{`wlan0: CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00 completed [id=0 id_str=]`,
			diagnostics.Event{Source: "wpa_supplicant", Kind: "supplicant_state", State: "completed", BSSID: "02:00:00:00:01:00", Iface: "wlan0"}, roleNone},
		{`wlan0: State: ASSOCIATED -> 4WAY_HANDSHAKE`,
			diagnostics.Event{Source: "wpa_supplicant", Kind: "supplicant_state", OldState: "associated", State: "4way_handshake", Iface: "wlan0"}, roleNone},
		{`Nov 14 22:13:20 host kernel: wlan0: authentication with 02:00:00:00:01:00 timed out`,
			diagnostics.Event{Source: "kernel", Kind: "auth_timeout", BSSID: "02:00:00:00:01:00", Iface: "wlan0", Time: time.Date(2024, 11, 14, 22, 13, 20, 0, time.UTC)}, roleNone},
		{`[   12.345678] wlan0: association with 02:00:00:00:01:00 timed out`,
			diagnostics.Event{Source: "kernel", Kind: "assoc_timeout", BSSID: "02:00:00:00:01:00", Iface: "wlan0"}, roleNone},
		{`wlan0: RX AssocResp from 02:00:00:00:01:00 (capab=0x431 status=17 aid=0)`,
			diagnostics.Event{Source: "kernel", Kind: "assoc_status", Code: 17, Name: "privacy", BSSID: "02:00:00:00:01:00", Iface: "wlan0"}, roleNone},
		{`wlan0: RX AssocResp from 02:00:00:00:01:00 (capab=0x401 status=0 aid=1)`,
			diagnostics.Event{Source: "kernel", Kind: "assoc_status", Name: "open", BSSID: "02:00:00:00:01:00", Iface: "wlan0"}, roleNone},
		{`wlan0: denied association (code=17)`,
			diagnostics.Event{Source: "kernel", Kind: "assoc_status", Code: 17, Iface: "wlan0"}, roleNone},
		{`wlan0: send auth to xx:xx:xx:xx:xx:xx (try 3/3)`,
			diagnostics.Event{Source: "kernel", Kind: "note", Name: "send auth (try 3/3)", Iface: "wlan0"}, roleNone},
		{`Error: No network with SSID 'x' found.`,
			diagnostics.Event{Source: "nmcli", Kind: "device_state", State: "failed", Code: 53, Name: "ssid-not-found", SSID: "x"}, roleTerminal},
		{`Error: Connection activation failed: Secrets were required, but not provided.`,
			diagnostics.Event{Source: "nmcli", Kind: "device_state", State: "failed", Code: 7, Name: "no-secrets"}, roleTerminal},
		{`Error: Connection activation failed: IP configuration could not be reserved (no available address, timeout, etc.).`,
			diagnostics.Event{Source: "nmcli", Kind: "device_state", State: "failed", Code: 5, Name: "ip-config-unavailable"}, roleTerminal},
		{`Error: Connection activation failed: The Wi-Fi network could not be found.`,
			diagnostics.Event{Source: "nmcli", Kind: "device_state", State: "failed", Code: 53, Name: "ssid-not-found"}, roleTerminal},
		{"\x1b[2K\rError: No network with SSID 'x' found.",
			diagnostics.Event{Source: "nmcli", Kind: "device_state", State: "failed", Code: 53, Name: "ssid-not-found", SSID: "x"}, roleTerminal},
		{`Error: NetworkManager is not running.`,
			diagnostics.Event{Source: "nmcli", Kind: "backend", OK: f, Name: "networkmanager"}, roleTerminal},
		{`Error: Failed to add/activate new connection: Not authorized to control networking.`,
			diagnostics.Event{Source: "nmcli", Kind: "permission", Name: "not authorized"}, roleTerminal},
		{`Error: Timeout expired (90 seconds)`,
			diagnostics.Event{Source: "nmcli", Kind: "deadline", Name: "nmcli timeout"}, roleTerminal},
		{`$ nmcli --wait 30 dev wifi connect 'Lab Net' password 'x' ifname wlan1`,
			diagnostics.Event{Source: "nmcli", Kind: "activation_start", SSID: "Lab Net", Iface: "wlan1"}, roleStartRequest},
		{`Device 'wlan0' successfully activated with '6f1e'.`,
			diagnostics.Event{Source: "nmcli", Kind: "joined", Iface: "wlan0"}, roleTerminal},
		{`iwd[9429]: event: connect-failed, status: 17`,
			diagnostics.Event{Source: "iwd", Kind: "auth_status", Code: 17}, roleTerminal},
		{`Nov 14 22:13:20 host iwd[9429]: 4-Way handshake failed for ifindex: 3, reason: 15`,
			diagnostics.Event{Source: "iwd", Kind: "psk_mismatch", Time: time.Date(2024, 11, 14, 22, 13, 20, 0, time.UTC)}, roleTerminal},
	}
	for _, tt := range tests {
		got, r, ok := parseOne(tt.line)
		if !ok {
			t.Errorf("%s: not recognised", tt.line)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(diagnostics.Event{}, "Message", "Line"), cmpopts.EquateEmpty(),
			cmpopts.IgnoreFields(diagnostics.Event{}, "Time")); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", tt.line, diff)
		}
		if !tt.want.Time.IsZero() && !got.Time.Equal(tt.want.Time) {
			t.Errorf("%s: time %v, want %v", tt.line, got.Time, tt.want.Time)
		}
		if r != tt.role {
			t.Errorf("%s: role %d, want %d", tt.line, r, tt.role)
		}
	}
}

func TestNoise(t *testing.T) {
	for _, line := range []string{
		`<info>  [1700000000.1] audit: op="connection-deactivate" uuid="x" name="Home" pid=1 uid=0 result="success"`,
		"",
		"Nov 14 22:13:20 host sshd[12]: Accepted publickey for root from 10.0.0.1 port 22",
		"Nov 14 22:13:20 host systemd[1]: Started Session 3 of user root.",
		"<info>  [1700000000.1234] manager: NetworkManager state is now CONNECTING",
		"wlan0: CTRL-EVENT-REGDOM-CHANGE init=CORE type=WORLD",
		`{"MESSAGE":null}`,
		`{"MESSAGE":"Started Session 3"}`,
		`{not json at all CTRL-EVENT-SCAN-RESULTS`,
		"Error: something unrelated went wrong",
	} {
		if ev, _, ok := parseOne(line); ok {
			t.Errorf("%q: recognised as %+v", line, ev)
		}
	}
}

func TestEnvelopes(t *testing.T) {
	msg := "wlan0: CTRL-EVENT-SCAN-RESULTS"
	ts := time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)
	tests := []struct {
		line string
		want time.Time
		host string
	}{
		{"Nov 14 22:13:20 host wpa_supplicant[700]: " + msg, time.Date(2024, 11, 14, 22, 13, 20, 0, time.UTC), "host"},
		{"Nov 14 22:13:20.250000 host wpa_supplicant[700]: " + msg, time.Date(2024, 11, 14, 22, 13, 20, 250e6, time.UTC), "host"},
		{"2023-11-14T23:13:20+0100 host wpa_supplicant[700]: " + msg, ts, "host"},
		{"2023-11-14T23:13:20.500000+01:00 host wpa_supplicant[700]: " + msg, ts.Add(500 * time.Millisecond), "host"},
		{"2023-11-14 22:13:20 host wpa_supplicant[700]: " + msg, ts, "host"},
		{"<30>Nov 14 22:13:20 host wpa_supplicant[700]: " + msg, time.Date(2024, 11, 14, 22, 13, 20, 0, time.UTC), "host"},
		{"1700000000.000000: " + msg, ts, ""},
		{"[Tue Nov 14 22:13:20 2023] " + msg, ts, ""},
		{"[   12.345678] " + msg, time.Time{}, ""},
		{"[2023-11-14 22:13:20.000] " + msg, ts, ""},
		{"    Nov 14 22:13:20 host wpa_supplicant[700]: " + msg, time.Date(2024, 11, 14, 22, 13, 20, 0, time.UTC), "host"},
		{"\t2023-11-14 22:13:20 host wpa_supplicant[700]: " + msg, ts, "host"},
		{"> Nov 14 22:13:20 host wpa_supplicant[700]: " + msg, time.Date(2024, 11, 14, 22, 13, 20, 0, time.UTC), "host"},
		{msg, time.Time{}, ""},
		{`{"__REALTIME_TIMESTAMP":"1700000000000000","_HOSTNAME":"host","SYSLOG_IDENTIFIER":"wpa_supplicant","MESSAGE":"` + msg + `"}`, ts, "host"},
	}
	for _, tt := range tests {
		lp := newLineParser(2024)
		li, ok := lp.split([]byte(tt.line))
		if !ok {
			t.Errorf("%q: not split", tt.line)
			continue
		}
		if li.msg != msg {
			t.Errorf("%q: message %q", tt.line, li.msg)
		}
		if !li.t.Equal(tt.want) {
			t.Errorf("%q: time %v, want %v", tt.line, li.t, tt.want)
		}
		if li.host != tt.host {
			t.Errorf("%q: host %q, want %q", tt.line, li.host, tt.host)
		}
	}
}

func TestJournalJSONQuirks(t *testing.T) {
	msg := "wlan0: CTRL-EVENT-ASSOC-REJECT bssid=02:00:00:00:01:00 status_code=17"
	bytesMsg := func(s string) string {
		parts := make([]string, len(s))
		for i := range len(s) {
			parts[i] = fmt.Sprint(s[i])
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	for _, line := range []string{
		`{"__CURSOR":"s=1;i=2","__REALTIME_TIMESTAMP":"1700000000000000","SYSLOG_IDENTIFIER":"wpa_supplicant","MESSAGE":"` + msg + `"}`,
		// Not UTF-8: MESSAGE is an array of byte values.
		`{"__REALTIME_TIMESTAMP":"1700000000000000","SYSLOG_IDENTIFIER":"wpa_supplicant","MESSAGE":` + bytesMsg(msg+" \xff") + `}`,
		// A repeated field is an array of values.
		`{"__REALTIME_TIMESTAMP":"1700000000000000","SYSLOG_IDENTIFIER":["wpa_supplicant","wpa"],"MESSAGE":["` + msg + `","second"]}`,
		// journalctl -o json-seq puts a record separator first.
		"\x1e" + `{"__REALTIME_TIMESTAMP":"1700000000000000","SYSLOG_IDENTIFIER":"wpa_supplicant","MESSAGE":"` + msg + `"}`,
		// An oversized field is null; unknown fields are ignored.
		`{"__REALTIME_TIMESTAMP":"1700000000000000","SYSLOG_IDENTIFIER":"wpa_supplicant","COREDUMP":null,"MESSAGE" : "` + msg + `"}`,
	} {
		ev, _, ok := parseOne(line)
		if !ok {
			t.Errorf("%s: not recognised", line)
			continue
		}
		want := diagnostics.Event{Source: "wpa_supplicant", Kind: "assoc_status", Code: 17, BSSID: "02:00:00:00:01:00", Iface: "wlan0",
			Time: time.Unix(1700000000, 0).UTC()}
		if diff := cmp.Diff(want, ev, cmpopts.IgnoreFields(diagnostics.Event{}, "Message")); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", line, diff)
		}
	}
	if c := journalCursor([]byte(`{"__CURSOR":"s=abc;i=5","MESSAGE":"x"}`)); c != "s=abc;i=5" {
		t.Errorf("cursor %q", c)
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{`nmcli dev wifi connect Home password hunter2`, `nmcli dev wifi connect Home password [redacted]`},
		{`nmcli dev wifi connect Home password 'hunter 2'`, `nmcli dev wifi connect Home password [redacted]`},
		{`psk="hunter2"`, `psk=[redacted]`},
		{`wpa_passphrase=hunter2`, `wpa_passphrase=[redacted]`},
		{`sae_password=hunter2 id=1`, `sae_password=[redacted] id=1`},
		{`nmcli c add wifi-sec.psk hunter2`, `nmcli c add wifi-sec.psk [redacted]`},
		{`PSK (hex): 0123456789abcdef0123456789abcdef`, `PSK (hex): [redacted]`},
		{`WPA: PMK - hexdump(len=32): 01 02 03 04 05 06 07 08 09`, `WPA: PMK - hexdump(len=32): [redacted]`},
		{`PSK (ASCII passphrase) - hexdump_ascii(len=7): 68 75 6e 74 65 72 32`, `PSK (ASCII passphrase) - hexdump_ascii(len=7): [redacted]`},
		{`psk=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef`, `psk=[redacted]`},
		{`key 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef end`, `key [redacted] end`},
		// Positional passphrases: ESP-AT's echo, REPL and console lines.
		{`AT+CWJAP="HomeNet","hunter2-not-real"`, `AT+CWJAP="HomeNet",[redacted]`},
		{`AT+CWJAP_DEF="Home\"Net","Sup3r,S3cret!"`, `AT+CWJAP_DEF="Home\"Net",[redacted]`},
		{`>>> wlan.connect('HomeNet', 'hunter2')`, `>>> wlan.connect('HomeNet', [redacted])`},
		{`WiFi.begin(ssid, password);`, `WiFi.begin(ssid, [redacted]);`},
		{`$ wpa_passphrase HomeNet hunter2 > /etc/wpa.conf`, `$ wpa_passphrase [redacted] [redacted] > /etc/wpa.conf`}, // over-redacts the SSID too (the key=value rule reads "passphrase VALUE")
		{`AT+CWJAP?`, `AT+CWJAP?`},
		// Left alone: reason names and NetworkManager's own placeholders.
		{`state change: need-auth -> failed (reason 'no-secrets')`, `state change: need-auth -> failed (reason 'no-secrets')`},
		{`Secrets were required, but not provided.`, `Secrets were required, but not provided.`},
		{`Config: added 'psk' value '<hidden>'`, `Config: added 'psk' value '<hidden>'`},
	}
	for _, tt := range tests {
		if got := redact(tt.in); got != tt.want {
			t.Errorf("redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSecretsNeverInReport(t *testing.T) {
	in := strings.Join([]string{
		`$ nmcli device wifi connect Home password Sup3rS3cret!`,
		`wlan0: SME: Trying to authenticate with 02:00:00:00:01:00 (SSID='Home' freq=2412 MHz) psk=Sup3rS3cret!`,
		`wlan0: WPA: 4-Way Handshake failed - pre-shared key may be incorrect passphrase="correct horse battery"`,
		`Error: Connection activation failed: Secrets were required, but not provided.`,
	}, "\n")
	rep, err := Diagnose(context.Background(), strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	validate(t, reportSchema(t), rep)
	if rep.Class != diagnostics.WrongKey {
		t.Errorf("class %s", rep.Class)
	}
}

func TestBinaryInput(t *testing.T) {
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte("wlan0: CTRL-EVENT-SCAN-RESULTS\n"))
	w.Close()
	elf := append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 64)...)
	for name, in := range map[string][]byte{"gzip": gz.Bytes(), "elf": elf, "nul": []byte("abc\x00def\n"), "utf16": []byte("\xff\xfeE\x00r\x00r\x00")} {
		_, err := Diagnose(context.Background(), bytes.NewReader(in), Options{})
		if !errors.Is(err, ErrBinary) {
			t.Errorf("%s: err = %v, want ErrBinary", name, err)
			continue
		}
		var pe *Error
		if !errors.As(err, &pe) || pe.Op != "diagnose" {
			t.Errorf("%s: err %T is not *Error", name, err)
		}
		if !strings.Contains(err.Error(), "input is binary, not a log: ") {
			t.Errorf("%s: message %q", name, err)
		}
	}
}

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n > 0 {
		f.n--
		return copy(p, "wlan0: CTRL-EVENT-SCAN-RESULTS\n"), nil
	}
	return 0, os.ErrPermission
}

func TestReadError(t *testing.T) {
	_, err := Diagnose(context.Background(), &failingReader{n: 2}, Options{})
	if !errors.Is(err, os.ErrPermission) {
		t.Fatalf("err = %v", err)
	}
}

func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Diagnose(ctx, strings.NewReader(strings.Repeat("noise\n", 5000)), Options{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestLongLines(t *testing.T) {
	in := strings.Repeat("x", 5000) + " CTRL-EVENT-SCAN-RESULTS\n" +
		"Error: No network with SSID 'x' found.\n"
	rep, err := Diagnose(context.Background(), strings.NewReader(in), Options{MaxLineBytes: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Attempts) != 1 || rep.Class != diagnostics.NotFound {
		t.Fatalf("attempts %d class %s", len(rep.Attempts), rep.Class)
	}
	if ev := rep.Attempts[0].Events[0]; ev.Line != 2 {
		t.Errorf("line %d, want 2", ev.Line)
	}
	if len(rep.Hints) == 0 || !strings.Contains(rep.Hints[0], "longer than") {
		t.Errorf("hints %q", rep.Hints)
	}
}

func nmLine(sec int, msg string) string {
	return fmt.Sprintf("Nov 14 22:%02d:%02d host NetworkManager[1]: <info>  [%d.0000] %s", sec/60, sec%60, 1700000000+sec, msg)
}

func wpaLine(sec int, msg string) string {
	return fmt.Sprintf("Nov 14 22:%02d:%02d host wpa_supplicant[2]: wlan0: %s", sec/60, sec%60, msg)
}

// attemptLog is a log with three attempts: refused scans then
// ssid-not-found; an association rejection; a success.
func attemptLog() []string {
	return []string{
		nmLine(0, "device (wlan0): Activation: starting connection 'Home' (1)"),
		wpaLine(1, "CTRL-EVENT-SCAN-FAILED ret=-16 retry=1"),
		wpaLine(2, "CTRL-EVENT-SCAN-FAILED ret=-16 retry=1"),
		nmLine(25, "device (wlan0): state change: config -> failed (reason 'ssid-not-found', managed-type: 'full')"),
		nmLine(25, "device (wlan0): Activation: failed for connection 'Home'"),
		nmLine(25, "device (wlan0): state change: failed -> disconnected (reason 'none', managed-type: 'full')"),
		"Nov 14 22:00:30 host sshd[3]: noise",
		nmLine(40, "policy: auto-activating connection 'Home' (1)"),
		nmLine(40, "device (wlan0): Activation: starting connection 'Home' (1)"),
		wpaLine(41, "SME: Trying to authenticate with 02:00:00:00:01:00 (SSID='Home' freq=2412 MHz)"),
		wpaLine(41, "CTRL-EVENT-AUTH-REJECT 02:00:00:00:01:00 auth_type=0 auth_transaction=2 status_code=17"),
		nmLine(65, "device (wlan0): state change: config -> failed (reason 'ssid-not-found', managed-type: 'full')"),
		nmLine(80, "device (wlan0): Activation: starting connection 'Home' (1)"),
		wpaLine(81, "CTRL-EVENT-SCAN-RESULTS"),
		wpaLine(82, "CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00 completed [id=0 id_str=]"),
		nmLine(83, "device (wlan0): state change: secondaries -> activated (reason 'none', managed-type: 'full')"),
		nmLine(83, "device (wlan0): Activation: successful, device activated."),
	}
}

func TestSplitAttempts(t *testing.T) {
	type att struct {
		Class diagnostics.Class
		BSSID string
		First int
		Last  int
	}
	summarize := func(rep *diagnostics.Report) []att {
		var out []att
		for _, a := range rep.Attempts {
			out = append(out, att{a.Class, a.BSSID, a.Events[0].Line, a.Events[len(a.Events)-1].Line})
		}
		return out
	}
	lines := attemptLog()
	rep, err := Diagnose(context.Background(), strings.NewReader(strings.Join(lines, "\n")), Options{Year: 2023})
	if err != nil {
		t.Fatal(err)
	}
	want := []att{
		{diagnostics.ScanBusy, "", 1, 6},
		{diagnostics.AssocRejected, "02:00:00:00:01:00", 8, 12},
		{diagnostics.None, "02:00:00:00:01:00", 13, 17},
	}
	if diff := cmp.Diff(want, summarize(rep)); diff != "" {
		t.Errorf("attempts (-want +got)\n%s", diff)
	}
	// The top-level verdict is the last failed attempt's.
	if rep.Class != diagnostics.AssocRejected || rep.Outcome != diagnostics.OutcomeFailed || rep.Interface != "wlan0" || rep.SSID != "Home" {
		t.Errorf("top level: class %s outcome %s iface %q ssid %q", rep.Class, rep.Outcome, rep.Interface, rep.SSID)
	}
	validate(t, reportSchema(t), rep)

	// journalctl -r: the same log reversed gives the same attempts, with
	// their original line numbers.
	rev := make([]string, len(lines))
	for i, l := range lines {
		rev[len(lines)-1-i] = l
	}
	rrep, err := Diagnose(context.Background(), strings.NewReader(strings.Join(rev, "\n")), Options{Year: 2023})
	if err != nil {
		t.Fatal(err)
	}
	n := len(lines) + 1
	wantRev := []att{
		{diagnostics.ScanBusy, "", n - 1, n - 6},
		{diagnostics.AssocRejected, "02:00:00:00:01:00", n - 8, n - 12},
		{diagnostics.None, "02:00:00:00:01:00", n - 13, n - 17},
	}
	if diff := cmp.Diff(wantRev, summarize(rrep)); diff != "" {
		t.Errorf("reversed attempts (-want +got)\n%s", diff)
	}
}

func TestNoAttempt(t *testing.T) {
	rep, err := Diagnose(context.Background(), strings.NewReader("hello\nworld\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Class != diagnostics.None || len(rep.Attempts) != 0 || rep.Detail == "" {
		t.Errorf("class %s attempts %d detail %q", rep.Class, len(rep.Attempts), rep.Detail)
	}
	validate(t, reportSchema(t), rep)
}

func TestBenchKeysInSync(t *testing.T) {
	b, err := os.ReadFile("bench/keys.txt")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		got = append(got, l)
	}
	if diff := cmp.Diff(keys, got); diff != "" {
		if os.Getenv("LOGPARSE_WRITE_KEYS") != "" {
			if err := os.WriteFile("bench/keys.txt", []byte(strings.Join(keys, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("bench/keys.txt differs from keys (-want +got); LOGPARSE_WRITE_KEYS=1 rewrites it\n%s", diff)
	}
}

var _ = io.EOF

func TestSSIDEscapes(t *testing.T) {
	tests := []struct{ in, want string }{
		{`Home`, `Home`},
		{`caf\xc3\xa9`, "café"},
		{`Tanay\xe2\x80\x99s iPhone`, "Tanay’s iPhone"},
		{`a\"b\\c`, `a"b\c`},
		{`bad\xff`, "0x626164ff"},
		{`[redacted]`, ``},
		{`<hidden>`, ``},
	}
	for _, tt := range tests {
		if got := cleanSSID(tt.in); got != tt.want {
			t.Errorf("cleanSSID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	rep, err := Diagnose(context.Background(), strings.NewReader(
		"wlan0: SME: Trying to authenticate with 02:00:00:00:01:00 (SSID='bad\\xff' freq=2412 MHz)\n"+
			"wlan0: CTRL-EVENT-AUTH-REJECT 02:00:00:00:01:00 auth_type=0 auth_transaction=2 status_code=1\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.SSID != "0x626164ff" || rep.SSIDHex != "626164ff" || rep.Class != diagnostics.AssocRejected {
		t.Errorf("ssid %q hex %q class %s", rep.SSID, rep.SSIDHex, rep.Class)
	}
}

// TestWpaSupplicantAlone: without NetworkManager lines, wpa_supplicant's own
// retries split attempts, CTRL-EVENT-CONNECTED ends one as joined and
// CTRL-EVENT-NETWORK-NOT-FOUND makes one not_found.
func TestWpaSupplicantAlone(t *testing.T) {
	tests := []struct {
		name string
		log  []string
		want []diagnostics.Class
	}{
		{"retry then join", []string{
			"1700000000.000000: wlan0: SME: Trying to authenticate with 02:00:00:00:01:00 (SSID='Home' freq=2412 MHz)",
			"1700000001.000000: wlan0: SME: Authentication timed out",
			"1700000002.000000: wlan0: SME: Trying to authenticate with 02:00:00:00:01:00 (SSID='Home' freq=2412 MHz)",
			"1700000002.100000: wlan0: Trying to associate with 02:00:00:00:01:00 (SSID='Home' freq=2412 MHz)",
			"1700000002.300000: wlan0: CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00 completed [id=0 id_str=]",
		}, []diagnostics.Class{diagnostics.AssocRejected, diagnostics.None}},
		{"not found", []string{
			"wlan0: CTRL-EVENT-SCAN-STARTED ",
			"wlan0: CTRL-EVENT-SCAN-RESULTS ",
			"wlan0: CTRL-EVENT-NETWORK-NOT-FOUND",
			"wlan0: CTRL-EVENT-SCAN-RESULTS ",
			"wlan0: CTRL-EVENT-NETWORK-NOT-FOUND",
		}, []diagnostics.Class{diagnostics.NotFound}},
		{"wrong key", []string{
			"wlan0: SME: Trying to authenticate with 02:00:00:00:01:00 (SSID='Home' freq=2412 MHz)",
			"wlan0: Trying to associate with 02:00:00:00:01:00 (SSID='Home' freq=2412 MHz)",
			"wlan0: WPA: 4-Way Handshake failed - pre-shared key may be incorrect",
			"wlan0: CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:01:00 reason=15",
			"wlan0: CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid=\"Home\" auth_failures=1 duration=10 reason=WRONG_KEY",
		}, []diagnostics.Class{diagnostics.WrongKey}},
	}
	for _, tt := range tests {
		rep, err := Diagnose(context.Background(), strings.NewReader(strings.Join(tt.log, "\n")), Options{})
		if err != nil {
			t.Fatal(err)
		}
		var got []diagnostics.Class
		for _, a := range rep.Attempts {
			got = append(got, a.Class)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: classes (-want +got)\n%s", tt.name, diff)
		}
	}
}

// TestAttemptBounded: an attempt that never ends keeps its first and last
// events only, and says how many it left out.
func TestAttemptBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(nmLine(0, "device (wlan0): Activation: starting connection 'Home' (1)") + "\n")
	for i := range 5000 {
		b.WriteString(wpaLine(1+i%50, "CTRL-EVENT-SCAN-FAILED ret=-16 retry=1") + "\n")
	}
	b.WriteString(nmLine(59, "device (wlan0): state change: config -> failed (reason 'ssid-not-found', managed-type: 'full')") + "\n")
	rep, err := Diagnose(context.Background(), strings.NewReader(b.String()), Options{Year: 2023})
	if err != nil {
		t.Fatal(err)
	}
	a := rep.Attempts[0]
	if len(rep.Attempts) != 1 || a.Class != diagnostics.ScanBusy || len(a.Events) > maxAttemptEvents+1 {
		t.Fatalf("attempts %d class %s events %d", len(rep.Attempts), a.Class, len(a.Events))
	}
	if a.Events[0].Kind != diagnostics.KindActivationStart || !strings.Contains(a.Detail, "left out") {
		t.Errorf("first event %s, detail %q", a.Events[0].Kind, a.Detail)
	}
}

func TestOtherDevicesIgnored(t *testing.T) {
	for _, line := range []string{
		`<info>  [1700000000.1] device (lo): Activation: successful, device activated.`,
		`<info>  [1700000000.1] device (enp9s0): Activation: starting connection 'Wired connection 1' (9e59)`,
		`<info>  [1700000000.1] device (eth0): state change: config -> failed (reason 'dhcp-failed', managed-type: 'full')`,
		`<info>  [1700000000.1] device (p2p-dev-wlan0): state change: unmanaged -> unavailable (reason 'managed', managed-type: 'external')`,
		`<info>  [1700000000.1] device (docker0): state change: ip-config -> activated (reason 'none')`,
	} {
		if ev, _, ok := parseOne(line); ok {
			t.Errorf("%s: recognised as %+v", line, ev)
		}
	}
	if _, _, ok := parseOne(`<info>  [1700000000.1] device (wlp14s0u2i2): state change: config -> need-auth (reason 'none', managed-type: 'full')`); !ok {
		t.Error("Wi-Fi device line not recognised")
	}
}

func TestBareRequestIsNoAttempt(t *testing.T) {
	in := nmLine(0, `audit: op="connection-activate" uuid="9e59" name="Wired connection 1" pid=1131 uid=1000 result="success"`) + "\n" +
		nmLine(1, "device (enp9s0): Activation: starting connection 'Wired connection 1' (9e59)") + "\n"
	rep, err := Diagnose(context.Background(), strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Attempts) != 0 || rep.Class != diagnostics.None {
		t.Errorf("attempts %d class %s", len(rep.Attempts), rep.Class)
	}
}

// TestCancelledAttempt: an attempt withdrawn by its requester keeps its
// verdict but does not make the top-level class.
func TestCancelledAttempt(t *testing.T) {
	in := strings.Join([]string{
		nmLine(0, "device (wlan0): Activation: starting connection 'Home' (1)"),
		nmLine(45, "device (wlan0): state change: ip-config -> failed (reason 'ip-config-unavailable', managed-type: 'full')"),
		nmLine(50, "device (wlan0): Activation: starting connection 'Home' (1)"),
		nmLine(51, "device (wlan0): state change: config -> ip-config (reason 'none', managed-type: 'full')"),
		nmLine(80, "device (wlan0): state change: ip-config -> deactivating (reason 'user-requested', managed-type: 'full')"),
		wpaLine(80, "CTRL-EVENT-DISCONNECTED bssid=02:00:00:00:01:00 reason=3 locally_generated=1"),
		nmLine(80, "device (wlan0): state change: deactivating -> disconnected (reason 'user-requested', managed-type: 'full')"),
	}, "\n")
	rep, err := Diagnose(context.Background(), strings.NewReader(in), Options{Year: 2023})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Attempts) != 2 || rep.Class != diagnostics.DHCPFailed || !strings.HasPrefix(rep.Attempts[1].Detail, "cancelled by its requester") {
		t.Errorf("attempts %d class %s; second: %s %q", len(rep.Attempts), rep.Class, rep.Attempts[1].Class, rep.Attempts[1].Detail)
	}
}

// TestShutdownIsNoAttempt: NetworkManager stopping at shutdown, after a
// successful join, is not a failed attempt; stopped and never restarted,
// with no attempt at all in the log, it is backend_unavailable.
func TestShutdownIsNoAttempt(t *testing.T) {
	join := []string{
		nmLine(0, "device (wlan0): Activation: starting connection 'Home' (1)"),
		nmLine(5, "device (wlan0): state change: secondaries -> activated (reason 'none', managed-type: 'full')"),
		nmLine(5, "device (wlan0): Activation: successful, device activated."),
	}
	stop := []string{
		nmLine(100, "caught SIGTERM, shutting down normally."),
		nmLine(100, "device (wlan0): state change: activated -> unmanaged (reason 'unmanaged', sys-iface-state: 'managed')"),
		nmLine(101, "exiting (success)"),
	}
	for _, tt := range []struct {
		lines []string
		want  diagnostics.Class
		n     int
	}{
		{append(append([]string{}, join...), stop...), diagnostics.None, 1},
		{stop, diagnostics.BackendUnavailable, 1},
	} {
		rep, err := Diagnose(context.Background(), strings.NewReader(strings.Join(tt.lines, "\n")), Options{Year: 2023})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Class != tt.want || len(rep.Attempts) != tt.n {
			t.Errorf("class %s attempts %d, want %s %d", rep.Class, len(rep.Attempts), tt.want, tt.n)
		}
	}
}

// TestLocalDisconnectOpensNothing: without NetworkManager, a failure outside
// any attempt opens one, but a disconnection the station asked for does not.
func TestLocalDisconnectOpensNothing(t *testing.T) {
	for _, tt := range []struct {
		line string
		n    int
	}{
		{"[ 3600.000000] wlan0: deauthenticating from 14:cc:20:91:94:41 by local choice (Reason: 3=DEAUTH_LEAVING)", 0},
		{"[ 3600.000000] wlan0: authentication with 14:cc:20:91:94:41 timed out", 1},
	} {
		rep, err := Diagnose(context.Background(), strings.NewReader(tt.line), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Attempts) != tt.n {
			t.Errorf("%s: %d attempts, want %d", tt.line, len(rep.Attempts), tt.n)
		}
	}
}
