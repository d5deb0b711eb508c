package diagnostics

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestEventLineRoundTrip(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 18, 45, 1, 123456789, time.UTC)
	for _, e := range []Event{
		{Time: t0, Source: SourceNL80211, Kind: KindScanBusy, Code: -16, Name: "EBUSY", Iface: "wlan0"},
		{Time: t0, Source: SourceHotspotctl, Kind: KindScanVerdict, Name: "absent", SSID: `caf é "x"=y`, Message: "3 fresh scans\nno match"},
		{Time: t0, Source: SourceNMDevice, Kind: KindDeviceState, OldState: "config", State: "need-auth", Code: 8, Name: "supplicant-disconnect", ActiveConnection: "/org/freedesktop/NetworkManager/ActiveConnection/7"},
		{Source: SourceSupplicant, Kind: KindDHCP, OK: Bool(false), Count: 2, BSSID: "02:00:00:00:01:00"},
	} {
		line := EventLine(3, e)
		n, got, ok := ParseEventLine(`{"level":"debug","message":"` + "x" + `"} ` + line)
		if !ok || n != 3 {
			t.Fatalf("ParseEventLine(%q) = %d, %v", line, n, ok)
		}
		if diff := cmp.Diff(e, got); diff != "" {
			t.Errorf("round trip of %q (-want +got)\n%s", line, diff)
		}
	}
}

func TestParseEventLineRejects(t *testing.T) {
	for _, s := range []string{"", "hotspotctl event ", "hotspotctl event attempt=x kind=note source=hotspotctl",
		"hotspotctl event attempt=1 kind=note", `hotspotctl event attempt=1 source=nl80211 kind=scan_busy name="unterminated`,
		"hotspotctl event attempt=1 source=nl80211 kind=scan_busy code=abc"} {
		if _, _, ok := ParseEventLine(s); ok {
			t.Errorf("ParseEventLine(%q) accepted", s)
		}
	}
}

func FuzzEventLine(f *testing.F) {
	f.Add("wlan0", "EBUSY", "a message", -16)
	f.Add("", "caf\xc3\xa9 \"=", "\x00\x1b", 0)
	f.Fuzz(func(t *testing.T, iface, name, msg string, code int) {
		e := Event{Source: SourceNL80211, Kind: KindScanBusy, Iface: iface, Name: name, Message: msg, Code: code}
		_, got, ok := ParseEventLine(EventLine(1, e))
		if !ok {
			t.Fatalf("line of %+v not read back", e)
		}
		if got.Iface != iface || got.Name != name || got.Code != code {
			t.Fatalf("round trip: %+v, want %+v", got, e)
		}
	})
}
