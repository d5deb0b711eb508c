package logparse

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// fakeJournal serves canned journal lines through a pipe and records the
// arguments it was run with.
type fakeJournal struct {
	mu   sync.Mutex
	args [][]string
	w    *io.PipeWriter
	runs chan struct{}
}

func (f *fakeJournal) Run(ctx context.Context, args []string) (io.ReadCloser, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.args = append(f.args, args)
	r, w := io.Pipe()
	f.w = w
	go func() {
		<-ctx.Done()
		w.CloseWithError(ctx.Err())
	}()
	f.runs <- struct{}{}
	return r, nil
}

func (f *fakeJournal) writer() *io.PipeWriter {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.w
}

func journalLine(cursor string, sec int, ident, msg string) string {
	b, _ := json.Marshal(map[string]string{
		"__CURSOR": cursor, "__REALTIME_TIMESTAMP": fmt.Sprint(int64(1700000000+sec) * 1e6),
		"SYSLOG_IDENTIFIER": ident, "MESSAGE": msg, "_HOSTNAME": "lab",
	})
	return string(b) + "\n"
}

func TestFollow(t *testing.T) {
	cursorFile := filepath.Join(t.TempDir(), "cursor")
	fj := &fakeJournal{runs: make(chan struct{}, 2)}
	reports := make(chan *diagnostics.Report, 4)
	run := func(ctx context.Context) chan error {
		done := make(chan error, 1)
		go func() {
			done <- Follow(ctx, fj, FollowOptions{CursorFile: cursorFile, Quiet: 50 * time.Millisecond},
				func(r *diagnostics.Report) error { reports <- r; return nil })
		}()
		<-fj.runs
		return done
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := run(ctx)
	w := fj.writer()
	for _, l := range []string{
		journalLine("c1", 0, "NetworkManager", "<info>  [1700000000.0] device (wlan0): Activation: starting connection 'Home' (1)"),
		journalLine("c2", 1, "wpa_supplicant", "wlan0: CTRL-EVENT-SCAN-RESULTS"),
		journalLine("c3", 5, "NetworkManager", "<info>  [1700000005.0] device (wlan0): state change: config -> failed (reason 'ssid-not-found', managed-type: 'full')"),
	} {
		io.WriteString(w, l)
	}
	var rep *diagnostics.Report
	select {
	case rep = <-reports:
	case <-time.After(5 * time.Second):
		t.Fatal("no report for an ended attempt")
	}
	if rep.Class != diagnostics.NotFound || len(rep.Attempts) != 1 || rep.Mode != "diagnose" || rep.Host != "lab" {
		t.Errorf("report: class %s attempts %d mode %s host %s", rep.Class, len(rep.Attempts), rep.Mode, rep.Host)
	}
	validate(t, reportSchema(t), rep)
	io.WriteString(w, journalLine("c4", 9, "systemd", "noise"))
	// The cursor of the last line read is stored once no attempt is open.
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, _ := os.ReadFile(cursorFile)
		if strings.TrimSpace(string(b)) == "c4" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("cursor file %q, want c4", b)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Follow after cancel: %v", err)
	}
	// A second run resumes after the stored cursor.
	ctx2, cancel2 := context.WithCancel(context.Background())
	done2 := run(ctx2)
	cancel2()
	<-done2
	want := [][]string{journalArgs(""), journalArgs("c4")}
	if diff := cmp.Diff(want, fj.args); diff != "" {
		t.Errorf("journalctl args (-want +got)\n%s", diff)
	}
	if !strings.Contains(strings.Join(fj.args[1], " "), "--after-cursor=c4") {
		t.Errorf("args %q", fj.args[1])
	}
}

type endedJournal struct{ data string }

func (e endedJournal) Run(ctx context.Context, args []string) (io.ReadCloser, error) {
	return io.NopCloser(strings.NewReader(e.data)), nil
}

