//go:build linux

package scan

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// wirelessInterface returns the first interface backed by a cfg80211 radio
// (one with /sys/class/net/<if>/phy80211), or a reason to skip.
func wirelessInterface() (string, string) {
	if os.Geteuid() != 0 {
		return "", "not root: triggering a scan needs CAP_NET_ADMIN"
	}
	phys, _ := os.ReadDir("/sys/class/ieee80211")
	if len(phys) == 0 {
		return "", "no radio in /sys/class/ieee80211 (load mac80211_hwsim, or run in the lab VM)"
	}
	links, _ := filepath.Glob("/sys/class/net/*/phy80211")
	for _, l := range links {
		name := filepath.Base(filepath.Dir(l))
		if b, err := os.ReadFile(filepath.Join("/sys/class/net", name, "operstate")); err == nil && string(b) != "" {
			return name, ""
		}
	}
	return "", "radios present but no wireless network interface"
}

// TestIntegrationRealScan triggers a real scan through the kernel. It runs
// only as root on a machine with a radio (the lab VM's hwsim radios).
func TestIntegrationRealScan(t *testing.T) {
	ifname, skip := wirelessInterface()
	if skip != "" {
		t.Skip(skip)
	}
	s, err := Open()
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	watch, err := s.Watch(ctx, ifname)
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	res, err := s.Scan(ctx, Request{Ifname: ifname})
	t.Logf("record: %+v", res.Record)
	for _, b := range res.BSSes {
		t.Logf("fresh: %q %s %d MHz ch %d %.0f dBm %s age %v", b.SSID, b.BSSID, b.FrequencyMHz, b.Channel, b.SignalDBm, b.Security, b.Age)
	}
	t.Logf("%d stale, frequencies %v", len(res.Stale), res.Frequencies)
	switch {
	case errors.Is(err, ErrBusy), errors.Is(err, ErrAborted):
		t.Skipf("radio busy throughout (%v): nothing to check", err)
	case errors.Is(err, unix.ENETDOWN):
		t.Skipf("%s is down", ifname)
	case err != nil:
		t.Fatalf("Scan: %v", err)
	}
	if res.Record.Outcome != "ok" || res.Record.Ended.Before(res.Record.Started) {
		t.Errorf("record %+v", res.Record)
	}
	// Our own scan (or the one we rode on) must have been seen by Watch.
	deadline := time.After(5 * time.Second)
	for {
		select {
		case e := <-watch:
			t.Logf("watch: %s", e)
			if e.Kind == "scan_done" {
				return
			}
		case <-deadline:
			t.Error("Watch saw no scan_done")
			return
		}
	}
}
