package logparse

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// lineInfo is what a line's envelope says: when, where, which program, and
// the message itself.
type lineInfo struct {
	t    time.Time
	host string
	prog string
	msg  string
	// tag is the envelope's tag beside the program, when it has one
	// (logcat's tag, Apple's subsystem, ESP-IDF's component).
	tag    string
	cursor string
	json   bool
	// yearless: the stamp had no year (syslog "Nov 14 22:13:20").
	yearless bool
	// mono is the kernel's monotonic stamp (dmesg's "[  120.139501]", time
	// since boot) of a line without a wall-clock time; 0 otherwise.
	mono time.Duration
	// untrusted, for a journal entry, describes a writer that journald's
	// trusted fields show is none of the programs whose lines are read
	// ("SYSLOG_IDENTIFIER=wpa_supplicant from _COMM=logger _UID=1000");
	// such an entry is never evidence.
	untrusted string
	// unverified: a journal entry without any trusted field, whose
	// program is only what it claims.
	unverified bool
}

// lineParser splits envelopes (journal JSON, syslog and journalctl text,
// wpa_supplicant -t, dmesg) from messages. It remembers the year of the last
// full timestamp for syslog stamps that have none, and the first host name.
type lineParser struct {
	year     int // -1: not known yet
	fallback int // the year used while none is known
	host     string
	zoneless bool       // a timestamp without a zone was read (as UTC)
	cmd      cmdState   // pasted command output's line before (rec_cmdout.go)
	espCheck string     // the error of an ESP_ERROR_CHECK abort until its expression line (rec_esp_check.go)
	long     logcatLong // logcat -v long's entry (rec_android_long.go)
}

func newLineParser(year int) lineParser {
	lp := lineParser{year: year, fallback: year}
	if year < 0 {
		lp.fallback = time.Now().UTC().Year()
	}
	return lp
}

var (
	reANSI     = regexp.MustCompile("\x1b\\[[0-9;?]*[A-Za-z]")
	msgKey     = []byte(`"MESSAGE"`)
	zerologKey = []byte(`"message":`)
	mdEscapeA  = []byte(`\[`)
	mdEscapeB  = []byte(`\_`)
	reMDEscape = regexp.MustCompile(`\\([\[\]_*])`)
	reFacility = regexp.MustCompile(`^(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7])\.(?:emerg|alert|crit|err|warn|warning|notice|info|debug) `)
	cursorKey  = []byte(`"__CURSOR":"`)
	// reANSIPicture: an ANSI code whose ESC is shown as U+241B.
	reANSIPicture = regexp.MustCompile("\u241b\\[[0-9;?]*[A-Za-z]")
	ctrlPicESC    = []byte("\u241b[")
)

