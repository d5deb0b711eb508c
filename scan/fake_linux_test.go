//go:build linux

package scan

import (
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/mdlayher/genetlink"
	"github.com/mdlayher/genetlink/genltest"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nlenc"
	"github.com/mdlayher/netlink/nltest"
	"golang.org/x/sys/unix"
)

// fakeEvents is an EventConn whose notifications the fake kernel pushes.
// Receive blocks until a message is queued, the read deadline passes or the
// conn is closed, like a real socket; it is safe for SetReadDeadline to be
// called from another goroutine (the context's AfterFunc).
type fakeEvents struct {
	mu       sync.Mutex
	queue    []genetlink.Message
	deadline time.Time
	joined   []uint32
	closed   bool
	wake     chan struct{}
	overflow bool // next Receive fails with ENOBUFS
}

var _ EventConn = (*fakeEvents)(nil)

func newFakeEvents() *fakeEvents { return &fakeEvents{wake: make(chan struct{}, 1)} }

func (f *fakeEvents) signal() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

func (f *fakeEvents) push(msgs ...genetlink.Message) {
	f.mu.Lock()
	f.queue = append(f.queue, msgs...)
	f.mu.Unlock()
	f.signal()
}

func (f *fakeEvents) JoinGroup(g uint32) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.joined = append(f.joined, g)
	return nil
}

func (f *fakeEvents) LeaveGroup(uint32) error { return nil }

func (f *fakeEvents) SetReadDeadline(t time.Time) error {
	f.mu.Lock()
	f.deadline = t
	f.mu.Unlock()
	f.signal()
	return nil
}

func (f *fakeEvents) Close() error {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	f.signal()
	return nil
}

func (f *fakeEvents) Receive() ([]genetlink.Message, []netlink.Message, error) {
	for {
		f.mu.Lock()
		switch {
		case f.closed:
			f.mu.Unlock()
			return nil, nil, errors.New("use of closed connection")
		case f.overflow:
			f.overflow = false
			f.mu.Unlock()
			return nil, nil, &netlink.OpError{Op: "receive", Err: os.NewSyscallError("recvmsg", unix.ENOBUFS)}
		case len(f.queue) > 0:
			m := f.queue[0]
			f.queue = f.queue[1:]
			f.mu.Unlock()
			return []genetlink.Message{m}, nil, nil
		}
		dl := f.deadline
		f.mu.Unlock()
		var timer <-chan time.Time
		if !dl.IsZero() {
			d := time.Until(dl)
			if d <= 0 {
				return nil, nil, &netlink.OpError{Op: "receive", Err: os.ErrDeadlineExceeded}
			}
			t := time.NewTimer(d)
			timer = t.C
			defer t.Stop()
		}
		select {
		case <-f.wake:
		case <-timer:
		}
	}
}

// testConn adapts a genltest connection (which has no deadlines) to Conn
// and records the deadlines set on it.
type testConn struct {
	*genetlink.Conn
	mu          sync.Mutex
	deadlines   []time.Time
	interrupted int // mark this many replies NLM_F_DUMP_INTR
}

func (c *testConn) Receive() ([]genetlink.Message, []netlink.Message, error) {
	gms, nms, err := c.Conn.Receive()
	c.mu.Lock()
	defer c.mu.Unlock()
	if err == nil && c.interrupted > 0 && len(nms) > 0 {
		c.interrupted--
		nms[len(nms)-1].Header.Flags |= netlink.DumpInterrupted
	}
	return gms, nms, err
}

func (c *testConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.deadlines = append(c.deadlines, t)
	return nil
}

func (c *testConn) SetReadDeadline(t time.Time) error { return nil }

const (
	testFamily  = 0x1c
	testGroup   = 7
	testIfindex = 3
	testPhy     = 0
)

// step is the fake kernel's answer to one TRIGGER_SCAN.
type step struct {
	errno int                 // refuse with this errno
	now   []genetlink.Message // queued before the ack (TRIGGER_SCAN notifications)
	later []genetlink.Message // queued after delay
	delay time.Duration
	// overflow makes the event socket report ENOBUFS after the ack: the
	// notifications in now were dropped.
	overflow bool
}

