package daemon

// Tests from an adversarial review of the link check (2026-12-04): each
// failed on its first version.

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/rs/zerolog"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/join"
	"github.com/hotspotctl/hotspotctl/nm/nmtest"
)

// The lab's sequence cli-cancel -> idle -> rejoin, with the link check off:
// after a cancelled Join the daemon adopts its connection again and must
// still see the next signalled loss.
func TestLossAfterCancelledJoin(t *testing.T) {
	h := newHarness(t, setup{sc: nmtest.Scenario{APs: []nmtest.AP{{SSID: []byte("Cafe"), BSSID: "02:00:00:00:02:00", Strength: 90}}},
		configs: map[string]string{"cafe.conf": "ssid = Cafe\n"}, linkCheck: -1})
	h.waitOwned()
	h.waitFor("connected", func() bool { return h.state() == "connected" })
	h.cancelledJoin(t, "")
	h.waitFor("connected again", func() bool { return h.state() == "connected" })
	time.Sleep(500 * time.Millisecond)
	h.fake.Play("wlan0", nmtest.Script{nmtest.Disconnect(4), nmtest.DeviceState(nmtest.DevDisconnected, 36)})
	h.waitFor("the loss", func() bool { return strings.Contains(h.logs.String(), "network lost; rejoining") })
}

