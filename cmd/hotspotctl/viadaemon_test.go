package main

import (
	"context"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/hotspotctl/hotspotctl/daemon"
	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/join"
	"github.com/hotspotctl/hotspotctl/nm"
	"github.com/hotspotctl/hotspotctl/nm/nmtest"
)

// TestGivingUpCancelsTheDaemonsJoin: a CLI interrupted while the daemon
// joins for it (Ctrl-C) cancels the daemon's join before it answers, and
// says it was interrupted, not backend_unavailable (issue 8 item 13).
func TestGivingUpCancelsTheDaemonsJoin(t *testing.T) {
	addr := nmtest.StartBus(t)
	fake := nmtest.New(t, addr, nmtest.Scenario{
		APs: []nmtest.AP{{SSID: []byte("Lab"), BSSID: "02:00:00:00:01:00"}},
		// NetworkManager keeps the activation in prepare for a minute.
		OnActivate: nmtest.Script{nmtest.DeviceState(nmtest.DevPrepare, 0), nmtest.Sleep(time.Minute)},
	})
	t.Setenv("DBUS_SYSTEM_BUS_ADDRESS", addr)
	t.Setenv("HOTSPOTCTL_NO_DAEMON", "")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := nm.DialAddress(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	d, err := daemon.New(daemon.Options{Bus: conn, Backend: nm.NewClient(conn), Log: zerolog.Nop(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	dctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(dctx) }()
	defer func() { stop(); <-done }()
	c := daemon.NewClient(conn)
	for up := false; !up; {
		if up, _ = c.Running(ctx); !up {
			time.Sleep(20 * time.Millisecond)
		}
	}

	jctx, interrupt := context.WithCancel(context.Background())
	go func() {
		for len(fake.Activations()) == 0 {
			time.Sleep(10 * time.Millisecond)
		}
		interrupt() // what Ctrl-C does to the CLI's context
	}()
	g := &globals{log: zerolog.Nop()}
	rep, ok, err := joinViaDaemon(jctx, g, join.Request{SSID: []byte("Lab"), Timeout: 30 * time.Second})
	if !ok || err == nil {
		t.Fatalf("joinViaDaemon: ok %v err %v, want the daemon used and a failure", ok, err)
	}
	ev := rep.Attempts[0].Events[0]
	got := []string{string(ev.Kind), ev.Name, rep.Mode, string(rep.Class)}
	if diff := cmp.Diff([]string{string(diagnostics.KindInterrupted), "interrupted", "join", string(diagnostics.Interrupted)}, got); diff != "" {
		t.Errorf("the CLI's report (-want +got):\n%s", diff)
	}
	if rep.Class == diagnostics.BackendUnavailable {
		t.Errorf("an interrupted join through the daemon reported as %s", rep.Class)
	}
	// joinViaDaemon returned after Cancel: the daemon's join is over.
	var status map[string]dbus.Variant
	if err := conn.Object(daemon.BusName, daemon.ObjectPath).CallWithContext(ctx, daemon.Interface+".Status", 0).Store(&status); err != nil {
		t.Fatal(err)
	}
	if state, _ := status["state"].Value().(string); state == "joining" {
		t.Errorf("the daemon is still joining after the CLI gave up")
	}
}
