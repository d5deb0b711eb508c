package logparse

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// place returns the interface and SSID an attempt's events name:
// NetworkManager's device name first, the last SSID logged, else the
// profile name.
func place(evs []diagnostics.Event) (iface, ssid string) {
	conn := ""
	for _, e := range evs {
		if e.Iface != "" && !isP2P(e.Iface) && (iface == "" || e.Source == diagnostics.SourceNM) {
			iface = e.Iface
		}
		if e.SSID != "" {
			ssid = e.SSID
		}
		if e.Kind == diagnostics.KindActivationStart && e.Name != "" {
			conn = e.Name
		}
	}
	if ssid == "" && cleanSSID(conn) != "" {
		ssid = conn
	}
	return iface, ssid
}

// WriteSummary writes a report for people: the verdict, then per attempt
// its time range, interface, SSID, class, detail and the evidence with line
// numbers. It returns the writer's error.
func WriteSummary(w io.Writer, r *diagnostics.Report) error {
	bw := bufio.NewWriter(w)
	failed := 0
	for _, a := range r.Attempts {
		if a.Class != diagnostics.None {
			failed++
		}
	}
	if r.Summary != "" {
		fmt.Fprintf(bw, "%s\n", r.Summary)
		if r.NextStep != "" {
			fmt.Fprintf(bw, "Next: %s\n", r.NextStep)
		}
		fmt.Fprintln(bw)
	}
	switch {
	case len(r.Attempts) == 0:
		d := r.Detail
		if d == "" {
			d = "no join attempt was found in the input"
		}
		fmt.Fprintf(bw, "%s%s.\n", strings.ToUpper(d[:1]), d[1:])
	case r.Scope == diagnostics.ScopeSituation:
		fmt.Fprintf(bw, "No whole join attempt is in the log; the situation it shows: %s: %s\n", r.Class, r.Class.Description())
	case failed == 0:
		fmt.Fprintf(bw, "%d join attempt(s), none failed.\n", len(r.Attempts))
	default:
		fmt.Fprintf(bw, "%d join attempt(s), %d failed. Last failure: %s: %s\n", len(r.Attempts), failed, r.Class, r.Class.Description())
	}
	if len(r.Formats) > 0 {
		var fs []string
		for _, f := range r.Formats {
			fs = append(fs, fmt.Sprintf("%s (%d events)", f.Name, f.Events))
		}
		fmt.Fprintf(bw, "Read: %s\n", strings.Join(fs, ", "))
	}
	for _, a := range r.Attempts {
		iface, ssid := place(a.Events)
		if a.Scope == diagnostics.ScopeSituation {
			fmt.Fprintf(bw, "\nSituation")
		} else {
			fmt.Fprintf(bw, "\nAttempt %d", a.Number)
		}
		if span := timeSpan(a.Started, a.Ended); span != "" {
			fmt.Fprintf(bw, "  %s", span)
		}
		if iface != "" {
			fmt.Fprintf(bw, "  %s", iface)
		}
		if ssid != "" {
			fmt.Fprintf(bw, "  SSID %q", ssid)
		}
		if a.BSSID != "" {
			fmt.Fprintf(bw, "  BSSID %s", a.BSSID)
		}
		fmt.Fprintf(bw, "\n  class:  %s\n  detail: %s\n", a.Class, a.Detail)
		if len(a.Evidence) > 0 {
			fmt.Fprintf(bw, "  evidence:\n")
			for _, ev := range a.Evidence {
				text := ev.Text
				if len(text) > 240 {
					text = text[:237] + "..."
				}
				if ev.Line > 0 {
					fmt.Fprintf(bw, "    line %-6d %s\n", ev.Line, text)
				} else {
					fmt.Fprintf(bw, "    %s\n", text)
				}
			}
		}
	}
	for _, h := range r.Hints {
		fmt.Fprintf(bw, "\nnote: %s\n", h)
	}
	return bw.Flush()
}

func timeSpan(a, b time.Time) string {
	if a.IsZero() {
		return ""
	}
	s := a.Format("2006-01-02 15:04:05")
	if !b.IsZero() && !b.Equal(a) {
		if b.YearDay() == a.YearDay() && b.Year() == a.Year() {
			s += " - " + b.Format("15:04:05")
		} else {
			s += " - " + b.Format("2006-01-02 15:04:05")
		}
	}
	return strings.TrimSpace(s) + " UTC"
}
