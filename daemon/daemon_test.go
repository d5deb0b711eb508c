package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/nm"
	"github.com/hotspotctl/hotspotctl/nm/nmtest"
)

// syncBuffer is a log sink safe for the daemon's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// harness is a daemon on a private bus with a fake NetworkManager.
type harness struct {
	t         *testing.T
	fake      *nmtest.Fake
	client    *dbus.Conn
	d         *Daemon
	logs      *syncBuffer
	cfgDir    string
	stateDir  string
	reportDir string
	reload    chan struct{}
	opts      Options
	cancel    context.CancelFunc
	done      chan error
}

type setup struct {
	sc       nmtest.Scenario
	configs  map[string]string
	notifier Notifier
	// linkCheck is Options.LinkCheck; 0 leaves the default.
	linkCheck time.Duration
	// supGrace is Options.SupplicantGrace; 0 leaves the default.
	supGrace time.Duration
	watchdog time.Duration
	noStart  bool
}

func newHarness(t *testing.T, s setup) *harness {
	t.Helper()
	addr := nmtest.StartBus(t)
	h := &harness{t: t, fake: nmtest.New(t, addr, s.sc), logs: &syncBuffer{}, cfgDir: t.TempDir(),
		stateDir: t.TempDir(), reload: make(chan struct{}, 1)}
	h.reportDir = filepath.Join(h.stateDir, "reports")
	for name, text := range s.configs {
		writeFile(t, filepath.Join(h.cfgDir, name), text, 0o644)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := nm.DialAddress(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if h.client, err = nm.DialAddress(ctx, addr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.client.Close() })
	store, err := NewReportStore(h.reportDir, 10)
	if err != nil {
		t.Fatal(err)
	}
	h.opts = Options{Bus: conn, Backend: nm.NewClient(conn), ConfigDir: h.cfgDir, StateDir: h.stateDir,
		Reports: store, Log: zerolog.New(h.logs).Level(zerolog.DebugLevel), Notifier: s.notifier, Watchdog: s.watchdog,
		Reload: h.reload, WatchConfig: true, Settle: 100 * time.Millisecond, JoinTimeout: 20 * time.Second, MaxBackoff: 500 * time.Millisecond, Version: "test",
		LinkCheck: s.linkCheck, SupplicantGrace: s.supGrace}
	h.d, err = New(h.opts)
	if err != nil {
		t.Fatal(err)
	}
	if !s.noStart {
		h.start()
	}
	return h
}

func (h *harness) start() {
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.done = make(chan error, 1)
	go func() { h.done <- h.d.Run(ctx) }()
	h.t.Cleanup(func() { h.stop() })
}

// stop cancels Run (as SIGTERM does) and returns its error.
func (h *harness) stop() error {
	h.cancel()
	select {
	case err, ok := <-h.done:
		if ok {
			close(h.done)
		}
		return err
	case <-time.After(15 * time.Second):
		h.t.Fatal("Run did not return within 15s of cancellation")
	}
	return nil
}

// restart stops the daemon and starts a new one with the same options, as
// systemd does after a crash.
func (h *harness) restart() {
	h.t.Helper()
	if err := h.stop(); err != nil {
		h.t.Fatal(err)
	}
	d, err := New(h.opts)
	if err != nil {
		h.t.Fatal(err)
	}
	h.d = d
	h.start()
}

func (h *harness) obj() dbus.BusObject { return h.client.Object(BusName, ObjectPath) }

func (h *harness) call(method string, args ...any) *dbus.Call {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return h.obj().CallWithContext(ctx, Interface+"."+method, 0, args...)
}

func (h *harness) waitOwned() {
	h.t.Helper()
	c := NewClient(h.client)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		up, _ := c.Running(ctx)
		cancel()
		if up {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	h.t.Fatal("the daemon never owned its bus name")
}

func (h *harness) status() map[string]dbus.Variant {
	var st map[string]dbus.Variant
	if err := h.call("Status").Store(&st); err != nil {
		h.t.Fatal(err)
	}
	return st
}

// waitFor polls cond (cheap D-Bus reads) until it holds.
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	h.t.Fatalf("timed out waiting for %s; status %v; logs:\n%s", what, h.status(), h.logs.String())
}

func (h *harness) state() string { s, _ := h.status()["state"].Value().(string); return s }

// noSecret fails if the passphrase is in the logs or any file under dirs.
func (h *harness) noSecret(secret string, dirs ...string) {
	h.t.Helper()
	if strings.Contains(h.logs.String(), secret) {
		h.t.Errorf("the passphrase is in the logs")
	}
	for _, d := range dirs {
		filepath.Walk(d, func(p string, fi os.FileInfo, err error) error {
			if err != nil || fi.IsDir() || strings.HasSuffix(p, ".psk") {
				return nil
			}
			if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(secret)) {
				h.t.Errorf("the passphrase is in %s", p)
			}
			return nil
		})
	}
}

