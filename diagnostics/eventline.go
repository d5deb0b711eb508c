package diagnostics

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// EventLinePrefix starts every line EventLine writes; diagnose recognises
// hotspotctl's own log by it.
const EventLinePrefix = "hotspotctl event "

// maxLineMessage bounds the message an event line carries.
const maxLineMessage = 240

// EventLine renders one event of attempt n as a single log line,
// "hotspotctl event attempt=1 t=... source=nl80211 kind=scan_busy code=-16",
// that ParseEventLine reads back to the same typed fields, so a captured
// hotspotctl log (its debug output, or the service's journal) is evidence
// for diagnose exactly as the live join's events were for the join. Values
// with spaces, quotes, '=' or control characters are quoted (strconv.Quote).
// The event's Message is already free of secrets (producers redact); it is
// cut to 240 bytes.
func EventLine(n int, e Event) string {
	var b strings.Builder
	b.WriteString(EventLinePrefix)
	kv := func(k, v string) {
		if v == "" {
			return
		}
		b.WriteByte(' ')
		b.WriteString(k)
		b.WriteByte('=')
		if strings.ContainsAny(v, " \"=\\") || !utf8.ValidString(v) || strings.IndexFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
			v = strconv.Quote(v)
		}
		b.WriteString(v)
	}
	b.WriteString("attempt=" + strconv.Itoa(n))
	if !e.Time.IsZero() {
		kv("t", e.Time.UTC().Format(time.RFC3339Nano))
	}
	kv("source", string(e.Source))
	kv("kind", string(e.Kind))
	kv("old_state", e.OldState)
	kv("state", e.State)
	if e.Code != 0 {
		kv("code", strconv.Itoa(e.Code))
	}
	kv("name", e.Name)
	if e.OK != nil {
		kv("ok", strconv.FormatBool(*e.OK))
	}
	if e.Count != 0 {
		kv("count", strconv.Itoa(e.Count))
	}
	kv("bssid", e.BSSID)
	if e.SSID != "" {
		kv("ssid", e.SSID)
	}
	kv("iface", e.Iface)
	kv("ac", e.ActiveConnection)
	msg := e.Message
	if len(msg) > maxLineMessage {
		msg = msg[:maxLineMessage]
		for !utf8ValidEnd(msg) {
			msg = msg[:len(msg)-1]
		}
	}
	kv("msg", msg)
	return b.String()
}

func utf8ValidEnd(s string) bool {
	if s == "" {
		return true
	}
	c := s[len(s)-1]
	if c < 0x80 {
		return true
	}
	// Back up over an incomplete trailing sequence.
	i := len(s) - 1
	for i > 0 && s[i]&0xc0 == 0x80 {
		i--
	}
	need := 1
	switch lead := s[i]; {
	case lead&0xe0 == 0xc0:
		need = 2
	case lead&0xf0 == 0xe0:
		need = 3
	case lead&0xf8 == 0xf0:
		need = 4
	}
	return len(s)-i == need
}

// ParseEventLine reads a line EventLine wrote, anywhere in s (after a log
// envelope). It returns false when s holds no event line or the line is
// malformed; unknown keys are ignored, so later versions may add keys.
func ParseEventLine(s string) (n int, e Event, ok bool) {
	i := strings.Index(s, EventLinePrefix)
	if i < 0 {
		return 0, Event{}, false
	}
	rest := s[i+len(EventLinePrefix):]
	seen := false
	for rest != "" {
		rest = strings.TrimLeft(rest, " ")
		eq := strings.IndexByte(rest, '=')
		if eq <= 0 {
			break
		}
		key := rest[:eq]
		rest = rest[eq+1:]
		var val string
		if strings.HasPrefix(rest, `"`) {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				return 0, Event{}, false
			}
			val, _ = strconv.Unquote(q)
			rest = rest[len(q):]
		} else {
			sp := strings.IndexByte(rest, ' ')
			if sp < 0 {
				sp = len(rest)
			}
			val, rest = rest[:sp], rest[sp:]
		}
		switch key {
		case "attempt":
			v, err := strconv.Atoi(val)
			if err != nil || v < 1 {
				return 0, Event{}, false
			}
			n, seen = v, true
		case "t":
			t, err := time.Parse(time.RFC3339Nano, val)
			if err != nil {
				return 0, Event{}, false
			}
			e.Time = t.UTC()
		case "source":
			e.Source = Source(val)
		case "kind":
			e.Kind = Kind(val)
		case "old_state":
			e.OldState = val
		case "state":
			e.State = val
		case "code":
			v, err := strconv.Atoi(val)
			if err != nil {
				return 0, Event{}, false
			}
			e.Code = v
		case "name":
			e.Name = val
		case "ok":
			v, err := strconv.ParseBool(val)
			if err != nil {
				return 0, Event{}, false
			}
			e.OK = Bool(v)
		case "count":
			v, err := strconv.Atoi(val)
			if err != nil {
				return 0, Event{}, false
			}
			e.Count = v
		case "bssid":
			e.BSSID = val
		case "ssid":
			e.SSID = val
		case "iface":
			e.Iface = val
		case "ac":
			e.ActiveConnection = val
		case "msg":
			e.Message = val
		}
	}
	if !seen || e.Kind == "" || e.Source == "" {
		return 0, Event{}, false
	}
	return n, e, true
}
