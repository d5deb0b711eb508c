package logparse

import "strings"

// `adb logcat -v long` prints each entry as a header line, the message's
// lines, and a blank line (logprint.cpp android_log_formatLogLine,
// FORMAT_LONG: "[ %s %5d:%5d %c/%-8s ]\n" with the time, PID, TID,
// priority and tag, then the message, then "\n\n"):
//
//	[ 01-18 21:09:47.901  1234: 5678 E/WifiStateMachine ]
//	Failed to load driver
//
// The header holds none of the pre-filter's keys and the message no
// envelope, so the two must be joined before the pre-filter runs, which
// only lineParser.split can do. logcatLong is that join's state; split
// calls its line method first (see the method for the three lines split
// needs). Until a header has been seen, line costs one comparison.
type logcatLong struct {
	hdr lineInfo
	ok  bool // a header was read and its entry has not ended
}

// line is called by lineParser.split on each raw line before the
// pre-filter. skip: the line is a header, or the blank line that ends an
// entry, and split returns (lineInfo{}, false). apply: the line is a
// message line of the entry whose header is hdr; split, once it has
// cleaned the line as it cleans any other and found it interesting,
// returns hdr with msg set to the line instead of calling splitText:
//
//	hdr, skip, apply := lp.long.line(lp, b)
//	if skip { return lineInfo{}, false }
//	... (pre-filter, UTF-8, ANSI clean-up as now)
//	if apply { hdr.msg = string(b); return hdr, true }
//
// A line that is neither leaves the state alone. A line with a logcat
// envelope of its own ends the entry and is read by its own envelope.
func (st *logcatLong) line(lp *lineParser, b []byte) (hdr lineInfo, skip, apply bool) {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	if i+1 < len(b) && b[i] == '[' && b[i+1] == ' ' {
		if h, ok := logcatLongHeader(lp, string(b[i:])); ok {
			st.hdr, st.ok = h, true
			return lineInfo{}, true, false
		}
	}
	if !st.ok {
		return lineInfo{}, false, false
	}
	if i == len(b) {
		// The blank line after the message: the entry ends.
		st.ok = false
		return lineInfo{}, true, false
	}
	if b[i] >= '0' && b[i] <= '9' || i+1 < len(b) && logcatLevel(b[i]) && b[i+1] == '/' {
		// A line with a logcat envelope of its own (a paste that lost
		// the blank lines, or mixed formats) ends the entry.
		probe := *lp
		if _, ok := logcatEnvelope(&probe, string(b)); ok {
			st.ok = false
			return lineInfo{}, false, false
		}
	}
	// A line with a timestamp of its own (dmesg, syslog, Apple's log
	// show) is another format's: the entry ended without its blank line.
	probe := *lp
	if _, _, stamped, _ := probe.parseStamp(string(b[i:])); stamped {
		st.ok = false
		return lineInfo{}, false, false
	}
	return st.hdr, false, true
}

// logcatLongHeader reads "[ MM-DD HH:MM:SS.mmm  PID: TID L/TAG ]" (also
// with -v year's "YYYY-", -v epoch's seconds, -v usec's longer fraction,
// -v zone's "+0000"): the envelope of the message lines that follow. The
// PID's colon is the first after the stamp's fraction; with it made a
// blank and a ':' after the tag, the header is a threadtime (or time)
// line with an empty message, which logcatEnvelope reads.
func logcatLongHeader(lp *lineParser, s string) (lineInfo, bool) {
	s = strings.TrimRight(s, " \t\r\n")
	if len(s) < 24 || !strings.HasPrefix(s, "[ ") || s[len(s)-1] != ']' {
		return lineInfo{}, false
	}
	inner := strings.TrimSpace(s[2 : len(s)-1])
	dot := strings.IndexByte(inner, '.')
	if dot < 0 {
		return lineInfo{}, false
	}
	c := strings.IndexByte(inner[dot:], ':')
	if c < 0 {
		return lineInfo{}, false
	}
	c += dot
	// The tag must follow the priority letter and '/': "E/TAG".
	if sl := strings.Index(inner[c:], "/"); sl < 2 || !logcatLevel(inner[c+sl-1]) || inner[c+sl-2] != ' ' {
		return lineInfo{}, false
	}
	save := *lp
	li, ok := logcatEnvelope(lp, inner[:c]+" "+inner[c+1:]+":")
	if !ok || li.msg != "" || li.tag == "" {
		*lp = save
		return lineInfo{}, false
	}
	return li, true
}
