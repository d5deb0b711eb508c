package scan

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func b(ssid string, dbm float64) BSS { return BSS{SSID: []byte(ssid), SignalDBm: dbm} }

func TestMatch(t *testing.T) {
	bs := []BSS{b("Home", -70), b("home", -30), b("Home", -40), b("", -20), b("Home ", -10), b("Home", -90)}
	got := Match(bs, []byte("Home"))
	want := []BSS{b("Home", -40), b("Home", -70), b("Home", -90)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Match (-want +got):\n%s", diff)
	}
	if got := Match(bs, nil); got != nil {
		t.Errorf("Match(empty) = %v, want nil", got)
	}
	if got := Match(bs, []byte("Absent")); got != nil {
		t.Errorf("Match(absent) = %v, want nil", got)
	}
}

func TestMatchPrefix(t *testing.T) {
	bs := []BSS{b("hotspot-a", -60), b("hotspot-b", -40), b("HOTSPOT-c", -10), b("", -5), b("xhotspot-d", -1), b("hotspot-a", -50)}
	got := MatchPrefix(bs, []byte("hotspot-"))
	want := []BSS{b("hotspot-b", -40), b("hotspot-a", -50), b("hotspot-a", -60)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("MatchPrefix (-want +got):\n%s", diff)
	}
	// An empty prefix is every visible network, strongest first.
	if got := MatchPrefix(bs, nil); len(got) != 5 || !bytes.Equal(got[0].SSID, []byte("xhotspot-d")) {
		t.Errorf("MatchPrefix(nil) = %v", got)
	}
}

func TestNearMisses(t *testing.T) {
	seen := []BSS{
		b("HomeNet", -40),       // exact: never a near miss
		b("homenet", -40),       // case
		b(" HomeNet ", -40),     // surrounding whitespace
		b("Home Net", -40),      // inner whitespace
		b("Home\u00a0Net", -40), // no-break space
		b("Ｈｏｍｅ Ｎｅｔ", -40),      // fullwidth
		b("Home\u200bNet", -40), // zero-width space
		b("HomeNet2", -40),      // one insertion
		b("HomeNt", -40),        // one deletion
		b("HomeNot", -40),       // one substitution
		b("HоmeNet", -40),       // Cyrillic o
		b("HomeNet", -80),       // duplicate exact
		b("homenet", -60),       // duplicate near miss
		b("HomeNet23", -40),     // two edits: no
		b("Other", -40),
		b("", -40),
		b("\x00\x00\x00", -40),
	}
	got := NearMisses(seen, []byte("HomeNet"))
	// The zero-width space is a format character: PrintableSSID shows that
	// SSID in hex, which is what makes the near miss visible at all.
	want := []string{" HomeNet ", "0x486f6d65e2808b4e6574", "Home Net", "HomeNet2", "HomeNot", "HomeNt", "Home\u00a0Net", "HоmeNet", "homenet", "Ｈｏｍｅ Ｎｅｔ"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("NearMisses (-want +got):\n%s", diff)
	}
}

func TestNearMissesShortSSID(t *testing.T) {
	seen := []BSS{b("abd", -40), b("ABC", -40), b("ab", -40), b(" abc", -40)}
	got := NearMisses(seen, []byte("abc"))
	// Under 4 characters only normalisation counts, not edits.
	want := []string{" abc", "ABC"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("NearMisses (-want +got):\n%s", diff)
	}
	if got := NearMisses(seen, nil); got != nil {
		t.Errorf("NearMisses(empty) = %v", got)
	}
}

func TestNearMissesAccentsAndBinary(t *testing.T) {
	seen := []BSS{b("Cafe\u0301", -40), b("CAFÉ", -40), b("Cafe", -40), b("\xffCafé", -40)}
	got := NearMisses(seen, []byte("Café"))
	want := []string{"0xff436166c3a9", "CAFÉ", "Cafe", "Cafe\u0301"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("NearMisses (-want +got):\n%s", diff)
	}
}

func TestEditDistanceAtMostOne(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"", "", true}, {"a", "", true}, {"", "ab", false}, {"abc", "abc", true}, {"abc", "abd", true},
		{"abc", "xbc", true}, {"abc", "ab", true}, {"abc", "bc", true}, {"abc", "ac", true},
		{"abc", "acb", false}, {"abcd", "abdc", false}, {"abc", "abcde", false}, {"abc", "xyz", false},
	} {
		if got := editDistanceAtMostOne([]rune(tt.a), []rune(tt.b)); got != tt.want {
			t.Errorf("editDistanceAtMostOne(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