// journalCursor extracts __CURSOR from a journal JSON line without decoding
// it; cursors never contain escapes.
func journalCursor(b []byte) string {
	i := bytes.Index(b, cursorKey)
	if i < 0 {
		return ""
	}
	rest := b[i+len(cursorKey):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

// split parses one line. It returns false for lines that cannot hold a
// recognised event, which is most of them: the pre-filter runs first, on the
// raw bytes (on the raw MESSAGE value of a journal entry).
func (lp *lineParser) split(b []byte) (lineInfo, bool) {
	b = bytes.TrimRight(b, "\r\n")
	if len(b) > 0 && b[0] == 0x1e {
		b = b[1:] // journalctl -o json-seq: a record separator before each entry
	}
	if len(b) > 0 && b[0] == '{' {
		return lp.splitJSON(b)
	}
	// logcat -v long: its header is read and its message lines get the
	// header's envelope (rec_android_long.go).
	hdr, skip, apply := lp.long.line(lp, b)
	if skip {
		return lineInfo{}, false
	}
	if bytes.Contains(b, mdEscapeA) || bytes.Contains(b, mdEscapeB) {
		// Pasted from a rendered GitHub or forum page's Markdown source:
		// "dbus-daemon\[773\]:", "method\_call". No log line of the
		// programs read has a backslash before these characters.
		b = reMDEscape.ReplaceAll(b, []byte("$1"))
	}
	if !interesting(b) {
		return lineInfo{}, false
	}
	if !utf8.Valid(b) {
		b = bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	if bytes.IndexByte(b, 0x1b) >= 0 {
		// nmcli writes "ESC[2K" progress erasers even to pipes.
		b = reANSI.ReplaceAll(b, nil)
	}
	if bytes.Contains(b, ctrlPicESC) {
		// The same codes pasted from a page or an editor that shows
		// control characters as their Control Pictures (U+241B "␛").
		b = reANSIPicture.ReplaceAll(b, nil)
	}
	if i := bytes.LastIndexByte(b, '\r'); i >= 0 && i+1 < len(b) {
		// A terminal transcript: what was left visible is after the
		// last carriage return.
		b = b[i+1:]
	}
	if apply {
		hdr.msg = string(b)
		return hdr, true
	}
	return lp.splitText(string(b)), true
}

// journalEntry holds the journal fields used. Each may be a string, an array
// of byte values (not UTF-8), an array of values (a repeated field), or null
// (too large to export).
type journalEntry struct {
	Message   json.RawMessage `json:"MESSAGE"`
	Realtime  json.RawMessage `json:"__REALTIME_TIMESTAMP"`
	Cursor    json.RawMessage `json:"__CURSOR"`
	Ident     json.RawMessage `json:"SYSLOG_IDENTIFIER"`
	Comm      json.RawMessage `json:"_COMM"`
	Exe       json.RawMessage `json:"_EXE"`
	Unit      json.RawMessage `json:"_SYSTEMD_UNIT"`
	UID       json.RawMessage `json:"_UID"`
	Host      json.RawMessage `json:"_HOSTNAME"`
	Transport json.RawMessage `json:"_TRANSPORT"`
}

func (lp *lineParser) splitJSON(b []byte) (lineInfo, bool) {
	i := bytes.Index(b, msgKey)
	if i < 0 {
		return lp.splitZerolog(b)
	}
	rest := bytes.TrimLeft(b[i+len(msgKey):], " \t")
	if len(rest) == 0 || rest[0] != ':' {
		return lineInfo{}, false
	}
	rest = bytes.TrimLeft(rest[1:], " \t")
	if len(rest) == 0 {
		return lineInfo{}, false
	}
	switch rest[0] {
	case '"':
		// The raw, still escaped value is enough for the pre-filter.
		end := 1
		for end < len(rest) && rest[end] != '"' {
			if rest[end] == '\\' {
				end++
			}
			end++
		}
		if end > len(rest) {
			end = len(rest)
		}
		if !interesting(rest[1:end]) {
			return lineInfo{}, false
		}
	case '[':
		// A byte array or a repeated field: decode first, filter after.
	default:
		return lineInfo{}, false // null: the message was too large
	}
	var e journalEntry
	if err := json.Unmarshal(b, &e); err != nil {
		return lineInfo{}, false
	}
	msg := fieldString(e.Message)
	if msg == "" || !interesting([]byte(msg)) {
		return lineInfo{}, false
	}
	li := lineInfo{json: true, msg: strings.TrimRight(msg, "\r\n"), cursor: fieldString(e.Cursor)}
	if us, err := strconv.ParseInt(fieldString(e.Realtime), 10, 64); err == nil && us > 0 {
		li.t = time.UnixMicro(us).UTC()
		lp.year = li.t.Year()
	}
	li.prog, li.untrusted, li.unverified = journalWriter(&e)
	li.host = fieldString(e.Host)
	if lp.host == "" {
		lp.host = li.host
	}
	lp.stripInner(&li)
	return li, true
}

// splitZerolog reads a zerolog JSON line ({"level":..., "time":...,
// "message":...}), the form of hotspotctl's own log when it is not written
// to a terminal or the journal.
func (lp *lineParser) splitZerolog(b []byte) (lineInfo, bool) {
	if !bytes.Contains(b, zerologKey) || !interesting(b) {
		return lineInfo{}, false
	}
	var e struct {
		Message string `json:"message"`
		Time    string `json:"time"`
	}
	if err := json.Unmarshal(b, &e); err != nil || e.Message == "" {
		return lineInfo{}, false
	}
	// zerolog writes this form for hotspotctl; no other program whose
	// lines are read logs JSON of its own.
	li := lineInfo{json: true, msg: e.Message, prog: "hotspotctl"}
	if t, err := time.Parse(time.RFC3339Nano, e.Time); err == nil {
		li.t = t.UTC()
		lp.year = li.t.Year()
	}
	return li, true
}

// journalWriter decides which program wrote a journal entry. The fields
// that start with "_" are journald's trusted fields: journald sets them from
// the sender's credentials (SCM_CREDENTIALS, /proc/PID), and a client cannot
// set them (systemd.journal-fields(7)). SYSLOG_IDENTIFIER is not one: any
// user sets it with "logger -t wpa_supplicant". So when trusted fields are
// present they decide: _TRANSPORT=kernel is the kernel; NetworkManager,
// wpa_supplicant and iwd are recognised by _COMM, the base name of _EXE or
// _SYSTEMD_UNIT, and must run as root (_UID=0) when _UID is known, since a
// user can name a binary "NetworkManager" but not run the system's as root.
// Any other writer gets untrusted set, whatever SYSLOG_IDENTIFIER says.
// Without any trusted field (a hand-made export) the entry's own claim is
// all there is: prog is SYSLOG_IDENTIFIER and unverified is true.
func journalWriter(e *journalEntry) (prog, untrusted string, unverified bool) {
	ident, comm, exe := fieldString(e.Ident), fieldString(e.Comm), fieldString(e.Exe)
	unit, uid, transport := fieldString(e.Unit), fieldString(e.UID), fieldString(e.Transport)
	if comm == "" && exe == "" && unit == "" && uid == "" && transport == "" {
		return ident, "", true
	}
	if transport == "kernel" {
		return "kernel", "", false
	}
	// The unit is journald's record of the sender's cgroup, which no
	// unprivileged process can join: it is trusted whatever the UID
	// (systemd-networkd runs as systemd-network, not root).
	if p := daemonProg(strings.TrimSuffix(unit, ".service")); p != "" {
		return p, "", false
	}
	if uid == "" || uid == "0" {
		for _, name := range []string{comm, filepath.Base(exe)} {
			if p := daemonProg(name); p != "" {
				return p, "", false
			}
		}
	}
	who := "_COMM=" + comm
	if comm == "" {
		who = "_EXE=" + exe
	}
	if uid != "" {
		who += " _UID=" + uid
	}
	claim := ident
	if claim == "" {
		claim = comm
	}
	return claim, "SYSLOG_IDENTIFIER=" + claim + " from " + who, false
}

// daemonProg maps a process or unit name to the program whose journal lines
// are read, or "". _COMM is the kernel's task name, truncated to 15
// characters, which "NetworkManager" and "wpa_supplicant" fit;
// wpa_supplicant may run as a template unit (wpa_supplicant@wlan0). The
// names are the recognizers' progs.
func daemonProg(name string) string {
	n := strings.ToLower(name)
	for _, r := range recognizers {
		for _, p := range r.progs {
			lp := strings.ToLower(p)
			if n == lp || strings.HasPrefix(n, lp+"@") {
				return p
			}
		}
	}
	return ""
}

// fieldString decodes one journal field value to text: a string as is, an
// array of numbers as the bytes they are (made valid UTF-8), an array of
// values (a field that occurred more than once) as its first element, null
// and anything else as "".
func fieldString(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	case '[':
		var nums []int
		if json.Unmarshal(raw, &nums) == nil {
			buf := make([]byte, 0, len(nums))
			for _, n := range nums {
				buf = append(buf, byte(n))
			}
			return string(bytes.ToValidUTF8(buf, []byte("\uFFFD")))
		}
		var vals []json.RawMessage
		if json.Unmarshal(raw, &vals) == nil {
			for _, v := range vals {
				if s := fieldString(v); s != "" {
					return s
				}
			}
		}
	default:
		if raw[0] >= '0' && raw[0] <= '9' {
			return string(raw)
		}
	}
	return ""
}

var months = map[string]time.Month{
	"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "May": 5, "Jun": 6,
	"Jul": 7, "Aug": 8, "Sep": 9, "Oct": 10, "Nov": 11, "Dec": 12,
}

// localMonths are glibc's abbreviated month names (%b) of the locales whose
// users most often paste journalctl output, where they differ from the C
// locale's: German, Dutch, Spanish, Italian, Portuguese (glibc's
// localedata: de_DE "Mär Mai Okt Dez", nl_NL "mrt mei okt", es_ES "ene abr
// ago dic", it_IT "gen mag giu lug ago set ott dic", pt_BR "fev abr mai ago
// set out dez"). Months whose abbreviation is the C locale's in any case
// ("jan", "feb", "apr") fold by case alone. No abbreviation in the table
// means two different months.
var localMonths = map[string]string{
	"Mär": "Mar", "mär": "Mar", "Mai": "May", "Okt": "Oct", "Dez": "Dec",
	"mrt": "Mar", "mei": "May", "okt": "Oct",
	"ene": "Jan", "abr": "Apr", "ago": "Aug", "dic": "Dec",
	"gen": "Jan", "mag": "May", "giu": "Jun", "lug": "Jul", "set": "Sep", "ott": "Oct",
	"fev": "Feb", "mai": "May", "out": "Oct", "dez": "Dec",
}

// localMonth returns the C locale's month abbreviation for the month that
// starts s, and how many bytes of s it replaces, when s starts with a
// localized or lower-case abbreviation followed by a space; n is 0
// otherwise (including for the C locale's own).
func localMonth(s string) (string, int) {
	i := strings.IndexByte(s, ' ')
	if i < 3 || i > 4 {
		return "", 0
	}
	tok := s[:i]
	if _, ok := months[tok]; ok {
		return "", 0
	}
	if m, ok := localMonths[tok]; ok {
		return m, i
	}
	if i == 3 {
		t := strings.ToUpper(tok[:1]) + strings.ToLower(tok[1:])
		if _, ok := months[t]; ok {
			return t, i
		}
		if m, ok := localMonths[t]; ok {
			return m, i
		}
	}
	return "", 0
}

// knownProgs are program names accepted as a line's tag when no timestamp
// precedes them (pasted "NetworkManager[612]: <info> ...").
var knownProgs = map[string]bool{
	"NetworkManager": true, "wpa_supplicant": true, "kernel": true, "iwd": true, "nmcli": true, "hostapd": true,
}

func (lp *lineParser) splitText(s string) lineInfo {
	var li lineInfo
	s = strings.TrimLeft(s, "\ufeff")
	if len(s) > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '>') {
		// A log pasted as a Markdown code block (indented) or quote
		// ("> "): the indentation or quote marker goes when a timestamp
		// follows it, so the line keeps its time. Indented lines
		// without one stay as they are: command output's indentation
		// is its structure (rec_cmdout.go).
		if t := strings.TrimLeft(s, " \t>"); t != s {
			if _, _, stamped, _ := lp.parseStamp(t); stamped {
				s = t
			}
		}
	}
	// RFC 3164/5424 priority.
	if len(s) > 2 && s[0] == '<' && s[1] >= '0' && s[1] <= '9' {
		if j := strings.IndexByte(s, '>'); j > 0 && j <= 4 {
			s = s[j+1:]
			s = strings.TrimPrefix(s, "1 ")
		}
	}
	for _, r := range envelopes {
		if li, ok := r.envelope(lp, s); ok {
			lp.stripInner(&li)
			return li
		}
	}
	if li, ok := lp.splitLogread(s); ok {
		lp.stripInner(&li)
		return li
	}
	if li, ok := splitGnomeLogs(s); ok {
		lp.stripInner(&li)
		return li
	}
	t, rest, stamped, envelope := lp.parseStamp(s)
	if stamped {
		li.yearless = !t.IsZero() && s[0] >= 'A' && s[0] <= 'Z'
		if t.IsZero() {
			li.mono = monoStamp(s)
		}
		li.t, s = t, rest
	}
	if envelope {
		li.host, li.prog, s = splitHostProg(s)
	} else if tok, rest, ok := cutProg(s); ok && knownProgs[tok] {
		li.prog, s = tok, rest
	}
	li.msg = s
	if li.host != "" && lp.host == "" {
		lp.host = li.host
	}
	lp.stripInner(&li)
	return li
}

// stripInner removes NetworkManager's own "<info>  [1700000000.1234] "
// prefix and the kernel's "[   12.345678] " from a message, using
// NetworkManager's wall-clock stamp when the envelope had none.
func (lp *lineParser) stripInner(li *lineInfo) {
	m := li.msg
	if len(m) > 2 && m[0] == '<' {
		if j := strings.IndexByte(m, '>'); j > 1 && j < 8 {
			switch m[1:j] {
			case "info", "warn", "debug", "trace", "error", "err", "notice", "crit":
				m = strings.TrimLeft(m[j+1:], " ")
				if li.prog == "" {
					li.prog = "NetworkManager"
				}
			}
		}
	}
	if len(m) > 2 && m[0] == '[' {
		if j := strings.IndexByte(m, ']'); j > 1 {
			inner := strings.TrimSpace(m[1:j])
			if f, err := strconv.ParseFloat(inner, 64); err == nil {
				if f > 1e8 && f < 1e10 {
					bt := time.Unix(0, int64(f*1e9)).UTC().Truncate(time.Microsecond)
					switch {
					case li.t.IsZero():
						li.t = bt
					case li.yearless && li.t.Year() != bt.Year():
						li.t = li.t.AddDate(bt.Year()-li.t.Year(), 0, 0)
					}
					lp.year = bt.Year()
				}
				m = strings.TrimLeft(m[j+1:], " ")
			}
		}
	}
	li.msg = m
}

// monoStamp returns the time since boot of a leading "[  120.139501]"
// stamp (dmesg, journalctl -o short-monotonic), 0 when there is none.
func monoStamp(s string) time.Duration {
	j := strings.IndexByte(s, ']')
	if len(s) == 0 || s[0] != '[' || j < 0 {
		return 0
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s[1:j]), 64)
	if err != nil || f <= 0 || f > 1e9 {
		return 0
	}
	return time.Duration(f * 1e9)
}

