package join_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/join"
	"github.com/hotspotctl/hotspotctl/nm"
	"github.com/hotspotctl/hotspotctl/nm/nmtest"
)

// These tests run the real nm.Client and the join pipeline against the fake
// NetworkManager and wpa_supplicant exported on a private dbus-daemon, so
// every message crosses a real bus. No nl80211 scanner is given: scans go
// through NetworkManager's RequestScan, checked by wpa_supplicant's ScanDone.

const passphrase = "lab-secret-passphrase-7"

var cafe = nmtest.AP{SSID: []byte("Cafe"), BSSID: "02:00:00:00:01:00", RsnFlags: nmtest.RsnWPA2PSK, Strength: 80}

func schema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(diagnostics.ReportSchemaV1))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("report.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("report.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type result struct {
	Class    diagnostics.Class
	Attempts int
}

func joinOnBus(t *testing.T, sc nmtest.Scenario, req join.Request, timeout time.Duration) (*nmtest.Fake, *diagnostics.Report) {
	t.Helper()
	f, conn := nmtest.Start(t, sc)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	fast := func() backoff.BackOff { return backoff.NewConstantBackOff(50 * time.Millisecond) }
	rep, err := join.New(nm.NewClient(conn), join.Options{Host: "test", ToolVersion: "test", Backoff: fast,
		LinkSettle: 200 * time.Millisecond}).Join(ctx, req)
	if (err == nil) != (rep.Class == diagnostics.None) {
		t.Errorf("err %v with class %s", err, rep.Class)
	}
	b, merr := rep.Marshal()
	if merr != nil {
		t.Fatalf("marshal: %v", merr)
	}
	inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err := schema(t).Validate(inst); err != nil {
		t.Errorf("report does not match its schema: %v", err)
	}
	if req.Passphrase != "" && strings.Contains(string(b), req.Passphrase) {
		t.Error("report contains the passphrase")
	}
	return f, rep
}

func TestJoinOverDBus(t *testing.T) {
	var restarted atomic.Bool
	tests := []struct {
		name    string
		sc      nmtest.Scenario
		req     join.Request
		want    result
		detail  string // substring of the final detail
		timeout time.Duration
	}{
		{name: "joins", sc: nmtest.Scenario{APs: []nmtest.AP{cafe}}, req: join.Request{SSID: []byte("Cafe"), Passphrase: passphrase},
			want: result{diagnostics.None, 1}},
		{name: "wrong key", sc: nmtest.Scenario{APs: []nmtest.AP{cafe}, OnActivate: nmtest.ScriptWrongKey()},
			req: join.Request{SSID: []byte("Cafe"), Passphrase: passphrase}, want: result{diagnostics.WrongKey, 1}, detail: "key rejected"},
		{name: "wrong key with PskMismatch", sc: nmtest.Scenario{APs: []nmtest.AP{cafe}, OnActivate: nmtest.ScriptWrongKeyPskMismatch()},
			req: join.Request{SSID: []byte("Cafe"), Passphrase: passphrase}, want: result{diagnostics.WrongKey, 1}, detail: "pre-shared key"},
		{name: "auth rejected (hostapd max_num_sta=0)", sc: nmtest.Scenario{APs: []nmtest.AP{cafe}, OnActivate: nmtest.ScriptAuthRejected(17)},
			req: join.Request{SSID: []byte("Cafe"), Passphrase: passphrase}, want: result{diagnostics.AssocRejected, 3}, detail: "status 17"},
		{name: "association rejected", sc: nmtest.Scenario{APs: []nmtest.AP{cafe}, OnActivate: nmtest.ScriptAssocRejected(12)},
			req: join.Request{SSID: []byte("Cafe"), Passphrase: passphrase}, want: result{diagnostics.AssocRejected, 1}, detail: "status 12"},
		{name: "dhcp", sc: nmtest.Scenario{APs: []nmtest.AP{cafe}, OnActivate: nmtest.ScriptDHCPFailure(17)},
			req: join.Request{SSID: []byte("Cafe"), Passphrase: passphrase, Attempts: 3}, want: result{diagnostics.DHCPFailed, 2}},
		{name: "absent", sc: nmtest.Scenario{APs: []nmtest.AP{{SSID: []byte("cafe"), BSSID: "02:00:00:00:02:00"}}},
			req: join.Request{SSID: []byte("Cafe"), ScansPerAttempt: 2, ScanWindow: 200 * time.Millisecond}, want: result{diagnostics.NotFound, 1}, detail: "not seen in 2 fresh scans"},
		{name: "scans refused", sc: nmtest.Scenario{APs: []nmtest.AP{cafe}, Scans: []nmtest.ScanStep{{Refuse: nmtest.RefuseRateLimited}}},
			req: join.Request{SSID: []byte("Cafe"), Attempts: 1, ScansPerAttempt: 1}, want: result{diagnostics.ScanBusy, 1}},
		{name: "scans fail (ScanDone false while LastScan moves)", sc: nmtest.Scenario{APs: []nmtest.AP{cafe}, Scans: []nmtest.ScanStep{{Fail: true}}},
			req: join.Request{SSID: []byte("Cafe"), Attempts: 1, ScansPerAttempt: 1}, want: result{diagnostics.ScanBusy, 1}},
		{name: "radio off", sc: nmtest.Scenario{APs: []nmtest.AP{cafe}, RadioOff: true},
			req: join.Request{SSID: []byte("Cafe")}, want: result{diagnostics.RadioOff, 1}},
		{name: "unmanaged", sc: nmtest.Scenario{Devices: []nmtest.DeviceSpec{{Ifname: "wlan0", Unmanaged: true}}},
			req: join.Request{SSID: []byte("Cafe")}, want: result{diagnostics.DeviceUnavailable, 1}},
		{name: "permission denied", sc: nmtest.Scenario{APs: []nmtest.AP{cafe}, DenyActivate: true},
			req: join.Request{SSID: []byte("Cafe"), Passphrase: passphrase}, want: result{diagnostics.PermissionDenied, 1}},
		{name: "hidden network joins with a directed scan",
			sc:   nmtest.Scenario{APs: []nmtest.AP{{SSID: []byte("Secret"), BSSID: "02:00:00:00:03:00", RsnFlags: nmtest.RsnWPA2PSK, Hidden: true}}},
			req:  join.Request{SSID: []byte("Secret"), Hidden: true, Passphrase: passphrase},
			want: result{diagnostics.None, 1}},
		{name: "hidden network without --hidden is not_found with a hint",
			sc:   nmtest.Scenario{APs: []nmtest.AP{{SSID: []byte("Secret"), BSSID: "02:00:00:00:03:00", RsnFlags: nmtest.RsnWPA2PSK, Hidden: true}}},
			req:  join.Request{SSID: []byte("Secret"), ScansPerAttempt: 1, ScanWindow: time.Millisecond},
			want: result{diagnostics.NotFound, 1}},
		{name: "NetworkManager restarting mid-join recovers",
			sc: nmtest.Scenario{APs: []nmtest.AP{cafe}, OnActivate: append(nmtest.Script{
				nmtest.ActiveState(nmtest.ACActivating, 0), nmtest.DeviceState(nmtest.DevPrepare, 0),
				{Do: func(f *nmtest.Fake) {
					if restarted.CompareAndSwap(false, true) {
						f.StopNM()
						time.Sleep(200 * time.Millisecond)
						_ = f.StartNM()
					}
				}}}, nmtest.ScriptSuccess()...)},
			req:     join.Request{SSID: []byte("Cafe"), Passphrase: passphrase},
			want:    result{diagnostics.None, -2}, // at least two: one lost, one joined
			timeout: 30 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			timeout := tt.timeout
			if timeout == 0 {
				timeout = 20 * time.Second
			}
			_, rep := joinOnBus(t, tt.sc, tt.req, timeout)
			got := result{rep.Class, len(rep.Attempts)}
			if tt.want.Attempts < 0 && got.Attempts >= -tt.want.Attempts {
				got.Attempts = tt.want.Attempts
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				var b strings.Builder
				for _, a := range rep.Attempts {
					b.WriteString("  " + string(a.Class) + ": " + a.Detail + "\n")
					for _, e := range a.Events {
						b.WriteString("    " + e.String() + "\n")
					}
				}
				t.Errorf("result (-want +got):\n%s\nattempts:\n%s", diff, b.String())
			}
			if !strings.Contains(rep.Detail, tt.detail) {
				t.Errorf("detail %q lacks %q", rep.Detail, tt.detail)
			}
			if rep.Class != diagnostics.None && len(rep.Attempts[len(rep.Attempts)-1].Evidence) == 0 {
				t.Error("failed attempt has no evidence")
			}
		})
	}
}