var wpa2AP = nmtest.AP{SSID: []byte("Lab"), BSSID: "02:00:00:00:01:00", RsnFlags: nmtest.RsnWPA2PSK}

func TestApplyWrongKeyEndToEnd(t *testing.T) {
	h := newHarness(t, setup{sc: nmtest.Scenario{APs: []nmtest.AP{wpa2AP}, OnActivate: nmtest.ScriptWrongKey()}})
	h.waitOwned()
	sigs := make(chan *dbus.Signal, 4)
	h.client.Signal(sigs)
	if err := h.client.AddMatchSignal(dbus.WithMatchInterface(Interface), dbus.WithMatchMember("JoinFinished")); err != nil {
		t.Fatal(err)
	}
	var out string
	err := h.call("Apply", map[string]dbus.Variant{
		"ssid": dbus.MakeVariant([]byte("Lab")), "passphrase": dbus.MakeVariant(testPass),
		"security": dbus.MakeVariant("wpa-psk"), "timeout_ms": dbus.MakeVariant(uint32(15000)),
	}).Store(&out)
	if err != nil {
		t.Fatal(err)
	}
	var rep diagnostics.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	got := struct {
		Class               diagnostics.Class
		Outcome, Mode, SSID string
	}{rep.Class, rep.Outcome, rep.Mode, rep.SSID}
	want := struct {
		Class               diagnostics.Class
		Outcome, Mode, SSID string
	}{diagnostics.WrongKey, "failed", "daemon", "Lab"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Apply report (-want +got):\n%s", diff)
	}
	select {
	case s := <-sigs:
		if diff := cmp.Diff(out, s.Body[0].(string)); diff != "" {
			t.Errorf("JoinFinished carries another report (-want +got):\n%s", diff)
		}
	case <-time.After(5 * time.Second):
		t.Error("no JoinFinished signal")
	}
	var last string
	if err := h.call("LastReport").Store(&last); err != nil || last != out {
		t.Errorf("LastReport = %.60q, %v; want Apply's report", last, err)
	}
	files, _ := filepath.Glob(filepath.Join(h.reportDir, "*.json"))
	if len(files) != 1 {
		t.Fatalf("report files %v, want 1", files)
	}
	if fi, _ := os.Stat(files[0]); fi.Mode().Perm() != 0o600 {
		t.Errorf("report mode %v", fi.Mode().Perm())
	}
	if b, _ := os.ReadFile(files[0]); string(b) != out {
		t.Errorf("report file differs from Apply's answer")
	}
	// The passphrase reached NetworkManager and nothing else.
	if acts := h.fake.Activations(); len(acts) != 1 || acts[0].PSK != testPass {
		t.Errorf("activations: %d, want 1 with the passphrase", len(acts))
	}
	h.noSecret(testPass, h.stateDir)
	if !strings.Contains(h.logs.String(), `"class":"wrong_key"`) {
		t.Errorf("no structured failure log:\n%s", h.logs.String())
	}
	// A failed Apply is not stored.
	var ssids [][]byte
	if err := h.call("List").Store(&ssids); err != nil || len(ssids) != 0 {
		t.Errorf("List = %q, %v; want nothing stored", ssids, err)
	}
}

