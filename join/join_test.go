package join

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/godbus/dbus/v5"
	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/diagnostics/logparse"
	"github.com/hotspotctl/hotspotctl/nm"
	"github.com/hotspotctl/hotspotctl/scan"
)

// instantClock runs backoff delays and pauses at once, so tests exercise the
// retry policy without sleeping.
type instantClock struct{}

func (instantClock) Now() time.Time { return time.Now() }
func (instantClock) After(time.Duration) <-chan time.Time {
	c := make(chan time.Time, 1)
	c <- time.Now()
	return c
}

// fakeBackend is an in-process NetworkManager. Each Activate plays the next
// script of events into the stream opened by Events.
type fakeBackend struct {
	mu         sync.Mutex
	pingErr    error
	enabled    bool
	dev        nm.Device
	devErr     error
	activateEr error
	scripts    [][]diagnostics.Event
	activated  []nm.ActivateRequest
	ch         chan diagnostics.Event
	nmScans    int
	// onActivate, if set, runs at the end of each Activate.
	onActivate  func()
	deactivated int
}

func newFake() *fakeBackend {
	return &fakeBackend{enabled: true, dev: nm.Device{Path: "/dev/1", Ifname: "wlan0", State: 30, Managed: true}}
}

func (f *fakeBackend) Ping(context.Context) error { return f.pingErr }
func (f *fakeBackend) Radio(context.Context) (bool, bool, error) {
	return f.enabled, true, nil
}
func (f *fakeBackend) Device(context.Context, string) (nm.Device, error) { return f.dev, f.devErr }
func (f *fakeBackend) AccessPoints(context.Context, nm.Device) ([]nm.AccessPoint, error) {
	return nil, nil
}
func (f *fakeBackend) RequestScan(context.Context, nm.Device, [][]byte) (nm.ScanResult, error) {
	f.nmScans++
	now := time.Now()
	return nm.ScanResult{Record: diagnostics.ScanRecord{Method: "nm", Outcome: "ok", Own: true, Started: now, Ended: now},
		APs: []nm.AccessPoint{{SSID: []byte("Hidden"), BSSID: "02:00:00:00:01:00", FrequencyMHz: 2437, Strength: 80, Security: "wpa-psk"}}}, nil
}
func (f *fakeBackend) Events(context.Context, nm.Device) (<-chan diagnostics.Event, func(), error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ch = make(chan diagnostics.Event, 64)
	ch := f.ch
	var once sync.Once
	return ch, func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		once.Do(func() { close(ch); f.ch = nil })
	}, nil
}
func (f *fakeBackend) Activate(_ context.Context, req nm.ActivateRequest) (nm.Activation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.activated = append(f.activated, req)
	if f.activateEr != nil {
		return nm.Activation{}, f.activateEr
	}
	if len(f.scripts) > 0 {
		script := f.scripts[0]
		if len(f.scripts) > 1 {
			f.scripts = f.scripts[1:]
		}
		for _, e := range script {
			e.Time = time.Now()
			// NetworkManager's device states carry the device's active
			// connection (nm.Client.Events), which is this activation's.
			if e.Kind == diagnostics.KindDeviceState && e.ActiveConnection == "" {
				e.ActiveConnection = "/active/1"
			}
			f.ch <- e
		}
	}
	if f.onActivate != nil {
		f.onActivate()
	}
	return nm.Activation{Active: "/active/1"}, nil
}
func (f *fakeBackend) Deactivate(context.Context, dbus.ObjectPath) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deactivated++
	return nil
}
func (f *fakeBackend) IP4(context.Context, nm.Device) (string, error) { return "10.9.0.2", nil }
func (f *fakeBackend) Commit(context.Context, nm.Activation) error    { return nil }
func (f *fakeBackend) Discard(context.Context, nm.Activation) error   { return nil }
func (f *fakeBackend) Restore(context.Context, nm.Activation) error   { return nil }

type fakeScanner struct {
	results []scan.Result
	errs    []error
	calls   int
}

func (s *fakeScanner) Scan(ctx context.Context, req scan.Request) (scan.Result, error) {
	i := min(s.calls, len(s.results)-1)
	s.calls++
	r := s.results[i]
	r.Record.Started, r.Record.Ended = time.Now(), time.Now()
	var err error
	if i < len(s.errs) {
		err = s.errs[i]
	}
	return r, err
}

