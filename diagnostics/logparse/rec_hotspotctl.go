package logparse

import (
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// hotspotctl's own debug log: with --log-level debug (and the service at
// debug level) every attempt's events are written as diagnostics.EventLine
// lines between a begin and an end line, in any envelope: zerolog's JSON
// ("message" field), its console output, or the journal. They are the live
// join's own typed events, so diagnose classifies them with the same rules
// and reaches the live verdict from the log alone.

var recHotspotctl = recognizer{
	name:  "hotspotctl",
	title: "hotspotctl's own debug log",
	keys:  []string{diagnostics.EventLinePrefix},
	progs: []string{"hotspotctl"},
	parse: parseHotspotctl,
}

func parseHotspotctl(m *message) (parsed, match) {
	var p parsed
	if !strings.Contains(m.msg, diagnostics.EventLinePrefix) {
		if m.prog == "hotspotctl" {
			// Its other lines (progress, the attempt summary) repeat
			// what the event lines say, in words: never evidence twice.
			return p, drop
		}
		return p, pass
	}
	_, e, ok := diagnostics.ParseEventLine(m.msg)
	if !ok {
		return p, drop
	}
	p.ev, p.own = e, true
	switch {
	case e.Source == diagnostics.SourceHotspotctl && e.Name == diagnostics.NoteAttemptBegin:
		p.role = roleStartRequest
	case e.Source == diagnostics.SourceHotspotctl && e.Name == diagnostics.NoteAttemptEnd:
		p.role = roleTerminal
	}
	return p, take
}
