package logparse

import (
	"strconv"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// iwd's daemon lines and iwctl's answers.

var recIwd = recognizer{
	name:  "iwd",
	title: "iwd",
	keys:  []string{"connect-failed", "Failed to connect", "Waiting for IWD to start"},
	progs: []string{"iwd"},
	parse: parseIwd,
}

func parseIwd(m *message) (parsed, match) {
	var p parsed
	e := &p.ev
	msg, prog := m.msg, m.prog
	switch {
	case strings.Contains(msg, "connect-failed"):
		g := reIwdConnFail.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		e.Source, e.Kind, p.role = diagnostics.SourceIwd, diagnostics.KindAuthStatus, roleTerminal
		e.Code, _ = strconv.Atoi(g[1])
		if e.Code == 0 {
			e.Kind, e.Name = diagnostics.KindNote, "connect-failed"
		}
	case strings.Contains(msg, "Failed to connect") && (prog == "iwd" || prog == "iwctl" || strings.Contains(msg, "iwd")):
		g := reIwdFailed.FindStringSubmatch(msg)
		e.Source, e.Kind, p.role = diagnostics.SourceIwd, diagnostics.KindNote, roleTerminal
		if g != nil {
			e.Name = "failed to connect: " + g[1]
		}
	case strings.HasPrefix(strings.TrimSpace(msg), "Waiting for IWD to start"):
		// iwctl's prompt while net.connman.iwd has no owner on the bus
		// (client/display.c, display_disable_cmd_prompt, set when the
		// service disappears or was never there): iwd is not running.
		e.Source, e.Kind, e.OK, e.Name = diagnostics.SourceIwd, diagnostics.KindBackend, diagnostics.Bool(false), "iwd not running"
	default:
		return p, pass
	}
	return p, take
}
