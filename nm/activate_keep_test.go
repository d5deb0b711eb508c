package nm_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/google/go-cmp/cmp"

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

// TestCommitReplacesOnlyOnItsInterface (issue 8 item 11): Commit deletes
// the SSID's older hotspotctl profiles bound to its interface and unbound
// ones not active elsewhere; a profile bound to, or active on, another
// device stays.
func TestCommitReplacesOnlyOnItsInterface(t *testing.T) {
	f, conn := nmtest.Start(t, nmtest.Scenario{
		APs:     []nmtest.AP{{SSID: []byte("Lab"), BSSID: "02:00:00:00:01:00"}},
		Devices: []nmtest.DeviceSpec{{Ifname: "wlan0"}, {Ifname: "wlan1"}},
	})
	profile := func(id, ifname string) dbus.ObjectPath {
		c := map[string]dbus.Variant{"id": dbus.MakeVariant(id), "type": dbus.MakeVariant("802-11-wireless"), "uuid": dbus.MakeVariant(id)}
		if ifname != "" {
			c["interface-name"] = dbus.MakeVariant(ifname)
		}
		return f.AddProfile(map[string]map[string]dbus.Variant{"connection": c,
			"802-11-wireless": {"ssid": dbus.MakeVariant([]byte("Lab"))},
			"user":            {"data": dbus.MakeVariant(map[string]string{nm.MarkerKey: "1"})}})
	}
	profile("bound-wlan0", "wlan0")
	profile("unbound-idle", "")
	f.ActivateProfile("wlan1", profile("unbound-active-on-wlan1", ""))
	profile("bound-wlan1", "wlan1")
	f.WaitIdle()
	c := nm.NewClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	a, err := c.Activate(ctx, nm.ActivateRequest{Device: nm.Device{Ifname: "wlan0"}, SSID: []byte("Lab")})
	if err != nil {
		t.Fatal(err)
	}
	f.WaitIdle()
	if err := c.Commit(ctx, a); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range f.Profiles() {
		if p.Path == a.Connection {
			got = append(got, "new on "+p.Ifname)
			continue
		}
		got = append(got, p.ID)
	}
	slices.Sort(got)
	want := []string{"bound-wlan1", "new on wlan0", "unbound-active-on-wlan1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("profiles after Commit (-want +got):\n%s", diff)
	}
	if p := f.ActiveProfile("wlan1"); p == "" {
		t.Error("wlan1 lost its connection")
	}
}

// TestRestoreLeavesABusyDeviceAlone: Restore does not take down a
// connection someone activated after the failed join.
func TestRestoreLeavesABusyDeviceAlone(t *testing.T) {
	f, conn := nmtest.Start(t, nmtest.Scenario{APs: []nmtest.AP{{SSID: []byte("Lab"), BSSID: "02:00:00:00:01:00"}}})
	mk := func(id string) dbus.ObjectPath {
		return f.AddProfile(map[string]map[string]dbus.Variant{
			"connection":      {"id": dbus.MakeVariant(id), "type": dbus.MakeVariant("802-11-wireless"), "uuid": dbus.MakeVariant(id)},
			"802-11-wireless": {"ssid": dbus.MakeVariant([]byte("Lab"))}})
	}
	prev, other := mk("previous"), mk("other")
	f.ActivateProfile("wlan0", other)
	f.WaitIdle()
	c := nm.NewClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := c.Restore(ctx, nm.Activation{Device: f.DevicePath("wlan0"), Previous: prev, PreviousID: "previous"})
	if !errors.Is(err, nm.ErrDeviceBusy) {
		t.Errorf("Restore = %v, want ErrDeviceBusy", err)
	}
	if got := f.ActiveProfile("wlan0"); got != other {
		t.Errorf("wlan0 is on %q, want %q kept", got, other)
	}
}
