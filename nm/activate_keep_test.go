package nm_test

import (
	"context"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/hotspotctl/hotspotctl/nm"
	"github.com/hotspotctl/hotspotctl/nm/nmtest"
)

// TestRefusedActivationKeepsOldProfile: the old hotspotctl profile for an
// SSID is replaced only once NetworkManager accepted the new one, so a
// refused activation changes nothing.
func TestRefusedActivationKeepsOldProfile(t *testing.T) {
	f, conn := nmtest.Start(t, nmtest.Scenario{
		APs:           []nmtest.AP{{SSID: []byte("Lab"), BSSID: "02:00:00:00:01:00", RsnFlags: nmtest.RsnWPA2PSK}},
		ActivateError: dbus.NewError("org.freedesktop.NetworkManager.Settings.Connection.InvalidProperty", []any{"802-11-wireless-security.psk: invalid"}),
	})
	f.AddProfile(map[string]map[string]dbus.Variant{
		"connection":      {"id": dbus.MakeVariant("hotspotctl Lab"), "type": dbus.MakeVariant("802-11-wireless"), "uuid": dbus.MakeVariant("11111111-2222-4333-8444-555555555555")},
		"802-11-wireless": {"ssid": dbus.MakeVariant([]byte("Lab"))},
		"user":            {"data": dbus.MakeVariant(map[string]string{nm.MarkerKey: "1"})},
	})
	c := nm.NewClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	before, err := c.Profiles(ctx)
	if err != nil || len(before) != 1 {
		t.Fatalf("profiles before: %v, %v", before, err)
	}
	if _, err := c.Activate(ctx, nm.ActivateRequest{Device: nm.Device{Ifname: "wlan0"}, SSID: []byte("Lab"), Security: "wpa-psk", Passphrase: "new-passphrase-1"}); err == nil {
		t.Fatal("activation succeeded; the scenario refuses it")
	}
	after, err := c.Profiles(ctx)
	if err != nil || len(after) != 1 || after[0].Path != before[0].Path {
		t.Errorf("profiles after a refused activation: %+v, %v; want the old one kept", after, err)
	}
}