func TestJoinOverDBusHints(t *testing.T) {
	_, rep := joinOnBus(t, nmtest.Scenario{APs: []nmtest.AP{
		{SSID: []byte("cafe"), BSSID: "02:00:00:00:02:00"},
		{SSID: []byte("Secret"), BSSID: "02:00:00:00:03:00", Hidden: true},
	}}, join.Request{SSID: []byte("Cafe"), ScansPerAttempt: 1, ScanWindow: time.Millisecond}, 10*time.Second)
	want := []string{`did you mean "cafe"?`, `1 hidden network(s) present: if "Cafe" is hidden, retry with --hidden`}
	if diff := cmp.Diff(want, rep.Hints); diff != "" {
		t.Errorf("hints (-want +got):\n%s", diff)
	}
}

func TestJoinOnceIsVolatile(t *testing.T) {
	f, rep := joinOnBus(t, nmtest.Scenario{APs: []nmtest.AP{cafe}}, join.Request{SSID: []byte("Cafe"), Passphrase: passphrase, Once: true}, 10*time.Second)
	if rep.Class != diagnostics.None {
		t.Fatalf("class %s: %s", rep.Class, rep.Detail)
	}
	// Every profile starts volatile; a --once one must stay so after the
	// join succeeded (Commit does not write it to disk).
	f.WaitIdle()
	if ps := f.Profiles(); len(ps) != 1 || ps[0].OnDisk || !ps[0].Volatile {
		t.Errorf("profiles %+v, want one volatile, not on disk", keyNames(ps))
	}
}

func TestJoinBackendGone(t *testing.T) {
	f, conn := nmtest.Start(t, nmtest.Scenario{})
	f.StopNM()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rep, err := join.New(nm.NewClient(conn), join.Options{}).Join(ctx, join.Request{SSID: []byte("Cafe")})
	var je *join.Error
	if !errors.As(err, &je) || je.Class != diagnostics.BackendUnavailable || len(rep.Attempts) != 1 {
		t.Errorf("err %v, %d attempts, want backend_unavailable once", err, len(rep.Attempts))
	}
}
