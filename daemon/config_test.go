package daemon

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const testPass = "correct-horse-battery"

func writeFile(t *testing.T, p, s string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}

func TestParseNetwork(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "home.psk"), testPass+"\n", 0o600)
	writeFile(t, filepath.Join(dir, "open.psk"), testPass+"\n", 0o644)
	cred := t.TempDir()
	writeFile(t, filepath.Join(cred, "wifi-home"), testPass, 0o400)

	tests := []struct {
		name, text, cred string
		want             Network
		wantErr          string
	}{
		{name: "full", text: "# home\n[network]\nssid = Home\npriority = 10\nhidden = true\nsecurity = wpa-psk\nbssid = 02:00:00:00:01:00\npassphrase_file = home.psk\n",
			want: Network{SSID: []byte("Home"), Priority: 10, Hidden: true, Security: "wpa-psk", BSSID: "02:00:00:00:01:00",
				Passphrase: testPass, PassphraseFile: filepath.Join(dir, "home.psk")}},
		{name: "hex and quotes", text: "ssid_hex = 0x48ff\n; comment\nsecurity = \"open\"\n",
			want: Network{SSID: []byte{0x48, 0xff}, Security: "open"}},
		{name: "credential", cred: cred, text: "ssid = Home\npassphrase_credential = wifi-home\n",
			want: Network{SSID: []byte("Home"), Security: "auto", Passphrase: testPass, PassphraseCredential: "wifi-home"}},
		{name: "unknown key", text: "ssid = Home\n\nsssid = x\n", wantErr: "F:3: unknown key \"sssid\""},
		{name: "no equals", text: "ssid Home\n", wantErr: "F:1: expected \"key = value\""},
		{name: "bad priority", text: "ssid = a\npriority = high\n", wantErr: "F:2: priority must be an integer"},
		{name: "bad bool", text: "ssid = a\nhidden = maybe\n", wantErr: "F:2: hidden must be true or false"},
		{name: "duplicate", text: "ssid = a\nssid = b\n", wantErr: "F:2: duplicate key \"ssid\" (first set on line 1)"},
		{name: "both ssids", text: "ssid = a\nssid_hex = 61\n", wantErr: "F:2: give ssid or ssid_hex, not both"},
		{name: "long ssid", text: "ssid = 0123456789012345678901234567890123\n", wantErr: "F:1: ssid: an SSID must be 1 to 32 bytes"},
		{name: "bad hex", text: "ssid_hex = zz\n", wantErr: "F:1: ssid: \"zz\" is not valid hex"},
		{name: "bad security", text: "ssid = a\nsecurity = wep\n", wantErr: "F:2: security must be one of"},
		{name: "bad bssid", text: "ssid = a\nbssid = nope\n", wantErr: "F:2: bssid: \"nope\" is not a MAC address"},
		{name: "no ssid", text: "priority = 1\n", wantErr: "F: no ssid (or ssid_hex)"},
		{name: "psk needs pass", text: "ssid = a\nsecurity = sae\n", wantErr: "F:2: security sae needs passphrase_file"},
		{name: "inline passphrase", text: "ssid = a\npsk = " + testPass + "\n", wantErr: "F:2: psk: a passphrase is never written in the network file"},
		{name: "open with passphrase", text: "ssid = a\nsecurity = open\npassphrase_file = home.psk\n", wantErr: "F:2: passphrase: a passphrase was given for an open network"},
		{name: "mode checked", text: "ssid = a\npassphrase_file = open.psk\n", wantErr: "F:2: passphrase_file: " + filepath.Join(dir, "open.psk") + " has mode 0644"},
		{name: "missing file", text: "ssid = a\npassphrase_file = /nonexistent/x\n", wantErr: "F:2: passphrase_file: open /nonexistent/x"},
		{name: "no credentials dir", text: "ssid = a\npassphrase_credential = wifi\n", wantErr: "F:2: passphrase_credential \"wifi\": $CREDENTIALS_DIRECTORY is not set"},
		{name: "bad credential name", cred: cred, text: "ssid = a\npassphrase_credential = ../x\n", wantErr: "F:2: passphrase_credential \"../x\" is not a credential name"},
		{name: "file and credential", cred: cred, text: "ssid = a\npassphrase_file = home.psk\npassphrase_credential = wifi-home\n", wantErr: "F:3: give passphrase_file or passphrase_credential, not both"},
		{name: "section", text: "[wifi]\nssid = a\n", wantErr: "F:1: unknown section [wifi]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "F")
			got, err := ParseNetwork(path, []byte(tt.text), tt.cred)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("no error, want %q", tt.wantErr)
				}
				msg := err.Error()
				want := filepath.Join(dir, tt.wantErr)
				if len(msg) < len(want) || msg[:len(want)] != want {
					t.Errorf("error:\n got %q\nwant prefix %q", msg, want)
				}
				if !errors.Is(err, ErrConfig) {
					t.Errorf("errors.Is(err, ErrConfig) is false for %v", err)
				}
				if contains(msg, testPass) {
					t.Errorf("error contains the passphrase: %q", msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Name, tt.want.File = "F", path
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseNetwork (-want +got):\n%s", diff)
			}
		})
	}
}