func bss(ssid, mac string, dbm float64, sec string) scan.BSS {
	hw, _ := net.ParseMAC(mac)
	return scan.BSS{SSID: []byte(ssid), BSSID: hw, FrequencyMHz: 2412, Channel: 1, SignalDBm: dbm, Security: sec}
}

func okScan(b ...scan.BSS) scan.Result {
	return scan.Result{BSSes: b, Record: diagnostics.ScanRecord{Method: "nl80211", Outcome: "ok", Own: true, BSSCount: len(b)}}
}

func dev(old, new string, reason uint32) diagnostics.Event {
	return diagnostics.Event{Source: diagnostics.SourceNMDevice, Kind: diagnostics.KindDeviceState, OldState: old, State: new,
		Code: int(reason), Name: diagnostics.DeviceReasonName(reason)}
}

var joinedScript = []diagnostics.Event{dev("disconnected", "prepare", 0), dev("prepare", "config", 0),
	{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindSupplicantState, State: "completed"},
	dev("config", "ip-config", 0), dev("ip-config", "ip-check", 0), dev("ip-check", "activated", 0)}

var wrongKeyScript = []diagnostics.Event{dev("disconnected", "prepare", 0), dev("prepare", "config", 0),
	{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindSupplicantState, State: "4way_handshake"},
	{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindPskMismatch},
	dev("config", "need-auth", 8), dev("need-auth", "failed", 7)}

var dhcpScript = []diagnostics.Event{dev("disconnected", "prepare", 0), dev("config", "ip-config", 0), dev("ip-config", "failed", 5)}

const secret = "correct horse battery"

type outcome struct {
	Class      diagnostics.Class
	Attempts   int
	Activated  int
	Retries    []bool
	HintsMatch bool
}

func runJoin(t *testing.T, f *fakeBackend, sc scan.Scanner, req Request, hint string) (*diagnostics.Report, error, outcome) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var logBuf bytes.Buffer
	j := New(f, Options{Scanner: sc, Clock: instantClock{}, Host: "test", ToolVersion: "test",
		Log: zerolog.New(&logBuf).Level(zerolog.DebugLevel).With().Timestamp().Logger()})
	rep, err := j.Join(ctx, req)
	checkLogDiagnosis(t, rep, logBuf.Bytes())
	o := outcome{Class: rep.Class, Attempts: len(rep.Attempts), Activated: len(f.activated), HintsMatch: hint == ""}
	for _, a := range rep.Attempts {
		if a.Retry != nil {
			o.Retries = append(o.Retries, a.Retry.Retry)
		}
	}
	for _, h := range rep.Hints {
		if hint != "" && strings.Contains(h, hint) {
			o.HintsMatch = true
		}
	}
	b, merr := rep.Marshal()
	if merr != nil {
		t.Fatalf("report: %v", merr)
	}
	if strings.Contains(string(b), secret) {
		t.Fatal("report contains the passphrase")
	}
	return rep, err, o
}

// checkLogDiagnosis runs diagnose on the join's own debug log: it must give
// every attempt the class the live join gave it, from the logged events
// alone (one classifier for live joins and logs).
func checkLogDiagnosis(t *testing.T, rep *diagnostics.Report, log []byte) {
	t.Helper()
	d, err := logparse.Diagnose(context.Background(), bytes.NewReader(log), logparse.Options{})
	if err != nil {
		t.Fatalf("diagnose of the join's log: %v", err)
	}
	var want, got []diagnostics.Class
	for _, a := range rep.Attempts {
		want = append(want, a.Class)
	}
	for _, a := range d.Attempts {
		got = append(got, a.Class)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnose of the join's debug log: attempt classes (-live +diagnose)\n%s\nlog:\n%s", diff, log)
	}
}