func TestApplyInvalidInput(t *testing.T) {
	h := newHarness(t, setup{})
	h.waitOwned()
	tests := []struct {
		name string
		opts map[string]dbus.Variant
		want string
	}{
		{"no ssid", map[string]dbus.Variant{}, "option ssid (ay) is required"},
		{"ssid as string", map[string]dbus.Variant{"ssid": dbus.MakeVariant("Lab")}, "option ssid must be a byte array (ay), got s"},
		{"unknown option", map[string]dbus.Variant{"ssid": dbus.MakeVariant([]byte("Lab")), "psk": dbus.MakeVariant("x")}, `unknown option "psk" (known: ssid, passphrase, hidden, security, bssid, once, timeout_ms, attempts, priority)`},
		{"short passphrase", map[string]dbus.Variant{"ssid": dbus.MakeVariant([]byte("Lab")), "passphrase": dbus.MakeVariant("short"), "security": dbus.MakeVariant("wpa-psk")},
			"passphrase: a WPA passphrase must be 8 to 63 characters or 64 hex digits (got 5)"},
		{"bad security", map[string]dbus.Variant{"ssid": dbus.MakeVariant([]byte("Lab")), "security": dbus.MakeVariant("wep")}, `security: "wep" is not one of auto, open, wpa-psk, sae`},
		{"timeout", map[string]dbus.Variant{"ssid": dbus.MakeVariant([]byte("Lab")), "timeout_ms": dbus.MakeVariant(uint32(10))}, "option timeout_ms must be from 5000 to 600000, got 10"},
		{"once type", map[string]dbus.Variant{"ssid": dbus.MakeVariant([]byte("Lab")), "once": dbus.MakeVariant("yes")}, "option once must be a boolean (b), got s"},
		{"bssid", map[string]dbus.Variant{"ssid": dbus.MakeVariant([]byte("Lab")), "bssid": dbus.MakeVariant("zz")}, `bssid: "zz" is not a MAC address like 02:00:00:00:01:00`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := h.call("Apply", tt.opts).Err
			de, ok := err.(dbus.Error)
			if !ok {
				t.Fatalf("got %v (%T), want a dbus.Error", err, err)
			}
			got := [2]string{de.Name, de.Body[0].(string)}
			if diff := cmp.Diff([2]string{ErrorInvalidInput, tt.want}, got); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
	err := h.call("Remove", []byte("Nope")).Err
	if de, ok := err.(dbus.Error); !ok || de.Name != ErrorInvalidInput || de.Body[0] != `invalid input: ssid "Nope" is not configured` {
		t.Errorf("Remove of an unknown SSID: %v", err)
	}
	if len(h.fake.Activations()) != 0 {
		t.Errorf("invalid input reached NetworkManager")
	}
}

func TestApplyStoresAndRemoves(t *testing.T) {
	h := newHarness(t, setup{sc: nmtest.Scenario{APs: []nmtest.AP{wpa2AP}}})
	h.waitOwned()
	var out string
	if err := h.call("Apply", map[string]dbus.Variant{"ssid": dbus.MakeVariant([]byte("Lab")),
		"passphrase": dbus.MakeVariant(testPass), "priority": dbus.MakeVariant(int32(7))}).Store(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"class": "none"`) {
		t.Fatalf("join failed: %s", out)
	}
	var ssids [][]byte
	if err := h.call("List").Store(&ssids); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]byte{[]byte("Lab")}, ssids); diff != "" {
		t.Errorf("List after Apply (-want +got):\n%s", diff)
	}
	if got := h.state(); got != "connected" {
		t.Errorf("state %q, want connected", got)
	}
	if files, _ := filepath.Glob(filepath.Join(h.reportDir, "*.json")); len(files) != 0 {
		t.Errorf("a successful join wrote a failure report: %v", files)
	}
	h.noSecret(testPass, h.reportDir)
	if err := h.call("Remove", []byte("Lab")).Err; err != nil {
		t.Fatal(err)
	}
	if err := h.call("List").Store(&ssids); err != nil || len(ssids) != 0 {
		t.Errorf("List after Remove = %q, %v", ssids, err)
	}
	// Once: joined, never stored.
	if err := h.call("Apply", map[string]dbus.Variant{"ssid": dbus.MakeVariant([]byte("Lab")),
		"passphrase": dbus.MakeVariant(testPass), "once": dbus.MakeVariant(true)}).Store(&out); err != nil {
		t.Fatal(err)
	}
	if err := h.call("List").Store(&ssids); err != nil || len(ssids) != 0 {
		t.Errorf("List after a once Apply = %q, %v", ssids, err)
	}
	if !strings.Contains(out, `"class": "none"`) {
		t.Fatalf("once join failed: %s", out)
	}
	t.Logf("once join report: %s", out)
	// Every join activates a volatile profile; the once join's must still
	// be volatile and off the disk after it succeeded (no Commit).
	acts := h.fake.Activations()
	once := acts[len(acts)-1].UUID
	for _, p := range h.fake.Profiles() {
		if p.UUID == once && (p.OnDisk || !p.Volatile) {
			t.Errorf("after a once join, its profile %s on disk %v, volatile %v; want volatile, not on disk", p.UUID, p.OnDisk, p.Volatile)
		}
	}
}

// A loss whose StateChanged signal never reaches the daemon (the fake moves
// the device out of activated without any signal) is found by the periodic
// link check, and the daemon rejoins; with the check disabled it stays
// "connected", which is what the lab's service suite once saw.
func TestLinkCheckFindsUnsignalledLoss(t *testing.T) {
	for _, tc := range []struct {
		name      string
		linkCheck time.Duration
		wantLost  bool
	}{
		{"checked", 200 * time.Millisecond, true},
		{"disabled", -1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, setup{sc: nmtest.Scenario{APs: []nmtest.AP{{SSID: []byte("Cafe"), BSSID: "02:00:00:00:02:00", Strength: 90}}},
				configs: map[string]string{"cafe.conf": "ssid = Cafe\n"}, linkCheck: tc.linkCheck})
			h.waitOwned()
			h.waitFor("connected", func() bool { return h.state() == "connected" })
			h.fake.Play("wlan0", nmtest.Script{nmtest.QuietDeviceState(nmtest.DevDisconnected, 36)})
			if tc.wantLost {
				h.waitFor("a rejoin", func() bool { return len(h.fake.Activations()) >= 2 && h.state() == "connected" })
				if !strings.Contains(h.logs.String(), "found by the periodic link check") {
					t.Errorf("rejoined, but the journal does not say the link check found the loss")
				}
				return
			}
			time.Sleep(time.Second)
			if got := len(h.fake.Activations()); got != 1 || h.state() != "connected" {
				t.Errorf("with the link check disabled: %d activations, state %q; want 1, connected (nothing else can see this loss)", got, h.state())
			}
		})
	}
}

// wpa_supplicant lost the AP but NetworkManager keeps the device activated
// (no state change at all): past the grace the daemon counts the network as
// lost; a supplicant that reconnects within it (roaming, a rekey) is no
// loss.
func TestSupplicantAwayWhileActivated(t *testing.T) {
	for _, tc := range []struct {
		name     string
		script   nmtest.Script
		wantLost bool
	}{
		{"stays away", nmtest.Script{nmtest.SupplicantState("disconnected"), nmtest.SupplicantState("scanning")}, true},
		{"comes back", nmtest.Script{nmtest.SupplicantState("disconnected"), nmtest.SupplicantState("associating"), nmtest.SupplicantState("completed")}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, setup{sc: nmtest.Scenario{APs: []nmtest.AP{{SSID: []byte("Cafe"), BSSID: "02:00:00:00:02:00", Strength: 90}}},
				configs: map[string]string{"cafe.conf": "ssid = Cafe\n"}, linkCheck: -1, supGrace: 400 * time.Millisecond})
			h.waitOwned()
			h.waitFor("connected", func() bool { return h.state() == "connected" })
			time.Sleep(300 * time.Millisecond) // the join's own supplicant states are behind
			h.fake.Play("wlan0", tc.script)
			if tc.wantLost {
				h.waitFor("the loss", func() bool { return strings.Contains(h.logs.String(), "wpa_supplicant not connected for") })
				return
			}
			time.Sleep(time.Second)
			if strings.Contains(h.logs.String(), "network lost") {
				t.Errorf("a supplicant that reconnected within the grace was counted as a loss")
			}
		})
	}
}

func TestJoinsConfiguredAndRejoinsAfterLoss(t *testing.T) {
	open := nmtest.AP{SSID: []byte("Cafe"), BSSID: "02:00:00:00:02:00", Strength: 90}
	h := newHarness(t, setup{
		sc: nmtest.Scenario{APs: []nmtest.AP{wpa2AP, open}},
		configs: map[string]string{
			"cafe.conf":  "ssid = Cafe\npriority = 1\n",
			"other.conf": "ssid = Elsewhere\npriority = 50\n", // best priority, but not in range
		},
	})
	h.waitOwned()
	h.waitFor("connected", func() bool { return h.state() == "connected" })
	if st := h.status(); string(st["ssid"].Value().([]byte)) != "Cafe" {
		t.Fatalf("joined %q, want the visible network Cafe", st["ssid"].Value())
	}
	// The AP disappears: NetworkManager drops the device out of activated.
	h.fake.Play("wlan0", nmtest.Script{nmtest.Disconnect(4), nmtest.DeviceState(nmtest.DevDisconnected, 36)})
	h.waitFor("a rejoin", func() bool { return len(h.fake.Activations()) >= 2 && h.state() == "connected" })
	if !strings.Contains(h.logs.String(), "network lost; rejoining") {
		t.Errorf("loss not logged")
	}

	// NetworkManager restarts and loses the connection: rejoin.
	n := len(h.fake.Activations())
	h.fake.StopNM()
	h.waitFor("backend-gone", func() bool { return h.state() == "backend-gone" })
	if err := h.fake.StartNM(); err != nil {
		t.Fatal(err)
	}
	h.waitFor("a rejoin after the NetworkManager restart", func() bool {
		return len(h.fake.Activations()) > n && h.state() == "connected"
	})
}

func TestBadConfigKeepsLastGood(t *testing.T) {
	h := newHarness(t, setup{configs: map[string]string{"home.conf": "ssid = Home\n"}})
	h.waitOwned()
	h.waitFor("first configuration", func() bool { return h.status()["networks"].Value().(uint32) == 1 })
	bad := filepath.Join(h.cfgDir, "work.conf")
	writeFile(t, bad, "ssid = Work\npriority = urgent\n", 0o644) // inotify reloads
	h.waitFor("the configuration error", func() bool { return h.status()["config_error"].Value().(string) != "" })
	want := bad + `:2: priority must be an integer from -1000 to 1000, got "urgent"`
	if got := h.status()["config_error"].Value().(string); got != want {
		t.Errorf("config_error:\n got %q\nwant %q", got, want)
	}
	var ssids [][]byte
	if err := h.call("List").Store(&ssids); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]byte{[]byte("Home")}, ssids); diff != "" {
		t.Errorf("List kept the last good configuration (-want +got):\n%s", diff)
	}
	if !strings.Contains(h.logs.String(), `"file":"`+bad+`","line":2`) {
		t.Errorf("the log does not name the file and line:\n%s", h.logs.String())
	}
	// Fixed and reloaded by SIGHUP (inotify would do it too).
	writeFile(t, bad, "ssid = Work\npriority = 3\n", 0o644)
	h.reload <- struct{}{}
	h.waitFor("the fixed configuration", func() bool {
		st := h.status()
		return st["config_error"].Value().(string) == "" && st["networks"].Value().(uint32) == 2
	})
}

// TestReadyAfterNameOwned checks sd_notify: READY=1 arrives only once the
// bus name is owned, and the main loop pings the watchdog.
func TestReadyAfterNameOwned(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "notify.sock")
	l, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	h := newHarness(t, setup{notifier: &SystemdNotifier{}, watchdog: 200 * time.Millisecond, noStart: true})
	// Set after the private dbus-daemon started: it would send its own READY=1.
	t.Setenv("NOTIFY_SOCKET", sock)
	c := NewClient(h.client)
	h.start()
	var got []string
	buf := make([]byte, 4096)
	l.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		n, err := l.Read(buf)
		if err != nil {
			t.Fatalf("no READY=1 (got %q): %v", got, err)
		}
		msg := string(buf[:n])
		got = append(got, msg)
		if strings.HasPrefix(msg, "READY=1\nSTATUS=") {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			up, err := c.Running(ctx)
			cancel()
			if err != nil || !up {
				t.Fatalf("READY=1 sent before %s was owned (%v); got %q; logs:\n%s", BusName, err, got, h.logs.String())
			}
			break
		}
	}
	for !strings.Contains(got[len(got)-1], "WATCHDOG=1") {
		n, err := l.Read(buf)
		if err != nil {
			t.Fatalf("no WATCHDOG=1 after READY (got %q): %v", got, err)
		}
		got = append(got, string(buf[:n]))
	}
	h.stop()
	for {
		n, err := l.Read(buf)
		if err != nil {
			t.Fatalf("no STOPPING=1 (got %q)", got)
		}
		if string(buf[:n]) == "STOPPING=1" {
			break
		}
		got = append(got, string(buf[:n]))
	}
}

// TestStopDuringJoin: cancellation (SIGTERM) during a join abandons it: the
// caller gets Error.Stopping, Run returns promptly and cleanly, and no
// report — whole or partial — is left behind.
func TestStopDuringJoin(t *testing.T) {
	slow := nmtest.Script{nmtest.ActiveState(nmtest.ACActivating, 0), nmtest.DeviceState(nmtest.DevPrepare, 0), nmtest.Sleep(time.Minute)}
	h := newHarness(t, setup{sc: nmtest.Scenario{APs: []nmtest.AP{wpa2AP}, OnActivate: slow}})
	h.waitOwned()
	errc := make(chan error, 1)
	go func() {
		errc <- h.call("Apply", map[string]dbus.Variant{"ssid": dbus.MakeVariant([]byte("Lab")), "passphrase": dbus.MakeVariant(testPass)}).Err
	}()
	h.waitFor("the join to start", func() bool { return len(h.fake.Activations()) == 1 })
	t0 := time.Now()
	if err := h.stop(); err != nil {
		t.Fatalf("Run returned %v after cancellation", err)
	}
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("stopping took %s", d)
	}
	select {
	case err := <-errc:
		if de, ok := err.(dbus.Error); !ok || de.Name != ErrorStopping {
			t.Errorf("Apply during stop: %v, want %s", err, ErrorStopping)
		}
	case <-time.After(5 * time.Second):
		t.Error("Apply never answered")
	}
	ents, _ := os.ReadDir(h.reportDir)
	if len(ents) != 0 {
		t.Errorf("files left in the report directory: %v", ents)
	}
	h.noSecret(testPass, h.stateDir)
}

// TestRestartAdoptsConnection: a daemon started while the device is already
// joined to a configured network adopts it instead of joining again.
func TestRestartAdoptsConnection(t *testing.T) {
	h := newHarness(t, setup{sc: nmtest.Scenario{APs: []nmtest.AP{wpa2AP}}})
	h.waitOwned()
	var out string
	if err := h.call("Apply", map[string]dbus.Variant{"ssid": dbus.MakeVariant([]byte("Lab")),
		"passphrase": dbus.MakeVariant(testPass)}).Store(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"class": "none"`) {
		t.Fatalf("join failed: %s", out)
	}
	h.restart()
	h.waitOwned()
	h.waitFor("connected", func() bool { return h.state() == "connected" })
	if n := len(h.fake.Activations()); n != 1 {
		t.Errorf("%d activations after the restart, want 1 (adopted)", n)
	}
	if !strings.Contains(h.logs.String(), "already joined to a configured network") {
		t.Errorf("adoption not logged")
	}
}
