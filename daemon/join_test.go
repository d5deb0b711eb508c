package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/join"
	"github.com/hotspotctl/hotspotctl/nm/nmtest"
)

// TestJoinOptionsCarryEveryField: what the CLI sends is the request the
// daemon runs, field for field (issue 8 item 13: --ifname and --scan-window
// were dropped by Apply).
func TestJoinOptionsCarryEveryField(t *testing.T) {
	want := join.Request{SSID: []byte("Lab"), Hidden: true, BSSID: "02:00:00:00:01:00",
		Security: join.SecurityWPAPSK, Passphrase: testPass, Once: false, Attempts: 4, Timeout: 42 * time.Second,
		ScansPerAttempt: 2, ScanWindow: 7 * time.Second}
	r, derr := parseJoin(JoinOptions(want, "id-1"), 90*time.Second)
	if derr != nil {
		t.Fatal(derr)
	}
	if diff := cmp.Diff(want, r.req); diff != "" {
		t.Errorf("request after the round trip (-want +got):\n%s", diff)
	}
	if r.id != "id-1" || !r.oneShot {
		t.Errorf("id %q oneShot %v, want id-1 true", r.id, r.oneShot)
	}
	prefix := join.Request{SSIDPrefix: []byte("Caf"), Once: true, Timeout: 30 * time.Second}
	if r, derr = parseJoin(JoinOptions(prefix, ""), 90*time.Second); derr != nil {
		t.Fatal(derr)
	}
	if diff := cmp.Diff(prefix, r.req); diff != "" {
		t.Errorf("prefix request after the round trip (-want +got):\n%s", diff)
	}
}

// TestJoinIfnameChecked: the interface reaches the daemon, which checks it
// as the CLI does (sysfs), before anything is touched. (The host running the
// tests has no Wi-Fi interface; the lab's service suite joins on a real one.)
func TestJoinIfnameChecked(t *testing.T) {
	h := newHarness(t, setup{sc: nmtest.Scenario{APs: []nmtest.AP{wpa2AP}}})
	h.waitOwned()
	err := h.call("Join", JoinOptions(join.Request{SSID: []byte("Lab"), Ifname: "wlan9"}, "")).Err
	var de dbus.Error
	if !errors.As(err, &de) {
		t.Fatalf("Join: %v, want a D-Bus error", err)
	}
	got := []string{de.Name, de.Body[0].(string)}
	if diff := cmp.Diff([]string{ErrorInvalidInput, `ifname: no interface named "wlan9"`}, got); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if len(h.fake.Activations()) != 0 {
		t.Errorf("invalid input reached NetworkManager")
	}
}

// TestJoinStoresNothing: a Join without once joins (with the persistent
// NetworkManager profile the CLI alone makes) and leaves nothing in the
// daemon's state: no stored network, no file under the state directory,
// nothing in List, and after a loss the daemon does not rejoin it.
func TestJoinStoresNothing(t *testing.T) {
	h := newHarness(t, setup{sc: nmtest.Scenario{APs: []nmtest.AP{wpa2AP}}})
	h.waitOwned()
	var out string
	req := join.Request{SSID: []byte("Lab"), Passphrase: testPass, Timeout: 15 * time.Second,
		ScanWindow: 3 * time.Second}
	if err := h.call("Join", JoinOptions(req, "t-1")).Store(&out); err != nil {
		t.Fatal(err)
	}
	rep := decodeReport(t, out)
	got := []string{string(rep.Class), rep.Interface, rep.Mode}
	if diff := cmp.Diff([]string{"none", "wlan0", "daemon"}, got); diff != "" {
		t.Errorf("class, interface, mode (-want +got):\n%s", diff)
	}
	// As without the daemon: the profile is activated volatile and saved
	// to disk only once the join succeeded (join's Commit).
	if acts := h.fake.Activations(); len(acts) != 1 {
		t.Fatalf("activations %+v, want one", acts)
	}
	var saved []string
	for _, p := range h.fake.Profiles() {
		if string(p.SSID) == "Lab" && p.OnDisk && !p.Volatile {
			saved = append(saved, p.UUID)
		}
	}
	if len(saved) != 1 {
		t.Fatalf("profiles %+v, want one saved to disk for Lab, as without the daemon", h.fake.Profiles())
	}
	var ssids [][]byte
	if err := h.call("List").Store(&ssids); err != nil || len(ssids) != 0 {
		t.Errorf("List after Join = %q, %v; want nothing stored", ssids, err)
	}
	var files []string
	filepath.Walk(h.stateDir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 0 {
		t.Errorf("files under the state directory after a Join: %v", files)
	}
	h.noSecret(testPass, h.stateDir)
	// The AP goes: the daemon has nothing of its own to rejoin.
	h.waitFor("connected", func() bool { return h.state() == "connected" })
	h.fake.Play("wlan0", nmtest.Script{nmtest.Disconnect(4), nmtest.DeviceState(nmtest.DevDisconnected, 36)})
	h.waitFor("no-networks after the loss", func() bool { return h.state() == "no-networks" })
	if got := len(h.fake.Activations()); got != 1 {
		t.Errorf("activations after the loss: %d, want 1 (no automatic rejoin of a Join)", got)
	}
}

func decodeReport(t *testing.T, s string) *diagnostics.Report {
	t.Helper()
	var rep diagnostics.Report
	if err := json.Unmarshal([]byte(s), &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, s)
	}
	return &rep
}

