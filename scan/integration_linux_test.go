//go:build linux

package scan

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/hotspotctl/hotspotctl/diagnostics"
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
	if ifi, _, err := s.lookup(ctx, ifname); err == nil {
		if es, err := s.dump(ctx, ifi.Index); err == nil {
			now := s.boot()
			for _, e := range es {
				t.Logf("table: %q age %v last-seen-boottime %v (now %v, %v ago)", e.SSID, e.Age, e.seenBoot, now, now-e.seenBoot)
			}
		}
	}
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

// TestIntegrationContention starts two scanners on the same radio at once:
// the kernel must refuse the second trigger (cfg80211 allows one scan per
// wiphy) and the second Scan must then ride on the first one's results.
func TestIntegrationContention(t *testing.T) {
	ifname, skip := wirelessInterface()
	if skip != "" {
		t.Skip(skip)
	}
	a, err := Open()
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer a.Close()
	b, err := Open()
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer b.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	accepted := make(chan struct{})
	type out struct {
		res Result
		err error
	}
	first := make(chan out, 1)
	go func() {
		var once bool
		res, err := a.Scan(ctx, Request{Ifname: ifname, Observe: func(e diagnostics.Event) {
			if e.Kind == diagnostics.KindScanStarted && !once {
				once = true
				close(accepted)
			}
		}})
		first <- out{res, err}
	}()
	select {
	case <-accepted:
	case fa := <-first:
		// NetworkManager or wpa_supplicant scanned first: the first scanner
		// rode on theirs, so there was no trigger of ours to contend with.
		t.Skipf("first scan never triggered its own (%+v, err %v)", fa.res.Record, fa.err)
	case <-time.After(60 * time.Second):
		t.Fatal("first scan neither triggered nor ended")
	}
	res, err := b.Scan(ctx, Request{Ifname: ifname})
	fa := <-first
	t.Logf("first:  %+v err=%v", fa.res.Record, fa.err)
	t.Logf("second: %+v err=%v", res.Record, err)
	if fa.err != nil || err != nil {
		t.Fatalf("errors: first %v, second %v", fa.err, err)
	}
	if !fa.res.Record.Own || fa.res.Record.Method != "nl80211" {
		t.Errorf("first scan: %+v, want own nl80211", fa.res.Record)
	}
	if res.Record.BusyRefusals == 0 {
		t.Skipf("the first scan ended before the second trigger: no contention to observe")
	}
	if res.Record.Method != "piggyback" || res.Record.Own {
		t.Errorf("second scan: %+v, want piggyback", res.Record)
	}
	if res.Record.BSSCount != fa.res.Record.BSSCount {
		t.Logf("BSS counts differ: first %d, second %d", fa.res.Record.BSSCount, res.Record.BSSCount)
	}
}

// TestIntegrationExpected checks what the lab's access points advertise.
// SCAN_EXPECT lists SSID=security pairs that a scan must find fresh;
// SCAN_HIDDEN names a hidden SSID that only a directed scan reveals.
func TestIntegrationExpected(t *testing.T) {
	expect, hidden := os.Getenv("SCAN_EXPECT"), os.Getenv("SCAN_HIDDEN")
	if expect == "" && hidden == "" {
		t.Skip("SCAN_EXPECT and SCAN_HIDDEN unset (set by the lab)")
	}
	ifname, skip := wirelessInterface()
	if skip != "" {
		t.Skip(skip)
	}
	s, err := Open()
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	scanLog := func(what string, req Request) Result {
		res, err := s.Scan(ctx, req)
		if err != nil {
			t.Fatalf("%s scan: %v (record %+v)", what, err, res.Record)
		}
		t.Logf("%s: record %+v, %d frequencies", what, res.Record, len(res.Frequencies))
		for _, b := range res.BSSes {
			t.Logf("%s fresh: %q %s ch %d %.0f dBm %s age %v", what, b.SSID, b.BSSID, b.Channel, b.SignalDBm, b.Security, b.Age)
		}
		return res
	}
	if expect != "" {
		// A wildcard scan: every beaconing AP answers its probes.
		res := scanLog("wildcard", Request{Ifname: ifname})
		for _, pair := range strings.Split(expect, ",") {
			ssid, sec, _ := strings.Cut(pair, "=")
			if ssid == "" {
				continue
			}
			m := Match(res.BSSes, []byte(ssid))
			if len(m) == 0 {
				t.Errorf("%q not found fresh; near misses %v", ssid, NearMisses(res.BSSes, []byte(ssid)))
				continue
			}
			if sec != "" && m[0].Security != sec {
				t.Errorf("%q security %q, want %q", ssid, m[0].Security, sec)
			}
		}
	}
	if hidden != "" {
		// A directed scan only: the hidden AP answers probes naming it.
		// (Other APs show up only if a beacon happened to be caught.)
		res := scanLog("directed", Request{Ifname: ifname, SSIDs: [][]byte{[]byte(hidden)}})
		if len(Match(res.BSSes, []byte(hidden))) == 0 {
			t.Errorf("hidden %q not revealed by a directed scan", hidden)
		}
	}
}
