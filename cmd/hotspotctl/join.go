package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/join"
	"github.com/hotspotctl/hotspotctl/nm"
)

type joinFlags struct {
	ifname, bssid, security, passFile, prefix, report string
	hidden, once, asJSON, hex                         bool
	timeout, scanWindow                               time.Duration
	attempts                                          int
}

func newJoinCmd(g *globals) *cobra.Command {
	f := &joinFlags{}
	cmd := &cobra.Command{
		Use:   "join [SSID]",
		Short: "Join a Wi-Fi network, scanning first and classifying any failure",
		Long: `join scans for SSID, activates a NetworkManager profile for it, and reports the outcome.

The passphrase comes from --passphrase-file (a path, or - for standard input), the
HOTSPOTCTL_PASSPHRASE environment variable, or a no-echo prompt on a terminal; never
from an argument, because every user can read a process's arguments.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// The default window shrinks with a short timeout; an explicit one
			// is validated against it.
			if !cmd.Flags().Changed("scan-window") && f.scanWindow >= f.timeout/2 {
				f.scanWindow = f.timeout / 2
			}
			return runJoin(cmd.Context(), g, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.ifname, "ifname", "", "Wi-Fi interface (default: the one managed Wi-Fi device)")
	fl.BoolVar(&f.hidden, "hidden", false, "the network is hidden: probe for it with directed scans")
	fl.StringVar(&f.bssid, "bssid", "", "join only this BSSID (aa:bb:cc:dd:ee:ff)")
	fl.StringVar(&f.security, "security", "auto", "auto, open, wpa-psk or sae (auto: from the scanned BSS)")
	fl.StringVar(&f.passFile, "passphrase-file", "", "read the passphrase from this file (- for standard input)")
	fl.BoolVar(&f.once, "once", false, "use a volatile profile that is never persisted (like joinOnce)")
	fl.StringVar(&f.prefix, "ssid-prefix", "", "join the strongest network whose SSID starts with this prefix")
	fl.BoolVar(&f.hex, "hex", false, "the SSID argument is hex (for SSIDs that are not UTF-8)")
	fl.DurationVar(&f.timeout, "timeout", 90*time.Second, "deadline for the whole join")
	fl.IntVar(&f.attempts, "attempts", 3, "maximum activation attempts")
	fl.DurationVar(&f.scanWindow, "scan-window", 15*time.Second, "keep scanning this long for a network that is not there yet before calling it not_found")
	fl.StringVar(&f.report, "report", "", "write the JSON report to this path (- for standard output)")
	fl.BoolVar(&f.asJSON, "json", false, "print the JSON report on standard output instead of a summary")
	_ = cmd.RegisterFlagCompletionFunc("security", cobra.FixedCompletions([]string{"auto", "open", "wpa-psk", "sae"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("ifname", completeIfnames)
	return cmd
}

func completeIfnames(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	ents, _ := os.ReadDir("/sys/class/net")
	var out []string
	for _, e := range ents {
		if _, err := os.Stat("/sys/class/net/" + e.Name() + "/wireless"); err == nil {
			out = append(out, e.Name())
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

func runJoin(ctx context.Context, g *globals, f *joinFlags, args []string) error {
	req := join.Request{Ifname: f.ifname, Hidden: f.hidden, BSSID: f.bssid, Security: f.security,
		Once: f.once, Attempts: f.attempts, Timeout: f.timeout, ScanWindow: f.scanWindow}
	switch {
	case len(args) == 1 && f.prefix != "":
		return usageError(errors.New("give an SSID or --ssid-prefix, not both"))
	case len(args) == 1:
		ssid, err := join.ParseSSID(args[0], f.hex)
		if err != nil {
			return usageError(err)
		}
		req.SSID = ssid
	case f.prefix != "":
		req.SSIDPrefix = []byte(f.prefix)
	default:
		return usageError(errors.New("join needs an SSID (or --ssid-prefix)"))
	}
	if f.report != "" && f.report != "-" {
		if err := checkReportPath(f.report); err != nil {
			return usageError(err)
		}
	}
	pass, err := readPassphrase(g, f.passFile, req.Security)
	if err != nil {
		return usageError(err)
	}
	req.Passphrase = pass
	// Everything about the request is checked before any connection is made.
	if err := req.Validate(); err != nil {
		return usageError(err)
	}

	// The daemon runs the join with the same --timeout; its wait is
	// bounded by joinViaDaemon.
	if rep, ok, err := joinViaDaemon(ctx, g, req); ok {
		return finishJoin(g, f, rep, err)
	}
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	owner, err := profileOwner()
	if err != nil {
		return usageError(err)
	}
	req.Owner = owner
	prog := newProgress(g.stderr, f.asJSON || f.report == "-")
	defer prog.done()
	// The lock under /run/hotspotctl keeps two joins on one interface from
	// knocking each other's activation off; the second waits, bounded by its
	// deadline (interface_busy when the first outlasts it).
	opts := join.Options{Rfkill: join.SysfsRfkill{}, Log: g.log, ToolVersion: version, Progress: prog.phase, Lock: join.FileLock{}}

	var backend join.Backend
	conn, dialErr := nm.Dial(ctx)
	if dialErr == nil {
		defer conn.Close()
		backend = nm.NewClient(conn)
	} else {
		g.log.Warn().Err(dialErr).Msg("system bus unreachable")
		backend = join.Unreachable(dialErr)
	}
	if sc, closeScanner, err := openScanner(); err == nil {
		defer closeScanner()
		opts.Scanner = sc
	} else {
		g.log.Debug().Err(err).Msg("nl80211 scanner unavailable; NetworkManager will scan")
	}
	rep, joinErr := join.New(backend, opts).Join(ctx, req)
	prog.done()
	return finishJoin(g, f, rep, joinErr)
}

// finishJoin writes the report, prints the summary and maps the class to the
// exit status. The verdict is printed even when the report file cannot be
// written; the exit status is then ExitInternal, since the report asked for
// is missing.
func finishJoin(g *globals, f *joinFlags, rep *diagnostics.Report, joinErr error) error {
	emitErr := emitReport(g, rep, f.report, f.asJSON)
	if !f.asJSON && f.report != "-" {
		printSummary(g.stdout, rep)
	}
	if emitErr != nil {
		return &exitError{code: diagnostics.ExitInternal, err: emitErr}
	}
	if joinErr != nil || rep.Class != diagnostics.None {
		return &exitError{code: rep.Class.ExitCode()}
	}
	return nil
}

// checkReportPath fails early when the report could not be written, so a
// join is not made only to lose its report: p must name a file (not an
// existing directory, nor a path ending in "/") in an existing directory,
// and an existing p must be a regular file, since the report replaces it by
// rename (WriteFileAtomic) and must not replace a device or a socket.
func checkReportPath(p string) error {
	if strings.HasSuffix(p, "/") {
		return fmt.Errorf("--report: %s is a directory; give a file name", p)
	}
	if fi, err := os.Stat(p); err == nil {
		if fi.IsDir() {
			return fmt.Errorf("--report: %s is a directory; give a file name", p)
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("--report: %s exists and is not a regular file", p)
		}
	}
	dir := filepath.Dir(p)
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return fmt.Errorf("--report: directory %q does not exist", dir+"/")
	}
	return nil
}

// readPassphrase takes the passphrase from a file, the environment, or a
// no-echo prompt, in that order. A file's single trailing newline is not part
// of the passphrase.
func readPassphrase(g *globals, file, security string) (string, error) {
	if file != "" {
		var (
			b   []byte
			err error
		)
		if file == "-" {
			b, err = io.ReadAll(io.LimitReader(g.stdin, 4096))
		} else {
			if fi, serr := os.Stat(file); serr == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o077 != 0 {
				g.log.Warn().Str("file", file).Msg("passphrase file is readable by other users")
			}
			b, err = os.ReadFile(file)
		}
		if err != nil {
			return "", fmt.Errorf("--passphrase-file: %w", err)
		}
		s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
		if s == "" {
			return "", errors.New("--passphrase-file: the file is empty")
		}
		return s, nil
	}
	if v, ok := os.LookupEnv("HOTSPOTCTL_PASSPHRASE"); ok {
		return v, nil
	}
	if security != join.SecurityOpen && g.stdin != nil && term.IsTerminal(int(g.stdin.Fd())) {
		prompt := "Passphrase (empty for an open network): "
		if security == join.SecurityWPAPSK || security == join.SecuritySAE {
			prompt = "Passphrase: "
		}
		fmt.Fprint(g.stderr, prompt)
		b, err := term.ReadPassword(int(g.stdin.Fd()))
		fmt.Fprintln(g.stderr)
		if err != nil {
			return "", fmt.Errorf("read passphrase: %w", err)
		}
		return string(b), nil
	}
	return "", nil
}

func emitReport(g *globals, rep *diagnostics.Report, path string, asJSON bool) error {
	b, err := rep.Marshal()
	if err != nil {
		return err
	}
	if asJSON || path == "-" {
		if _, err := g.stdout.Write(b); err != nil {
			return err
		}
	}
	if path != "" && path != "-" {
		return diagnostics.WriteFileAtomic(path, b)
	}
	return nil
}

func printSummary(w io.Writer, rep *diagnostics.Report) {
	if rep.Outcome == diagnostics.OutcomeJoined {
		fmt.Fprintf(w, "joined %q on %s", rep.SSID, rep.Interface)
		switch {
		case rep.BSSID != "" && rep.Band != "":
			fmt.Fprintf(w, " (BSSID %s, channel %d, %s)", rep.BSSID, rep.Channel, rep.Band)
		case rep.BSSID != "":
			fmt.Fprintf(w, " (BSSID %s)", rep.BSSID)
		}
		if rep.IP4 != "" {
			fmt.Fprintf(w, ", address %s", rep.IP4)
		}
		fmt.Fprintf(w, " in %s\n", rep.Ended.Sub(rep.Started).Round(100*time.Millisecond))
		return
	}
	fmt.Fprintf(w, "failed: %s: %s\n", rep.Class, rep.Detail)
	if rep.Summary != "" {
		fmt.Fprintf(w, "  %s\n", rep.Summary)
		if rep.NextStep != "" {
			fmt.Fprintf(w, "  next: %s\n", rep.NextStep)
		}
	} else {
		fmt.Fprintf(w, "  %s\n", rep.Class.Description())
	}
	for _, h := range rep.Hints {
		fmt.Fprintf(w, "  hint: %s\n", h)
	}
	for _, a := range rep.Attempts {
		fmt.Fprintf(w, "  attempt %d: %s (%s), %d scans", a.Number, a.Class, a.Detail, len(a.Scans))
		if a.Retry != nil {
			if a.Retry.Retry {
				fmt.Fprintf(w, "; retried after %dms: %s", a.Retry.DelayMS, a.Retry.Reason)
			} else {
				fmt.Fprintf(w, "; not retried: %s", a.Retry.Reason)
			}
		}
		fmt.Fprintln(w)
		for i, e := range a.Evidence {
			if i == 4 {
				fmt.Fprintf(w, "    ... %d more in the report\n", len(a.Evidence)-4)
				break
			}
			fmt.Fprintf(w, "    evidence: %s\n", e.Text)
		}
	}
}
