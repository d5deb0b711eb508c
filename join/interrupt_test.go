package join

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/scan"
)

// cancelClock is instantClock, except that waiting for the retry delay
// (exactly retryDelay) cancels the join's context instead: a Ctrl-C during
// the retry wait, without sleeping.
type cancelClock struct {
	instantClock
	cancel context.CancelFunc
}

const retryDelay = 5 * time.Second

func (c cancelClock) After(d time.Duration) <-chan time.Time {
	if d == retryDelay {
		c.cancel()
		return make(chan time.Time) // never fires
	}
	return c.instantClock.After(d)
}

type interrupted struct {
	Class       diagnostics.Class
	Attempts    int
	ErrClass    diagnostics.Class
	Deactivated int
}

func interruptedOf(rep *diagnostics.Report, err error, f *fakeBackend) interrupted {
	got := interrupted{Class: rep.Class, Attempts: len(rep.Attempts), Deactivated: f.deactivated}
	var je *Error
	if errors.As(err, &je) {
		got.ErrClass = je.Class
	}
	return got
}

// Issue 8 item 4: Ctrl-C during the retry wait used to start a new attempt on
// the cancelled context and report backend_unavailable (or timeout). The
// join is interrupted: its own class, with the attempt that was made.
func TestInterruptedDuringRetryWait(t *testing.T) {
	f := newFake()
	f.scripts = [][]diagnostics.Event{dhcpScript}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	j := New(f, Options{Scanner: &fakeScanner{results: []scan.Result{okScan(bss("Cafe", "02:00:00:00:00:01", -40, "wpa-psk"))}},
		Clock: cancelClock{cancel: cancel}, Host: "test",
		Backoff: func() backoff.BackOff { return backoff.NewConstantBackOff(retryDelay) }})
	rep, err := j.Join(ctx, Request{SSID: []byte("Cafe"), Passphrase: secret})
	want := interrupted{Class: diagnostics.Interrupted, Attempts: 1, ErrClass: diagnostics.Interrupted, Deactivated: 1}
	if diff := cmp.Diff(want, interruptedOf(rep, err, f)); diff != "" {
		t.Errorf("(-want +got):\n%s\ndetail: %s", diff, rep.Detail)
	}
	if got := rep.Attempts[0].Class; got != diagnostics.DHCPFailed {
		t.Errorf("the attempt that ran is %s, want dhcp_failed", got)
	}
}

// Issue 8 item 4: Ctrl-C during the activation wait used to be "timeout:
// deadline reached". It is interrupted, and what the join started is
// deactivated.
func TestInterruptedDuringActivation(t *testing.T) {
	f := newFake()
	f.scripts = [][]diagnostics.Event{{dev("disconnected", "prepare", 0), dev("prepare", "config", 0)}}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	f.onActivate = cancel
	j := New(f, Options{Scanner: &fakeScanner{results: []scan.Result{okScan(bss("Cafe", "02:00:00:00:00:01", -40, "wpa-psk"))}},
		Clock: instantClock{}, Host: "test"})
	rep, err := j.Join(ctx, Request{SSID: []byte("Cafe"), Passphrase: secret})
	want := interrupted{Class: diagnostics.Interrupted, Attempts: 1, ErrClass: diagnostics.Interrupted, Deactivated: 1}
	if diff := cmp.Diff(want, interruptedOf(rep, err, f)); diff != "" {
		t.Errorf("(-want +got):\n%s\ndetail: %s", diff, rep.Detail)
	}
}

// The deadline is still a timeout: only a cancellation is an interruption.
func TestDeadlineDuringActivationIsStillTimeout(t *testing.T) {
	f := newFake()
	f.scripts = [][]diagnostics.Event{{dev("disconnected", "prepare", 0), dev("prepare", "config", 0)}}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	j := New(f, Options{Scanner: &fakeScanner{results: []scan.Result{okScan(bss("Cafe", "02:00:00:00:00:01", -40, "wpa-psk"))}},
		Clock: instantClock{}, Host: "test"})
	rep, err := j.Join(ctx, Request{SSID: []byte("Cafe"), Passphrase: secret, Attempts: 1})
	want := interrupted{Class: diagnostics.Timeout, Attempts: 1, ErrClass: diagnostics.Timeout, Deactivated: 1}
	if diff := cmp.Diff(want, interruptedOf(rep, err, f)); diff != "" {
		t.Errorf("(-want +got):\n%s\ndetail: %s", diff, rep.Detail)
	}
}
