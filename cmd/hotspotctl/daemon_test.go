package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/daemon"
	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/nm"
	"github.com/hotspotctl/hotspotctl/nm/nmtest"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestDaemonCommand runs `hotspotctl daemon` in-process on a private bus
// with a fake NetworkManager, joins through it with `hotspotctl join` (which
// must find it and call Join), then delivers a real SIGTERM: the daemon
// exits 0 and leaves only whole reports.
func TestDaemonCommand(t *testing.T) {
	const pass = "wrong-horse-battery"
	addr := nmtest.StartBus(t)
	nmtest.New(t, addr, nmtest.Scenario{
		APs:        []nmtest.AP{{SSID: []byte("Lab"), BSSID: "02:00:00:00:01:00", RsnFlags: nmtest.RsnWPA2PSK}},
		OnActivate: nmtest.ScriptWrongKey(),
	})
	t.Setenv("DBUS_SYSTEM_BUS_ADDRESS", addr)
	t.Setenv("JOURNAL_STREAM", "")
	t.Setenv("NOTIFY_SOCKET", "")
	dir := t.TempDir()
	reports := filepath.Join(dir, "reports")
	var dlog lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"daemon", "--bus-address", addr, "--config-dir", filepath.Join(dir, "etc"),
			"--state-dir", filepath.Join(dir, "state"), "--report-dir", reports, "--log-format", "json"}, nil, &bytes.Buffer{}, &dlog)
	}()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := nm.DialAddress(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for up := false; !up; {
		if up, _ = daemon.NewClient(conn).Running(ctx); !up {
			select {
			case code := <-done:
				t.Fatalf("daemon exited with %d: %s", code, dlog.String())
			case <-ctx.Done():
				t.Fatalf("daemon never owned its name: %s", dlog.String())
			case <-time.After(20 * time.Millisecond):
			}
		}
	}

	pf := filepath.Join(dir, "pass")
	if err := os.WriteFile(pf, []byte(pass+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr lockedBuffer
	code := run([]string{"join", "Lab", "--security", "wpa-psk", "--passphrase-file", pf, "--json", "--timeout", "30s",
		"--log-level", "info", "--log-format", "json"}, nil, &stdout, &stderr)
	var rep diagnostics.Report
	if err := json.Unmarshal([]byte(stdout.String()), &rep); err != nil {
		t.Fatalf("join printed no report (exit %d): %v\nstderr: %s", code, err, stderr.String())
	}
	got := []any{code, rep.Class, rep.Mode}
	if diff := cmp.Diff([]any{12, diagnostics.WrongKey, "daemon"}, got); diff != "" {
		t.Errorf("join through the daemon: exit, class, mode (-want +got):\n%s", diff)
	}
	if !strings.Contains(stderr.String(), "joining through the hotspotctl daemon") {
		t.Errorf("the CLI did not use the daemon: %s", stderr.String())
	}

	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("daemon exit status %d after SIGTERM, want 0: %s", code, dlog.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("daemon did not stop within 15s of SIGTERM")
	}
	ents, _ := os.ReadDir(reports)
	if len(ents) != 1 || !strings.HasSuffix(ents[0].Name(), "-wrong_key.json") {
		t.Errorf("report directory: %v, want one wrong_key report", ents)
	}
	for _, out := range []string{dlog.String(), stderr.String(), stdout.String()} {
		if strings.Contains(out, pass) {
			t.Errorf("the passphrase was printed or logged")
		}
	}
	if !strings.Contains(dlog.String(), `"message":"stopping"`) {
		t.Errorf("no stop logged: %s", dlog.String())
	}
}
