package nmtest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// DaemonPath is the dbus-daemon binary StartBus runs (Debian package dbus).
var DaemonPath = "/usr/bin/dbus-daemon"

const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
    <allow eavesdrop="true"/>
  </policy>
</busconfig>
`

// StartBus starts a private dbus-daemon that allows everything and returns
// its address; it is stopped when the test ends. The test is skipped when
// dbus-daemon is not installed.
func StartBus(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath(DaemonPath)
	if err != nil {
		t.Skipf("nmtest: %s not found (install the Debian package dbus): %v", DaemonPath, err)
	}
	dir, err := os.MkdirTemp("", "nmtest-bus-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	cfg := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, busConfig, filepath.Join(dir, "bus")), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--config-file="+cfg, "--print-address", "--nofork", "--nopidfile")
	var stderr lockedBuffer
	cmd.Stderr = &stderr // it complains about fd limits when not root; keep quiet unless it fails
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Skipf("nmtest: cannot start %s: %v", bin, err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	addr := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		addr <- strings.TrimSpace(line)
	}()
	select {
	case a := <-addr:
		if a == "" {
			t.Fatalf("nmtest: %s printed no address", bin)
		}
		return a
	case <-exited:
		t.Fatalf("nmtest: %s exited at start: %s", bin, stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatalf("nmtest: %s did not print its address", bin)
	}
	return ""
}

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
