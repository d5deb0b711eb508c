package daemon

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func TestStderrIsJournal(t *testing.T) {
	var st syscall.Stat_t
	if err := syscall.Fstat(2, &st); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		env  string
		want bool
	}{
		{"", false},
		{fmt.Sprintf("%d:%d", st.Dev, st.Ino), true},
		{fmt.Sprintf("%d:%d", st.Dev, st.Ino+1), false}, // inherited, but stderr was redirected
		{"garbage", false},
	} {
		t.Setenv("JOURNAL_STREAM", tt.env)
		if got := StderrIsJournal(); got != tt.want {
			t.Errorf("JOURNAL_STREAM=%q: got %t, want %t", tt.env, got, tt.want)
		}
	}
}

func TestWatchDir(t *testing.T) {
	dir := t.TempDir()
	ch, stop, err := watchDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	expect := func(what string, want bool) {
		t.Helper()
		select {
		case <-ch:
			if !want {
				t.Errorf("%s: unexpected notification", what)
			}
		case <-time.After(300 * time.Millisecond):
			if want {
				t.Errorf("%s: no notification", what)
			}
		}
	}
	writeFile(t, filepath.Join(dir, ".tmp-x"), "x", 0o600)
	expect("hidden file", false)
	writeFile(t, filepath.Join(dir, "a.conf"), "ssid = a\n", 0o644)
	expect("write", true)
	if err := os.Rename(filepath.Join(dir, ".tmp-x"), filepath.Join(dir, "b.conf")); err != nil {
		t.Fatal(err)
	}
	expect("rename into place", true)
	if err := os.Remove(filepath.Join(dir, "a.conf")); err != nil {
		t.Fatal(err)
	}
	expect("delete", true)
}
