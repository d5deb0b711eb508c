// Package daemon is hotspotctl as a service: it keeps the machine on the
// best of its configured Wi-Fi networks, rejoins after a loss (event-driven,
// with backoff), writes a report for every failed join, and offers other
// programs a D-Bus API (org.hotspotctl.Daemon1) to ask for a join and get the
// classified report back.
//
// Everything the daemon touches comes in through Options: the system bus
// connection (BusConn), NetworkManager (Backend), the clock, the systemd
// notification socket (Notifier) and the logger. The package never dials a
// bus or reads a global itself, except $CREDENTIALS_DIRECTORY through
// Options.CredentialsDir.
//
// Errors returned at the package boundary are *Error values; test them with
// errors.Is against ErrConfig, ErrInvalidInput, ErrNameTaken and ErrStopping.
package daemon

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/godbus/dbus/v5"
	"github.com/rs/zerolog"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/join"
	"github.com/hotspotctl/hotspotctl/nm"
)

// The D-Bus API's names.
const (
	BusName    = "org.hotspotctl.Daemon1"
	ObjectPath = dbus.ObjectPath("/org/hotspotctl/Daemon1")
	Interface  = "org.hotspotctl.Daemon1"

	// ErrorInvalidInput is the D-Bus error for a malformed request; its
	// message says which option is wrong and why.
	ErrorInvalidInput = "org.hotspotctl.Daemon1.Error.InvalidInput"
	// ErrorStopping is the D-Bus error for a request the daemon could not
	// finish because it is shutting down.
	ErrorStopping = "org.hotspotctl.Daemon1.Error.Stopping"
	// ErrorFailed is the D-Bus error for an internal failure (a report that
	// could not be produced without leaking a secret, a file that could not
	// be written).
	ErrorFailed = "org.hotspotctl.Daemon1.Error.Failed"
	// ErrorCancelled is the D-Bus error a Join call ends with when its
	// caller cancelled it (Cancel, or the caller left the bus while it was
	// queued).
	ErrorCancelled = "org.hotspotctl.Daemon1.Error.Cancelled"
)

// Sentinel errors, matched with errors.Is through *Error.
var (
	// ErrConfig: a configuration file is invalid (see ConfigError).
	ErrConfig = errors.New("bad configuration")
	// ErrInvalidInput: a D-Bus request was malformed.
	ErrInvalidInput = errors.New("invalid input")
	// ErrNameTaken: another process owns org.hotspotctl.Daemon1.
	ErrNameTaken = errors.New("bus name already owned")
	// ErrStopping: the daemon stopped before the request finished.
	ErrStopping = errors.New("daemon is stopping")
	// ErrCancelled: the caller cancelled its Join before it finished.
	ErrCancelled = errors.New("join cancelled by its caller")
)

// Error is the error type returned at this package's boundary.
type Error struct {
	Op  string
	Err error
}