// fakeKernel answers nl80211 requests from a script.
type fakeKernel struct {
	t          *testing.T
	ev         *fakeEvents
	mu         sync.Mutex
	steps      []step
	trigs      []genetlink.Message
	bsses      [][]byte   // NL80211_ATTR_BSS payloads
	dumps      [][][]byte // if set, the payloads of successive dumps
	dumped     int
	wiphyDumps int
	// regAlpha2 and regOwn script the GET_REG answer (default "DE", the
	// system's domain).
	regAlpha2 string
	regOwn    bool
	regReqs   []genetlink.Message
}

func (k *fakeKernel) handle(greq genetlink.Message, _ netlink.Message) ([]genetlink.Message, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	switch greq.Header.Command {
	case unix.NL80211_CMD_GET_INTERFACE:
		return []genetlink.Message{
			ifaceMsg(2, "eth0-not-wifi-but-listed-as-p2p", 9, unix.NL80211_IFTYPE_P2P_DEVICE, 0),
			ifaceMsg(testIfindex, "wlan0", testPhy, unix.NL80211_IFTYPE_STATION, 0),
			ifaceMsg(4, "wlan1", 1, unix.NL80211_IFTYPE_STATION, 0),
		}, nil
	case unix.NL80211_CMD_TRIGGER_SCAN:
		k.trigs = append(k.trigs, greq)
		if len(k.steps) == 0 {
			k.t.Errorf("unexpected TRIGGER_SCAN #%d", len(k.trigs))
			return nil, genltest.Error(int(unix.EINVAL))
		}
		s := k.steps[0]
		if len(k.steps) > 1 {
			k.steps = k.steps[1:]
		}
		if s.errno != 0 {
			if len(s.later) > 0 {
				time.AfterFunc(s.delay, func() { k.ev.push(s.later...) })
			}
			return nil, genltest.Error(s.errno)
		}
		k.ev.push(s.now...)
		if s.overflow {
			k.ev.mu.Lock()
			k.ev.overflow = true
			k.ev.mu.Unlock()
		}
		if len(s.later) > 0 {
			time.AfterFunc(s.delay, func() { k.ev.push(s.later...) })
		}
		return []genetlink.Message{{}}, nil // the ack
	case unix.NL80211_CMD_GET_WIPHY:
		k.wiphyDumps++
		return wiphyMsgs(), nil
	case unix.NL80211_CMD_GET_REG:
		k.regReqs = append(k.regReqs, greq)
		alpha2 := k.regAlpha2
		if alpha2 == "" {
			alpha2 = "DE"
		}
		// cfg80211 answers with the radio's own domain (and names the radio)
		// only when asked for that radio.
		forRadio := len(greq.Data) > 0
		if k.regOwn && forRadio {
			alpha2 = "99"
		}
		attrs := []netlink.Attribute{
			{Type: unix.NL80211_ATTR_REG_ALPHA2, Data: nlenc.Bytes(alpha2)},
			{Type: unix.NL80211_ATTR_DFS_REGION, Data: []byte{unix.NL80211_DFS_ETSI}},
		}
		if k.regOwn && forRadio {
			attrs = append(attrs, netlink.Attribute{Type: unix.NL80211_ATTR_WIPHY, Data: nlenc.Uint32Bytes(testPhy)})
		}
		return []genetlink.Message{{Header: genetlink.Header{Command: unix.NL80211_CMD_GET_REG, Version: 1},
			Data: nltest.MustMarshalAttributes(attrs)}}, nil
	case unix.NL80211_CMD_GET_SCAN:
		k.dumped++
		var out []genetlink.Message
		bsses := k.bsses
		if k.dumps != nil {
			bsses = k.dumps[min(k.dumped, len(k.dumps))-1]
		}
		for _, b := range bsses {
			out = append(out, genetlink.Message{
				Header: genetlink.Header{Command: unix.NL80211_CMD_NEW_SCAN_RESULTS, Version: 1},
				Data: nltest.MustMarshalAttributes([]netlink.Attribute{
					{Type: unix.NL80211_ATTR_IFINDEX, Data: nlenc.Uint32Bytes(testIfindex)},
					{Type: unix.NL80211_ATTR_BSS | netlink.Nested, Data: b},
				}),
			})
		}
		if len(out) == 0 {
			return nil, errors.New("empty dump not modelled")
		}
		return out, nil
	}
	k.t.Errorf("unexpected command %d", greq.Header.Command)
	return nil, genltest.Error(int(unix.EOPNOTSUPP))
}