func TestFollowJournalEnds(t *testing.T) {
	var got []diagnostics.Class
	err := Follow(context.Background(), endedJournal{journalLine("c1", 0, "nmcli", "Error: NetworkManager is not running.")}, FollowOptions{},
		func(r *diagnostics.Report) error { got = append(got, r.Class); return nil })
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("err = %v, want ErrUnexpectedEOF", err)
	}
	if diff := cmp.Diff([]diagnostics.Class{diagnostics.BackendUnavailable}, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func writeScript(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "journalctl")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExecJournalFails(t *testing.T) {
	j := ExecJournal{Path: writeScript(t, "echo 'Failed to seek to cursor: Invalid argument' >&2\nexit 1\n")}
	err := Follow(context.Background(), j, FollowOptions{}, func(*diagnostics.Report) error { return nil })
	var pe *Error
	if !errors.As(err, &pe) || pe.Op != "follow" || !strings.Contains(err.Error(), "Failed to seek to cursor") {
		t.Fatalf("err = %v", err)
	}
}

func TestExecJournalStops(t *testing.T) {
	line := journalLine("c1", 0, "nmcli", "Error: NetworkManager is not running.")
	src := filepath.Join(t.TempDir(), "in.json")
	os.WriteFile(src, []byte(line), 0o644)
	j := ExecJournal{Path: writeScript(t, "cat '"+src+"'\nexec sleep 30\n")}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	err := Follow(ctx, j, FollowOptions{Quiet: 20 * time.Millisecond}, func(r *diagnostics.Report) error {
		if r.Class != diagnostics.BackendUnavailable {
			t.Errorf("class %s", r.Class)
		}
		cancel()
		return nil
	})
	if err != nil {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v to stop", d)
	}
}

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestFollowSituations: between attempts, Follow reports a situation once
// it has held for the hold time, once per change, and never a joined
// station's refused background scans.
func TestFollowSituations(t *testing.T) {
	fj := &fakeJournal{runs: make(chan struct{}, 1)}
	clock := &fakeClock{t: time.Unix(1700000000, 0)}
	reports := make(chan *diagnostics.Report, 8)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- Follow(ctx, fj, FollowOptions{Quiet: 10 * time.Millisecond, SituationHold: 30 * time.Second, now: clock.now},
			func(r *diagnostics.Report) error { reports <- r; return nil })
	}()
	<-fj.runs
	w := fj.writer()
	sec := 0
	write := func(ident, msg string) {
		sec++
		io.WriteString(w, journalLine(fmt.Sprintf("c%d", sec), sec, ident, msg))
	}
	// settle lets the quiet timer fire a few times on the lines written.
	settle := func() { time.Sleep(80 * time.Millisecond) }
	expect := func(what string, want []diagnostics.Class) {
		t.Helper()
		settle()
		var got []diagnostics.Class
		for len(got) < len(want) {
			select {
			case r := <-reports:
				got = append(got, r.Class)
				if r.Scope != diagnostics.ScopeSituation && r.Class != diagnostics.None {
					t.Errorf("%s: report scope %q", what, r.Scope)
				}
				validate(t, reportSchema(t), r)
			case <-time.After(5 * time.Second):
				t.Fatalf("%s: reports %v, want %v", what, got, want)
			}
		}
		settle()
		select {
		case r := <-reports:
			got = append(got, r.Class)
		default:
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: reports (-want +got)\n%s", what, diff)
		}
	}
	refused := "wlan0: CTRL-EVENT-SCAN-FAILED ret=-16 retry=1"
	write("wpa_supplicant", refused)
	write("wpa_supplicant", refused)
	expect("refusals not yet held", nil)
	clock.advance(31 * time.Second)
	expect("refusals held", []diagnostics.Class{diagnostics.ScanBusy})
	write("wpa_supplicant", refused)
	clock.advance(31 * time.Second)
	expect("the same situation again", nil)
	write("wpa_supplicant", "wlan0: CTRL-EVENT-SCAN-RESULTS")
	expect("a scan completed", nil)
	write("wpa_supplicant", refused)
	settle() // first seen before the clock moves: the hold counts from then
	clock.advance(31 * time.Second)
	expect("refused again after a completed scan", []diagnostics.Class{diagnostics.ScanBusy})
	write("NetworkManager", "<info>  [1700000100.0] device (wlan0): Activation: starting connection 'Home' (1)")
	write("NetworkManager", "<info>  [1700000104.0] device (wlan0): Activation: successful, device activated.")
	expect("a join", []diagnostics.Class{diagnostics.None})
	write("wpa_supplicant", refused)
	write("wpa_supplicant", refused)
	settle()
	clock.advance(31 * time.Second)
	expect("a joined station's background scans", nil)
	write("NetworkManager", "<info>  [1700000200.0] device (wlan0): state change: activated -> deactivating (reason 'user-requested', managed-type: 'full')")
	write("wpa_supplicant", refused)
	settle()
	clock.advance(31 * time.Second)
	expect("refusals after the join ended", []diagnostics.Class{diagnostics.ScanBusy})
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Follow: %v", err)
	}
}
