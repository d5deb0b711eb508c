package logparse

import "strings"

// Android Studio's Logcat window (Dolphin, 2022, and later) copies lines as
//
//	"2023-11-15 20:03:34.311  1598-5473  WindowManager           system_server                        E  msg"
//
// the date and time, "PID-TID", the tag padded to 23 columns, the process's
// package or name padded to 36, the priority letter and the message. A tag
// longer than 23 characters is shortened in its middle to the first and
// last ten with "..." between ("SEP_UNION_...tchService"); logcatStudioTag
// gives such a tag back its program when only one tag read here fits. The
// shape is taken from lines copied out of the window and kept in public
// repositories (search-index excerpts; no thread read).

// logcatStudioPidTid reports whether s is "PID-TID" (digits, '-', digits).
func logcatStudioPidTid(s string) bool {
	i := strings.IndexByte(s, '-')
	if i <= 0 {
		return false
	}
	_, ok1 := digits(s[:i])
	_, ok2 := digits(s[i+1:])
	return ok1 && ok2
}

// logcatStudio reads "TAG PACKAGE L  msg" after the PID-TID column.
func logcatStudio(s string, li lineInfo) (lineInfo, bool) {
	var cols [2]string
	for n := range cols {
		s = strings.TrimLeft(s, " ")
		sp := strings.IndexByte(s, ' ')
		if sp <= 0 {
			return lineInfo{}, false
		}
		cols[n], s = s[:sp], s[sp:]
	}
	s = strings.TrimLeft(s, " ")
	if len(s) == 0 || !logcatLevel(s[0]) || (len(s) > 1 && s[1] != ' ') {
		return lineInfo{}, false
	}
	tag := cols[0]
	if len(tag) > 128 {
		return lineInfo{}, false
	}
	li.tag, li.prog, li.msg = tag, logcatStudioTag(tag), strings.TrimLeft(s[1:], " ")
	return li, true
}

// studioTags are the tags a shortened Studio tag is matched against: the
// ones the Android recognizer reads and wpa_supplicant's.
var studioTags = func() []string {
	out := []string{"wpa_supplicant", "WifiUtils", "android.hardware.wifi@1.0-service",
		"android.hardware.wifi@1.0-service-lazy", "android.hardware.wifi@1.0-service.legacy", "android.hardware.wifi-service"}
	for t := range androidTags {
		out = append(out, t)
	}
	for t := range androidBringUpTags {
		out = append(out, t)
	}
	for t := range androidLegacyTags {
		out = append(out, t)
	}
	return out
}()

// logcatStudioTag is the program of a Studio tag: the tag without its
// "[...]" suffix, or for a shortened "FIRST10...LAST10" the one known tag
// that starts with its first part and ends with its last (a tag with a
// "[id:iface]" suffix, "WifiClient...509:wlan0]", matches by its start).
// A shortened tag that fits none, or several, is its own program.
func logcatStudioTag(tag string) string {
	pre, suf, ok := strings.Cut(tag, "...")
	if !ok || pre == "" || suf == "" {
		return logcatProg(tag)
	}
	found := ""
	for _, k := range studioTags {
		if !strings.HasPrefix(k, pre) {
			continue
		}
		if !strings.HasSuffix(k, suf) && !strings.HasSuffix(suf, "]") {
			continue
		}
		if found != "" && found != k {
			return tag
		}
		found = k
	}
	if found == "" {
		return tag
	}
	return found
}
