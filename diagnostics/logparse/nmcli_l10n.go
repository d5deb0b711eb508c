package logparse

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// nmcli is translated (NetworkManager po/*.po, gettext's _() around every
// message of src/nmcli and the reason and state names of
// src/libnmc-base/nm-client-utils.c): a user with LANG=de_DE.UTF-8 pastes
// "Fehler: Aktivierung der Verbindung ist gescheitert: Geheimdaten waren
// erforderlich, wurden aber nicht angegeben". nmcliEnglish turns such a
// line back into nmcli's English message, with the reason inside it
// translated back too, so that the English rules (rec_nmcli.go) read it.
// The translations are nmcli_l10n_table.go, generated from the po files of
// twelve releases (1.0 to today): a release's nmcli prints its own
// release's translation. NetworkManager's own D-Bus error messages
// ("No suitable device found for this connection (...)", "Scanning not
// allowed ...") are not translated and pass unchanged.

// nmcliL10nFmt is one translated message: its literal pieces around the
// conversions, and for each conversion the English argument it fills.
type nmcliL10nFmt struct {
	en     string
	pieces []string // len(args)+1 literal pieces
	args   []int    // the English conversion each of the translation's fills (positional %2$s)
}

var reL10nConv = regexp.MustCompile(`%(?:(\d)\$)?[sd]`)

