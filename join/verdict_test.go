package join_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/join"
	"github.com/hotspotctl/hotspotctl/nm"
	"github.com/hotspotctl/hotspotctl/nm/nmtest"
)

// These tests are issue 8's wrong verdicts (items 1, 6, 7, 12), each on the
// fake NetworkManager over a real bus.

var lobby = nmtest.AP{SSID: []byte("Lobby"), BSSID: "02:00:00:00:04:00", Strength: 60}

type verdict struct {
	Class    diagnostics.Class
	Attempts int
	Retried  bool
}

func verdictOf(rep *diagnostics.Report) verdict {
	v := verdict{Class: rep.Class, Attempts: len(rep.Attempts)}
	for _, a := range rep.Attempts {
		if a.Retry != nil && a.Retry.Retry {
			v.Retried = true
		}
	}
	return v
}

func timeline(rep *diagnostics.Report) string {
	var b strings.Builder
	for _, a := range rep.Attempts {
		fmt.Fprintf(&b, "  attempt %d: %s: %s\n", a.Number, a.Class, a.Detail)
		for _, e := range a.Events {
			b.WriteString("    " + e.String() + " [" + e.ActiveConnection + "]\n")
		}
	}
	return b.String()
}

// Item 1: NetworkManager autoconnects the user's open "Lobby" profile during
// our scan; the states of that activation (activated, with an address) are
// buffered while we scan. Our own activation then fails with a wrong key: the
// verdict is wrong_key, not none.
func TestAutoconnectDuringScanDoesNotDecide(t *testing.T) {
	sc := nmtest.Scenario{APs: []nmtest.AP{cafe, lobby},
		Scans:      []nmtest.ScanStep{{Autoconnect: &nmtest.Autoconnect{Settings: nmtest.OpenProfile("Lobby", lobby.SSID), Script: nmtest.ScriptOpenSuccess()}}, {}},
		OnActivate: nmtest.ScriptWrongKey()}
	_, rep := joinOnBus(t, sc, join.Request{SSID: []byte("Cafe"), Passphrase: passphrase}, 20*time.Second)
	if diff := cmp.Diff(verdict{Class: diagnostics.WrongKey, Attempts: 1}, verdictOf(rep)); diff != "" {
		t.Errorf("verdict (-want +got):\n%s\n%s", diff, timeline(rep))
	}
}

// Item 6: on a desktop, NetworkManager answers a failed handshake with
// need-auth and a password dialog from the secret agent, which nobody
// answers. The join ends as wrong_key at need-auth (not timeout at the
// deadline), deactivates, and so cancels the agent's request.
func TestNeedAuthAfterFailedHandshakeIsWrongKey(t *testing.T) {
	sc := nmtest.Scenario{APs: []nmtest.AP{cafe}, OnActivate: nmtest.ScriptWrongKeyAgent(time.Hour)}
	f, rep := joinOnBus(t, sc, join.Request{SSID: []byte("Cafe"), Passphrase: passphrase}, 10*time.Second)
	if diff := cmp.Diff(verdict{Class: diagnostics.WrongKey, Attempts: 1}, verdictOf(rep)); diff != "" {
		t.Errorf("verdict (-want +got):\n%s\n%s", diff, timeline(rep))
	}
	type agent struct{ Asked, Cancelled int }
	var got agent
	got.Asked, got.Cancelled = f.AgentRequests()
	if diff := cmp.Diff(agent{1, 1}, got); diff != "" {
		t.Errorf("secret agent requests (-want +got):\n%s", diff)
	}
}

// Item 7: an AP that keeps deauthenticating us after association while
// NetworkManager still reaches activated with an address. The verdict is a
// classified failure naming the AP's reason, not joined, and it is not
// retried.
func TestDeauthLoopIsNotJoined(t *testing.T) {
	sc := nmtest.Scenario{APs: []nmtest.AP{cafe}, OnActivate: nmtest.ScriptDeauthLoop(2, 3)}
	_, rep := joinOnBus(t, sc, join.Request{SSID: []byte("Cafe"), Passphrase: passphrase}, 20*time.Second)
	if diff := cmp.Diff(verdict{Class: diagnostics.AssocRejected, Attempts: 1}, verdictOf(rep)); diff != "" {
		t.Errorf("verdict (-want +got):\n%s\n%s", diff, timeline(rep))
	}
	if want := "reason 2 (previous authentication no longer valid)"; !strings.Contains(rep.Detail, want) {
		t.Errorf("detail %q lacks %q", rep.Detail, want)
	}
}

// Item 7, the other side: a link that comes up and holds is joined, and the
// joined event says it held.
func TestJoinedNeedsTheLinkToHold(t *testing.T) {
	_, rep := joinOnBus(t, nmtest.Scenario{APs: []nmtest.AP{cafe}}, join.Request{SSID: []byte("Cafe"), Passphrase: passphrase}, 20*time.Second)
	if diff := cmp.Diff(verdict{Class: diagnostics.None, Attempts: 1}, verdictOf(rep)); diff != "" {
		t.Errorf("verdict (-want +got):\n%s\n%s", diff, timeline(rep))
	}
	if !strings.Contains(rep.Detail, "link held for") {
		t.Errorf("detail %q does not say the link held", rep.Detail)
	}
}