// hang is an activation NetworkManager keeps in prepare for a minute.
func hang() nmtest.Script {
	return nmtest.Script{nmtest.DeviceState(nmtest.DevPrepare, 0), nmtest.Sleep(time.Minute)}
}

// TestJoinCancel: a caller that gives up cancels its Join, queued or
// running; the Join ends Cancelled, no report is written, and Cancel only
// returns once the running join has stopped.
func TestJoinCancel(t *testing.T) {
	h := newHarness(t, setup{sc: nmtest.Scenario{APs: []nmtest.AP{wpa2AP}, OnActivate: hang()}})
	h.waitOwned()
	c := NewClient(h.client)
	type answer struct {
		rep *diagnostics.Report
		err error
	}
	run := func(id string) chan answer {
		ch := make(chan answer, 1)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			rep, err := c.Join(ctx, join.Request{SSID: []byte("Lab"), Passphrase: testPass, Timeout: 20 * time.Second}, id)
			ch <- answer{rep, err}
		}()
		return ch
	}
	first := run("run-1")
	h.waitFor("the first join to activate", func() bool { return len(h.fake.Activations()) == 1 })
	second := run("queued-2")
	// The queued one is dropped at once.
	h.waitFor("the second join to be queued", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return c.Cancel(ctx, "queued-2") == nil
	})
	if a := <-second; !errors.Is(a.err, ErrCancelled) {
		t.Errorf("queued Join: %v, want ErrCancelled", a.err)
	}
	// Another caller cannot cancel someone else's request.
	other := newClientConn(t, h)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := NewClient(other).Cancel(ctx, "run-1"); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Cancel from another connection: %v, want ErrInvalidInput", err)
	}
	if err := c.Cancel(ctx, "run-1"); err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	// Cancel has returned: the join is over.
	if got := h.state(); got == "joining" {
		t.Errorf("state %q right after Cancel returned, want the join over", got)
	}
	if a := <-first; !errors.Is(a.err, ErrCancelled) {
		t.Errorf("running Join: %v, want ErrCancelled", a.err)
	}
	var last string
	if err := h.call("LastReport").Store(&last); err != nil || last != "" {
		t.Errorf("LastReport = %.60q, %v; want none for cancelled joins", last, err)
	}
	if got := len(h.fake.Activations()); got != 1 {
		t.Errorf("activations %d, want 1 (the queued join never ran)", got)
	}
}

func newClientConn(t *testing.T, h *harness) *dbus.Conn {
	t.Helper()
	conn, err := dbus.Connect(h.fake.Addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// TestReportWhenPassphraseIsTheSSID: a passphrase equal to the SSID is
// not a reason to lose the verdict: Apply and Join return the report and
// JoinFinished carries it (issue 8 item 15).
func TestReportWhenPassphraseIsTheSSID(t *testing.T) {
	guest := nmtest.AP{SSID: []byte("GuestWiFi"), BSSID: "02:00:00:00:03:00", RsnFlags: nmtest.RsnWPA2PSK}
	h := newHarness(t, setup{sc: nmtest.Scenario{APs: []nmtest.AP{guest}}})
	h.waitOwned()
	sigs := make(chan *dbus.Signal, 4)
	h.client.Signal(sigs)
	if err := h.client.AddMatchSignal(dbus.WithMatchInterface(Interface), dbus.WithMatchMember("JoinFinished")); err != nil {
		t.Fatal(err)
	}
	for _, method := range []string{"Apply", "Join"} {
		var out string
		err := h.call(method, map[string]dbus.Variant{"ssid": dbus.MakeVariant([]byte("GuestWiFi")),
			"passphrase": dbus.MakeVariant("GuestWiFi"), "once": dbus.MakeVariant(true)}).Store(&out)
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		if rep := decodeReport(t, out); rep.Class != diagnostics.None {
			t.Errorf("%s: class %s, want none", method, rep.Class)
		}
		select {
		case s := <-sigs:
			if diff := cmp.Diff(out, s.Body[0].(string)); diff != "" {
				t.Errorf("%s: JoinFinished carries another report (-want +got):\n%s", method, diff)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("%s: no JoinFinished signal", method)
		}
	}
}

// TestFailedJoinKeepsTheConnection: a Join that fails before activating
// anything (the SSID is not there) leaves the device on the daemon's
// network, and the daemon knows it: it stays connected instead of
// "rejoining" the network it is on.
func TestFailedJoinKeepsTheConnection(t *testing.T) {
	cafe := nmtest.AP{SSID: []byte("Cafe"), BSSID: "02:00:00:00:02:00", Strength: 90}
	h := newHarness(t, setup{sc: nmtest.Scenario{APs: []nmtest.AP{cafe}}, configs: map[string]string{"cafe.conf": "ssid = Cafe\n"}})
	h.waitOwned()
	h.waitFor("connected", func() bool { return h.state() == "connected" })
	var out string
	req := join.Request{SSID: []byte("Nowhere"), Attempts: 1, ScansPerAttempt: 1, ScanWindow: time.Millisecond, Timeout: 10 * time.Second}
	if err := h.call("Join", JoinOptions(req, "")).Store(&out); err != nil {
		t.Fatal(err)
	}
	st := h.status()
	got := []any{decodeReport(t, out).Class, st["state"].Value(), string(st["ssid"].Value().([]byte)), len(h.fake.Activations())}
	if diff := cmp.Diff([]any{diagnostics.NotFound, "connected", "Cafe", 1}, got); diff != "" {
		t.Errorf("class, state, ssid, activations after the failed Join (-want +got):\n%s", diff)
	}
}