// nmcliL10nKeys are the pre-filter keys of the translated messages: an
// error's translated "Error:" (to its colon: "Fehler:", "Erreur :", "错误："),
// the longest literal piece of the other messages.
var nmcliL10nKeys = func() []string {
	var out []string
	seen := map[string]bool{"Error: ": true}
	for _, t := range nmcliL10n {
		if !nmcliL10nMessage(t.en) {
			continue
		}
		k := nbspToSpace(l10nKey(t.en, t.loc))
		for _, k := range []string{k, strings.ReplaceAll(k, " ", "\u00a0")} {
			// French puts a no-break space before its colon; a paste
			// keeps it or makes it a space.
			if len(k) >= 4 && !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}()

// nmcliL10nAnchors indexes nmcliL10nKeys as the pre-filter indexes its
// keys (prefilter.go): most lines that reach nmcli's recognizer are other
// programs', and one pass over a line tells that none of the translated
// messages can be in it.
var nmcliL10nAnchors = func() *anchorTable {
	ks := make([]string, len(nmcliL10nKeys))
	for i, k := range nmcliL10nKeys {
		ks[i] = nbspToSpace(k)
	}
	return newAnchorTable(ks)
}()

// has reports whether s holds one of t's keys, a no-break space read as a
// space.
func (t *anchorTable) has(s string) bool {
	if strings.ContainsAny(s, "\u00a0\u202f") {
		s = nbspToSpace(s)
	}
	for i := 0; i+1 < len(s); i++ {
		bg := uint16(s[i])<<8 | uint16(s[i+1])
		if t.set[bg>>6]&(1<<(bg&63)) == 0 {
			continue
		}
		for _, ak := range t.keys[bg] {
			start := i - ak.off
			if start >= 0 && start+len(ak.key) <= len(s) && s[start:start+len(ak.key)] == ak.key {
				return true
			}
		}
	}
	return false
}

// nmcliL10nMessage: en is one of the messages (not a reason or state name).
func nmcliL10nMessage(en string) bool {
	return strings.HasPrefix(en, "Error: ") || strings.Contains(en, "successfully activated")
}

func l10nKey(en, loc string) string {
	pieces := reL10nConv.Split(strings.TrimSpace(loc), -1)
	if strings.HasPrefix(en, "Error: ") {
		if i := strings.IndexAny(pieces[0], ":："); i >= 0 {
			_, n := utf8DecodeAt(pieces[0], i)
			return pieces[0][:i+n]
		}
	}
	best := ""
	for _, p := range pieces {
		if p = strings.TrimSpace(p); len(p) > len(best) {
			best = p
		}
	}
	return best
}

func utf8DecodeAt(s string, i int) (rune, int) {
	for n := 1; n <= 4 && i+n <= len(s); n++ {
		if r := []rune(s[i : i+n]); len(r) == 1 && r[0] != '\uFFFD' {
			return r[0], n
		}
	}
	return 0, 1
}

var (
	nmcliL10nOnce  sync.Once
	nmcliL10nByKey map[string][]nmcliL10nFmt
	nmcliL10nWords map[string]string // a translated reason or state name -> English
)

func nmcliL10nInit() {
	nmcliL10nByKey = map[string][]nmcliL10nFmt{}
	nmcliL10nWords = map[string]string{}
	for _, t := range nmcliL10n {
		if !nmcliL10nMessage(t.en) {
			nmcliL10nWords[nbspToSpace(t.loc)] = t.en
			continue
		}
		loc := strings.TrimSpace(nbspToSpace(t.loc))
		f := nmcliL10nFmt{en: strings.TrimSpace(t.en), pieces: reL10nConv.Split(loc, -1)}
		for i, c := range reL10nConv.FindAllStringSubmatch(loc, -1) {
			n := i
			if c[1] != "" {
				n, _ = strconv.Atoi(c[1])
				n--
			}
			f.args = append(f.args, n)
		}
		k := nbspToSpace(l10nKey(t.en, t.loc))
		nmcliL10nByKey[k] = append(nmcliL10nByKey[k], f)
	}
}

// nmcliEnglish returns the English message of a line that is a translated
// nmcli message, and false for any other line.
func nmcliEnglish(msg string) (string, bool) {
	nmcliL10nOnce.Do(nmcliL10nInit)
	if !nmcliL10nAnchors.has(msg) {
		return "", false
	}
	msg = nbspToSpace(msg)
	for _, k := range nmcliL10nKeys {
		if !strings.Contains(msg, k) {
			continue
		}
		for _, f := range nmcliL10nByKey[k] {
			if args, ok := f.match(msg); ok {
				return f.english(args), true
			}
		}
	}
	return "", false
}

// match finds the translation's pieces in order in msg, from the first
// piece (anywhere: a prompt or a wrapper's prefix may come before) to the
// end of the line (trailing blanks and a final period aside).
func (f nmcliL10nFmt) match(msg string) ([]string, bool) {
	msg = strings.TrimSpace(msg)
	i := strings.Index(msg, f.pieces[0])
	if i < 0 {
		return nil, false
	}
	pos := i + len(f.pieces[0])
	args := make([]string, len(f.args))
	for j := 1; j < len(f.pieces); j++ {
		p := f.pieces[j]
		var end int
		if j == len(f.pieces)-1 {
			// The last piece ends the line.
			if !strings.HasSuffix(msg, p) && !strings.HasSuffix(msg+".", p) {
				return nil, false
			}
			end = len(msg) - len(p)
			if !strings.HasSuffix(msg, p) {
				end = len(msg) - len(p) + 1
			}
			if end < pos {
				return nil, false
			}
		} else {
			k := strings.Index(msg[pos:], p)
			if k < 0 || p == "" {
				return nil, false
			}
			end = pos + k
		}
		args[j-1] = msg[pos:end]
		pos = end + len(p)
	}
	if len(f.pieces) == 1 && strings.TrimRight(msg[pos:], ".") != "" {
		return nil, false
	}
	return args, true
}

// english fills the English message with the arguments, a translated
// reason among them turned back into English.
func (f nmcliL10nFmt) english(args []string) string {
	en := make([]string, len(args))
	for i, a := range args {
		if f.args[i] < len(en) {
			en[f.args[i]] = nmcliEnglishWord(a)
		}
	}
	n := 0
	return reL10nConv.ReplaceAllStringFunc(f.en, func(string) string {
		if n >= len(en) {
			return ""
		}
		n++
		return en[n-1]
	})
}

func nmcliEnglishWord(s string) string {
	t := strings.TrimRight(strings.TrimSpace(s), ".")
	if en, ok := nmcliL10nWords[t]; ok {
		return en
	}
	return s
}

// nmcliEnglishState turns a translated device state name (nmcli device
// status's STATE column) back into English, for the listing's row.
func nmcliEnglishState(row string) (string, bool) {
	for _, t := range nmcliStates {
		if strings.Contains(row, "  "+t.loc) {
			return strings.Replace(row, "  "+t.loc, "  "+t.en, 1), true
		}
	}
	return "", false
}

// nmcliStates: the translations of the two device states read.
var nmcliStates = func() []struct{ en, loc, langs string } {
	var out []struct{ en, loc, langs string }
	for _, t := range nmcliL10n {
		if t.en == "unavailable" || t.en == "unmanaged" {
			out = append(out, t)
		}
	}
	return out
}()

// nbspToSpace makes the no-break spaces of a translation (U+00A0, U+202F)
// spaces.
func nbspToSpace(s string) string {
	if !strings.ContainsAny(s, "\u00a0\u202f") {
		return s
	}
	return strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(s)
}

// nmcliL10nOf returns the translations of an English word of the table.
func nmcliL10nOf(en ...string) []string {
	var out []string
	for _, t := range nmcliL10n {
		for _, w := range en {
			if t.en == w {
				out = append(out, nbspToSpace(t.loc))
			}
		}
	}
	return out
}

var (
	// nmcliRadioWords: nmcli radio's column values translated
	// (general.c: N_("enabled"), N_("disabled"), N_("missing")), longest
	// first, so that a phrase is replaced before a word inside it.
	nmcliRadioWords = func() []string {
		w := nmcliL10nOf("enabled", "disabled", "missing")
		sort.SliceStable(w, func(i, j int) bool { return len(w[i]) > len(w[j]) })
		return w
	}()
	// nmcliRadioEnglish: nmcliRadioWords' English.
	nmcliRadioEnglish = func() map[string]string {
		m := map[string]string{}
		for _, t := range nmcliL10n {
			if t.en == "enabled" || t.en == "disabled" || t.en == "missing" {
				if _, ok := m[nbspToSpace(t.loc)]; !ok {
					m[nbspToSpace(t.loc)] = t.en
				}
			}
		}
		return m
	}()
	// nmcliRadioKeys: the pre-filter keys of a translated nmcli radio
	// row (every row has an enabled or a disabled column).
	nmcliRadioKeys = func() []string {
		var out []string
		for _, w := range nmcliL10nOf("enabled", "disabled") {
			if len(w) >= 4 {
				out = append(out, w)
			}
		}
		return out
	}()
	// nmcliRateKeys: nmcli device wifi list's RATE unit translated
	// (devices.c: _("%u Mbit/s")): " Mb/s", " Мбит/с".
	nmcliRateKeys = func() []string {
		var out []string
		for _, w := range nmcliL10nOf("%u Mbit/s") {
			if u := strings.TrimPrefix(w, "%u"); u != w && len(u) >= 4 && u != " Mbit/s" {
				out = append(out, u)
			}
		}
		return out
	}()
	// reNmcliWifiRowL10n: reNmcliWifiRow with the MODE and RATE
	// translated.
	reNmcliWifiRowL10n = func() *regexp.Regexp {
		modes := []string{"Infra", "Ad-Hoc", "Mesh"}
		modes = append(modes, nmcliL10nOf("Infra")...)
		units := []string{" Mbit/s"}
		units = append(units, nmcliRateKeys...)
		q := func(l []string) string {
			for i := range l {
				l[i] = regexp.QuoteMeta(l[i])
			}
			return strings.Join(l, "|")
		}
		return regexp.MustCompile(`\s(?:` + q(modes) + `)\s+\d{1,3}\s+\d+(?:` + q(units) + `)\s+\d{1,3}(?:\s|$)`)
	}()
)

// nmcliEnglishRadio turns a translated nmcli radio row ("aktiviert
// deaktiviert  aktiviert  aktiviert") into English, and false for a line
// that is not one (a row has only the column values and blanks).
func nmcliEnglishRadio(row string) (string, bool) {
	if len(row) > 400 {
		return "", false
	}
	en := row
	for _, w := range nmcliRadioWords {
		if strings.Contains(en, w) {
			en = strings.ReplaceAll(en, w, " "+nmcliRadioEnglish[w]+" ")
		}
	}
	if en == row {
		return "", false
	}
	return en, true
}