func (e *Error) Error() string { return "daemon: " + e.Op + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Backend is what the daemon needs from NetworkManager: the join pipeline's
// Backend plus the device status. *nm.Client implements it.
type Backend interface {
	join.Backend
	Status(ctx context.Context, dev nm.Device) (nm.Status, error)
	Link(ctx context.Context, dev nm.Device) (nm.Link, error)
}

var _ Backend = (*nm.Client)(nil)

// BusConn is the part of the system bus connection the D-Bus API uses.
// *dbus.Conn implements it.
type BusConn interface {
	Export(v any, path dbus.ObjectPath, iface string) error
	Emit(path dbus.ObjectPath, name string, values ...any) error
	BusObject() dbus.BusObject
}

var _ BusConn = (*dbus.Conn)(nil)

// Notifier sends service state to the service manager (sd_notify). A nil
// Notifier in Options means none.
type Notifier interface {
	Notify(state string) error
}

// Clock is the daemon's time source: the same one the joins use.
type Clock = join.Clock

// Options configure a Daemon.
type Options struct {
	// Bus is the system bus connection the API is exported on; nil runs
	// without the API (and without readiness depending on a bus name).
	Bus BusConn
	// Backend is NetworkManager; required.
	Backend Backend
	// Join is the template for the join pipeline's options (Scanner,
	// Rfkill, ToolVersion); Log and Clock are set by the daemon.
	Join join.Options
	// ConfigDir holds the administrator's *.conf network files.
	ConfigDir string
	// StateDir holds networks stored by Apply (StateDir/networks).
	StateDir string
	// CredentialsDir is $CREDENTIALS_DIRECTORY, for passphrase_credential.
	CredentialsDir string
	// Ifname is the Wi-Fi interface; "" means NetworkManager's only one.
	Ifname string
	// Reports stores failure reports; nil keeps none on disk.
	Reports *ReportStore
	// Log receives structured logs (the journal writer under systemd). It
	// never receives a secret.
	Log zerolog.Logger
	// Notifier gets READY=1 once the bus name is owned and the
	// configuration loaded, WATCHDOG=1 from the main loop, STATUS= and
	// STOPPING=1.
	Notifier Notifier
	// Watchdog is the service manager's watchdog timeout (WATCHDOG_USEC);
	// the main loop pings every half of it. 0 disables pings.
	Watchdog time.Duration
	// Reload delivers reload requests (SIGHUP).
	Reload <-chan struct{}
	// WatchConfig reloads when files in ConfigDir change (inotify on Linux).
	WatchConfig bool
	// Clock defaults to the real clock.
	Clock Clock
	// Backoff makes the rejoin delay policy; nil means exponential from
	// 2s, doubling to MaxBackoff, with 20% jitter.
	Backoff func() backoff.BackOff
	// MaxBackoff bounds the default backoff (default 60s).
	MaxBackoff time.Duration
	// JoinTimeout bounds an automatic join, and an Apply without
	// timeout_ms (default 90s).
	JoinTimeout time.Duration
	// Attempts is the join pipeline's attempt limit (default 3).
	Attempts int
	// Settle is how long the daemon lets NetworkManager settle after it
	// returns to the bus before checking whether the device is still joined
	// (default 5s).
	Settle time.Duration
	// LinkCheck is how often the daemon, while joined and idle, reads the
	// device's state from NetworkManager, so that a loss whose StateChanged
	// signal never reached it is still noticed (default 30s; negative
	// disables). Signals are the first source; this is the backstop.
	LinkCheck time.Duration
	// SupplicantGrace is how long wpa_supplicant may stay out of
	// "completed" while NetworkManager still says the device is activated
	// before the daemon counts the network as lost (default 60s). NetworkManager
	// itself gives wpa_supplicant a link timeout of seconds to reconnect
	// (nm-device-wifi.c); a device still "activated" long after is one
	// NetworkManager stopped following.
	SupplicantGrace time.Duration
	// Version is reported by Status.
	Version string
}

// Daemon keeps the machine on one of its networks. Create it with New and
// run it with Run.
type Daemon struct {
	o      Options
	joiner *join.Joiner
	reqs   chan any
	done   chan struct{}

	mu sync.Mutex
	st status
}

// status is what the D-Bus API reads without going through the main loop.
type status struct {
	State       string
	SSID        []byte
	Iface       string
	LastClass   diagnostics.Class
	LastReport  string
	LastTime    time.Time
	Networks    [][]byte
	ConfigError string
	NextRetry   time.Time
	Joins       uint32
	Failures    uint32
}

// New checks opts and returns a Daemon. The error is an *Error for a
// missing Backend.
func New(opts Options) (*Daemon, error) {
	if opts.Backend == nil {
		return nil, &Error{Op: "new", Err: errors.New("no NetworkManager backend")}
	}
	if opts.Clock == nil {
		opts.Clock = join.SystemClock()
	}
	if opts.JoinTimeout <= 0 {
		opts.JoinTimeout = 90 * time.Second
	}
	if opts.Settle <= 0 {
		opts.Settle = 5 * time.Second
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 60 * time.Second
	}
	if opts.LinkCheck == 0 {
		opts.LinkCheck = 30 * time.Second
	}
	if opts.SupplicantGrace <= 0 {
		opts.SupplicantGrace = 60 * time.Second
	}
	if opts.Backoff == nil {
		maxB := opts.MaxBackoff
		opts.Backoff = func() backoff.BackOff {
			b := backoff.NewExponentialBackOff()
			b.InitialInterval = 2 * time.Second
			b.Multiplier = 2
			b.MaxInterval = maxB
			b.RandomizationFactor = 0.2
			b.MaxElapsedTime = 0
			b.Reset()
			return b
		}
	}
	jo := opts.Join
	jo.Log = opts.Log
	jo.Progress = nil
	d := &Daemon{o: opts, joiner: join.New(opts.Backend, jo), reqs: make(chan any), done: make(chan struct{}),
		st: status{State: "starting"}}
	return d, nil
}

func (d *Daemon) notify(state string) {
	if d.o.Notifier == nil {
		return
	}
	if err := d.o.Notifier.Notify(state); err != nil {
		d.o.Log.Debug().Err(err).Msg("sd_notify failed")
	}
}

func (d *Daemon) setStatus(f func(*status)) status {
	d.mu.Lock()
	defer d.mu.Unlock()
	f(&d.st)
	return d.st
}

func (d *Daemon) status() status {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.st
	return s
}

// submit hands a request to the main loop and waits for its answer; it
// fails with ErrStopping once the loop has ended.
func (d *Daemon) submit(r any, reply <-chan result) result {
	select {
	case d.reqs <- r:
	case <-d.done:
		return result{err: ErrStopping}
	}
	select {
	case res := <-reply:
		return res
	case <-d.done:
		// The loop answers every accepted request before it closes done,
		// so a reply may be waiting.
		select {
		case res := <-reply:
			return res
		default:
			return result{err: ErrStopping}
		}
	}
}

type result struct {
	json string
	err  error
}

// applyReq is one Apply or Join call.
type applyReq struct {
	net      Network
	once     bool
	timeout  time.Duration
	attempts int
	reply    chan result

	// oneShot marks a Join call: req is run exactly as given (every field
	// of the caller's join.Request), and nothing is stored or kept joined.
	oneShot bool
	req     join.Request
	// sender and id identify a Join for Cancel: only the caller that
	// made a request (its unique bus name) may cancel it.
	sender, id string
}

// cancelReq is one Cancel call.
type cancelReq struct {
	sender, id string
	reply      chan result
}

// removeReq is one Remove call.
type removeReq struct {
	ssid  []byte
	reply chan result
}

// Run runs the daemon until ctx is cancelled (SIGTERM): it loads the
// configuration, exports the API and takes the bus name, reports readiness,
// then joins and keeps the machine joined. On cancellation an in-flight join
// is cancelled and its report abandoned (reports are only ever written whole,
// with diagnostics.WriteFileAtomic), pending D-Bus calls get
// org.hotspotctl.Daemon1.Error.Stopping, and the bus name is released.
// It returns nil after a clean stop, or an *Error when the API cannot be
// exported, the name is owned by another process (ErrNameTaken), or the
// NetworkManager event stream ends because the bus connection closed.
func (d *Daemon) Run(ctx context.Context) error {
	defer close(d.done)
	l := &loop{d: d, ctx: ctx, log: d.o.Log, bo: d.o.Backoff(), results: make(chan jobResult, 1), ifname: d.o.Ifname}
	l.reload("start")
	if d.o.Bus != nil {
		if err := d.export(ctx); err != nil {
			return err
		}
		defer d.releaseName()
	}
	var cfgEvents <-chan struct{}
	if d.o.WatchConfig && d.o.ConfigDir != "" {
		ch, stop, err := watchDir(d.o.ConfigDir)
		if err != nil {
			l.log.Warn().Err(err).Str("dir", d.o.ConfigDir).Msg("cannot watch the configuration directory; reload with SIGHUP")
		} else {
			defer stop()
			cfgEvents = ch
		}
	}
	d.notify("READY=1\nSTATUS=" + l.statusLine())
	l.log.Info().Str("config_dir", d.o.ConfigDir).Int("networks", len(l.nets)).Msg("hotspotctl daemon ready")
	l.checkConnected("start")

	var wd <-chan time.Time
	if d.o.Watchdog > 0 {
		t := time.NewTicker(d.o.Watchdog / 2)
		defer t.Stop()
		wd = t.C
	}
	for {
		select {
		case <-ctx.Done():
			l.shutdown()
			return nil
		case <-wd:
			d.notify("WATCHDOG=1")
		case <-d.o.Reload:
			l.reload("SIGHUP")
		case <-cfgEvents:
			// Editors write in several steps; reload once they are done.
			l.debounce = d.o.Clock.After(300 * time.Millisecond)
		case <-l.debounce:
			l.debounce = nil
			l.reload("inotify")
		case r := <-d.reqs:
			l.request(r)
		case res := <-l.results:
			l.finished(res)
		case e, ok := <-l.watch:
			if !ok {
				l.watch, l.watchStop = nil, nil
				if ctx.Err() == nil {
					l.shutdown()
					return &Error{Op: "watch", Err: errors.New("NetworkManager event stream ended: the system bus connection closed")}
				}
				continue
			}
			l.event(e)
		case <-l.retry:
			l.retry = nil
			d.setStatus(func(s *status) { s.NextRetry = time.Time{} })
			l.startAuto()
		case <-l.settle:
			l.settle = nil
			l.checkConnected("NetworkManager returned")
		case <-l.linkCheck:
			l.linkCheck = nil
			l.checkLink()
		case <-l.supOut:
			l.supOut = nil
			if l.connected != nil && l.job == nil {
				l.log.Warn().Dur("for", d.o.SupplicantGrace).Msg("wpa_supplicant is not connected, but NetworkManager still says activated")
				l.lost(fmt.Sprintf("wpa_supplicant not connected for %s while NetworkManager still says activated", d.o.SupplicantGrace))
				l.schedule(0)
			}
		}
	}
}
