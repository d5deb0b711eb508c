package logparse

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// rewriteJournal applies f to every entry of a journal export.
func rewriteJournal(t *testing.T, path string, f func(map[string]any)) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var e map[string]any
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		f(e)
		line, _ := json.Marshal(e)
		out.Write(append(line, '\n'))
	}
	return out.Bytes()
}

const wrongKeyJournal = "testdata/corpus/wrong_key--nm-journal-json-4way.json"

// TestForgedJournalEntriesIgnored: SYSLOG_IDENTIFIER is whatever the writer
// says (logger -t wpa_supplicant); journald's trusted fields say who wrote
// the entry. The same wrong-key journal written by a user's logger must not
// give wrong_key (issue 8 item 18), and the report says why it was ignored.
func TestForgedJournalEntriesIgnored(t *testing.T) {
	forged := rewriteJournal(t, wrongKeyJournal, func(e map[string]any) {
		e["_COMM"], e["_EXE"], e["_UID"], e["_TRANSPORT"] = "logger", "/usr/bin/logger", "1000", "syslog"
		e["_SYSTEMD_UNIT"] = "user@1000.service"
	})
	rep, err := Diagnose(context.Background(), bytes.NewReader(forged), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Class == diagnostics.WrongKey || len(rep.Attempts) != 0 {
		t.Errorf("forged entries gave class %s with %d attempts, want no attempt", rep.Class, len(rep.Attempts))
	}
	hint := ""
	for _, h := range rep.Hints {
		if strings.Contains(h, "not written by") {
			hint = h
		}
	}
	want := "ignored 18 journal entries not written by NetworkManager, wpa_supplicant, iwd or the kernel " +
		"(journald's trusted fields say otherwise, e.g. SYSLOG_IDENTIFIER=NetworkManager from _COMM=logger _UID=1000): " +
		"any local user can write such entries (logger -t)"
	if diff := cmp.Diff(want, hint); diff != "" {
		t.Errorf("hint (-want +got):\n%s\nall hints: %q", diff, rep.Hints)
	}
}

// TestTrustedJournalEntriesUsed: the genuine journal (trusted fields naming
// the programs, root) keeps its verdict, also when SYSLOG_IDENTIFIER is
// missing; entries without any trusted field (a hand-made export) are used
// but marked unverified in the evidence.
func TestTrustedJournalEntriesUsed(t *testing.T) {
	tests := []struct {
		name       string
		f          func(map[string]any)
		unverified bool
	}{
		{"as exported", func(e map[string]any) {
			if e["_TRANSPORT"] != "kernel" {
				e["_UID"] = "0"
			}
		}, false},
		{"no SYSLOG_IDENTIFIER", func(e map[string]any) {
			delete(e, "SYSLOG_IDENTIFIER")
			if c, _ := e["_COMM"].(string); c == "networkmanager" {
				e["_COMM"], e["_EXE"], e["_SYSTEMD_UNIT"] = "NetworkManager", "/usr/sbin/NetworkManager", "NetworkManager.service"
			}
		}, false},
		{"no trusted fields", func(e map[string]any) {
			delete(e, "_COMM")
			delete(e, "_TRANSPORT")
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Diagnose(context.Background(), bytes.NewReader(rewriteJournal(t, wrongKeyJournal, tt.f)), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Class != diagnostics.WrongKey {
				t.Fatalf("class %s (%s), want wrong_key", rep.Class, rep.Detail)
			}
			marked := false
			for _, ev := range rep.Attempts[len(rep.Attempts)-1].Evidence {
				if strings.Contains(ev.Text, "(unverified sender)") {
					marked = true
				}
			}
			if marked != tt.unverified {
				t.Errorf("evidence marked unverified: %v, want %v; evidence %+v", marked, tt.unverified, rep.Attempts[len(rep.Attempts)-1].Evidence)
			}
		})
	}
}
