// Command hotspotctl joins Wi-Fi networks through NetworkManager and, when a
// join fails, says why in a stable class with the evidence. This package is
// only flags, output and exit codes; the work is in join, nm, scan and
// diagnostics.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// exitError carries a process exit status out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// usageError marks invalid input or usage (exit status 2).
func usageError(err error) error {
	return &exitError{code: diagnostics.InvalidInput.ExitCode(), err: err}
}

type globals struct {
	logLevel  string
	logFormat string
	log       zerolog.Logger
	stdout    io.Writer
	stderr    io.Writer
	stdin     *os.File
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin *os.File, stdout, stderr io.Writer) int {
	// The first SIGINT/SIGTERM cancels the context (context.Canceled, not
	// a deadline): a join then ends as "interrupted" (exit 130), deactivates
	// what it started and still writes its report. Once it has been
	// delivered, stop() restores the default action, so a second signal
	// ends the process at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop()
	}()
	g := &globals{stdout: stdout, stderr: stderr, stdin: stdin}
	root := newRoot(g)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "hotspotctl:", ee.err)
		}
		return ee.code
	}
	// Errors cobra itself produces (unknown flag, missing argument) are usage.
	fmt.Fprintln(stderr, "hotspotctl:", err)
	return diagnostics.InvalidInput.ExitCode()
}

func newRoot(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "hotspotctl",
		Short: "Join Wi-Fi networks by SSID and say exactly why a join failed",
		Long: `hotspotctl joins Wi-Fi networks through NetworkManager. It scans first, on purpose,
so that a network that is absent is never confused with a scan that was refused,
classifies every failure into a stable class with its evidence, retries only what
can succeed on retry, and writes a versioned JSON report.

Exit status: 0 joined; 1 internal error; 2 invalid input or usage; 10 not_found;
11 scan_busy; 12 wrong_key; 13 assoc_rejected; 14 dhcp_failed; 15 radio_off;
16 device_unavailable; 17 backend_unavailable; 18 permission_denied; 19 timeout;
20 unknown; 21 superseded; 22 interface_busy; 130 interrupted (Ctrl-C, SIGTERM).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			l, err := newLogger(g.stderr, g.logLevel, g.logFormat)
			if err != nil {
				return usageError(err)
			}
			g.log = l
			return nil
		},
	}
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", "warn", "log level: debug, info, warn, error")
	root.PersistentFlags().StringVar(&g.logFormat, "log-format", "auto", "log format: auto (console on a terminal, JSON otherwise), console, json")
	root.AddCommand(newJoinCmd(g))
	root.AddCommand(newScanCmd(g))
	root.AddCommand(newStatusCmd(g))
	root.AddCommand(newListCmd(g))
	root.AddCommand(newForgetCmd(g))
	root.AddCommand(newDaemonCmd(g))
	root.AddCommand(newDiagnoseCmd())
	return root
}

// newLogger builds the structured logger: zerolog's console writer on a
// terminal, JSON lines otherwise. Nothing logged is ever a secret: the
// passphrase is never passed to the logger.
func newLogger(w io.Writer, level, format string) (zerolog.Logger, error) {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil || level == "" {
		return zerolog.Nop(), fmt.Errorf("--log-level: %q is not one of debug, info, warn, error", level)
	}
	switch format {
	case "auto":
		if f, ok := w.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
			format = "console"
		} else {
			format = "json"
		}
	case "console", "json":
	default:
		return zerolog.Nop(), fmt.Errorf("--log-format: %q is not one of auto, console, json", format)
	}
	if format == "console" {
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: time.TimeOnly}
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger(), nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}
