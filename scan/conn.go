package scan

import (
	"context"
	"time"

	"github.com/mdlayher/genetlink"
	"github.com/mdlayher/netlink"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Conn is the request/response generic netlink connection NL80211 sends its
// commands on (GET_FAMILY, GET_INTERFACE, TRIGGER_SCAN, GET_SCAN).
// *genetlink.Conn implements it. It must not be subscribed to any multicast
// group: notifications would interleave with replies. Send and Receive are
// used for the GET_SCAN dump, whose netlink header flags (NLM_F_DUMP_INTR)
// Execute does not return.
type Conn interface {
	GetFamily(name string) (genetlink.Family, error)
	Execute(m genetlink.Message, family uint16, flags netlink.HeaderFlags) ([]genetlink.Message, error)
	Send(m genetlink.Message, family uint16, flags netlink.HeaderFlags) (netlink.Message, error)
	Receive() ([]genetlink.Message, []netlink.Message, error)
	SetDeadline(t time.Time) error
	SetReadDeadline(t time.Time) error
	Close() error
}

// EventConn is a generic netlink connection used only to receive the
// nl80211 "scan" multicast group. *genetlink.Conn implements it. NL80211
// dials one per Scan or Watch and reads it from exactly one goroutine.
type EventConn interface {
	JoinGroup(group uint32) error
	LeaveGroup(group uint32) error
	Receive() ([]genetlink.Message, []netlink.Message, error)
	SetReadDeadline(t time.Time) error
	Close() error
}

// DialFunc opens a fresh EventConn.
type DialFunc func() (EventConn, error)

var (
	_ Conn      = (*genetlink.Conn)(nil)
	_ EventConn = (*genetlink.Conn)(nil)
)

// Watcher reports scans on an interface, whoever started them.
type Watcher interface {
	Watch(ctx context.Context, ifname string) (<-chan diagnostics.Event, error)
}

// Options tune NL80211. The zero value of a field selects its default.
type Options struct {
	// BusyWait bounds how long Scan waits, after a trigger refused with
	// EBUSY, for the scan in flight to finish before triggering again
	// (default 10s: a full active 2.4+5 GHz sweep takes 2-5 s on mac80211
	// drivers, longer with DFS and 6 GHz channels).
	BusyWait time.Duration
	// ScanWait bounds how long Scan waits for its own accepted scan to end
	// (default 20s).
	ScanWait time.Duration
	// InitialBackoff and MaxBackoff shape the exponential backoff between
	// triggers (defaults 500ms and 5s, with ±20% jitter so hotspotctl does
	// not fall into lock-step with NetworkManager's periodic scans).
	InitialBackoff time.Duration
	MaxBackoff     time.Duration
	// Slack widens the freshness window: a BSS counts as seen during the
	// scan when it was last seen no earlier than Slack before the scan
	// started (default 500ms, to cover clock reads and jiffies rounding).
	Slack time.Duration
	// PiggybackLookback widens the window for a piggy-backed scan whose
	// start was not observed (it began before we subscribed): BSSes seen up
	// to this long before our refused trigger count as fresh (default 10s,
	// the longest a sweep normally takes).
	PiggybackLookback time.Duration
	// Now is the clock (default time.Now); tests replace it.
	Now func() time.Time
}

func (o *Options) withDefaults() Options {
	var r Options
	if o != nil {
		r = *o
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&r.BusyWait, 10*time.Second)
	def(&r.ScanWait, 20*time.Second)
	def(&r.InitialBackoff, 500*time.Millisecond)
	def(&r.MaxBackoff, 5*time.Second)
	def(&r.Slack, 500*time.Millisecond)
	def(&r.PiggybackLookback, 10*time.Second)
	if r.Now == nil {
		r.Now = time.Now
	}
	return r
}

// DefaultAttempts is Request.Attempts when it is zero or negative.
const DefaultAttempts = 5
