// Package bench holds the daemon's idle-cost measurement: idle.sh for a real
// system or the lab, and TestIdle, which runs the hotspotctl daemon binary
// against the fake NetworkManager (nm/nmtest) joined and idle.
package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/hotspotctl/hotspotctl/daemon"
	"github.com/hotspotctl/hotspotctl/nm"
	"github.com/hotspotctl/hotspotctl/nm/nmtest"
)

// switches sums the voluntary and involuntary context switches of every
// thread of pid.
func switches(t *testing.T, pid int) int {
	t.Helper()
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/status", pid))
	if err != nil || len(tasks) == 0 {
		t.Fatalf("no tasks for pid %d: %v", pid, err)
	}
	n := 0
	for _, f := range tasks {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.HasSuffix(k, "ctxt_switches") {
				x, _ := strconv.Atoi(strings.TrimSpace(v))
				n += x
			}
		}
	}
	return n
}

func status(t *testing.T, pid int, key string) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && k == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// TestIdle measures the daemon joined and idle, with a 10 s watchdog (pings
// every 5 s), for HOTSPOTCTL_IDLE_SECONDS (default 60). It only runs when
// that variable is set:
//
//	HOTSPOTCTL_IDLE_SECONDS=60 go test -run TestIdle -v ./daemon/bench
func TestIdle(t *testing.T) {
	secs, _ := strconv.Atoi(os.Getenv("HOTSPOTCTL_IDLE_SECONDS"))
	if secs <= 0 {
		t.Skip("set HOTSPOTCTL_IDLE_SECONDS to measure the idle daemon")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "hotspotctl")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/hotspotctl/hotspotctl/cmd/hotspotctl").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	addr := nmtest.StartBus(t)
	nmtest.New(t, addr, nmtest.Scenario{APs: []nmtest.AP{{SSID: []byte("Lab"), BSSID: "02:00:00:00:01:00"}}})
	etc := filepath.Join(dir, "etc")
	os.MkdirAll(etc, 0o700)
	os.WriteFile(filepath.Join(etc, "lab.conf"), []byte("ssid = Lab\n"), 0o600)
	cmd := exec.Command(bin, "daemon", "--bus-address", addr, "--config-dir", etc, "--state-dir", filepath.Join(dir, "state"),
		"--report-dir", filepath.Join(dir, "reports"), "--log-level", "warn")
	cmd.Env = append(os.Environ(), "JOURNAL_STREAM=")
	if os.Getenv("HOTSPOTCTL_IDLE_WATCHDOG") != "0" {
		cmd.Env = append(cmd.Env, "WATCHDOG_USEC=10000000")
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// WATCHDOG_PID is checked against the daemon's own pid, so set it too
	// by re-reading: go-systemd accepts a missing WATCHDOG_PID.
	t.Cleanup(func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() })

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := nm.DialAddress(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for {
		var st map[string]dbus.Variant
		err := conn.Object(daemon.BusName, daemon.ObjectPath).CallWithContext(ctx, daemon.Interface+".Status", 0).Store(&st)
		if err == nil && st["state"].Value() == "connected" {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("never connected: %v %v", err, st)
		}
		time.Sleep(100 * time.Millisecond)
	}
	conn.Close()
	time.Sleep(3 * time.Second)
	pid := cmd.Process.Pid
	s0 := switches(t, pid)
	time.Sleep(time.Duration(secs) * time.Second)
	d := switches(t, pid) - s0
	t.Logf("idle %ds: VmRSS %s, threads %s, %d context switches (%.1f per minute; 12 watchdog pings per minute)",
		secs, status(t, pid, "VmRSS"), status(t, pid, "Threads"), d, float64(d)*60/float64(secs))
}
