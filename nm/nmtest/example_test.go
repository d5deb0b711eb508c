package nmtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/nm"
	"github.com/hotspotctl/hotspotctl/nm/nmtest"
)

// TestJoinFlow shows how a join test drives the fakes: describe the world in
// a Scenario, talk to it with an nm.Client, and classify the events.
func TestJoinFlow(t *testing.T) {
	f, conn := nmtest.Start(t, nmtest.Scenario{
		APs:        []nmtest.AP{{SSID: []byte("Lab"), BSSID: "02:00:00:00:01:00", RsnFlags: nmtest.RsnWPA2PSK}},
		OnActivate: nmtest.ScriptWrongKey(),
	})
	c := nm.NewClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	dev, err := c.Device(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	events, stop, err := c.Events(ctx, dev) // subscribe before anything happens
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	scan, err := c.RequestScan(ctx, dev, nil)
	if err != nil || scan.Record.Outcome != diagnostics.ScanOK {
		t.Fatalf("scan: %+v, %v", scan.Record, err)
	}
	if _, err := c.Activate(ctx, nm.ActivateRequest{Device: dev, SSID: []byte("Lab"), Security: "wpa-psk", Passphrase: "not-the-key"}); err != nil {
		t.Fatal(err)
	}
	var got []diagnostics.Event
	for e := range events {
		got = append(got, e)
		if e.Kind == diagnostics.KindActiveState && e.State == "deactivated" {
			break
		}
	}
	if v := diagnostics.Classify(got); v.Class != diagnostics.WrongKey {
		t.Errorf("class %s (%s), want wrong_key", v.Class, v.Detail)
	}
	if a := f.Activations(); len(a) != 1 || a[0].KeyMgmt != "wpa-psk" || a[0].Persist != "volatile" {
		t.Errorf("activation recorded: key-mgmt %q, persist %q", a[0].KeyMgmt, a[0].Persist)
	}
}