func TestJoin(t *testing.T) {
	good := bss("Cafe", "02:00:00:00:00:01", -40, "wpa-psk")
	tests := []struct {
		name    string
		setup   func(*fakeBackend)
		scanner *fakeScanner
		req     Request
		hint    string
		want    outcome
	}{
		{
			name:    "joins",
			setup:   func(f *fakeBackend) { f.scripts = [][]diagnostics.Event{joinedScript} },
			scanner: &fakeScanner{results: []scan.Result{okScan(bss("Other", "02:00:00:00:00:09", -30, "open"), good)}},
			req:     Request{SSID: []byte("Cafe"), Passphrase: secret},
			want:    outcome{Class: diagnostics.None, Attempts: 1, Activated: 1, HintsMatch: true},
		},
		{
			name: "an old connection taken down first does not end the attempt",
			setup: func(f *fakeBackend) {
				f.dev.State = 100
				// The old connection's states carry its own active
				// connection, as nm.Client.Events tags them.
				old := func(e diagnostics.Event) diagnostics.Event { e.ActiveConnection = "/active/old"; return e }
				f.scripts = [][]diagnostics.Event{append([]diagnostics.Event{old(dev("activated", "deactivating", 60)),
					old(dev("deactivating", "disconnected", 60))}, joinedScript...)}
			},
			scanner: &fakeScanner{results: []scan.Result{okScan(good)}},
			req:     Request{SSID: []byte("Cafe"), Passphrase: secret},
			want:    outcome{Class: diagnostics.None, Attempts: 1, Activated: 1, HintsMatch: true},
		},
		{
			name:    "absent network is not_found with near-miss and hidden hints, and final",
			scanner: &fakeScanner{results: []scan.Result{okScan(bss("cafe ", "02:00:00:00:00:02", -50, "open"), bss("", "02:00:00:00:00:03", -50, "wpa-psk"))}},
			req:     Request{SSID: []byte("Cafe"), Attempts: 2},
			hint:    `did you mean "cafe "?`,
			want:    outcome{Class: diagnostics.NotFound, Attempts: 1, Retries: []bool{false}, HintsMatch: true},
		},
		{
			name: "refused scans are scan_busy, never not_found",
			scanner: &fakeScanner{results: []scan.Result{{Record: diagnostics.ScanRecord{Method: "nl80211", Outcome: "busy", Own: true, BusyRefusals: 5}}},
				errs: []error{&scan.Error{Op: "trigger", Err: scan.ErrBusy}}},
			req:  Request{SSID: []byte("Cafe"), Attempts: 2},
			want: outcome{Class: diagnostics.ScanBusy, Attempts: 2, Retries: []bool{true, false}, HintsMatch: true},
		},
		{
			name:    "one busy scan then a completed one that lacks the SSID is not_found",
			scanner: &fakeScanner{results: []scan.Result{{Record: diagnostics.ScanRecord{Method: "nl80211", Outcome: "busy", BusyRefusals: 3}}, okScan()}, errs: []error{scan.ErrBusy}},
			req:     Request{SSID: []byte("Cafe"), Attempts: 1},
			want:    outcome{Class: diagnostics.NotFound, Attempts: 1, Retries: []bool{false}, HintsMatch: true},
		},
		{
			name:    "wrong key is permanent",
			setup:   func(f *fakeBackend) { f.scripts = [][]diagnostics.Event{wrongKeyScript} },
			scanner: &fakeScanner{results: []scan.Result{okScan(good)}},
			req:     Request{SSID: []byte("Cafe"), Passphrase: secret},
			want:    outcome{Class: diagnostics.WrongKey, Attempts: 1, Activated: 1, Retries: []bool{false}, HintsMatch: true},
		},
		{
			name: "an explicit auth rejection ends the attempt without waiting for NetworkManager",
			setup: func(f *fakeBackend) {
				f.scripts = [][]diagnostics.Event{{dev("disconnected", "prepare", 0), dev("prepare", "config", 0),
					{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindAuthStatus, Code: 1}}}
			},
			scanner: &fakeScanner{results: []scan.Result{okScan(good)}},
			req:     Request{SSID: []byte("Cafe"), Passphrase: secret},
			want:    outcome{Class: diagnostics.AssocRejected, Attempts: 1, Activated: 1, Retries: []bool{false}, HintsMatch: true},
		},
		{
			name:    "dhcp is retried once",
			setup:   func(f *fakeBackend) { f.scripts = [][]diagnostics.Event{dhcpScript} },
			scanner: &fakeScanner{results: []scan.Result{okScan(good)}},
			req:     Request{SSID: []byte("Cafe"), Passphrase: secret, Attempts: 5},
			want:    outcome{Class: diagnostics.DHCPFailed, Attempts: 2, Activated: 2, Retries: []bool{true, false}, HintsMatch: true},
		},
		{
			name:    "dhcp failure then success",
			setup:   func(f *fakeBackend) { f.scripts = [][]diagnostics.Event{dhcpScript, joinedScript} },
			scanner: &fakeScanner{results: []scan.Result{okScan(good)}},
			req:     Request{SSID: []byte("Cafe"), Passphrase: secret},
			want:    outcome{Class: diagnostics.None, Attempts: 2, Activated: 2, Retries: []bool{true}, HintsMatch: true},
		},
		{
			name:    "radio off is fast and permanent",
			setup:   func(f *fakeBackend) { f.enabled = false },
			scanner: &fakeScanner{results: []scan.Result{okScan(good)}},
			req:     Request{SSID: []byte("Cafe")},
			hint:    "nmcli radio wifi on",
			want:    outcome{Class: diagnostics.RadioOff, Attempts: 1, Retries: []bool{false}, HintsMatch: true},
		},
		{
			name:    "unmanaged device",
			setup:   func(f *fakeBackend) { f.dev.Managed = false; f.dev.State = 10 },
			scanner: &fakeScanner{results: []scan.Result{okScan(good)}},
			req:     Request{SSID: []byte("Cafe")},
			hint:    "managed yes",
			want:    outcome{Class: diagnostics.DeviceUnavailable, Attempts: 1, Retries: []bool{false}, HintsMatch: true},
		},
		{
			name:    "several Wi-Fi devices and none named is invalid input",
			setup:   func(f *fakeBackend) { f.devErr = &nm.Error{Op: "device", Err: nm.ErrAmbiguousDevice} },
			scanner: &fakeScanner{results: []scan.Result{okScan(good)}},
			req:     Request{SSID: []byte("Cafe")},
			want:    outcome{Class: diagnostics.InvalidInput, Attempts: 1, Retries: []bool{false}, HintsMatch: true},
		},
		{
			name:    "NetworkManager not running is not retried",
			setup:   func(f *fakeBackend) { f.pingErr = &nm.Error{Op: "ping", Err: nm.ErrNotRunning} },
			scanner: &fakeScanner{results: []scan.Result{okScan(good)}},
			req:     Request{SSID: []byte("Cafe")},
			want:    outcome{Class: diagnostics.BackendUnavailable, Attempts: 1, Retries: []bool{false}, HintsMatch: true},
		},
		{
			name:    "permission denied",
			setup:   func(f *fakeBackend) { f.activateEr = &nm.Error{Op: "activate", Err: nm.ErrPermission} },
			scanner: &fakeScanner{results: []scan.Result{okScan(good)}},
			req:     Request{SSID: []byte("Cafe"), Passphrase: secret},
			want:    outcome{Class: diagnostics.PermissionDenied, Attempts: 1, Activated: 1, Retries: []bool{false}, HintsMatch: true},
		},
		{
			name:    "secured network without a passphrase is invalid input after the scan",
			scanner: &fakeScanner{results: []scan.Result{okScan(good)}},
			req:     Request{SSID: []byte("Cafe")},
			want:    outcome{Class: diagnostics.InvalidInput, Attempts: 1, Retries: []bool{false}, HintsMatch: true},
		},
		{
			name:    "prefix picks the strongest match",
			setup:   func(f *fakeBackend) { f.scripts = [][]diagnostics.Event{joinedScript} },
			scanner: &fakeScanner{results: []scan.Result{okScan(bss("lab-a", "02:00:00:00:00:0a", -70, "open"), bss("lab-b", "02:00:00:00:00:0b", -40, "open"), bss("xlab", "02:00:00:00:00:0c", -20, "open"))}},
			req:     Request{SSIDPrefix: []byte("lab-")},
			want:    outcome{Class: diagnostics.None, Attempts: 1, Activated: 1, HintsMatch: true},
		},
		{
			name:    "hidden uses NetworkManager's directed scan",
			setup:   func(f *fakeBackend) { f.scripts = [][]diagnostics.Event{joinedScript} },
			scanner: &fakeScanner{results: []scan.Result{okScan()}},
			req:     Request{SSID: []byte("Hidden"), Hidden: true, Passphrase: secret},
			want:    outcome{Class: diagnostics.None, Attempts: 1, Activated: 1, HintsMatch: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake()
			if tt.setup != nil {
				tt.setup(f)
			}
			rep, err, got := runJoin(t, f, tt.scanner, tt.req, tt.hint)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("outcome (-want +got):\n%s\nreport: %+v", diff, rep.Attempts)
			}
			if (err == nil) != (tt.want.Class == diagnostics.None) {
				t.Errorf("err = %v for class %s", err, rep.Class)
			}
			var je *Error
			if err != nil && tt.want.Class != diagnostics.InvalidInput && (!errors.As(err, &je) || je.Class != tt.want.Class) {
				t.Errorf("err = %v, want *Error with class %s", err, tt.want.Class)
			}
		})
	}
}

