package nm_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/nm/nmtest"
)

// Device states carry the device's ActiveConnection when they happened, and
// active-connection states their own path, so a join can tell its own
// activation from the one it replaced (issue 8 items 1 and 12).
func TestEventsTagActiveConnection(t *testing.T) {
	f, c := start(t, nmtest.Scenario{})
	d := mustDevice(t, c, "wlan0")
	ch, cancel, err := c.Events(testCtx(t), d)
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	first := f.ActivateOther("wlan0", nmtest.OpenProfile("A", []byte("A")), nmtest.Script{nmtest.DeviceState(nmtest.DevPrepare, 0)})
	collect(t, ch, isDevice("prepare"))
	second := f.ActivateOther("wlan0", nmtest.OpenProfile("B", []byte("B")), nmtest.Script{nmtest.DeviceState(nmtest.DevPrepare, 0)})
	got := collect(t, ch, isDevice("prepare"))
	type tagged struct {
		Kind  diagnostics.Kind
		State string
		Code  int
		AC    string
	}
	var sum []tagged
	for _, e := range got {
		if e.Kind == diagnostics.KindDeviceState || e.Kind == diagnostics.KindActiveState {
			sum = append(sum, tagged{e.Kind, e.State, e.Code, e.ActiveConnection})
		}
	}
	want := []tagged{
		{diagnostics.KindDeviceState, "deactivating", 60, string(first)},
		{diagnostics.KindActiveState, "deactivated", 2, string(first)},
		{diagnostics.KindDeviceState, "disconnected", 60, "/"},
		{diagnostics.KindDeviceState, "prepare", 0, string(second)},
	}
	if diff := cmp.Diff(want, sum); diff != "" {
		t.Errorf("tagged events (-want +got):\n%s", diff)
	}
}
