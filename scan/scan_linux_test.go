//go:build linux

package scan

import (
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/mdlayher/genetlink"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nlenc"
	"golang.org/x/sys/unix"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

var parseMAC = net.ParseMAC

// Real element bytes, as captured from beacons.
var (
	ieRates      = []byte{0x01, 0x08, 0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12, 0x18, 0x24}
	ieDS6        = []byte{0x03, 0x01, 0x06}
	ieRSNPSK     = []byte{0x30, 0x14, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x02, 0x0c, 0x00}
	ieRSNPSKSAE  = []byte{0x30, 0x18, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x02, 0x00, 0x00, 0x0f, 0xac, 0x02, 0x00, 0x0f, 0xac, 0x08, 0x8c, 0x00}
	ieRSNSAE     = []byte{0x30, 0x14, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x08, 0xcc, 0x00}
	ieRSNSHA256  = []byte{0x30, 0x14, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x06, 0x80, 0x00}
	ieRSNEAP     = []byte{0x30, 0x14, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x01, 0x28, 0x00}
	ieRSNOWE     = []byte{0x30, 0x14, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x12, 0xc0, 0x00}
	ieRSNNoAKM   = []byte{0x30, 0x06, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04} // AKM list absent: 802.1X by default
	ieRSNVendor  = []byte{0x30, 0x14, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x40, 0x96, 0x00, 0x00, 0x00}
	ieRSNBroken  = []byte{0x30, 0x0a, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x05, 0x00, 0x00, 0x0f} // pairwise count 5, 1 present
	ieWPAPSK     = []byte{0xdd, 0x16, 0x00, 0x50, 0xf2, 0x01, 0x01, 0x00, 0x00, 0x50, 0xf2, 0x02, 0x01, 0x00, 0x00, 0x50, 0xf2, 0x02, 0x01, 0x00, 0x00, 0x50, 0xf2, 0x02}
	ieWPAEAP     = []byte{0xdd, 0x16, 0x00, 0x50, 0xf2, 0x01, 0x01, 0x00, 0x00, 0x50, 0xf2, 0x02, 0x01, 0x00, 0x00, 0x50, 0xf2, 0x02, 0x01, 0x00, 0x00, 0x50, 0xf2, 0x01}
	ieWMM        = []byte{0xdd, 0x18, 0x00, 0x50, 0xf2, 0x02, 0x01, 0x01, 0x80, 0x00, 0x03, 0xa4, 0x00, 0x00, 0x27, 0xa4, 0x00, 0x00, 0x42, 0x43, 0x5e, 0x00, 0x62, 0x32, 0x2f, 0x00}
	capESS       = uint16(0x0401) // ESS, short slot
	capESSPrivcy = uint16(0x0411) // ESS, privacy, short slot
)

func ies(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func ssidIE(s string) []byte { return append([]byte{0x00, byte(len(s))}, s...) }

func TestParseBSS(t *testing.T) {
	mac := "02:00:00:00:01:00"
	hw, _ := parseMAC(mac)
	tests := []struct {
		name string
		in   []byte
		want BSS
	}{
		{"wpa2-psk 2.4GHz", bssAttrs(mac, 2437, -4200, 120, capESSPrivcy, ies(ssidIE("HomeNet"), ieRates, ieDS6, ieRSNPSK, ieWMM)),
			BSS{SSID: []byte("HomeNet"), BSSID: hw, FrequencyMHz: 2437, Channel: 6, SignalDBm: -42, Security: "wpa-psk", Age: 120 * time.Millisecond}},
		{"wpa3 transition 5GHz", bssAttrs(mac, 5180, -6750, 0, capESSPrivcy, ies(ssidIE("Cafe"), ieRSNPSKSAE)),
			BSS{SSID: []byte("Cafe"), BSSID: hw, FrequencyMHz: 5180, Channel: 36, SignalDBm: -67.5, Security: "wpa-psk+sae"}},
		{"sae 6GHz", bssAttrs(mac, 5975, -7000, 10, capESSPrivcy, ies(ssidIE("Six"), ieRSNSAE)),
			BSS{SSID: []byte("Six"), BSSID: hw, FrequencyMHz: 5975, Channel: 5, SignalDBm: -70, Security: "sae", Age: 10 * time.Millisecond}},
		{"psk-sha256", bssAttrs(mac, 2412, -5000, 0, capESSPrivcy, ies(ssidIE("P"), ieRSNSHA256)),
			BSS{SSID: []byte("P"), BSSID: hw, FrequencyMHz: 2412, Channel: 1, SignalDBm: -50, Security: "wpa-psk"}},
		{"enterprise", bssAttrs(mac, 2412, -5000, 0, capESSPrivcy, ies(ssidIE("Corp"), ieRSNEAP)),
			BSS{SSID: []byte("Corp"), BSSID: hw, FrequencyMHz: 2412, Channel: 1, SignalDBm: -50, Security: "wpa-eap"}},
		{"owe", bssAttrs(mac, 2412, -5000, 0, capESSPrivcy, ies(ssidIE("Free"), ieRSNOWE)),
			BSS{SSID: []byte("Free"), BSSID: hw, FrequencyMHz: 2412, Channel: 1, SignalDBm: -50, Security: "owe"}},
		{"wpa1 psk only", bssAttrs(mac, 2484, -5000, 0, capESSPrivcy, ies(ssidIE("Old"), ieWMM, ieWPAPSK)),
			BSS{SSID: []byte("Old"), BSSID: hw, FrequencyMHz: 2484, Channel: 14, SignalDBm: -50, Security: "wpa-psk"}},
		{"wpa1 eap", bssAttrs(mac, 2412, -5000, 0, capESSPrivcy, ies(ssidIE("OldCorp"), ieWPAEAP)),
			BSS{SSID: []byte("OldCorp"), BSSID: hw, FrequencyMHz: 2412, Channel: 1, SignalDBm: -50, Security: "wpa-eap"}},
		{"rsn beats wpa in mixed mode", bssAttrs(mac, 2412, -5000, 0, capESSPrivcy, ies(ssidIE("Mixed"), ieWPAEAP, ieRSNPSK)),
			BSS{SSID: []byte("Mixed"), BSSID: hw, FrequencyMHz: 2412, Channel: 1, SignalDBm: -50, Security: "wpa-psk"}},
		{"wep", bssAttrs(mac, 2412, -5000, 0, capESSPrivcy, ies(ssidIE("Wep"), ieRates, ieWMM)),
			BSS{SSID: []byte("Wep"), BSSID: hw, FrequencyMHz: 2412, Channel: 1, SignalDBm: -50, Security: "wep"}},
		{"open", bssAttrs(mac, 2412, -5000, 0, capESS, ies(ssidIE("Open"), ieRates)),
			BSS{SSID: []byte("Open"), BSSID: hw, FrequencyMHz: 2412, Channel: 1, SignalDBm: -50, Security: "open"}},
		{"rsn default akm", bssAttrs(mac, 2412, -5000, 0, capESSPrivcy, ies(ssidIE("D"), ieRSNNoAKM)),
			BSS{SSID: []byte("D"), BSSID: hw, FrequencyMHz: 2412, Channel: 1, SignalDBm: -50, Security: "wpa-eap"}},
		{"rsn vendor akm", bssAttrs(mac, 2412, -5000, 0, capESSPrivcy, ies(ssidIE("V"), ieRSNVendor)),
			BSS{SSID: []byte("V"), BSSID: hw, FrequencyMHz: 2412, Channel: 1, SignalDBm: -50, Security: "unknown"}},
		{"rsn malformed is not open", bssAttrs(mac, 2412, -5000, 0, capESS, ies(ssidIE("M"), ieRSNBroken)),
			BSS{SSID: []byte("M"), BSSID: hw, FrequencyMHz: 2412, Channel: 1, SignalDBm: -50, Security: "unknown"}},
		{"hidden zeroed ssid", bssAttrs(mac, 2412, -5000, 0, capESSPrivcy, ies([]byte{0x00, 0x04, 0, 0, 0, 0}, ieRSNPSK)),
			BSS{SSID: []byte{0, 0, 0, 0}, BSSID: hw, FrequencyMHz: 2412, Channel: 1, SignalDBm: -50, Security: "wpa-psk"}},
		{"binary ssid kept byte for byte", bssAttrs(mac, 2412, -5000, 0, capESS, ies(ssidIE("\xff\xfeab"))),
			BSS{SSID: []byte("\xff\xfeab"), BSSID: hw, FrequencyMHz: 2412, Channel: 1, SignalDBm: -50, Security: "open"}},
		{"truncated trailing element keeps ssid", bssAttrs(mac, 2412, -5000, 0, capESS, ies(ssidIE("T"), []byte{0xdd, 0x09, 0x00})),
			BSS{SSID: []byte("T"), BSSID: hw, FrequencyMHz: 2412, Channel: 1, SignalDBm: -50, Security: "open"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseBSS(tt.in)
			if err != nil {
				t.Fatalf("parseBSS: %v", err)
			}
			if diff := cmp.Diff(tt.want, got.BSS, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("parseBSS (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseBSSBeaconIEsFallback(t *testing.T) {
	b := nltestAttrs(
		netlink.Attribute{Type: unix.NL80211_BSS_FREQUENCY, Data: u32(2412)},
		netlink.Attribute{Type: unix.NL80211_BSS_BEACON_IES, Data: ies(ssidIE("Beacon"), ieRSNSAE)},
	)
	got, err := parseBSS(b)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.SSID) != "Beacon" || got.Security != "sae" {
		t.Errorf("got SSID %q security %q, want Beacon sae", got.SSID, got.Security)
	}
}

func TestParseBSSSignalUnspecAndBoottime(t *testing.T) {
	b := nltestAttrs(
		netlink.Attribute{Type: unix.NL80211_BSS_SIGNAL_UNSPEC, Data: []byte{60}},
		netlink.Attribute{Type: unix.NL80211_BSS_LAST_SEEN_BOOTTIME, Data: nlenc.Uint64Bytes(uint64(42 * time.Second))},
		netlink.Attribute{Type: unix.NL80211_BSS_INFORMATION_ELEMENTS, Data: ssidIE("U")},
	)
	got, err := parseBSS(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.SignalDBm != -70 || got.seenBoot != 42*time.Second {
		t.Errorf("SignalDBm %v seenBoot %v; want -70 42s", got.SignalDBm, got.seenBoot)
	}
}

func TestChannelOf(t *testing.T) {
	for mhz, want := range map[int]int{2412: 1, 2437: 6, 2472: 13, 2484: 14, 4920: 184, 5180: 36, 5825: 165, 5885: 177,
		5935: 2, 5955: 1, 6115: 33, 7115: 233, 58320: 1, 60480: 2, 900: 0, 5930: 0} {
		if got := channelOf(mhz); got != want {
			t.Errorf("channelOf(%d) = %d, want %d", mhz, got, want)
		}
	}
}

// fixture: a fresh WPA2 AP, a fresh hidden AP, a stale cached AP (60 s old).
func (r *rig) withBSSes() *rig {
	r.k.bsses = [][]byte{
		bssAttrs("02:00:00:00:01:00", 2412, -4000, 50, capESSPrivcy, ies(ssidIE("HomeNet"), ieRSNPSK)),
		bssAttrs("02:00:00:00:02:00", 2437, -6000, 80, capESSPrivcy, ies([]byte{0x00, 0x00}, ieRSNPSK)),
		bssAttrs("02:00:00:00:03:00", 5180, -7000, 60000, capESS, ies(ssidIE("GoneNet"))),
	}
	return r
}

func ssidsOf(bs []BSS) []string {
	var out []string
	for _, b := range bs {
		out = append(out, string(b.SSID))
	}
	return out
}

func TestScanOwnSuccess(t *testing.T) {
	r := newRig(t, fastOptions(), step{now: []genetlink.Message{started()}, later: []genetlink.Message{results(2412, 2437, 5180)}, delay: 20 * time.Millisecond}).withBSSes()
	var events []diagnostics.Event
	res, err := r.s.Scan(context.Background(), Request{Ifname: "wlan0", Observe: func(e diagnostics.Event) { events = append(events, e) }})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	rec := res.Record
	want := diagnostics.ScanRecord{Method: "nl80211", Outcome: "ok", Own: true, BSSCount: 2, HiddenBSS: 1}
	if diff := cmp.Diff(want, rec, cmpopts.IgnoreFields(diagnostics.ScanRecord{}, "Started", "Ended")); diff != "" {
		t.Errorf("Record (-want +got):\n%s", diff)
	}
	if rec.Started.IsZero() || rec.Ended.Before(rec.Started) {
		t.Errorf("Started %v Ended %v", rec.Started, rec.Ended)
	}
	if diff := cmp.Diff([]string{"HomeNet", ""}, ssidsOf(res.BSSes)); diff != "" {
		t.Errorf("fresh BSSes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"GoneNet"}, ssidsOf(res.Stale)); diff != "" {
		t.Errorf("stale BSSes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{2412, 2437, 5180}, res.Frequencies); diff != "" {
		t.Errorf("Frequencies (-want +got):\n%s", diff)
	}
	if len(r.k.trigs) != 1 || r.dialed != 1 || len(r.ev.joined) != 1 || r.ev.joined[0] != testGroup {
		t.Errorf("triggers %d, dialed %d, joined %v; want 1, 1, [%d]", len(r.k.trigs), r.dialed, r.ev.joined, testGroup)
	}
	var kinds []diagnostics.Kind
	for _, e := range events {
		kinds = append(kinds, e.Kind)
	}
	if diff := cmp.Diff([]diagnostics.Kind{diagnostics.KindScanStarted, diagnostics.KindScanDone}, kinds); diff != "" {
		t.Errorf("observed kinds (-want +got):\n%s", diff)
	}
}

// An entry last seen before a suspend has a small jiffies age but an old
// boottime: it must not count as seen during the scan.
func TestScanUsesBoottime(t *testing.T) {
	r := newRig(t, fastOptions(), step{now: []genetlink.Message{started(), results()}})
	r.s.boot = func() time.Duration { return 1000 * time.Second }
	withBoot := func(mac, ssid string, ageMS uint32, boot time.Duration) []byte {
		return append(bssAttrs(mac, 2412, -5000, ageMS, capESS, ies(ssidIE(ssid))),
			nltestAttrs(netlink.Attribute{Type: unix.NL80211_BSS_LAST_SEEN_BOOTTIME, Data: nlenc.Uint64Bytes(uint64(boot))})...)
	}
	r.k.bsses = [][]byte{
		withBoot("02:00:00:00:01:00", "Now", 10, 1000*time.Second),
		withBoot("02:00:00:00:02:00", "BeforeSuspend", 10, 400*time.Second),
	}
	res, err := r.s.Scan(context.Background(), Request{Ifname: "wlan0"})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if diff := cmp.Diff([]string{"Now"}, ssidsOf(res.BSSes)); diff != "" {
		t.Errorf("fresh (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"BeforeSuspend"}, ssidsOf(res.Stale)); diff != "" {
		t.Errorf("stale (-want +got):\n%s", diff)
	}
}

// A scan that ended between our drain and our trigger leaves its
// NEW_SCAN_RESULTS (or SCAN_ABORTED) queued ahead of our TRIGGER_SCAN; it
// must not be taken for ours.
func TestScanIgnoresEarlierScansEnd(t *testing.T) {
	r := newRig(t, fastOptions(), step{now: []genetlink.Message{aborted(), results(), started()}, later: []genetlink.Message{results(2412)}, delay: 30 * time.Millisecond}).withBSSes()
	res, err := r.s.Scan(context.Background(), Request{Ifname: "wlan0"})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if diff := cmp.Diff([]int{2412}, res.Frequencies); diff != "" {
		t.Errorf("took an earlier scan's end for ours (-want +got):\n%s", diff)
	}
}

func TestScanBusyThenPiggyback(t *testing.T) {
	// Someone else's scan is in flight: our trigger is refused, and its
	// results arrive 20ms later, for another interface on the same radio.
	other := notif(unix.NL80211_CMD_NEW_SCAN_RESULTS, testPhy, 99, append(testFreqs, 5955)...)
	r := newRig(t, fastOptions(), step{errno: int(unix.EBUSY), later: []genetlink.Message{other}, delay: 20 * time.Millisecond}).withBSSes()
	var busy int
	res, err := r.s.Scan(context.Background(), Request{Ifname: "wlan0", Observe: func(e diagnostics.Event) {
		if e.Kind == diagnostics.KindScanBusy {
			busy++
		}
	}})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	want := diagnostics.ScanRecord{Method: "piggyback", Outcome: "ok", Own: false, BSSCount: 2, HiddenBSS: 1, BusyRefusals: 1}
	if diff := cmp.Diff(want, res.Record, cmpopts.IgnoreFields(diagnostics.ScanRecord{}, "Started", "Ended")); diff != "" {
		t.Errorf("Record (-want +got):\n%s", diff)
	}
	if len(r.k.trigs) != 1 || busy != 1 {
		t.Errorf("triggers %d, busy events %d; want 1, 1", len(r.k.trigs), busy)
	}
}

func TestEnabledFreqs(t *testing.T) {
	r := newRig(t, fastOptions())
	got, err := r.s.enabledFreqs(context.Background(), testPhy)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(append(append([]int{}, testFreqs...), 5955), got); diff != "" {
		t.Errorf("enabled (-want +got):\n%s", diff)
	}
}

// Someone else's scan of a few channels ends while we wait: its results are
// not evidence of absence, so we trigger again at once and our own full
// scan is the result.
func TestScanPartialPiggybackThenOwn(t *testing.T) {
	partial := notif(unix.NL80211_CMD_NEW_SCAN_RESULTS, testPhy, testIfindex, 2437, 2462)
	r := newRig(t, &Options{BusyWait: time.Second, ScanWait: time.Second, InitialBackoff: time.Hour, MaxBackoff: time.Hour},
		step{errno: int(unix.EBUSY), later: []genetlink.Message{partial}, delay: 5 * time.Millisecond},
		step{now: []genetlink.Message{started()}, later: []genetlink.Message{results(testFreqs...)}, delay: 5 * time.Millisecond},
	).withBSSes()
	var notes int
	res, err := r.s.Scan(context.Background(), Request{Ifname: "wlan0", Observe: func(e diagnostics.Event) {
		if e.Kind == diagnostics.KindNote && e.Name == "partial" {
			notes++
		}
	}})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	want := diagnostics.ScanRecord{Method: "nl80211", Outcome: "ok", Own: true, BSSCount: 2, HiddenBSS: 1, BusyRefusals: 1}
	if diff := cmp.Diff(want, res.Record, cmpopts.IgnoreFields(diagnostics.ScanRecord{}, "Started", "Ended")); diff != "" {
		t.Errorf("Record (-want +got):\n%s", diff)
	}
	if notes != 1 || len(r.k.trigs) != 2 {
		t.Errorf("partial notes %d, triggers %d; want 1, 2 (retried without the hour-long backoff)", notes, len(r.k.trigs))
	}
}

// A directed scan for a hidden SSID cannot ride on someone's wildcard scan:
// the hidden AP answers only probes that name it.
func TestScanDirectedNeedsProbedSSIDs(t *testing.T) {
	wildcard := notifSSIDs(unix.NL80211_CMD_NEW_SCAN_RESULTS, testPhy, testIfindex, []string{""}, testFreqs...)
	probed := notifSSIDs(unix.NL80211_CMD_NEW_SCAN_RESULTS, testPhy, testIfindex, []string{"Other", "Hidden", ""}, testFreqs...)
	tests := []struct {
		name      string
		inFlight  genetlink.Message
		wantOwn   bool
		wantTrigs int
	}{
		{"wildcard scan in flight: trigger again", wildcard, true, 2},
		{"scan in flight probed for it: piggy-back", probed, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, &Options{BusyWait: time.Second, ScanWait: time.Second, InitialBackoff: time.Hour, MaxBackoff: time.Hour},
				step{errno: int(unix.EBUSY), later: []genetlink.Message{tt.inFlight}, delay: 5 * time.Millisecond},
				step{now: []genetlink.Message{started()}, later: []genetlink.Message{results(testFreqs...)}, delay: 5 * time.Millisecond},
			).withBSSes()
			res, err := r.s.Scan(context.Background(), Request{Ifname: "wlan0", SSIDs: [][]byte{[]byte("Hidden")}})
			if err != nil {
				t.Fatalf("Scan: %v", err)
			}
			if res.Record.Own != tt.wantOwn || len(r.k.trigs) != tt.wantTrigs || res.Record.BusyRefusals != 1 {
				t.Errorf("Own %v triggers %d refusals %d; want %v %d 1", res.Record.Own, len(r.k.trigs), res.Record.BusyRefusals, tt.wantOwn, tt.wantTrigs)
			}
		})
	}
}

// Only partial scans by others ever complete: ErrBusy, with what they saw
// kept as presence evidence.
func TestScanOnlyPartialScans(t *testing.T) {
	partial := notif(unix.NL80211_CMD_NEW_SCAN_RESULTS, testPhy, testIfindex, 2437, 2462)
	r := newRig(t, fastOptions(), step{errno: int(unix.EBUSY), later: []genetlink.Message{partial}, delay: 2 * time.Millisecond}).withBSSes()
	res, err := r.s.Scan(context.Background(), Request{Ifname: "wlan0", Attempts: 2})
	if !errors.Is(err, ErrBusy) || res.Record.Outcome != "busy" || res.Record.BusyRefusals != 2 {
		t.Fatalf("err %v Outcome %q refusals %d; want ErrBusy busy 2", err, res.Record.Outcome, res.Record.BusyRefusals)
	}
	if diff := cmp.Diff([]string{"HomeNet", ""}, ssidsOf(res.BSSes)); diff != "" {
		t.Errorf("presence evidence (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{2437, 2462}, res.Frequencies); diff != "" {
		t.Errorf("Frequencies (-want +got):\n%s", diff)
	}
}

func TestScanBusyEveryTime(t *testing.T) {
	r := newRig(t, fastOptions(), step{errno: int(unix.EBUSY)})
	res, err := r.s.Scan(context.Background(), Request{Ifname: "wlan0", Attempts: 3})
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("err = %v, want ErrBusy", err)
	}
	var se *Error
	if !errors.As(err, &se) {
		t.Errorf("err %T is not *Error", err)
	}
	if res.Record.Outcome != "busy" || res.Record.BusyRefusals != 3 || len(r.k.trigs) != 3 || res.Record.Error == "" {
		t.Errorf("Outcome %q BusyRefusals %d triggers %d Error %q; want busy 3 3 non-empty",
			res.Record.Outcome, res.Record.BusyRefusals, len(r.k.trigs), res.Record.Error)
	}
	if res.BSSes != nil || r.k.dumped != 0 {
		t.Errorf("a refused scan dumped the BSS table")
	}
}

// brcmfmac refuses with EAGAIN while connecting or already scanning.
func TestScanEAGAINIsBusy(t *testing.T) {
	r := newRig(t, fastOptions(), step{errno: int(unix.EAGAIN)})
	var names []string
	res, err := r.s.Scan(context.Background(), Request{Ifname: "wlan0", Attempts: 2, Observe: func(e diagnostics.Event) {
		if e.Kind == diagnostics.KindScanBusy {
			names = append(names, e.Name)
		}
	}})
	if !errors.Is(err, ErrBusy) || res.Record.Outcome != "busy" || res.Record.BusyRefusals != 2 {
		t.Errorf("err %v Outcome %q refusals %d; want ErrBusy busy 2", err, res.Record.Outcome, res.Record.BusyRefusals)
	}
	if diff := cmp.Diff([]string{"EAGAIN", "EAGAIN"}, names); diff != "" {
		t.Errorf("busy events (-want +got):\n%s", diff)
	}
}

// Refused, the scan in flight aborts, and the retry is accepted: an own
// scan with one refusal on record.
func TestScanBusyThenAbortedInFlightThenOwn(t *testing.T) {
	r := newRig(t, fastOptions(),
		step{errno: int(unix.EBUSY), later: []genetlink.Message{aborted()}, delay: 5 * time.Millisecond},
		step{now: []genetlink.Message{started()}, later: []genetlink.Message{results()}, delay: 5 * time.Millisecond},
	).withBSSes()
	res, err := r.s.Scan(context.Background(), Request{Ifname: "wlan0"})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	want := diagnostics.ScanRecord{Method: "nl80211", Outcome: "ok", Own: true, BSSCount: 2, HiddenBSS: 1, BusyRefusals: 1}
	if diff := cmp.Diff(want, res.Record, cmpopts.IgnoreFields(diagnostics.ScanRecord{}, "Started", "Ended")); diff != "" {
		t.Errorf("Record (-want +got):\n%s", diff)
	}
}

func TestScanDefaultAttempts(t *testing.T) {
	r := newRig(t, &Options{BusyWait: time.Millisecond, InitialBackoff: time.Millisecond, MaxBackoff: time.Millisecond}, step{errno: int(unix.EBUSY)})
	res, err := r.s.Scan(context.Background(), Request{Ifname: "wlan0"})
	if !errors.Is(err, ErrBusy) || res.Record.BusyRefusals != DefaultAttempts {
		t.Errorf("err %v refusals %d; want ErrBusy %d", err, res.Record.BusyRefusals, DefaultAttempts)
	}
}

func TestScanAbortedThenSuccess(t *testing.T) {
	r := newRig(t, fastOptions(),
		step{now: []genetlink.Message{started()}, later: []genetlink.Message{aborted()}, delay: 10 * time.Millisecond},
		step{now: []genetlink.Message{started()}, later: []genetlink.Message{results()}, delay: 10 * time.Millisecond},
	).withBSSes()
	var aborts int
	res, err := r.s.Scan(context.Background(), Request{Ifname: "wlan0", Observe: func(e diagnostics.Event) {
		if e.Kind == diagnostics.KindScanAborted {
			aborts++
		}
	}})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if res.Record.Outcome != "ok" || !res.Record.Own || len(r.k.trigs) != 2 || aborts != 1 {
		t.Errorf("Outcome %q Own %v triggers %d aborts %d; want ok true 2 1", res.Record.Outcome, res.Record.Own, len(r.k.trigs), aborts)
	}
}

func TestScanAbortedEveryTime(t *testing.T) {
	r := newRig(t, fastOptions(), step{now: []genetlink.Message{started(), aborted()}})
	res, err := r.s.Scan(context.Background(), Request{Ifname: "wlan0", Attempts: 4})
	if !errors.Is(err, ErrAborted) {
		t.Fatalf("err = %v, want ErrAborted", err)
	}
	if res.Record.Outcome != "aborted" || len(r.k.trigs) != 4 || res.Record.BusyRefusals != 0 {
		t.Errorf("Outcome %q triggers %d refusals %d; want aborted 4 0", res.Record.Outcome, len(r.k.trigs), res.Record.BusyRefusals)
	}
}

func TestScanNotPermitted(t *testing.T) {
	r := newRig(t, fastOptions(), step{errno: int(unix.EPERM)})
	res, err := r.s.Scan(context.Background(), Request{Ifname: "wlan0"})
	if !errors.Is(err, ErrNotPermitted) || !errors.Is(err, unix.EPERM) {
		t.Fatalf("err = %v, want ErrNotPermitted wrapping EPERM", err)
	}
	if res.Record.Outcome != "failed" || len(r.k.trigs) != 1 {
		t.Errorf("Outcome %q triggers %d; want failed 1", res.Record.Outcome, len(r.k.trigs))
	}
}

func TestScanOtherErrnoFailsAtOnce(t *testing.T) {
	r := newRig(t, fastOptions(), step{errno: int(unix.ENETDOWN)})
	res, err := r.s.Scan(context.Background(), Request{Ifname: "wlan0"})
	if !errors.Is(err, unix.ENETDOWN) || res.Record.Outcome != "failed" || len(r.k.trigs) != 1 {
		t.Errorf("err %v Outcome %q triggers %d; want ENETDOWN failed 1", err, res.Record.Outcome, len(r.k.trigs))
	}
}

func TestScanDeadline(t *testing.T) {
	// Accepted, then nothing: the context's deadline ends the wait.
	r := newRig(t, &Options{ScanWait: time.Minute}, step{now: []genetlink.Message{started()}})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	dl, _ := ctx.Deadline()
	start := time.Now()
	res, err := r.s.Scan(ctx, Request{Ifname: "wlan0"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("Scan took %v past a 100ms deadline", el)
	}
	if res.Record.Outcome != "timeout" {
		t.Errorf("Outcome %q, want timeout", res.Record.Outcome)
	}
	// The request connection carried the context's deadline.
	r.cmd.mu.Lock()
	defer r.cmd.mu.Unlock()
	found := false
	for _, d := range r.cmd.deadlines {
		found = found || d.Equal(dl)
	}
	if !found {
		t.Errorf("ctx deadline %v never set on the request conn (set: %v)", dl, r.cmd.deadlines)
	}
}

func TestScanDeadlineWhileBusy(t *testing.T) {
	r := newRig(t, &Options{BusyWait: time.Minute}, step{errno: int(unix.EBUSY)})
	ctx, cancel := context.WithTimeout(context.Background(), 80*time.Millisecond)
	defer cancel()
	res, err := r.s.Scan(ctx, Request{Ifname: "wlan0"})
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrBusy) {
		t.Fatalf("err = %v, want DeadlineExceeded and ErrBusy", err)
	}
	if res.Record.Outcome != "timeout" || res.Record.BusyRefusals != 1 {
		t.Errorf("Outcome %q refusals %d; want timeout 1", res.Record.Outcome, res.Record.BusyRefusals)
	}
}

func TestScanCanceled(t *testing.T) {
	r := newRig(t, &Options{ScanWait: time.Minute}, step{now: []genetlink.Message{started()}})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	res, err := r.s.Scan(ctx, Request{Ifname: "wlan0"})
	if !errors.Is(err, context.Canceled) || res.Record.Outcome != "failed" {
		t.Errorf("err %v Outcome %q; want Canceled failed", err, res.Record.Outcome)
	}
}

func TestScanStalled(t *testing.T) {
	r := newRig(t, &Options{ScanWait: 20 * time.Millisecond, BusyWait: 20 * time.Millisecond, InitialBackoff: time.Millisecond, MaxBackoff: time.Millisecond},
		step{now: []genetlink.Message{started()}})
	res, err := r.s.Scan(context.Background(), Request{Ifname: "wlan0", Attempts: 2})
	if !errors.Is(err, ErrStalled) || res.Record.Outcome != "timeout" || len(r.k.trigs) != 2 {
		t.Errorf("err %v Outcome %q triggers %d; want ErrStalled timeout 2", err, res.Record.Outcome, len(r.k.trigs))
	}
}

func TestScanLostNotifications(t *testing.T) {
	// The socket overflowed and our TRIGGER_SCAN was dropped: the next end
	// for this radio is accepted.
	r := newRig(t, fastOptions(), step{overflow: true, later: []genetlink.Message{results()}, delay: 20 * time.Millisecond}).withBSSes()
	res, err := r.s.Scan(context.Background(), Request{Ifname: "wlan0"})
	if err != nil || res.Record.Outcome != "ok" {
		t.Errorf("err %v Outcome %q; want ok", err, res.Record.Outcome)
	}
}

func TestScanNoInterface(t *testing.T) {
	for _, name := range []string{"eth0", "wlan9", ""} {
		r := newRig(t, fastOptions())
		res, err := r.s.Scan(context.Background(), Request{Ifname: name})
		if !errors.Is(err, ErrNoInterface) || res.Record.Outcome != "failed" || len(r.k.trigs) != 0 {
			t.Errorf("%q: err %v Outcome %q triggers %d; want ErrNoInterface failed 0", name, err, res.Record.Outcome, len(r.k.trigs))
		}
	}
}

func TestScanInvalidSSID(t *testing.T) {
	r := newRig(t, fastOptions())
	_, err := r.s.Scan(context.Background(), Request{Ifname: "wlan0", SSIDs: [][]byte{make([]byte, 33)}})
	if err == nil || len(r.k.trigs) != 0 {
		t.Errorf("err %v triggers %d; want an error before any trigger", err, len(r.k.trigs))
	}
}

// triggerSSIDs decodes NL80211_ATTR_SCAN_SSIDS from a recorded trigger.
func triggerSSIDs(t *testing.T, data []byte) (ifindex uint32, ssids [][]byte) {
	t.Helper()
	ad, err := netlink.NewAttributeDecoder(data)
	if err != nil {
		t.Fatal(err)
	}
	for ad.Next() {
		switch ad.Type() {
		case unix.NL80211_ATTR_IFINDEX:
			ifindex = ad.Uint32()
		case unix.NL80211_ATTR_SCAN_SSIDS:
			ad.Nested(func(nad *netlink.AttributeDecoder) error {
				for nad.Next() {
					ssids = append(ssids, append([]byte{}, nad.Bytes()...))
				}
				return nil
			})
		}
	}
	if err := ad.Err(); err != nil {
		t.Fatal(err)
	}
	return ifindex, ssids
}

func TestTriggerSSIDs(t *testing.T) {
	tests := []struct {
		name  string
		ssids [][]byte
		want  [][]byte
	}{
		{"wildcard", nil, [][]byte{{}}},
		{"directed", [][]byte{[]byte("Hidden"), []byte("\x00\xffbin")}, [][]byte{[]byte("Hidden"), []byte("\x00\xffbin")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, fastOptions(), step{now: []genetlink.Message{started(), results()}}).withBSSes()
			if _, err := r.s.Scan(context.Background(), Request{Ifname: "wlan0", SSIDs: tt.ssids}); err != nil {
				t.Fatalf("Scan: %v", err)
			}
			if len(r.k.trigs) != 1 {
				t.Fatalf("%d triggers", len(r.k.trigs))
			}
			idx, got := triggerSSIDs(t, r.k.trigs[0].Data)
			if idx != testIfindex {
				t.Errorf("ifindex %d, want %d", idx, testIfindex)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("SCAN_SSIDS (-want +got):\n%s", diff)
			}
		})
	}
}

// A dump flagged NLM_F_DUMP_INTR may have skipped entries: it is repeated,
// and when no repetition is consistent the union is used.
func TestDumpInterrupted(t *testing.T) {
	a := bssAttrs("02:00:00:00:01:00", 2412, -4000, 50, capESS, ies(ssidIE("A")))
	b := bssAttrs("02:00:00:00:02:00", 2412, -4000, 900, capESS, ies(ssidIE("B")))
	bNewer := bssAttrs("02:00:00:00:02:00", 2412, -4000, 10, capESS, ies(ssidIE("B")))
	c := bssAttrs("02:00:00:00:03:00", 2412, -4000, 50, capESS, ies(ssidIE("C")))
	tests := []struct {
		name        string
		interrupted int
		dumps       [][][]byte
		wantDumps   int
		want        []string
		wantAge     time.Duration // of B
	}{
		{"consistent", 0, [][][]byte{{a, b}}, 1, []string{"A", "B"}, 900 * time.Millisecond},
		{"second try consistent", 1, [][][]byte{{a}, {a, c}}, 2, []string{"A", "C"}, 0},
		{"never consistent: union", 5, [][][]byte{{a, b}, {bNewer}, {c}}, dumpTries, []string{"A", "B", "C"}, 10 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, fastOptions())
			r.k.dumps = tt.dumps
			r.cmd.interrupted = tt.interrupted
			got, err := r.s.dump(context.Background(), testIfindex)
			if err != nil {
				t.Fatalf("dump: %v", err)
			}
			var bs []BSS
			for _, e := range got {
				bs = append(bs, e.BSS)
			}
			if diff := cmp.Diff(tt.want, ssidsOf(bs)); diff != "" {
				t.Errorf("BSSes (-want +got):\n%s", diff)
			}
			if r.k.dumped != tt.wantDumps {
				t.Errorf("%d dumps, want %d", r.k.dumped, tt.wantDumps)
			}
			for _, b := range got {
				if string(b.SSID) == "B" && b.Age != tt.wantAge {
					t.Errorf("B's age %v, want %v", b.Age, tt.wantAge)
				}
			}
		})
	}
}

func TestSplitFresh(t *testing.T) {
	start := stamp{wall: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC), boot: 1000 * time.Second}
	dumped := start.add(3 * time.Second)
	in := []entry{
		{BSS: BSS{SSID: []byte("a"), Age: 0}},
		{BSS: BSS{SSID: []byte("b"), Age: 3 * time.Second}},
		{BSS: BSS{SSID: []byte("c"), Age: 3*time.Second + time.Millisecond}},
		// Seen before a suspend: jiffies say 50 ms ago, boottime says 10 min.
		{BSS: BSS{SSID: []byte("suspended"), Age: 50 * time.Millisecond}, seenBoot: 400 * time.Second},
		{BSS: BSS{SSID: []byte("boot-fresh"), Age: time.Hour}, seenBoot: 1001 * time.Second},
	}
	fresh, stale := splitFresh(in, start, dumped)
	if diff := cmp.Diff([]string{"a", "b", "boot-fresh"}, ssidsOf(fresh)); diff != "" {
		t.Errorf("fresh (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"c", "suspended"}, ssidsOf(stale)); diff != "" {
		t.Errorf("stale (-want +got):\n%s", diff)
	}
	// Without our boottime, the age decides for everyone.
	start.boot = 0
	fresh, _ = splitFresh(in, start, dumped)
	if diff := cmp.Diff([]string{"a", "b", "suspended"}, ssidsOf(fresh)); diff != "" {
		t.Errorf("fresh without boottime (-want +got):\n%s", diff)
	}
}

func TestWatch(t *testing.T) {
	r := newRig(t, fastOptions())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := r.s.Watch(ctx, "wlan0")
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	r.ev.push(
		notif(unix.NL80211_CMD_TRIGGER_SCAN, 1, 4), // wlan1's radio: not ours
		started(),
		notif(unix.NL80211_CMD_NEW_SCAN_RESULTS, 1, 4),
		results(2412, 2437),
		notif(unix.NL80211_CMD_TRIGGER_SCAN, testPhy, 2), // another interface on our radio
		aborted(),
	)
	var got []diagnostics.Event
	for len(got) < 4 {
		select {
		case e := <-ch:
			got = append(got, e)
		case <-time.After(2 * time.Second):
			t.Fatalf("got %d events, want 4", len(got))
		}
	}
	want := []diagnostics.Event{
		{Source: "nl80211", Kind: diagnostics.KindScanStarted, Iface: "wlan0", Name: "NL80211_CMD_TRIGGER_SCAN"},
		{Source: "nl80211", Kind: diagnostics.KindScanDone, Iface: "wlan0", Name: "NL80211_CMD_NEW_SCAN_RESULTS", OK: diagnostics.Bool(true)},
		{Source: "nl80211", Kind: diagnostics.KindScanStarted, Iface: "wlan0", Name: "NL80211_CMD_TRIGGER_SCAN"},
		{Source: "nl80211", Kind: diagnostics.KindScanAborted, Iface: "wlan0", Name: "NL80211_CMD_SCAN_ABORTED"},
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(diagnostics.Event{}, "Time", "Message")); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	cancel()
	select {
	case _, ok := <-ch:
		for ok {
			_, ok = <-ch
		}
	case <-time.After(2 * time.Second):
		t.Fatal("channel not closed after cancel")
	}
}

func TestWatchNoInterface(t *testing.T) {
	r := newRig(t, fastOptions())
	if _, err := r.s.Watch(context.Background(), "nope0"); !errors.Is(err, ErrNoInterface) {
		t.Errorf("err = %v, want ErrNoInterface", err)
	}
}

func TestNewWithoutScanGroup(t *testing.T) {
	fam := genetlinkFamilyNoScan()
	cmd := &testConn{Conn: genltestDial(fam)}
	if _, err := New(cmd, func() (EventConn, error) { return newFakeEvents(), nil }, nil); !errors.Is(err, ErrUnsupported) {
		t.Errorf("err = %v, want ErrUnsupported", err)
	}
}

// stubConn is a Conn whose first Execute times out after the kernel queued
// its reply, as when ctx's deadline passes between send and receive.
type stubConn struct {
	mu       sync.Mutex
	executes int
	queued   int
	drained  int
}

func (c *stubConn) GetFamily(string) (genetlink.Family, error) {
	return genetlink.Family{ID: testFamily, Version: 1, Groups: []genetlink.MulticastGroup{{ID: testGroup, Name: "scan"}}}, nil
}

func (c *stubConn) Execute(genetlink.Message, uint16, netlink.HeaderFlags) ([]genetlink.Message, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.executes++
	if c.executes == 1 {
		c.queued++
		return nil, &netlink.OpError{Op: "receive", Err: os.ErrDeadlineExceeded}
	}
	if c.queued > 0 {
		return nil, errors.New("took a stale reply for its own")
	}
	return []genetlink.Message{ifaceMsg(testIfindex, "wlan0", testPhy, unix.NL80211_IFTYPE_STATION, 0)}, nil
}

func (c *stubConn) Send(genetlink.Message, uint16, netlink.HeaderFlags) (netlink.Message, error) {
	return netlink.Message{}, errors.New("not used")
}

func (c *stubConn) Receive() ([]genetlink.Message, []netlink.Message, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.queued > 0 {
		c.queued--
		c.drained++
		return []genetlink.Message{{}}, nil, nil
	}
	return nil, nil, &netlink.OpError{Op: "receive", Err: os.ErrDeadlineExceeded}
}

func (c *stubConn) SetDeadline(time.Time) error     { return nil }
func (c *stubConn) SetReadDeadline(time.Time) error { return nil }
func (c *stubConn) Close() error                    { return nil }

func TestInterruptedRequestIsDrained(t *testing.T) {
	c := &stubConn{}
	s, err := New(c, func() (EventConn, error) { return newFakeEvents(), nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.lookup(context.Background(), "wlan0"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("first lookup: err %v, want DeadlineExceeded", err)
	}
	ifi, _, err := s.lookup(context.Background(), "wlan0")
	if err != nil || ifi.Index != testIfindex {
		t.Fatalf("second lookup: %v %v", ifi, err)
	}
	if c.drained != 1 {
		t.Errorf("drained %d stale replies, want 1", c.drained)
	}
}