func TestJoinPrefixChoosesStrongestAndHiddenSetsFlags(t *testing.T) {
	f := newFake()
	f.scripts = [][]diagnostics.Event{joinedScript}
	sc := &fakeScanner{results: []scan.Result{okScan(bss("lab-a", "02:00:00:00:00:0a", -70, "open"), bss("lab-b", "02:00:00:00:00:0b", -40, "open"))}}
	rep, _, _ := runJoin(t, f, sc, Request{SSIDPrefix: []byte("lab-"), Once: true}, "")
	got := struct {
		SSID     string
		Volatile bool
		Security string
		Report   string
	}{string(f.activated[0].SSID), f.activated[0].Volatile, f.activated[0].Security, rep.SSID}
	want := struct {
		SSID     string
		Volatile bool
		Security string
		Report   string
	}{"lab-b", true, "open", "lab-b"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("activation (-want +got):\n%s", diff)
	}
}

func TestJoinInvalidInputTouchesNothing(t *testing.T) {
	for _, req := range []Request{
		{SSID: []byte(strings.Repeat("x", 33))},
		{SSID: []byte("ok"), Passphrase: "short"},
		{SSID: []byte("ok"), Passphrase: strings.Repeat("z", 64)},
		{SSID: []byte("ok"), Passphrase: "caf\u00e9-caf\u00e9"},
		{SSID: []byte("ok"), Security: "wep"},
		{SSID: []byte("ok"), Security: "wpa-psk"},
		{SSID: []byte("ok"), BSSID: "nope"},
		{SSID: []byte("ok"), Ifname: "nosuchif0"},
		{SSID: []byte("ok"), SSIDPrefix: []byte("o")},
		{SSIDPrefix: []byte("o"), Hidden: true},
	} {
		t.Run(fmt.Sprintf("%q", req.SSID), func(t *testing.T) {
			f := newFake()
			f.pingErr = errors.New("must not be called")
			sc := &fakeScanner{results: []scan.Result{okScan()}}
			rep, err, _ := runJoin(t, f, sc, req, "")
			if !errors.Is(err, ErrInvalidInput) || rep.Class != diagnostics.InvalidInput {
				t.Fatalf("err = %v class %s, want invalid input", err, rep.Class)
			}
			if sc.calls != 0 || len(f.activated) != 0 {
				t.Errorf("invalid input touched the system: %d scans, %d activations", sc.calls, len(f.activated))
			}
			if strings.Contains(err.Error(), req.Passphrase) && req.Passphrase != "" {
				t.Errorf("error %q contains the passphrase", err)
			}
		})
	}
}

