package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"github.com/rs/zerolog/journald"
	"github.com/spf13/cobra"

	"github.com/hotspotctl/hotspotctl/daemon"
	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/join"
	"github.com/hotspotctl/hotspotctl/nm"
)

type daemonFlags struct {
	configDir, stateDir, reportDir, ifname, busAddress string
	maxReports, attempts                               int
	joinTimeout, maxBackoff, linkCheck                 time.Duration
}

func newDaemonCmd(g *globals) *cobra.Command {
	f := &daemonFlags{}
	cmd := &cobra.Command{
		Use:   "daemon",
		Short: "Run as a service: keep the machine on its configured networks, with a D-Bus API",
		Long: `daemon keeps the machine joined to the best available network configured in
--config-dir (one *.conf file per network; see docs/daemon.md), rejoins after a loss
with backoff, writes a JSON report for every failed join to --report-dir, and owns
org.hotspotctl.Daemon1 on the system bus so other programs (and hotspotctl join) can
ask for a join and get the classified report.

It is meant to run under systemd (systemd/hotspotctl.service): it reports readiness
with sd_notify, pings the watchdog, logs to the journal with structured fields, and
reloads its configuration on SIGHUP or when a file in --config-dir changes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("log-level") {
				g.logLevel = "info"
			}
			return runDaemon(cmd.Context(), g, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.configDir, "config-dir", "/etc/hotspotctl", "directory of *.conf network files")
	fl.StringVar(&f.stateDir, "state-dir", "/var/lib/hotspotctl", "state directory (networks stored by Apply)")
	fl.StringVar(&f.reportDir, "report-dir", "/var/lib/hotspotctl/reports", "directory for failure reports")
	fl.IntVar(&f.maxReports, "max-reports", 100, "keep at most this many reports (oldest removed first)")
	fl.StringVar(&f.ifname, "ifname", "", "Wi-Fi interface (default: the one managed Wi-Fi device)")
	fl.DurationVar(&f.joinTimeout, "join-timeout", 90*time.Second, "deadline of each automatic join")
	fl.DurationVar(&f.maxBackoff, "max-backoff", 60*time.Second, "longest wait between rejoin attempts")
	fl.IntVar(&f.attempts, "attempts", 3, "activation attempts per join")
	fl.DurationVar(&f.linkCheck, "link-check", 30*time.Second, "while joined, how often to read the device's state in case a loss was not signalled (0 disables)")
	fl.StringVar(&f.busAddress, "bus-address", "", "D-Bus address to use instead of the system bus (testing)")
	_ = fl.MarkHidden("bus-address")
	return cmd
}

func runDaemon(ctx context.Context, g *globals, f *daemonFlags) error {
	log := g.log
	lvl, err := zerolog.ParseLevel(g.logLevel)
	if err != nil {
		return usageError(err)
	}
	if daemon.StderrIsJournal() {
		log = zerolog.New(journald.NewJournalDWriter()).Level(lvl).With().Str("component", "daemon").Logger()
	} else {
		l, err := newLogger(g.stderr, g.logLevel, g.logFormat)
		if err != nil {
			return usageError(err)
		}
		log = l
	}
	if err := join.CheckInterface(f.ifname); err != nil {
		return usageError(err)
	}
	if f.linkCheck < 0 {
		return usageError(fmt.Errorf("--link-check %s: must be 0 (off) or positive", f.linkCheck))
	}
	if f.linkCheck == 0 {
		f.linkCheck = -1 // daemon.Options: negative disables, 0 is the default
	}
	if f.maxReports < 1 {
		return usageError(errors.New("--max-reports must be at least 1"))
	}

	dctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	var conn interface {
		nm.BusConn
		daemon.BusConn
		Close() error
	}
	if f.busAddress != "" {
		conn, err = nm.DialAddress(dctx, f.busAddress)
	} else {
		conn, err = nm.Dial(dctx)
	}
	cancel()
	if err != nil {
		return &exitError{code: diagnostics.BackendUnavailable.ExitCode(), err: err}
	}
	defer conn.Close()

	store, err := daemon.NewReportStore(f.reportDir, f.maxReports)
	if err != nil {
		return &exitError{code: diagnostics.ExitInternal, err: err}
	}
	jopts := join.Options{Rfkill: join.SysfsRfkill{}, ToolVersion: version}
	if sc, closeScanner, err := openScanner(); err == nil {
		defer closeScanner()
		jopts.Scanner = sc
	} else {
		log.Info().Err(err).Msg("nl80211 scanner unavailable; NetworkManager will scan")
	}
	wd, err := daemon.WatchdogInterval()
	if err != nil {
		log.Warn().Err(err).Msg("ignoring a malformed watchdog environment")
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	reload := make(chan struct{}, 1)
	go func() {
		for range hup {
			select {
			case reload <- struct{}{}:
			default:
			}
		}
	}()

	d, err := daemon.New(daemon.Options{
		Bus: conn, Backend: nm.NewClient(conn), Join: jopts,
		ConfigDir: f.configDir, StateDir: f.stateDir, CredentialsDir: os.Getenv("CREDENTIALS_DIRECTORY"),
		Ifname: f.ifname, Reports: store, Log: log,
		Notifier: &daemon.SystemdNotifier{}, Watchdog: wd, Reload: reload, WatchConfig: true,
		JoinTimeout: f.joinTimeout, MaxBackoff: f.maxBackoff, Attempts: f.attempts, LinkCheck: f.linkCheck, Version: version,
	})
	if err != nil {
		return &exitError{code: diagnostics.ExitInternal, err: err}
	}
	if err := d.Run(ctx); err != nil {
		log.Error().Err(err).Msg("daemon failed")
		return &exitError{code: diagnostics.ExitInternal, err: err}
	}
	return nil
}