// parseStamp recognises a leading timestamp and returns the rest after it.
// stamped says a stamp was found (a monotonic one gives a zero time);
// envelope says "host prog[pid]: " may follow it.
func (lp *lineParser) parseStamp(s string) (t time.Time, rest string, stamped, envelope bool) {
	if s == "" {
		return time.Time{}, s, false, false
	}
	c := s[0]
	switch {
	case c >= '0' && c <= '9':
		// ISO 8601 (short-iso, short-iso-precise, rsyslog).
		if len(s) >= 19 && s[4] == '-' && s[7] == '-' && (s[10] == 'T' || s[10] == ' ') {
			end := 19
			for end < len(s) && s[end] != ' ' {
				end++
			}
			stamp := s[:end]
			if s[10] == ' ' {
				stamp = s[:10] + "T" + s[11:end]
			}
			for i, layout := range []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05.999999999"} {
				if t, err := time.Parse(layout, stamp); err == nil {
					lp.zoneless = lp.zoneless || i == 2
					t = t.UTC()
					lp.year = t.Year()
					return t, strings.TrimLeft(s[end:], " "), true, true
				}
			}
			return time.Time{}, s, false, false
		}
		// Unix epoch: wpa_supplicant -t "1700000000.123456: ", short-unix.
		end := 0
		for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.') {
			end++
		}
		if end >= 10 && end < len(s) && (s[end] == ':' || s[end] == ' ') {
			if f, err := strconv.ParseFloat(s[:end], 64); err == nil && f > 1e8 && f < 1e10 {
				t := time.Unix(0, int64(f*1e9)).UTC().Truncate(time.Microsecond)
				lp.year = t.Year()
				if s[end] == ':' {
					// wpa_supplicant -t: no host or program follows.
					return t, strings.TrimLeft(s[end+1:], " "), true, false
				}
				return t, strings.TrimLeft(s[end:], " "), true, true
			}
		}
	case c == '[':
		j := strings.IndexByte(s, ']')
		if j < 0 || j > 40 {
			return time.Time{}, s, false, false
		}
		inner := strings.TrimSpace(s[1:j])
		rest := strings.TrimLeft(s[j+1:], " ")
		if _, err := strconv.ParseFloat(inner, 64); err == nil {
			// dmesg or short-monotonic: no wall clock. short-monotonic
			// has "host prog:" after it, dmesg has not.
			_, _, hp := splitHostProg(rest)
			return time.Time{}, rest, true, hp != ""
		}
		if t, err := time.Parse("Mon Jan _2 15:04:05 2006", inner); err == nil {
			lp.zoneless = true
			lp.year = t.Year()
			return t.UTC(), rest, true, false
		}
		if len(inner) >= 10 && len(inner) <= 12 && inner[0] >= 'A' && inner[0] <= 'Z' {
			// dmesg -H, -e (--reltime): the first line of each minute
			// has "[Mar14 19:51]" (util-linux dmesg.c, short_ctime:
			// strftime "%b%e %H:%M", so "[Mar 1 10:00]" for days 1 to
			// 9), the lines after it "[  +0.000123]" deltas. Neither
			// dates an event: stripped, no time.
			if _, err := time.Parse("Jan_2 15:04", inner); err == nil {
				return time.Time{}, rest, true, false
			}
		}
		// "[2024-01-10 10:00:00.123]": serial monitors' and moreutils
		// ts's bracketed local time (no zone: read as UTC).
		if len(inner) >= 19 && inner[4] == '-' && inner[7] == '-' && (inner[10] == ' ' || inner[10] == 'T') {
			if t, err := time.Parse("2006-01-02T15:04:05.999999999", inner[:10]+"T"+inner[11:]); err == nil {
				lp.zoneless = true
				lp.year = t.Year()
				return t.UTC(), rest, true, false
			}
		}
	case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		// "Nov 14 22:13:20[.123456] ". journalctl's short format
		// prints the month with strftime's %b in the reader's locale
		// ("Dez 03" in de_DE, "dic 03" in es_ES): localMonth folds the
		// locales' abbreviations to the C locale's.
		if m, n := localMonth(s); n > 0 {
			s = m + s[n:]
		}
		if len(s) >= 15 && s[3] == ' ' && s[6] == ' ' && s[9] == ':' && s[12] == ':' {
			mon, ok := months[s[:3]]
			if !ok {
				return time.Time{}, s, false, false
			}
			day, err1 := strconv.Atoi(strings.TrimLeft(s[4:6], " "))
			hh, err2 := strconv.Atoi(s[7:9])
			mm, err3 := strconv.Atoi(s[10:12])
			ss, err4 := strconv.Atoi(s[13:15])
			if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
				return time.Time{}, s, false, false
			}
			end := 15
			ns := 0
			if end < len(s) && s[end] == '.' {
				j := end + 1
				for j < len(s) && s[j] >= '0' && s[j] <= '9' {
					j++
				}
				frac := s[end+1 : j]
				if len(frac) > 9 {
					frac = frac[:9]
				}
				if n, err := strconv.Atoi(frac + strings.Repeat("0", 9-len(frac))); err == nil {
					ns = n
				}
				end = j
			}
			year := lp.year
			if year < 0 {
				year = lp.fallback
			}
			t := time.Date(year, mon, day, hh, mm, ss, ns, time.UTC)
			lp.zoneless = true
			return t, strings.TrimLeft(s[end:], " "), true, true
		}
	}
	return time.Time{}, s, false, false
}

