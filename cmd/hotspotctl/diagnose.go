package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/diagnostics/logparse"
)

type diagnoseFlags struct {
	asJSON     bool
	follow     bool
	cursorFile string
	year       int
	journalctl string
}

// newDiagnoseCmd is "hotspotctl diagnose": classify join failures found in
// captured logs. Exit status: 0 when the logs were diagnosed, whatever the
// class found (the class is in the output); 2 for bad usage or input that is
// not a log (binary data); 1 when an input cannot be read or journalctl
// fails.
func newDiagnoseCmd() *cobra.Command {
	f := &diagnoseFlags{}
	cmd := &cobra.Command{
		Use:   "diagnose [FILE|-]...",
		Short: "Classify Wi-Fi join failures in captured logs",
		Long: `diagnose reads logs captured after a failed join and gives the same verdicts, in
the same report format, as a live join.

It reads each FILE (standard input for "-" or no FILE): journal exports
(journalctl -o json), journalctl and syslog text, NetworkManager (info or debug),
wpa_supplicant (also -d and -t), kernel mac80211 lines, nmcli output and iwd logs,
mixed in any order, in reverse order (journalctl -r) or redacted. Lines it does not
recognise are ignored. Each input gets its own report: one attempt per join attempt
found, and the class of the last failed one (none when no attempt failed). With
--json the reports are printed one after another, each a JSON document.

With --follow it tails the live journal (journalctl -o json --follow) instead and
prints a report for every join attempt as it ends, and for every situation
between attempts (scans refused with none completing, a blocked radio, a missing
device) once it has held for 30 s; --cursor-file makes that resumable across runs.

Exit status: 0 when the logs were diagnosed, whatever the class found; 2 for bad
usage or an input that is not a log (binary data); 1 when an input cannot be read
or journalctl fails.`,
		RunE: func(cmd *cobra.Command, args []string) error { return runDiagnose(cmd, f, args) },
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.asJSON, "json", false, "print the report as JSON (hotspotctl.report/v1); one JSON line per attempt with --follow")
	fl.BoolVar(&f.follow, "follow", false, "tail the live journal and report each join attempt as it ends")
	fl.StringVar(&f.cursorFile, "cursor-file", "", "with --follow: store the journal cursor here and resume after it")
	fl.IntVar(&f.year, "year", 0, "year for syslog timestamps that have none (default: from the log, else this year)")
	fl.StringVar(&f.journalctl, "journalctl", "journalctl", "journalctl binary used by --follow")
	return cmd
}

func runDiagnose(cmd *cobra.Command, f *diagnoseFlags, args []string) error {
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	out := cmd.OutOrStdout()
	opts := logparse.Options{ToolVersion: version, Year: f.year}
	if f.follow {
		if len(args) > 0 {
			return usageError(errors.New("diagnose: --follow reads the journal and takes no FILE"))
		}
		fo := logparse.FollowOptions{Options: opts, CursorFile: f.cursorFile}
		err := logparse.Follow(ctx, logparse.ExecJournal{Path: f.journalctl}, fo, func(r *diagnostics.Report) error {
			return printReport(out, r, f.asJSON, true)
		})
		if err != nil {
			return &exitError{code: diagnostics.ExitInternal, err: err}
		}
		return nil
	}
	if f.cursorFile != "" {
		return usageError(errors.New("diagnose: --cursor-file needs --follow"))
	}
	if len(args) == 0 {
		args = []string{"-"}
	}
	for i, name := range args {
		rep, err := diagnoseOne(ctx, cmd.InOrStdin(), name, opts)
		if err != nil {
			shown := name
			if name == "-" {
				shown = "standard input"
			}
			if errors.Is(err, logparse.ErrBinary) {
				return usageError(fmt.Errorf("%s: %w", shown, err))
			}
			return &exitError{code: diagnostics.ExitInternal, err: fmt.Errorf("%s: %w", shown, err)}
		}
		if !f.asJSON && len(args) > 1 {
			if i > 0 {
				fmt.Fprintln(out)
			}
			fmt.Fprintf(out, "== %s\n", name)
		}
		if err := printReport(out, rep, f.asJSON, false); err != nil {
			return &exitError{code: diagnostics.ExitInternal, err: err}
		}
	}
	return nil
}

func diagnoseOne(ctx context.Context, stdin io.Reader, name string, opts logparse.Options) (*diagnostics.Report, error) {
	var r io.Reader = stdin
	if name != "-" {
		fh, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer fh.Close()
		if st, err := fh.Stat(); err == nil && st.IsDir() {
			return nil, errors.New("is a directory")
		}
		r = fh
	}
	return logparse.Diagnose(ctx, r, opts)
}

// printReport writes r as indented JSON, one JSON line (compact), or the
// readable summary.
func printReport(w io.Writer, r *diagnostics.Report, asJSON, compact bool) error {
	if !asJSON {
		return logparse.WriteSummary(w, r)
	}
	if compact {
		b, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("diagnose: %w", err)
		}
		_, err = w.Write(append(b, '\n'))
		return err
	}
	b, err := r.Marshal()
	if err != nil {
		return fmt.Errorf("diagnose: %w", err)
	}
	_, err = w.Write(b)
	return err
}