func ifaceMsg(index int, name string, phy int, typ uint32, _ int) genetlink.Message {
	attrs := []netlink.Attribute{
		{Type: unix.NL80211_ATTR_WIPHY, Data: nlenc.Uint32Bytes(uint32(phy))},
		{Type: unix.NL80211_ATTR_IFTYPE, Data: nlenc.Uint32Bytes(typ)},
	}
	if typ != unix.NL80211_IFTYPE_P2P_DEVICE {
		attrs = append(attrs,
			netlink.Attribute{Type: unix.NL80211_ATTR_IFINDEX, Data: nlenc.Uint32Bytes(uint32(index))},
			netlink.Attribute{Type: unix.NL80211_ATTR_IFNAME, Data: nlenc.Bytes(name)})
	}
	return genetlink.Message{
		Header: genetlink.Header{Command: unix.NL80211_CMD_NEW_INTERFACE, Version: 1},
		Data:   nltest.MustMarshalAttributes(attrs),
	}
}

// notif builds a "scan" group notification for a radio and interface.
func notif(cmd uint8, phy, ifindex int, freqs ...int) genetlink.Message {
	return notifSSIDs(cmd, phy, ifindex, nil, freqs...)
}

// notifSSIDs is notif for a scan that probed for ssids.
func notifSSIDs(cmd uint8, phy, ifindex int, ssids []string, freqs ...int) genetlink.Message {
	attrs := []netlink.Attribute{
		{Type: unix.NL80211_ATTR_WIPHY, Data: nlenc.Uint32Bytes(uint32(phy))},
		{Type: unix.NL80211_ATTR_IFINDEX, Data: nlenc.Uint32Bytes(uint32(ifindex))},
	}
	if ssids != nil {
		var ss []netlink.Attribute
		for i, x := range ssids {
			ss = append(ss, netlink.Attribute{Type: uint16(i), Data: []byte(x)})
		}
		attrs = append(attrs, netlink.Attribute{Type: unix.NL80211_ATTR_SCAN_SSIDS | netlink.Nested, Data: nltest.MustMarshalAttributes(ss)})
	}
	if len(freqs) > 0 {
		var fs []netlink.Attribute
		for i, f := range freqs {
			fs = append(fs, netlink.Attribute{Type: uint16(i), Data: nlenc.Uint32Bytes(uint32(f))})
		}
		attrs = append(attrs, netlink.Attribute{Type: unix.NL80211_ATTR_SCAN_FREQUENCIES | netlink.Nested, Data: nltest.MustMarshalAttributes(fs)})
	}
	return genetlink.Message{
		Header: genetlink.Header{Command: cmd, Version: 1},
		Data:   nltest.MustMarshalAttributes(attrs),
	}
}

func started() genetlink.Message { return notif(unix.NL80211_CMD_TRIGGER_SCAN, testPhy, testIfindex) }
func results(freqs ...int) genetlink.Message {
	return notif(unix.NL80211_CMD_NEW_SCAN_RESULTS, testPhy, testIfindex, freqs...)
}
func aborted() genetlink.Message { return notif(unix.NL80211_CMD_SCAN_ABORTED, testPhy, testIfindex) }

// bssAttrs builds an NL80211_ATTR_BSS payload.
func bssAttrs(mac string, freq int, mbm int32, ageMS uint32, capability uint16, ies []byte) []byte {
	hw, err := parseMAC(mac)
	if err != nil {
		panic(err)
	}
	return nltest.MustMarshalAttributes([]netlink.Attribute{
		{Type: unix.NL80211_BSS_BSSID, Data: hw},
		{Type: unix.NL80211_BSS_FREQUENCY, Data: nlenc.Uint32Bytes(uint32(freq))},
		{Type: unix.NL80211_BSS_CAPABILITY, Data: nlenc.Uint16Bytes(capability)},
		{Type: unix.NL80211_BSS_SIGNAL_MBM, Data: nlenc.Int32Bytes(mbm)},
		{Type: unix.NL80211_BSS_SEEN_MS_AGO, Data: nlenc.Uint32Bytes(ageMS)},
		{Type: unix.NL80211_BSS_INFORMATION_ELEMENTS, Data: ies},
	})
}

type rig struct {
	s      *NL80211
	k      *fakeKernel
	ev     *fakeEvents
	cmd    *testConn
	dialed int
}