// splitHostProg splits "host prog[pid]: message".
func splitHostProg(s string) (host, prog, msg string) {
	if tok, rest, ok := cutProg(s); ok && strings.HasPrefix(s[len(tok):], "[") {
		// "prog[pid]: " right after the stamp: a syslog without a host
		// name (busybox, some embedded syslogds). A host name has no
		// brackets.
		return "", tok, rest
	}
	sp := strings.IndexByte(s, ' ')
	if sp > 0 && s[sp-1] != ':' {
		// A host name never ends in a colon: "[ 7.1] brcmf_bus_started:
		// failed: -52" after a bare dmesg stamp is a kernel message
		// whose first word is a function, not "host prog: msg".
		after := s[sp+1:]
		if g := reFacility.FindString(after); g != "" {
			// busybox and OpenWrt syslogd: "host daemon.notice prog[pid]:".
			after = after[len(g):]
		}
		if tok, rest, ok := cutProg(after); ok {
			return s[:sp], tok, rest
		}
	}
	if tok, rest, ok := cutProg(s); ok && knownProgs[tok] {
		return "", tok, rest
	}
	return "", "", s
}

// reGnomeLogsStamp is the first field of a GNOME Logs export: the locale's
// short date and time ("25/10/19 12:10 PM", "10/25/2019 12:10", "2019-10-25
// 12:10").
var reGnomeLogsStamp = regexp.MustCompile(`^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4},? \d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp]\.?[Mm]\.?)?$`)

