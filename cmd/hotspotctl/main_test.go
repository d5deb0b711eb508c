package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// runCLI runs the command in-process with stdin from a file and returns the
// exit status and both outputs.
func runCLI(t *testing.T, stdin string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	in := filepath.Join(t.TempDir(), "stdin")
	if err := os.WriteFile(in, []byte(stdin), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out, errb bytes.Buffer
	code := run(args, f, &out, &errb)
	return code, out.String(), errb.String()
}

func TestInvalidInputExitsTwoWithSpecificMessage(t *testing.T) {
	t.Setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/hotspotctl-test-bus")
	long := strings.Repeat("s", 33)
	tests := []struct {
		name string
		env  map[string]string
		args []string
		msg  string
	}{
		{"ssid too long", nil, []string{"join", long}, "an SSID must be 1 to 32 bytes; this one is 33 bytes"},
		{"empty ssid", nil, []string{"join", ""}, "an SSID must be 1 to 32 bytes; it is empty"},
		{"bad hex", nil, []string{"join", "--hex", "zz"}, `"zz" is not valid hex`},
		{"short passphrase", map[string]string{"HOTSPOTCTL_PASSPHRASE": "short"}, []string{"join", "Cafe"}, "8 to 63 characters or 64 hex digits (got 5)"},
		{"non-ascii passphrase", map[string]string{"HOTSPOTCTL_PASSPHRASE": "pässwörd-1234"}, []string{"join", "Cafe"}, "printable ASCII"},
		{"unknown interface", nil, []string{"join", "Cafe", "--ifname", "nosuch0"}, `no interface named "nosuch0"`},
		{"not wifi", nil, []string{"join", "Cafe", "--ifname", "lo"}, `interface "lo" is not a Wi-Fi interface`},
		{"ssid and prefix", nil, []string{"join", "Cafe", "--ssid-prefix", "Ca"}, "not both"},
		{"no ssid", nil, []string{"join"}, "join needs an SSID"},
		{"bad security", nil, []string{"join", "Cafe", "--security", "wep"}, `"wep" is not one of auto, open, wpa-psk, sae`},
		{"psk without passphrase", nil, []string{"join", "Cafe", "--security", "wpa-psk"}, "needs a passphrase"},
		{"bad bssid", nil, []string{"join", "Cafe", "--bssid", "xx"}, "is not a MAC address"},
		{"hidden with prefix", nil, []string{"join", "--ssid-prefix", "Ca", "--hidden"}, "--hidden needs the exact SSID"},
		{"missing report dir", nil, []string{"join", "Cafe", "--report", "/nonexistent/dir/r.json"}, "does not exist"},
		{"unknown flag", nil, []string{"join", "Cafe", "--passphrase", "x"}, "unknown flag: --passphrase"},
		{"bad log level", nil, []string{"--log-level", "loud", "status"}, "--log-level"},
		{"scan window past timeout", nil, []string{"join", "Cafe", "--timeout", "20s", "--scan-window", "30s"}, "scan-window: must be shorter than the timeout"},
		{"forget long ssid", nil, []string{"forget", long}, "1 to 32 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, "", tt.env, tt.args...)
			if code != 2 || !strings.Contains(errs, tt.msg) {
				t.Errorf("exit %d, stderr %q; want exit 2 with %q", code, errs, tt.msg)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing for invalid input", out)
			}
		})
	}
}

func TestPassphraseFileAndNoLeak(t *testing.T) {
	t.Setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/hotspotctl-test-bus")
	secret := "file-secret-passphrase"
	dir := t.TempDir()
	pf := filepath.Join(dir, "pass")
	if err := os.WriteFile(pf, []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rp := filepath.Join(dir, "report.json")
	code, out, errs := runCLI(t, "", nil, "join", "Cafe", "--passphrase-file", pf, "--report", rp, "--log-level", "debug", "--timeout", "5s")
	if code != 17 {
		t.Errorf("exit %d, want 17 (backend_unavailable: no system bus)\n%s", code, errs)
	}
	b, err := os.ReadFile(rp)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(rp)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("report mode %v, want 0600", fi.Mode().Perm())
	}
	for name, s := range map[string]string{"stdout": out, "stderr": errs, "report": string(b)} {
		if strings.Contains(s, secret) {
			t.Errorf("%s contains the passphrase", name)
		}
	}
	if !strings.Contains(string(b), `"class": "backend_unavailable"`) {
		t.Errorf("report lacks the class:\n%s", b)
	}

	// The same passphrase on standard input.
	code, _, errs = runCLI(t, secret+"\n", nil, "join", "Cafe", "--passphrase-file", "-", "--json", "--timeout", "5s")
	if code != 17 || strings.Contains(errs, secret) {
		t.Errorf("stdin passphrase: exit %d stderr %q", code, errs)
	}
}

func TestCompletionAndHelp(t *testing.T) {
	code, out, _ := runCLI(t, "", nil, "completion", "bash")
	if code != 0 || !strings.Contains(out, "hotspotctl") {
		t.Errorf("completion bash: exit %d", code)
	}
	code, out, _ = runCLI(t, "", nil, "join", "--help")
	for _, flag := range []string{"--ifname", "--hidden", "--bssid", "--security", "--passphrase-file", "--once", "--ssid-prefix", "--timeout", "--attempts", "--report", "--json"} {
		if !strings.Contains(out, flag) {
			t.Errorf("join --help lacks %s", flag)
		}
	}
	if code != 0 {
		t.Errorf("help exit %d", code)
	}
}

func TestReadPassphraseTrimsOneNewline(t *testing.T) {
	dir := t.TempDir()
	for in, want := range map[string]string{"abcdefgh\n": "abcdefgh", "abcdefgh\r\n": "abcdefgh", "abc def \n\n": "abc def \n"} {
		p := filepath.Join(dir, "p")
		os.WriteFile(p, []byte(in), 0o600)
		got, err := readPassphrase(&globals{}, p, "auto")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("readPassphrase(%q) (-want +got):\n%s", in, diff)
		}
	}
}
