package scan

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Match returns the BSSes whose SSID is exactly ssid (byte for byte: SSIDs
// are octet strings, not text), strongest signal first. An empty ssid
// matches nothing: hidden BSSes are never a match for a name.
func Match(bsses []BSS, ssid []byte) []BSS {
	if len(ssid) == 0 {
		return nil
	}
	return strongestFirst(bsses, func(b BSS) bool { return bytes.Equal(b.SSID, ssid) })
}

// MatchPrefix returns the non-hidden BSSes whose SSID starts with prefix,
// strongest signal first (for "join the strongest hotspot-*").
func MatchPrefix(bsses []BSS, prefix []byte) []BSS {
	return strongestFirst(bsses, func(b BSS) bool { return !b.Hidden() && bytes.HasPrefix(b.SSID, prefix) })
}

func strongestFirst(bsses []BSS, keep func(BSS) bool) []BSS {
	var out []BSS
	for _, b := range bsses {
		if keep(b) {
			out = append(out, b)
		}
	}
	slices.SortStableFunc(out, func(a, b BSS) int {
		switch {
		case a.SignalDBm > b.SignalDBm:
			return -1
		case a.SignalDBm < b.SignalDBm:
			return 1
		}
		return 0
	})
	return out
}

// NearMisses returns the SSIDs seen in bsses that are not ssid but that a
// person could have meant by it, for a "did you mean" hint: equal after case
// folding, whitespace removal (surrounding and inner) and Unicode
// compatibility normalisation (NFKC: fullwidth "Ｈｏｍｅ" is "Home"), with
// invisible characters (zero-width space/joiners, BOM, soft hyphen),
// combining accents and a few Cyrillic/Greek look-alikes of Latin letters
// removed or mapped; or, for an ssid of at least 4 characters, one
// character apart (Levenshtein distance 1) after that normalisation. The
// result is rendered with diagnostics.PrintableSSID, deduplicated and
// sorted; hidden BSSes and exact matches are never included.
func NearMisses(bsses []BSS, ssid []byte) []string {
	if len(ssid) == 0 {
		return nil
	}
	want := foldSSID(ssid)
	long := utf8.RuneCount(ssid) >= 4
	seen := map[string]bool{}
	var out []string
	for _, b := range bsses {
		if b.Hidden() || bytes.Equal(b.SSID, ssid) {
			continue
		}
		name := diagnostics.PrintableSSID(b.SSID)
		if seen[name] {
			continue
		}
		got := foldSSID(b.SSID)
		if slices.Equal(got, want) || (long && len(got) > 0 && editDistanceAtMostOne(got, want)) {
			seen[name] = true
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// confusables maps look-alike letters to the Latin letter they imitate
// (after lower-casing); a deliberately small subset of Unicode's
// confusables.txt covering what phones and routers actually produce.
var confusables = map[rune]rune{
	'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's', // Cyrillic
	'ο': 'o', 'α': 'a', 'ν': 'v', 'ι': 'i', 'κ': 'k', 'τ': 't', // Greek
	'‐': '-', '‑': '-', '‒': '-', '–': '-', '—': '-', '−': '-', // dashes
	'‘': '\'', '’': '\'', '‚': '\'', '′': '\'', '“': '"', '”': '"',
}

// foldSSID reduces an SSID to the runes a person would read in it. Bytes
// that are not UTF-8 are kept as U+FFFD so two different binary SSIDs still
// compare by length.
func foldSSID(ssid []byte) []rune {
	s := norm.NFKD.String(string(ssid)) // decompose: accents become combining marks
	var out []rune
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), unicode.Is(unicode.Mn, r), unicode.Is(unicode.Cf, r):
			// Whitespace, combining marks, and format characters (U+200B..U+200D,
			// U+2060, U+FEFF, U+00AD) are dropped.
			continue
		}
		r = unicode.ToLower(r)
		if c, ok := confusables[r]; ok {
			r = c
		}
		out = append(out, r)
	}
	// NFKD also maps compatibility forms (fullwidth, ligatures, superscripts)
	// to their plain letters, so "Ｈｏｍｅ" and "Home" fold alike.
	return []rune(strings.ToLower(string(out)))
}

// editDistanceAtMostOne reports whether a and b differ by at most one
// insertion, deletion or substitution.
func editDistanceAtMostOne(a, b []rune) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		return slices.Equal(a[i+min(1, len(a)-i):], b[i+min(1, len(b)-i):])
	}
	return slices.Equal(a[i:], b[i+1:])
}