// splitGnomeLogs reads GNOME Logs' export (gnome-logs, "Export"), as a
// user pasted it (github.com/brektrou/rtl8821CU/issues/23): "time TAB
// program TAB message" per entry, the time in the locale's short form. The
// time is not read: its field order (day or month first) is the locale's,
// and it has only minutes; the lines keep their order.
func splitGnomeLogs(s string) (lineInfo, bool) {
	i := strings.IndexByte(s, '\t')
	if i < 8 || i > 24 || !reGnomeLogsStamp.MatchString(s[:i]) {
		return lineInfo{}, false
	}
	rest := s[i+1:]
	j := strings.IndexByte(rest, '\t')
	if j <= 0 || strings.ContainsAny(rest[:j], " /") {
		return lineInfo{}, false
	}
	return lineInfo{prog: rest[:j], msg: rest[j+1:]}, true
}

// splitLogread reads OpenWrt's logread (busybox syslogd's ring buffer, and
// ubox logd): "Mon Jan  6 10:00:01 2025 daemon.notice hostapd: wlan0: ...",
// a ctime stamp with the year, the facility and level, then the program
// and no host name (ubox log/logread.c, log_notify: "%s %s.%s%s %s: %s").
// It is what OpenWrt users paste, and the only envelope whose stamp
// starts with the weekday.
func (lp *lineParser) splitLogread(s string) (lineInfo, bool) {
	if len(s) < 26 || s[3] != ' ' || s[7] != ' ' || s[13] != ':' || s[19] != ' ' || s[24] != ' ' {
		return lineInfo{}, false
	}
	t, err := time.Parse("Mon Jan _2 15:04:05 2006", s[:24])
	if err != nil {
		return lineInfo{}, false
	}
	rest := s[25:]
	g := reFacility.FindString(rest)
	if g == "" {
		return lineInfo{}, false
	}
	rest = rest[len(g):]
	li := lineInfo{t: t.UTC(), msg: rest}
	if tok, msg, ok := cutProg(rest); ok {
		li.prog, li.msg = tok, msg
	}
	lp.zoneless = true
	lp.year = t.Year()
	return li, true
}

// cutProg recognises "prog[pid]: " or "prog: " at the start of s.
func cutProg(s string) (prog, rest string, ok bool) {
	end := 0
	for end < len(s) {
		c := s[end]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == '@' || c == '/' {
			end++
			continue
		}
		break
	}
	if end == 0 || end >= len(s) {
		return "", s, false
	}
	prog = s[:end]
	i := end
	if s[i] == '[' {
		j := strings.IndexByte(s[i:], ']')
		if j < 0 {
			return "", s, false
		}
		i += j + 1
	}
	if i < len(s) && s[i] == ':' && (i+1 == len(s) || s[i+1] == ' ') {
		if i+1 == len(s) {
			return prog, "", true
		}
		return prog, s[i+2:], true
	}
	return "", s, false
}
