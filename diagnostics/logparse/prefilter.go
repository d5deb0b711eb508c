package logparse

// anchors indexes the keys by a two-byte anchor inside each: a line is
// scanned once, and only where an anchor occurs is a key compared. Anchors
// are chosen to be rare in ordinary text (capitals, digits and punctuation
// first), which keeps the comparisons few.
var anchors = newAnchorTable(keys)

// newAnchorTable indexes ks (each at least two bytes) by the rarest
// two-byte anchor in each.
func newAnchorTable(ks []string) *anchorTable {
	t := &anchorTable{keys: map[uint16][]anchoredKey{}}
	for _, k := range ks {
		best, bestScore := 0, -1
		for j := 0; j+1 < len(k); j++ {
			if sc := rarity(k[j]) + rarity(k[j+1]); sc > bestScore {
				best, bestScore = j, sc
			}
		}
		bg := uint16(k[best])<<8 | uint16(k[best+1])
		t.set[bg>>6] |= 1 << (bg & 63)
		t.keys[bg] = append(t.keys[bg], anchoredKey{key: k, off: best})
	}
	return t
}

type anchoredKey struct {
	key string
	off int // offset of the anchor in key
}

type anchorTable struct {
	set  [1 << 10]uint64 // bit per two-byte anchor
	keys map[uint16][]anchoredKey
}

// rarity scores a byte: higher is rarer in log text.
func rarity(c byte) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return 3
	case c == '-' || c == '(' || c == ':' || c == '\'' || c == '_':
		return 3
	case c >= '0' && c <= '9':
		return 2
	case c == ' ':
		return 0
	case c == 'e' || c == 't' || c == 'a' || c == 'o' || c == 'i' || c == 'n' || c == 's' || c == 'r':
		return 0
	}
	return 1
}

// interesting reports whether b may hold a recognised line: whether any key
// occurs in it.
func interesting(b []byte) bool {
	t := anchors
	for i := 0; i+1 < len(b); i++ {
		bg := uint16(b[i])<<8 | uint16(b[i+1])
		if t.set[bg>>6]&(1<<(bg&63)) == 0 {
			continue
		}
		for _, ak := range t.keys[bg] {
			start := i - ak.off
			if start >= 0 && start+len(ak.key) <= len(b) && string(b[start:start+len(ak.key)]) == ak.key {
				return true
			}
		}
	}
	return false
}