func fakeSysfs(t *testing.T, names ...string) {
	dir := t.TempDir()
	for _, n := range names {
		if err := os.MkdirAll(filepath.Join(dir, n, "wireless"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(join.SetSysClassNetForTest(dir))
}

// A Join on another interface than the daemon's own (--ifname wlan0, Join
// --ifname wlan1) while the daemon is connected on wlan0: afterwards the
// daemon should be "connected" again, follow wlan0's events and link-check it.
func TestJoinOtherInterfaceKeepsFollowing(t *testing.T) {
	fakeSysfs(t, "wlan0", "wlan1")
	cafe := nmtest.AP{SSID: []byte("Cafe"), BSSID: "02:00:00:00:02:00", Strength: 90}
	h := newHarness(t, setup{sc: nmtest.Scenario{Devices: []nmtest.DeviceSpec{{Ifname: "wlan0"}, {Ifname: "wlan1"}}, APs: []nmtest.AP{cafe, wpa2AP}},
		configs: map[string]string{"cafe.conf": "ssid = Cafe\n"}, linkCheck: 300 * time.Millisecond, noStart: true})
	h.opts.Ifname = "wlan0"
	d, err := New(h.opts)
	if err != nil {
		t.Fatal(err)
	}
	h.d = d
	h.start()
	h.waitOwned()
	h.waitFor("connected", func() bool { return h.state() == "connected" })
	var out string
	req := join.Request{SSID: []byte("Lab"), Ifname: "wlan1", Passphrase: testPass, Timeout: 15 * time.Second, ScanWindow: 3 * time.Second}
	if err := h.call("Join", JoinOptions(req, "other-1")).Store(&out); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	t.Logf("state after the other-interface Join: %q", h.state())
	h.fake.Play("wlan0", nmtest.Script{nmtest.Disconnect(4), nmtest.DeviceState(nmtest.DevDisconnected, 36)})
	h.waitFor("wlan0's loss noticed (the watch and the link check must be back on after the other interface's Join)",
		func() bool { return strings.Contains(h.logs.String(), "network lost; rejoining") })
}

// NetworkManager moves the device to another network without any signal
// reaching the daemon. Before the first link check (baseline empty) the
// daemon never notices; after it, it does.
func TestLinkCheckFirstCheckBaseline(t *testing.T) {
	for _, tc := range []struct {
		name  string
		delay time.Duration
	}{{"before-first-check", 0}, {"after-first-check", 900 * time.Millisecond}} {
		t.Run(tc.name, func(t *testing.T) {
			cafe := nmtest.AP{SSID: []byte("Cafe"), BSSID: "02:00:00:00:02:00", Strength: 90}
			other := nmtest.AP{SSID: []byte("Other"), BSSID: "02:00:00:00:03:00", Strength: 20}
			h := newHarness(t, setup{sc: nmtest.Scenario{APs: []nmtest.AP{cafe, other}},
				configs: map[string]string{"cafe.conf": "ssid = Cafe\n"}, linkCheck: 600 * time.Millisecond})
			h.waitOwned()
			h.waitFor("connected", func() bool { return h.state() == "connected" })
			time.Sleep(tc.delay)
			h.fake.SetQuiet("wlan0", "org.freedesktop.NetworkManager.Device", "ActiveConnection", dbus.ObjectPath("/org/freedesktop/NetworkManager/ActiveConnection/999"))
			h.fake.SetQuiet("wlan0", "org.freedesktop.NetworkManager.Device.Wireless", "ActiveAccessPoint", h.fake.APPath("wlan0", "Other"))
			h.waitFor("the link check finding the device on Other", func() bool {
				return strings.Contains(h.logs.String(), "found by the periodic link check")
			})
		})
	}
}

// The device moves (unsignalled) to another activation while NetworkManager
// has no current AP yet ("/"): the check cannot tell the SSID and accepts,
// and commits the new activation as its baseline: once the AP is known
// (Other) it is never looked at again.
func TestLinkCheckUnverifiedActivationBecomesBaseline(t *testing.T) {
	cafe := nmtest.AP{SSID: []byte("Cafe"), BSSID: "02:00:00:00:02:00", Strength: 90}
	other := nmtest.AP{SSID: []byte("Other"), BSSID: "02:00:00:00:03:00", Strength: 20}
	h := newHarness(t, setup{sc: nmtest.Scenario{APs: []nmtest.AP{cafe, other}},
		configs: map[string]string{"cafe.conf": "ssid = Cafe\n"}, linkCheck: 400 * time.Millisecond})
	h.waitOwned()
	h.waitFor("connected", func() bool { return h.state() == "connected" })
	time.Sleep(700 * time.Millisecond) // past the first check: baseline set
	h.fake.SetQuiet("wlan0", "org.freedesktop.NetworkManager.Device", "ActiveConnection", dbus.ObjectPath("/org/freedesktop/NetworkManager/ActiveConnection/999"))
	h.fake.SetQuiet("wlan0", "org.freedesktop.NetworkManager.Device.Wireless", "ActiveAccessPoint", dbus.ObjectPath("/"))
	time.Sleep(time.Second)
	h.fake.SetQuiet("wlan0", "org.freedesktop.NetworkManager.Device.Wireless", "ActiveAccessPoint", h.fake.APPath("wlan0", "Other"))
	h.waitFor("the link check finding the device on Other once its AP is known", func() bool {
		return strings.Contains(h.logs.String(), "found by the periodic link check")
	})
}

// The service suite's order cli-join -> cli-cancel -> rejoin, signals only.
func TestLinkCheckSuiteSequence(t *testing.T) {
	fakeSysfs(t, "wlan0")
	cafe := nmtest.AP{SSID: []byte("Cafe"), BSSID: "02:00:00:00:02:00", Strength: 90}
	h := newHarness(t, setup{sc: nmtest.Scenario{APs: []nmtest.AP{cafe, wpa2AP}},
		configs: map[string]string{"cafe.conf": "ssid = Cafe\npriority = 10\n"}, linkCheck: -1, noStart: true})
	h.opts.Ifname = "wlan0"
	d, err := New(h.opts)
	if err != nil {
		t.Fatal(err)
	}
	h.d = d
	h.start()
	h.waitOwned()
	h.waitFor("connected", func() bool { return h.state() == "connected" })
	losses := func() int { return strings.Count(h.logs.String(), "network lost; rejoining") }
	// cli-join
	h.fake.Play("wlan0", nmtest.Script{nmtest.Disconnect(3), nmtest.DeviceState(nmtest.DevDisconnected, 39)})
	var out string
	req := join.Request{SSID: []byte("Lab"), Ifname: "wlan0", Passphrase: testPass, Timeout: 15 * time.Second, ScanWindow: 2 * time.Second}
	if err := h.call("Join", JoinOptions(req, "cli-join")).Store(&out); err != nil {
		t.Fatal(err)
	}
	h.waitFor("connected to Lab", func() bool { return h.state() == "connected" && string(h.status()["ssid"].Value().([]byte)) == "Lab" })
	n := losses()
	h.fake.Play("wlan0", nmtest.Script{nmtest.Disconnect(4), nmtest.DeviceState(nmtest.DevFailed, 53)})
	h.waitFor("back on Cafe", func() bool {
		return losses() > n && h.state() == "connected" && string(h.status()["ssid"].Value().([]byte)) == "Cafe"
	})
	// cli-cancel
	h.cancelledJoin(t, "wlan0")
	h.waitFor("connected again", func() bool { return h.state() == "connected" })
	time.Sleep(time.Second) // idle
	// rejoin
	n = losses()
	h.fake.Play("wlan0", nmtest.Script{nmtest.Disconnect(3), nmtest.DeviceState(nmtest.DevFailed, 53)})
	h.waitFor("the loss", func() bool { return losses() > n })
}

// drainWatch: an event already queued behind a link check decides first.
// NetworkManager leaving the bus (backend-gone, still holding the network)
// is not a loss for the check to declare; a queued device state change that
// already ended the connection is one the check must not declare again; with
// nothing queued, the check's own finding stands.
func TestDrainWatch(t *testing.T) {
	d, err := New(Options{Backend: unusedBackend{}, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		queued []diagnostics.Event
		want   bool
	}{
		{"nothing queued", nil, false},
		{"NetworkManager left the bus", []diagnostics.Event{{Kind: diagnostics.KindBackend, Source: diagnostics.SourceNM, OK: diagnostics.Bool(false)}}, true},
		{"the loss itself", []diagnostics.Event{{Kind: diagnostics.KindDeviceState, OldState: "activated", State: "disconnected"}}, true},
		{"an unrelated note", []diagnostics.Event{{Kind: diagnostics.KindNote, Name: "x"}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ch := make(chan diagnostics.Event, len(tc.queued))
			for _, e := range tc.queued {
				ch <- e
			}
			l := &loop{d: d, ctx: context.Background(), log: zerolog.Nop(), bo: d.o.Backoff(), watch: ch, connected: &Network{SSID: []byte("Cafe")}}
			l.state("connected", []byte("Cafe"))
			if got := l.drainWatch(); got != tc.want {
				t.Errorf("drainWatch() = %v, want %v (state %q)", got, tc.want, d.status().State)
			}
		})
	}
}

// unusedBackend is a Backend for loop tests that must not reach
// NetworkManager: every call fails.
type unusedBackend struct{ Backend }

// cancelledJoin runs the CLI's cli-cancel step through the API: a Join of
// an absent network on ifname, cancelled by its caller while it scans; the
// Join must end as cancelled.
func (h *harness) cancelledJoin(t *testing.T, ifname string) {
	t.Helper()
	c := NewClient(h.client)
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := c.Join(ctx, join.Request{SSID: []byte("Gone"), Ifname: ifname, Timeout: 20 * time.Second, ScanWindow: 10 * time.Second}, "cancel-1")
		done <- err
	}()
	h.waitFor("joining Gone", func() bool { return h.state() == "joining" })
	time.Sleep(1500 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := c.Cancel(ctx, "cancel-1"); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, ErrCancelled) {
		t.Fatalf("Join after Cancel: %v, want ErrCancelled", err)
	}
}
