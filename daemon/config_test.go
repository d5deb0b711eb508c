package daemon

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"
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
	merged, _, err := mergeNetworks(nets, nil)
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
		_, _, err = mergeNetworks(nets, nil)
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

// TestStoredDuplicateOfAdminFileSkipped: a network stored through Apply and
// an administrator's file for the same SSID used to reject the whole
// configuration, so the daemon managed nothing (issue 8 item 14). The
// administrator's file wins, the stored copy is skipped with a logged reason,
// and Remove deletes the stored copy.
func TestStoredDuplicateOfAdminFileSkipped(t *testing.T) {
	h := newHarness(t, setup{configs: map[string]string{"home.conf": "ssid = Lab\npriority = 3\n", "cafe.conf": "ssid = Cafe\n"},
		noStart: true})
	stored, err := writeApplied(filepath.Join(h.stateDir, "networks"), Network{SSID: []byte("Lab"), Priority: 9, Security: "wpa-psk", Passphrase: testPass})
	if err != nil {
		t.Fatal(err)
	}
	h.start()
	h.waitOwned()
	st := h.status()
	var ssids [][]byte
	if err := h.call("List").Store(&ssids); err != nil {
		t.Fatal(err)
	}
	got := []any{st["config_error"].Value(), ssids}
	if diff := cmp.Diff([]any{"", [][]byte{[]byte("Lab"), []byte("Cafe")}}, got); diff != "" {
		t.Errorf("config_error, List (-want +got):\n%s\nlogs:\n%s", diff, h.logs.String())
	}
	want := `"file":"` + stored + `","ssid":"Lab","shadowed_by":"` + filepath.Join(h.cfgDir, "home.conf") + `"`
	if !strings.Contains(h.logs.String(), want) {
		t.Errorf("no log of the skipped stored network (want %s):\n%s", want, h.logs.String())
	}
	if err := h.call("Remove", []byte("Lab")).Err; err != nil {
		t.Fatalf("Remove of the shadowed stored copy: %v", err)
	}
	if _, err := os.Stat(stored); !os.IsNotExist(err) {
		t.Errorf("stored copy still there after Remove: %v", err)
	}
	// The administrator's file is untouched and still configures Lab.
	if err := h.call("List").Store(&ssids); err != nil || len(ssids) != 2 {
		t.Errorf("List after Remove = %q, %v; want Lab and Cafe", ssids, err)
	}
	err = h.call("Remove", []byte("Lab")).Err
	if de, ok := err.(dbus.Error); !ok || de.Name != ErrorInvalidInput {
		t.Errorf("second Remove of an administrator's SSID: %v, want InvalidInput", err)
	}
}

// TestInlineCommentRefused: "value   # comment" is not a comment in this
// format, and silently taking it as part of a path or an SSID is what broke
// the documented example; it is refused with a message saying what to do.
func TestInlineCommentRefused(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "home.psk"), testPass+"\n", 0o600)
	for _, tc := range []struct{ text, want string }{
		{"ssid = Home\nsecurity = wpa-psk\npassphrase_file = home.psk          # the key\n",
			`:3: passphrase_file: "#" after a space starts no comment here; put the comment on a line of its own, or quote the value if "#" belongs to it`},
		{"ssid = Home ; mine\n", `:1: ssid: ";" after a space starts no comment here; put the comment on a line of its own, or quote the value if ";" belongs to it`},
	} {
		_, err := ParseNetwork(filepath.Join(dir, "home.conf"), []byte(tc.text), "")
		if err == nil || !strings.HasSuffix(err.Error(), tc.want) {
			t.Errorf("ParseNetwork(%q) = %v, want ...%s", tc.text, err, tc.want)
		}
	}
	// Quoted, '#' is part of the value.
	n, err := ParseNetwork(filepath.Join(dir, "bar.conf"), []byte("ssid = \"Bar #1\"\n"), "")
	if err != nil || string(n.SSID) != "Bar #1" {
		t.Errorf("quoted ssid with #: %q, %v", n.SSID, err)
	}
}

// TestDocsExamplesParse parses every network-file example in docs/daemon.md
// (indented blocks with an ssid line), so that the documentation cannot show
// a file the daemon rejects.
func TestDocsExamplesParse(t *testing.T) {
	doc, err := os.ReadFile("../docs/daemon.md")
	if err != nil {
		t.Fatal(err)
	}
	var blocks [][]string
	var cur []string
	for _, line := range append(strings.Split(string(doc), "\n"), "") {
		if strings.HasPrefix(line, "    ") {
			cur = append(cur, strings.TrimPrefix(line, "    "))
			continue
		}
		if line == "" && cur != nil {
			continue
		}
		if cur != nil {
			blocks = append(blocks, cur)
			cur = nil
		}
	}
	n := 0
	for _, b := range blocks {
		text := strings.Join(b, "\n") + "\n"
		if !strings.Contains(text, "\nssid") && !strings.HasPrefix(text, "ssid") {
			continue
		}
		n++
		dir := t.TempDir()
		// The files an example names exist, with the mode the docs require.
		writeFile(t, filepath.Join(dir, "home.psk"), testPass+"\n", 0o600)
		if _, err := ParseNetwork(filepath.Join(dir, "example.conf"), []byte(text), ""); err != nil {
			t.Errorf("docs/daemon.md example does not parse: %v\n%s", err, text)
		}
	}
	if n == 0 {
		t.Fatal("no network-file example found in docs/daemon.md")
	}
}