func TestJoinDeadlineIsTimeoutAndBounded(t *testing.T) {
	f := newFake()
	f.scripts = [][]diagnostics.Event{{dev("disconnected", "prepare", 0), dev("prepare", "config", 0)}} // never finishes
	sc := &fakeScanner{results: []scan.Result{okScan(bss("Cafe", "02:00:00:00:00:01", -40, "open"))}}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	rep, err := New(f, Options{Scanner: sc, Clock: instantClock{}}).Join(ctx, Request{SSID: []byte("Cafe")})
	if rep.Class != diagnostics.Timeout {
		t.Errorf("class = %s (%s), want timeout", rep.Class, rep.Detail)
	}
	var je *Error
	if !errors.As(err, &je) {
		t.Errorf("err = %v", err)
	}
	if over := rep.Ended.Sub(rep.Started); over > 2*time.Second {
		t.Errorf("join ran %s past a 500ms deadline", over)
	}
}

func TestParseSSID(t *testing.T) {
	for _, tc := range []struct {
		in    string
		hex   bool
		want  string
		valid bool
	}{
		{"Cafe", false, "Cafe", true},
		{"636166e9", true, "caf\xe9", true},
		{"0x636166e9", true, "caf\xe9", true},
		{"zz", true, "", false},
		{"", false, "", false},
		{strings.Repeat("a", 32), false, strings.Repeat("a", 32), true},
		{strings.Repeat("é", 17), false, "", false}, // 34 bytes
	} {
		got, err := ParseSSID(tc.in, tc.hex)
		if (err == nil) != tc.valid || (tc.valid && string(got) != tc.want) {
			t.Errorf("ParseSSID(%q, %t) = %q, %v", tc.in, tc.hex, got, err)
		}
		if err != nil && !errors.Is(err, ErrInvalidInput) {
			t.Errorf("ParseSSID error %v is not ErrInvalidInput", err)
		}
	}
}