func contains(s, sub string) bool { return len(sub) > 0 && len(s) >= len(sub) && indexOf(s, sub) >= 0 }

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "b.conf"), "ssid = B\npriority = 1\n", 0o644)
	writeFile(t, filepath.Join(dir, "a.conf"), "ssid = A\npriority = 5\n", 0o644)
	writeFile(t, filepath.Join(dir, "c.conf"), "ssid = C\npriority = 1\n", 0o644)
	writeFile(t, filepath.Join(dir, ".hidden.conf"), "garbage", 0o644)
	writeFile(t, filepath.Join(dir, "notes.txt"), "garbage", 0o644)
	nets, err := LoadDir(dir, "", false)
	if err != nil {
		t.Fatal(err)
	}
	merged, err := mergeNetworks(nets)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range merged {
		got = append(got, string(n.SSID))
	}
	if diff := cmp.Diff([]string{"A", "B", "C"}, got); diff != "" {
		t.Errorf("order by priority then name (-want +got):\n%s", diff)
	}

	if nets, err := LoadDir(filepath.Join(dir, "missing"), "", false); err != nil || len(nets) != 0 {
		t.Errorf("missing dir: %v, %v; want empty, nil", nets, err)
	}

	writeFile(t, filepath.Join(dir, "d.conf"), "ssid = A\n", 0o644)
	nets, err = LoadDir(dir, "", false)
	if err == nil {
		_, err = mergeNetworks(nets)
	}
	want := filepath.Join(dir, "d.conf") + ": ssid \"A\" is already configured in " + filepath.Join(dir, "a.conf")
	if err == nil || err.Error() != want {
		t.Errorf("duplicate SSID: got %v, want %q", err, want)
	}

	writeFile(t, filepath.Join(dir, "d.conf"), "ssid = D\nprio = 3\n", 0o644)
	_, err = LoadDir(dir, "", false)
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("got %v, want a *ConfigError", err)
	}
	if diff := cmp.Diff(&ConfigError{File: filepath.Join(dir, "d.conf"), Line: 2}, ce, cmpopts.IgnoreFields(ConfigError{}, "Msg")); diff != "" {
		t.Errorf("ConfigError (-want +got):\n%s", diff)
	}
}

func TestAppliedRoundTrip(t *testing.T) {
	dir := t.TempDir()
	n := Network{SSID: []byte{'L', 0xff}, Priority: 3, Security: "wpa-psk", Passphrase: testPass, BSSID: "02:00:00:00:01:00"}
	p, err := writeApplied(dir, n)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{p, filepath.Join(dir, appliedFileName(n.SSID)+".psk")} {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", f, fi.Mode().Perm())
		}
	}
	b, _ := os.ReadFile(p)
	if contains(string(b), testPass) {
		t.Errorf("the .conf file contains the passphrase")
	}
	got, err := LoadDir(dir, "", true)
	if err != nil {
		t.Fatal(err)
	}
	want := []Network{{Name: appliedFileName(n.SSID), File: p, SSID: n.SSID, Priority: 3, Security: "wpa-psk", BSSID: n.BSSID,
		Passphrase: testPass, PassphraseFile: filepath.Join(dir, appliedFileName(n.SSID)+".psk"), Applied: true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if err := removeApplied(dir, n.SSID); err != nil {
		t.Fatal(err)
	}
	if got, _ := LoadDir(dir, "", true); len(got) != 0 {
		t.Errorf("after remove: %v", got)
	}
}
