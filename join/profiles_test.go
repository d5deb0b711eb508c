package join_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/godbus/dbus/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/join"
	"github.com/hotspotctl/hotspotctl/nm"
	"github.com/hotspotctl/hotspotctl/nm/nmtest"
)

// oldCafe is the profile an earlier, successful join left: saved on disk,
// with the right key, unbound (as hotspotctl made them before it set
// connection.interface-name).
func oldCafe(f *nmtest.Fake) dbus.ObjectPath {
	return f.AddProfile(map[string]map[string]dbus.Variant{
		"connection": {"id": dbus.MakeVariant("hotspotctl Cafe"), "type": dbus.MakeVariant("802-11-wireless"),
			"uuid": dbus.MakeVariant("11111111-2222-4333-8444-555555555555"), "autoconnect": dbus.MakeVariant(false)},
		"802-11-wireless":          {"ssid": dbus.MakeVariant([]byte("Cafe"))},
		"802-11-wireless-security": {"key-mgmt": dbus.MakeVariant("wpa-psk"), "psk": dbus.MakeVariant("the-right-key-1")},
		"user":                     {"data": dbus.MakeVariant(map[string]string{nm.MarkerKey: nm.MarkerValue})},
	})
}

// keyNames replaces each profile's secret by a name, so that a failing
// test prints which key a profile holds but never the key itself.
func keyNames(ps []nmtest.StoredProfile) []nmtest.StoredProfile {
	out := slices.Clone(ps)
	for i := range out {
		switch out[i].PSK {
		case "":
		case "the-right-key-1":
			out[i].PSK = "<the old, right key>"
		case passphrase:
			out[i].PSK = "<the join's key>"
		default:
			out[i].PSK = "<another key>"
		}
	}
	return out
}

func joinWith(t *testing.T, conn *dbus.Conn, req join.Request) *diagnostics.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	fast := func() backoff.BackOff { return backoff.NewConstantBackOff(50 * time.Millisecond) }
	rep, _ := join.New(nm.NewClient(conn), join.Options{Host: "test", ToolVersion: "test", Backoff: fast}).Join(ctx, req)
	return rep
}

func notes(rep *diagnostics.Report, name string) []string {
	var out []string
	for _, a := range rep.Attempts {
		for _, e := range a.Events {
			if e.Kind == diagnostics.KindNote && e.Name == name {
				out = append(out, e.Message)
			}
		}
	}
	return out
}

// TestFailedJoinKeepsProfileAndConnection (issue 8 item 10): the device is
// connected with the saved profile for Cafe; a join to Cafe with a wrong key
// fails wrong_key. The saved profile must be exactly as it was (same path,
// UUID, key, on disk), no new profile may be left, and the device must be
// back on the old connection.
func TestFailedJoinKeepsProfileAndConnection(t *testing.T) {
	f, conn := nmtest.Start(t, nmtest.Scenario{APs: []nmtest.AP{cafe}, OnActivate: nmtest.ScriptWrongKey()})
	old := oldCafe(f)
	f.ActivateProfile("wlan0", old)
	f.WaitIdle()
	before := keyNames(f.Profiles())

	rep := joinWith(t, conn, join.Request{SSID: []byte("Cafe"), Passphrase: "a-wrong-key-99", Attempts: 1})
	f.WaitIdle()
	if rep.Class != diagnostics.WrongKey {
		t.Fatalf("class %s (%s), want wrong_key", rep.Class, rep.Detail)
	}
	if diff := cmp.Diff(before, keyNames(f.Profiles())); diff != "" {
		t.Errorf("profiles after a failed join (-want +got):\n%s", diff)
	}
	if got := f.ActiveProfile("wlan0"); got != old {
		t.Errorf("wlan0 is on %q after the failed join, want the previous connection %q", got, old)
	}
	if diff := cmp.Diff([]string{"re-activated the previous connection hotspotctl Cafe"}, notes(rep, "restore-previous")); diff != "" {
		t.Errorf("restore notes (-want +got):\n%s", diff)
	}
}

// TestFailedJoinLeavesNothing (items 10, 16): with no profile before, a
// failed join leaves no profile, in memory or on disk.
func TestFailedJoinLeavesNothing(t *testing.T) {
	f, conn := nmtest.Start(t, nmtest.Scenario{APs: []nmtest.AP{cafe}, OnActivate: nmtest.ScriptWrongKey()})
	rep := joinWith(t, conn, join.Request{SSID: []byte("Cafe"), Passphrase: "a-wrong-key-99", Attempts: 1})
	f.WaitIdle()
	if rep.Class != diagnostics.WrongKey {
		t.Fatalf("class %s (%s), want wrong_key", rep.Class, rep.Detail)
	}
	if diff := cmp.Diff([]nmtest.StoredProfile(nil), keyNames(f.Profiles())); diff != "" {
		t.Errorf("profiles left by a failed join (-want +got):\n%s", diff)
	}
	if n := notes(rep, "restore-previous"); len(n) != 0 {
		t.Errorf("restore notes %q, want none (nothing was active before)", n)
	}
}