func TestRetryIntoDeadlineKeepsSpecificClass(t *testing.T) {
	f := newFake()
	f.scripts = [][]diagnostics.Event{dhcpScript, {dev("disconnected", "prepare", 0)}} // the retry never finishes
	sc := &fakeScanner{results: []scan.Result{okScan(bss("Cafe", "02:00:00:00:00:01", -40, "open"))}}
	// A retry needs its backoff delay plus one scan (3 s) before the deadline.
	ctx, cancel := context.WithTimeout(context.Background(), 3500*time.Millisecond)
	defer cancel()
	quick := func() backoff.BackOff { return backoff.NewConstantBackOff(10 * time.Millisecond) }
	rep, _ := New(f, Options{Scanner: sc, Clock: instantClock{}, Backoff: quick}).Join(ctx, Request{SSID: []byte("Cafe")})
	got := []diagnostics.Class{rep.Class}
	for _, a := range rep.Attempts {
		got = append(got, a.Class)
	}
	if diff := cmp.Diff([]diagnostics.Class{diagnostics.DHCPFailed, diagnostics.DHCPFailed, diagnostics.Timeout}, got); diff != "" {
		t.Errorf("final and attempt classes (-want +got):\n%s", diff)
	}
}

// TestHiddenHintFromRecentBeacons checks that a hidden BSS the kernel heard
// since the scan phase began (in another scan: an active scan's 60 ms dwell
// can miss a hidden AP's beacon) backs the hidden-network hint, and that
// one heard before the phase does not.
func TestHiddenHintFromRecentBeacons(t *testing.T) {
	hidden := func(age time.Duration) scan.BSS {
		b := bss("", "02:00:00:00:00:03", -50, "open")
		b.Age = age
		return b
	}
	type got struct {
		Recent []int // the distinct hidden_recent values of the scans
		Hint   bool
	}
	for _, tt := range []struct {
		name  string
		stale []scan.BSS
		want  got
	}{
		{"heard during the phase", []scan.BSS{hidden(0)}, got{Recent: []int{1}, Hint: true}},
		{"heard only an hour ago", []scan.BSS{hidden(time.Hour)}, got{Recent: []int{0}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := okScan(bss("Other", "02:00:00:00:00:09", -30, "open"))
			res.Stale = tt.stale
			rep, _, o := runJoin(t, newFake(), &fakeScanner{results: []scan.Result{res}},
				Request{SSID: []byte("Cafe"), Attempts: 1, ScansPerAttempt: 3, ScanWindow: time.Millisecond}, "hidden network(s) present")
			if o.Class != diagnostics.NotFound {
				t.Fatalf("class %s, want not_found", o.Class)
			}
			var g got
			for _, s := range rep.Attempts[0].Scans {
				if !slices.Contains(g.Recent, s.HiddenRecent) {
					g.Recent = append(g.Recent, s.HiddenRecent)
				}
				if s.HiddenBSS != 0 {
					t.Errorf("scan counts %d hidden fresh BSSes, want 0", s.HiddenBSS)
				}
			}
			g.Hint = o.HintsMatch
			if diff := cmp.Diff(tt.want, g); diff != "" {
				t.Errorf("(-want +got):\n%s\nhints: %q", diff, rep.Hints)
			}
		})
	}
}