// Item 12: another client activates something else on the interface while
// our activation runs. NetworkManager takes ours down with reason 60; the
// attempt ends at once as superseded, not unknown or timeout, and is not
// retried (a retry would knock the other off).
func TestSupersededActivationEndsAtOnce(t *testing.T) {
	takeover := nmtest.Step{Do: func(f *nmtest.Fake) {
		f.ActivateOther("wlan0", nmtest.OpenProfile("Lobby", lobby.SSID), nmtest.ScriptOpenSuccess())
	}}
	sc := nmtest.Scenario{APs: []nmtest.AP{cafe, lobby}, OnActivate: nmtest.Script{
		nmtest.DeviceState(nmtest.DevPrepare, 0), nmtest.ActiveState(nmtest.ACActivating, 0), nmtest.DeviceState(nmtest.DevConfig, 0),
		nmtest.SupplicantState("associating"), takeover}}
	_, rep := joinOnBus(t, sc, join.Request{SSID: []byte("Cafe"), Passphrase: passphrase}, 20*time.Second)
	if diff := cmp.Diff(verdict{Class: diagnostics.Superseded, Attempts: 1}, verdictOf(rep)); diff != "" {
		t.Errorf("verdict (-want +got):\n%s\n%s", diff, timeline(rep))
	}
	if want := "superseded by a new activation"; !strings.Contains(rep.Detail, want) {
		t.Errorf("detail %q lacks %q", rep.Detail, want)
	}
}

// Item 12: our connection deactivated by another client (nmcli con down):
// superseded at once, with NetworkManager's reason.
func TestDeactivatedByAnotherClientEndsAtOnce(t *testing.T) {
	down := nmtest.Step{Do: func(f *nmtest.Fake) {
		// DeactivateConnection from another client, on whatever is active.
		f.DeactivateAll("wlan0")
	}}
	sc := nmtest.Scenario{APs: []nmtest.AP{cafe}, OnActivate: nmtest.Script{
		nmtest.DeviceState(nmtest.DevPrepare, 0), nmtest.ActiveState(nmtest.ACActivating, 0), nmtest.DeviceState(nmtest.DevConfig, 0), down}}
	_, rep := joinOnBus(t, sc, join.Request{SSID: []byte("Cafe"), Passphrase: passphrase}, 20*time.Second)
	if diff := cmp.Diff(verdict{Class: diagnostics.Superseded, Attempts: 1}, verdictOf(rep)); diff != "" {
		t.Errorf("verdict (-want +got):\n%s\n%s", diff, timeline(rep))
	}
	if want := "user-requested"; !strings.Contains(rep.Detail, want) {
		t.Errorf("detail %q lacks %q", rep.Detail, want)
	}
}

// memLock is an in-process join.InterfaceLock.
type memLock struct{ ch chan struct{} }

func newMemLock() *memLock { return &memLock{ch: make(chan struct{}, 1)} }

func (l *memLock) Lock(ctx context.Context, ifname string) (func(), error) {
	select {
	case l.ch <- struct{}{}:
		return func() { <-l.ch }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("lock %s: %w", ifname, ctx.Err())
	}
}

// Item 12: two joins at once on one interface, to the same open network.
// The activation takes a while (the script sleeps between association and
// the address), so unserialized they overlap and one supersedes the other.
// With the lock both finish joined, one after the other.
func TestConcurrentJoinsAreSerialized(t *testing.T) {
	slow := append(nmtest.Script{nmtest.Sleep(300 * time.Millisecond)}, nmtest.ScriptSuccess()...)
	f, conn := nmtest.Start(t, nmtest.Scenario{APs: []nmtest.AP{lobby}, OnActivate: slow})
	lock := newMemLock()
	fast := func() backoff.BackOff { return backoff.NewConstantBackOff(50 * time.Millisecond) }
	var wg sync.WaitGroup
	reps := make([]*diagnostics.Report, 2)
	for i := range reps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			reps[i], _ = join.New(nm.NewClient(conn), join.Options{Host: "test", Backoff: fast, Lock: lock, LinkSettle: 100 * time.Millisecond}).
				Join(ctx, join.Request{SSID: lobby.SSID, Attempts: 1})
		}()
	}
	wg.Wait()
	got := []verdict{verdictOf(reps[0]), verdictOf(reps[1])}
	want := []verdict{{Class: diagnostics.None, Attempts: 1}, {Class: diagnostics.None, Attempts: 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("verdicts (-want +got):\n%s\n%s\n%s", diff, timeline(reps[0]), timeline(reps[1]))
	}
	if n := len(f.Activations()); n != 2 {
		t.Errorf("%d activations, want 2", n)
	}
}

// Item 12: a join that cannot get the interface's lock before its deadline
// says so (interface_busy) and touches nothing.
func TestLockHeldUntilDeadlineIsInterfaceBusy(t *testing.T) {
	lock := newMemLock()
	unlock, _ := lock.Lock(context.Background(), "wlan0")
	defer unlock()
	f, conn := nmtest.Start(t, nmtest.Scenario{APs: []nmtest.AP{lobby}})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	rep, err := join.New(nm.NewClient(conn), join.Options{Host: "test", Lock: lock}).Join(ctx, join.Request{SSID: lobby.SSID})
	if diff := cmp.Diff(verdict{Class: diagnostics.InterfaceBusy, Attempts: 1}, verdictOf(rep)); diff != "" {
		t.Errorf("verdict (-want +got):\n%s\n%s", diff, timeline(rep))
	}
	if err == nil {
		t.Error("Join returned no error")
	}
	if n := len(f.Activations()) + len(f.ScanRequests()); n != 0 {
		t.Errorf("%d activations and scans, want none", n)
	}
}