// TestSuccessfulJoinReplacesOldProfile (item 10): a successful join writes
// its profile to disk, bound to the device, and only then replaces the old
// profile for the SSID.
func TestSuccessfulJoinReplacesOldProfile(t *testing.T) {
	f, conn := nmtest.Start(t, nmtest.Scenario{APs: []nmtest.AP{cafe}})
	oldCafe(f)
	rep := joinWith(t, conn, join.Request{SSID: []byte("Cafe"), Passphrase: passphrase})
	f.WaitIdle()
	if rep.Class != diagnostics.None {
		t.Fatalf("class %s (%s), want none", rep.Class, rep.Detail)
	}
	type prof struct {
		ID, Ifname, PSK  string
		OnDisk, Volatile bool
	}
	var got []prof
	for _, p := range keyNames(f.Profiles()) {
		got = append(got, prof{p.ID, p.Ifname, p.PSK, p.OnDisk, p.Volatile})
	}
	want := []prof{{"hotspotctl Cafe", "wlan0", "<the join's key>", true, false}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("profiles after a successful join (-want +got):\n%s", diff)
	}
}

// TestOnceJoinKeepsStoredProfile: a --once join is volatile and leaves the
// stored profile for the SSID alone.
func TestOnceJoinKeepsStoredProfile(t *testing.T) {
	f, conn := nmtest.Start(t, nmtest.Scenario{APs: []nmtest.AP{cafe}})
	old := oldCafe(f)
	rep := joinWith(t, conn, join.Request{SSID: []byte("Cafe"), Passphrase: passphrase, Once: true})
	f.WaitIdle()
	if rep.Class != diagnostics.None {
		t.Fatalf("class %s (%s), want none", rep.Class, rep.Detail)
	}
	type prof struct {
		Old, OnDisk, Volatile bool
	}
	var got []prof
	for _, p := range f.Profiles() {
		got = append(got, prof{p.Path == old, p.OnDisk, p.Volatile})
	}
	want := []prof{{true, true, false}, {false, false, true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("profiles after a --once join (-want +got):\n%s", diff)
	}
}

// TestTwoDevicesStayConnected (item 11): joining the same SSID on wlan1
// while wlan0 is connected to it must not disconnect wlan0.
func TestTwoDevicesStayConnected(t *testing.T) {
	join.FakeWifiInterfaces(t, "wlan0", "wlan1")
	f, conn := nmtest.Start(t, nmtest.Scenario{APs: []nmtest.AP{cafe},
		Devices: []nmtest.DeviceSpec{{Ifname: "wlan0"}, {Ifname: "wlan1"}}})
	for _, ifn := range []string{"wlan0", "wlan1"} {
		rep := joinWith(t, conn, join.Request{SSID: []byte("Cafe"), Ifname: ifn, Passphrase: passphrase})
		f.WaitIdle()
		if rep.Class != diagnostics.None {
			t.Fatalf("join on %s: class %s (%s), want none", ifn, rep.Class, rep.Detail)
		}
	}
	type prof struct {
		Ifname string
		Active bool
		OnDisk bool
	}
	var got []prof
	for _, p := range f.Profiles() {
		got = append(got, prof{p.Ifname, f.ActiveProfile(p.Ifname) == p.Path, p.OnDisk})
	}
	slices.SortFunc(got, func(a, b prof) int { return strings.Compare(a.Ifname, b.Ifname) })
	want := []prof{{"wlan0", true, true}, {"wlan1", true, true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("profiles after joins on two devices (-want +got):\n%s", diff)
	}
}

// TestNonRootProfileIsRestricted (item 16): a join for a non-root owner
// makes a profile only that user may see and use, never written to disk.
func TestNonRootProfileIsRestricted(t *testing.T) {
	f, conn := nmtest.Start(t, nmtest.Scenario{APs: []nmtest.AP{cafe}})
	rep := joinWith(t, conn, join.Request{SSID: []byte("Cafe"), Passphrase: passphrase, Owner: "alice"})
	f.WaitIdle()
	if rep.Class != diagnostics.None {
		t.Fatalf("class %s (%s), want none", rep.Class, rep.Detail)
	}
	type prof struct {
		Permissions      []string
		OnDisk, Volatile bool
	}
	var got []prof
	for _, p := range f.Profiles() {
		got = append(got, prof{p.Permissions, p.OnDisk, p.Volatile})
	}
	want := []prof{{[]string{"user:alice:"}, false, true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("profile of a non-root join (-want +got):\n%s", diff)
	}
}