func fastOptions() *Options {
	return &Options{BusyWait: 50 * time.Millisecond, ScanWait: 2 * time.Second,
		InitialBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}
}

func newRig(t *testing.T, opts *Options, steps ...step) *rig {
	t.Helper()
	ev := newFakeEvents()
	k := &fakeKernel{t: t, ev: ev, steps: steps}
	fam := genetlink.Family{ID: testFamily, Version: 1, Name: unix.NL80211_GENL_NAME,
		Groups: []genetlink.MulticastGroup{{ID: 5, Name: "config"}, {ID: testGroup, Name: "scan"}, {ID: 9, Name: "mlme"}}}
	cmd := &testConn{Conn: genltest.Dial(genltest.ServeFamily(fam, k.handle))}
	r := &rig{k: k, ev: ev, cmd: cmd}
	s, err := New(cmd, func() (EventConn, error) { r.dialed++; return ev, nil }, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	r.s = s
	return r
}

func nltestAttrs(attrs ...netlink.Attribute) []byte { return nltest.MustMarshalAttributes(attrs) }

func u32(v uint32) []byte { return nlenc.Uint32Bytes(v) }

func genetlinkFamilyNoScan() genetlink.Family {
	return genetlink.Family{ID: testFamily, Version: 1, Name: unix.NL80211_GENL_NAME,
		Groups: []genetlink.MulticastGroup{{ID: 5, Name: "config"}}}
}

func genltestDial(fam genetlink.Family) *genetlink.Conn {
	return genltest.Dial(genltest.ServeFamily(fam, func(genetlink.Message, netlink.Message) ([]genetlink.Message, error) {
		return nil, genltest.Error(int(unix.EOPNOTSUPP))
	}))
}

// testFreqs are the fake radio's enabled channels below 6 GHz; it also has
// 5200 MHz disabled and 5955 MHz (6 GHz) enabled. 2462 MHz is no-IR and
// 5180 MHz a radar (DFS) channel.
var testFreqs = []int{2412, 2437, 2462, 5180}

// wiphyMsgs is a split GET_WIPHY dump: the 2.4 GHz band in one message, the
// 5 and 6 GHz bands in the next.
func wiphyMsgs() []genetlink.Message {
	freq := func(i uint16, mhz uint32, disabled bool) netlink.Attribute {
		attrs := []netlink.Attribute{{Type: unix.NL80211_FREQUENCY_ATTR_FREQ, Data: nlenc.Uint32Bytes(mhz)}}
		if disabled {
			attrs = append(attrs, netlink.Attribute{Type: unix.NL80211_FREQUENCY_ATTR_DISABLED})
		}
		switch mhz {
		case 2462:
			attrs = append(attrs, netlink.Attribute{Type: unix.NL80211_FREQUENCY_ATTR_NO_IR})
		case 5180:
			attrs = append(attrs, netlink.Attribute{Type: unix.NL80211_FREQUENCY_ATTR_RADAR})
		}
		return netlink.Attribute{Type: i | netlink.Nested, Data: nltest.MustMarshalAttributes(attrs)}
	}
	band := func(idx uint16, fs ...netlink.Attribute) netlink.Attribute {
		return netlink.Attribute{Type: idx | netlink.Nested, Data: nltest.MustMarshalAttributes([]netlink.Attribute{
			{Type: unix.NL80211_BAND_ATTR_FREQS | netlink.Nested, Data: nltest.MustMarshalAttributes(fs)},
		})}
	}
	msg := func(bands ...netlink.Attribute) genetlink.Message {
		return genetlink.Message{Header: genetlink.Header{Command: unix.NL80211_CMD_NEW_WIPHY, Version: 1},
			Data: nltest.MustMarshalAttributes([]netlink.Attribute{
				{Type: unix.NL80211_ATTR_WIPHY, Data: nlenc.Uint32Bytes(testPhy)},
				{Type: unix.NL80211_ATTR_WIPHY_BANDS | netlink.Nested, Data: nltest.MustMarshalAttributes(bands)},
			})}
	}
	return []genetlink.Message{
		msg(band(0, freq(0, 2412, false), freq(1, 2437, false), freq(2, 2462, false))),
		msg(band(1, freq(0, 5180, false), freq(1, 5200, true)), band(3, freq(0, 5955, false))),
	}
}
