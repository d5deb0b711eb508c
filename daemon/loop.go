package daemon

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/rs/zerolog"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/join"
	"github.com/hotspotctl/hotspotctl/nm"
)

// callTimeout bounds the main loop's short NetworkManager queries.
const callTimeout = 5 * time.Second

// loop is the main loop's state; only Run's goroutine touches it.
type loop struct {
	d   *Daemon
	ctx context.Context
	log zerolog.Logger

	nets      []Network
	job       *job
	queue     []*applyReq
	results   chan jobResult
	connected *Network
	ifname    string

	watch     <-chan diagnostics.Event
	watchStop func()
	// link is the device's state and active connection as the last link
	// check read them (zero until the first check after a join or adopt).
	link nm.Link

	bo       backoff.BackOff
	rotate   int
	retry    <-chan time.Time
	settle   <-chan time.Time
	debounce <-chan time.Time
	// linkCheck fires while connected (Options.LinkCheck): checkLink reads
	// the device's state in case its change was not signalled.
	linkCheck <-chan time.Time
	// supOut fires Options.SupplicantGrace after wpa_supplicant left
	// "completed" while connected, unless it came back first.
	supOut <-chan time.Time
}

type job struct {
	net       Network
	apply     *applyReq
	cancel    context.CancelFunc
	preempted bool
	// cancelled is set when the Join's caller cancelled it; waiters are
	// the Cancel calls answered once the join has stopped.
	cancelled bool
	waiters   []chan result
}

type jobResult struct {
	job *job
	rep *diagnostics.Report
	err error
}

func (l *loop) state(name string, ssid []byte) {
	l.linkCheck, l.supOut = nil, nil
	if name == "connected" {
		l.link = nm.Link{Path: l.link.Path} // a new baseline, same device
		l.armLinkCheck()
	}
	l.d.setStatus(func(s *status) { s.State, s.SSID = name, ssid })
	l.d.notify("STATUS=" + l.statusLine())
}

func (l *loop) statusLine() string {
	st := l.d.status()
	s := fmt.Sprintf("%s; %d networks", st.State, len(l.nets))
	if len(st.SSID) > 0 {
		s += "; ssid " + diagnostics.PrintableSSID(st.SSID)
	}
	if st.ConfigError != "" {
		s += "; configuration error: " + st.ConfigError
	}
	return s
}

// reload reads the configuration; a bad file keeps the last good one.
func (l *loop) reload(why string) {
	o := l.d.o
	admin, err := LoadDir(o.ConfigDir, o.CredentialsDir, false)
	var applied []Network
	if err == nil && o.StateDir != "" {
		applied, err = LoadDir(filepath.Join(o.StateDir, "networks"), o.CredentialsDir, true)
	}
	var (
		nets     []Network
		shadowed []Shadowed
	)
	if err == nil {
		nets, shadowed, err = mergeNetworks(admin, applied)
	}
	if err != nil {
		ev := l.log.Error().Err(err).Str("trigger", why)
		var ce *ConfigError
		if errors.As(err, &ce) {
			ev = ev.Str("file", ce.File).Int("line", ce.Line)
		}
		ev.Int("networks", len(l.nets)).Msg("configuration rejected; keeping the last good configuration: " + err.Error())
		l.d.setStatus(func(s *status) { s.ConfigError = err.Error() })
		l.d.notify("STATUS=" + l.statusLine())
		return
	}
	for _, sh := range shadowed {
		l.log.Warn().Str("file", sh.File).Str("ssid", diagnostics.PrintableSSID(sh.SSID)).Str("shadowed_by", sh.ShadowedBy).
			Str("trigger", why).Msg("stored network skipped: the administrator's file for the same SSID wins (Remove deletes the stored copy)")
	}
	changed := !sameNetworks(l.nets, nets)
	l.nets = nets
	ssids := make([][]byte, len(nets))
	names := make([]string, len(nets))
	for i, n := range nets {
		ssids[i] = n.SSID
		names[i] = diagnostics.PrintableSSID(n.SSID)
	}
	l.d.setStatus(func(s *status) { s.ConfigError, s.Networks = "", ssids })
	l.log.Info().Str("trigger", why).Strs("ssids", names).Msg("configuration loaded")
	l.d.notify("STATUS=" + l.statusLine())
	if changed && why != "start" && l.connected == nil && l.job == nil {
		l.bo.Reset()
		l.schedule(0)
	}
}

func sameNetworks(a, b []Network) bool {
	return slices.EqualFunc(a, b, func(x, y Network) bool {
		return bytes.Equal(x.SSID, y.SSID) && x.Priority == y.Priority && x.Hidden == y.Hidden &&
			x.Security == y.Security && x.BSSID == y.BSSID && x.Passphrase == y.Passphrase
	})
}

// schedule sets the next automatic join attempt.
func (l *loop) schedule(d time.Duration) {
	l.retry = l.d.o.Clock.After(d)
	at := l.d.o.Clock.Now().Add(d)
	l.d.setStatus(func(s *status) { s.NextRetry = at })
}

func (l *loop) scheduleBackoff() {
	d := l.bo.NextBackOff()
	if d == backoff.Stop {
		d = l.d.o.MaxBackoff
	}
	l.schedule(d)
	l.log.Info().Dur("delay", d).Msg("next join attempt scheduled")
}

// startAuto joins the best available configured network unless a join is
// running, queued, or the machine is already joined.
func (l *loop) startAuto() {
	if l.job != nil || len(l.queue) > 0 || l.connected != nil {
		return
	}
	if len(l.nets) == 0 {
		l.state("no-networks", nil)
		return
	}
	n := l.pick()
	l.start(&job{net: n})
}

// pick chooses the network to join: among configured networks that
// NetworkManager currently sees (hidden ones always count), the highest
// priority, then the strongest signal; after failures it rotates through the
// candidates so that one failing network cannot starve the others. When none
// is visible it rotates through all of them, and the join's own scans decide.
func (l *loop) pick() Network {
	ctx, cancel := context.WithTimeout(l.ctx, callTimeout)
	defer cancel()
	strength := map[string]int{}
	if dev, err := l.d.o.Backend.Device(ctx, l.ifname); err == nil {
		if aps, err := l.d.o.Backend.AccessPoints(ctx, dev); err == nil {
			for _, ap := range aps {
				if s := int(ap.Strength); len(ap.SSID) > 0 && s+1 > strength[string(ap.SSID)] {
					strength[string(ap.SSID)] = s + 1
				}
			}
		}
	}
	var cands []Network
	for _, n := range l.nets {
		if strength[string(n.SSID)] > 0 || n.Hidden {
			cands = append(cands, n)
		}
	}
	if len(cands) == 0 {
		cands = slices.Clone(l.nets)
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].Priority != cands[j].Priority {
			return cands[i].Priority > cands[j].Priority
		}
		return strength[string(cands[i].SSID)] > strength[string(cands[j].SSID)]
	})
	return cands[l.rotate%len(cands)]
}

func (l *loop) start(j *job) {
	l.stopWatch()
	timeout := l.d.o.JoinTimeout
	req := join.Request{SSID: j.net.SSID, Ifname: l.d.o.Ifname, Hidden: j.net.Hidden, BSSID: j.net.BSSID,
		Security: j.net.Security, Passphrase: j.net.Passphrase, Attempts: l.d.o.Attempts}
	if j.apply != nil {
		req.Once = j.apply.once
		if j.apply.timeout > 0 {
			timeout = j.apply.timeout
		}
		if j.apply.attempts > 0 {
			req.Attempts = j.apply.attempts
		}
	}
	if j.apply != nil && j.apply.oneShot {
		// A Join runs the caller's request as given, field for field, so
		// that it does what the same "hotspotctl join" does alone.
		req = j.apply.req
		if req.Attempts == 0 {
			req.Attempts = l.d.o.Attempts
		}
		if req.Timeout > 0 {
			timeout = req.Timeout
		}
	}
	req.Timeout = timeout
	jctx, cancel := context.WithTimeout(l.ctx, timeout)
	j.cancel = cancel
	l.job = j
	l.log.Info().Str("ssid", diagnostics.PrintableSSID(j.net.SSID)).Str("network", j.net.Name).Str("source", j.source()).
		Str("interface", req.Ifname).Bool("once", req.Once).Dur("timeout", timeout).Dur("scan_window", req.ScanWindow).Msg("joining")
	l.state("joining", j.net.SSID)
	results := l.results
	joiner := l.d.joiner
	go func() {
		rep, err := joiner.Join(jctx, req)
		cancel()
		results <- jobResult{job: j, rep: rep, err: err}
	}()
}

// source names where a job came from, for the journal.
func (j *job) source() string {
	switch {
	case j.apply == nil:
		return "config"
	case j.apply.oneShot:
		return "join"
	}
	return "apply"
}

func (l *loop) request(r any) {
	switch r := r.(type) {
	case *cancelReq:
		l.cancelJoin(r)
	case *applyReq:
		l.queue = append(l.queue, r)
		if l.job != nil && l.job.apply == nil {
			// A request from a program beats the automatic join.
			l.job.preempted = true
			l.job.cancel()
			return
		}
		l.next()
	case *removeReq:
		r.reply <- l.remove(r.ssid)
	}
}

// remove handles Remove: it deletes the copy of ssid stored through Apply,
// also when an administrator's file shadows it. An SSID with no stored copy
// is InvalidInput, naming the administrator's file when there is one.
func (l *loop) remove(ssid []byte) result {
	dir := filepath.Join(l.d.o.StateDir, "networks")
	stored := false
	if l.d.o.StateDir != "" {
		_, err := os.Lstat(filepath.Join(dir, appliedFileName(ssid)+".conf"))
		stored = err == nil
	}
	if !stored {
		i := slices.IndexFunc(l.nets, func(n Network) bool { return bytes.Equal(n.SSID, ssid) })
		if i < 0 {
			return result{err: fmt.Errorf("%w: ssid %q is not configured", ErrInvalidInput, diagnostics.PrintableSSID(ssid))}
		}
		return result{err: fmt.Errorf("%w: ssid %q is configured by the administrator in %s; delete that file instead",
			ErrInvalidInput, diagnostics.PrintableSSID(ssid), l.nets[i].File)}
	}
	if err := removeApplied(dir, ssid); err != nil {
		return result{err: err}
	}
	l.log.Info().Str("ssid", diagnostics.PrintableSSID(ssid)).Msg("network removed")
	l.reload("remove")
	return result{}
}

// cancelJoin handles Cancel: a queued Join of that caller is dropped and
// answered Cancelled at once; a running one is cancelled and Cancel is
// answered when it has stopped (finished), so that a caller that gives up
// knows the daemon will not go on joining behind its back.
func (l *loop) cancelJoin(r *cancelReq) {
	match := func(a *applyReq) bool { return a != nil && a.oneShot && a.id == r.id && a.sender == r.sender }
	if i := slices.IndexFunc(l.queue, match); i >= 0 {
		q := l.queue[i]
		l.queue = slices.Delete(l.queue, i, i+1)
		l.log.Info().Str("ssid", diagnostics.PrintableSSID(q.net.SSID)).Str("request_id", q.id).Msg("queued join cancelled by its caller")
		q.reply <- result{err: ErrCancelled}
		r.reply <- result{}
		return
	}
	if l.job != nil && match(l.job.apply) {
		if !l.job.cancelled {
			l.log.Info().Str("ssid", diagnostics.PrintableSSID(l.job.net.SSID)).Str("request_id", r.id).Msg("cancelling the join at its caller's request")
		}
		l.job.cancelled = true
		l.job.waiters = append(l.job.waiters, r.reply)
		l.job.cancel()
		return
	}
	r.reply <- result{err: fmt.Errorf("%w: no queued or running join with request_id %q from this caller", ErrInvalidInput, r.id)}
}

// callerGone reports whether a Join's caller has left the bus (a CLI
// killed while its request was queued): the daemon then does not run a join
// nobody waits for. Without a bus, or when the bus does not answer, the
// caller counts as present.
func (l *loop) callerGone(r *applyReq) bool {
	if r.sender == "" || l.d.o.Bus == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(l.ctx, callTimeout)
	defer cancel()
	var has bool
	err := l.d.o.Bus.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, r.sender).Store(&has)
	return err == nil && !has
}

// next starts the oldest queued Apply or Join when nothing runs.
func (l *loop) next() {
	for l.job == nil && len(l.queue) > 0 {
		r := l.queue[0]
		l.queue = l.queue[1:]
		if r.oneShot && l.callerGone(r) {
			l.log.Info().Str("ssid", diagnostics.PrintableSSID(r.net.SSID)).Str("request_id", r.id).Msg("queued join dropped: its caller left the bus")
			r.reply <- result{err: ErrCancelled}
			continue
		}
		l.start(&job{net: r.net, apply: r})
	}
}

func (l *loop) finished(res jobResult) {
	j := res.job
	l.job = nil
	if j.cancelled {
		// The caller gave up and has its own answer; the report of a
		// cancelled join would only say "deadline".
		l.log.Info().Str("ssid", diagnostics.PrintableSSID(j.net.SSID)).Msg("join cancelled by its caller; no report written")
		j.apply.reply <- result{err: ErrCancelled}
		l.next()
		if l.job == nil && l.ctx.Err() == nil {
			// The cancelled join may have left the device anywhere:
			// adopt what is still joined, or join again.
			l.state("waiting", nil)
			l.checkConnected("join cancelled")
		}
		for _, w := range j.waiters {
			w <- result{}
		}
		return
	}
	if j.preempted || l.ctx.Err() != nil {
		l.log.Info().Str("ssid", diagnostics.PrintableSSID(j.net.SSID)).Msg("join abandoned (superseded or stopping); no report written")
		if j.apply != nil {
			j.apply.reply <- result{err: ErrStopping}
		}
		l.next()
		if l.job == nil && l.ctx.Err() == nil {
			l.schedule(0)
		}
		return
	}
	rep := res.rep
	rep.Mode = "daemon"
	var reply result
	// The caller is answered last, when Status and List already tell what
	// this join changed.
	defer func() {
		if j.apply != nil {
			j.apply.reply <- reply
		}
	}()
	b, err := rep.Marshal()
	ok := rep.Class == diagnostics.None
	if err != nil {
		// Only the JSON encoder can fail here; there is no report to give.
		l.log.Error().Err(err).Str("ssid", rep.SSID).Str("class", string(rep.Class)).Msg("report could not be encoded")
		reply = result{err: fmt.Errorf("encode report: %w", err)}
	} else {
		path := ""
		if !ok && l.d.o.Reports != nil {
			if path, err = l.d.o.Reports.SaveJSON(rep, b); err != nil {
				l.log.Error().Err(err).Msg("cannot write the report")
			}
		}
		l.logReport(rep, path, j)
		l.d.setStatus(func(s *status) {
			s.LastReport, s.LastClass, s.LastTime, s.Iface = string(b), rep.Class, rep.Ended, rep.Interface
			s.Joins++
			if !ok {
				s.Failures++
			}
		})
		if l.d.o.Bus != nil {
			if err := l.d.o.Bus.Emit(ObjectPath, Interface+".JoinFinished", string(b)); err != nil {
				l.log.Warn().Err(err).Msg("cannot emit JoinFinished")
			}
		}
		reply = result{json: string(b)}
	}
	if j.apply != nil && j.apply.oneShot && j.apply.req.Ifname != "" && l.d.o.Ifname != "" && j.apply.req.Ifname != l.d.o.Ifname {
		// A Join on another interface than the one the daemon keeps
		// joined changes nothing the daemon follows: go back to following
		// our own device (start stopped the watch and the link check).
		l.startWatch()
		if l.connected != nil {
			l.state("connected", l.connected.SSID)
		} else {
			l.state("waiting", nil)
			if len(l.queue) == 0 && l.retry == nil {
				l.schedule(0)
			}
		}
		l.next()
		return
	}
	if rep.Interface != "" {
		l.ifname = rep.Interface
	}
	if ok {
		l.rotate = 0
		l.bo.Reset()
		l.retry = nil
		l.d.setStatus(func(s *status) { s.NextRetry = time.Time{} })
		n := j.net
		if len(n.SSID) == 0 {
			// A Join by SSID prefix: the report names the SSID chosen.
			n.SSID, _ = hex.DecodeString(rep.SSIDHex)
		}
		l.connected = &n
		if j.apply != nil && !j.apply.once && !j.apply.oneShot {
			l.persist(j.net)
		}
		l.startWatch()
		l.state("connected", n.SSID)
	} else {
		prev := l.connected
		l.connected = nil
		l.rotate++
		l.startWatch()
		// A failed Apply or Join may never have touched the connection
		// (a scan that found nothing ends before any activation): when the
		// device is still on the network the daemon had, keep it instead of
		// "rejoining" a network it is on.
		if j.apply != nil && prev != nil && l.adoptIfJoined("requested join failed", prev) {
			l.next()
			return
		}
		l.state("waiting", nil)
		if len(l.queue) == 0 {
			l.scheduleBackoff()
		}
	}
	l.next()
}

// logReport puts a join's outcome in the journal as structured fields, none
// of which can hold a secret (see diagnostics.Report.Marshal).
func (l *loop) logReport(rep *diagnostics.Report, path string, j *job) {
	ev := l.log.Info()
	msg := "joined " + rep.SSID
	if rep.Class != diagnostics.None {
		ev = l.log.Warn()
		msg = fmt.Sprintf("join failed: %s: %s", rep.Class, rep.Detail)
	}
	src := j.source()
	ev.Str("class", string(rep.Class)).Str("outcome", rep.Outcome).Str("detail", rep.Detail).
		Str("ssid", rep.SSID).Str("ssid_hex", rep.SSIDHex).Str("bssid", rep.BSSID).Str("interface", rep.Interface).
		Str("ip4", rep.IP4).Int("attempts", len(rep.Attempts)).Strs("hints", rep.Hints).Str("report", path).
		Str("source", src).Int64("duration_ms", rep.Ended.Sub(rep.Started).Milliseconds()).Msg(msg)
}

// persist stores a network joined through Apply (without once) in the state
// directory, so the daemon keeps it joined from now on.
func (l *loop) persist(n Network) {
	if l.d.o.StateDir == "" {
		return
	}
	for _, o := range l.nets {
		if bytes.Equal(o.SSID, n.SSID) && !o.Applied {
			return // the administrator's file wins
		}
	}
	p, err := writeApplied(filepath.Join(l.d.o.StateDir, "networks"), n)
	if err != nil {
		l.log.Error().Err(err).Msg("cannot store the applied network")
		return
	}
	l.log.Info().Str("file", p).Str("ssid", diagnostics.PrintableSSID(n.SSID)).Msg("network stored")
	l.reload("apply")
}

// startWatch follows the device's events to notice a loss and the return of
// what a failed join lacked (radio, NetworkManager, the device).
func (l *loop) startWatch() {
	if l.watch != nil || l.ctx.Err() != nil {
		return
	}
	ctx, cancel := context.WithTimeout(l.ctx, callTimeout)
	dev, err := l.d.o.Backend.Device(ctx, l.ifname)
	cancel()
	if err != nil {
		dev = nm.Device{Ifname: l.ifname}
	} else if dev.Ifname == l.ifname || l.ifname == "" {
		l.link.Path = dev.Path // the link check's first call needs no look-up
	}
	ch, stop, err := l.d.o.Backend.Events(l.ctx, dev)
	if err != nil {
		l.log.Warn().Err(err).Msg("cannot follow NetworkManager events; relying on the retry timer")
		return
	}
	l.watch, l.watchStop = ch, stop
	l.log.Debug().Str("interface", dev.Ifname).Str("device", string(dev.Path)).Msg("following the device's events")
}

func (l *loop) stopWatch() {
	if l.watchStop != nil {
		stop := l.watchStop
		l.watch, l.watchStop = nil, nil
		stop()
	}
}

// event reacts to one NetworkManager or wpa_supplicant event between joins.
func (l *loop) event(e diagnostics.Event) {
	if e.Kind == diagnostics.KindDeviceState {
		l.log.Debug().Str("state", e.State).Str("old_state", e.OldState).Str("reason", e.Name).Bool("connected", l.connected != nil).Msg("device state")
	}
	if e.Kind == diagnostics.KindSupplicantState && l.connected != nil {
		// NetworkManager keeps the device activated while wpa_supplicant
		// reconnects; only a supplicant that stays away past the grace
		// while NetworkManager still says activated is a loss nobody
		// signalled (the device's own state change decides otherwise).
		switch {
		case e.State == "completed":
			l.supOut = nil
		case e.State != "" && l.supOut == nil:
			l.supOut = l.d.o.Clock.After(l.d.o.SupplicantGrace)
		}
	}
	switch {
	case e.Kind == diagnostics.KindDeviceState && e.OldState == "activated" && e.State != "activated":
		if l.connected != nil {
			l.lost(fmt.Sprintf("device left activated for %s (%s)", e.State, e.Name))
			l.schedule(0)
		}
	case e.Kind == diagnostics.KindRadio && e.Failed():
		if l.connected != nil {
			l.lost("Wi-Fi radio off (" + e.Name + ")")
			l.scheduleBackoff()
		}
	case e.Kind == diagnostics.KindRadio && e.Succeeded():
		if l.connected == nil && l.job == nil {
			l.log.Info().Msg("Wi-Fi radio back on")
			l.bo.Reset()
			l.schedule(time.Second)
		}
	case e.Kind == diagnostics.KindBackend && e.Source == diagnostics.SourceNM && e.Failed():
		l.log.Warn().Msg("NetworkManager left the bus")
		l.state("backend-gone", nil)
	case e.Kind == diagnostics.KindBackend && e.Source == diagnostics.SourceNM && e.Succeeded():
		l.log.Info().Msg("NetworkManager is back; checking the connection")
		l.settle = l.d.o.Clock.After(l.d.o.Settle)
	case e.Kind == diagnostics.KindDeviceState && e.State == "disconnected" && (e.OldState == "unavailable" || e.OldState == "unmanaged"):
		if l.connected == nil && l.job == nil {
			l.log.Info().Msg("Wi-Fi device available again")
			l.bo.Reset()
			l.schedule(time.Second)
		}
	}
}

// checkLink runs every Options.LinkCheck while connected and idle: it asks
// NetworkManager whether the device is still activated on the network the
// daemon joined. The device's StateChanged signal normally says so first;
// this catches a loss whose signal never arrived (the lab's service suite
// once saw the daemon stay "connected" for four minutes after its AP went,
// with no loss logged). A query that fails changes nothing: NetworkManager
// leaving the bus is its own event.
func (l *loop) checkLink() {
	if l.connected == nil || l.job != nil {
		return
	}
	if l.watch == nil {
		// startWatch failed earlier (it only logs): try again, or the
		// daemon stays deaf to every other event while joined.
		l.startWatch()
	}
	ctx, cancel := context.WithTimeout(l.ctx, callTimeout)
	defer cancel()
	dev := nm.Device{Ifname: l.ifname, Path: l.link.Path}
	lk, err := l.d.o.Backend.Link(ctx, dev)
	if dev.Path != "" && (err != nil || (l.ifname != "" && lk.Ifname != l.ifname)) {
		// Stale path: gone, or reused for another device after a
		// NetworkManager restart. Look the interface up again.
		lk, err = l.d.o.Backend.Link(ctx, nm.Device{Ifname: l.ifname})
	}
	if err != nil {
		l.log.Debug().Err(err).Msg("link check: NetworkManager did not answer")
		l.armLinkCheck()
		return
	}
	prev := l.link
	if lk.State == 100 && prev.ActiveConnection != "" && prev.Path == lk.Path && prev.ActiveConnection == lk.ActiveConnection {
		l.armLinkCheck()
		return
	}
	why := fmt.Sprintf("device is %s", diagnostics.DeviceStateName(lk.State))
	if lk.State == 100 {
		// First check since joining, another device path, or another
		// activation: which network is it on?
		st, err := l.d.o.Backend.Status(ctx, nm.Device{Ifname: l.ifname, Path: lk.Path})
		if len(st.SSID) == 0 {
			// Not known yet (no current AP, a failed query): keep the old
			// baseline so that the next check asks again.
			l.link.Path = lk.Path
			l.log.Debug().Err(err).Msg("link check: activated, SSID not known yet")
			l.armLinkCheck()
			return
		}
		if bytes.Equal(st.SSID, l.connected.SSID) {
			l.link = lk
			l.armLinkCheck()
			return
		}
		why = "device is on another network (" + diagnostics.PrintableSSID(st.SSID) + ")"
	}
	l.link = lk
	if l.drainWatch() {
		return // the signal was only queued behind this check: event handled it
	}
	l.log.Warn().Str("found", why).Msg("link check: the device left our network without a state-change signal reaching the daemon")
	l.lost(why + " (found by the periodic link check)")
	l.schedule(0)
}

// drainWatch handles the events already queued on the watch, without
// waiting, and reports whether one of them ended the connection.
func (l *loop) drainWatch() bool {
drain:
	for l.watch != nil && l.connected != nil {
		select {
		case e, ok := <-l.watch:
			if !ok {
				return false // Run sees the closed channel next
			}
			l.event(e)
		default:
			break drain
		}
	}
	// An event may also have moved the daemon out of "connected" without a
	// loss (NetworkManager left the bus: backend-gone).
	return l.connected == nil || l.d.status().State != "connected"
}

func (l *loop) armLinkCheck() {
	if l.d.o.LinkCheck > 0 && l.connected != nil {
		l.linkCheck = l.d.o.Clock.After(l.d.o.LinkCheck)
	}
}

func (l *loop) lost(why string) {
	ssid := l.connected.SSID
	l.log.Warn().Str("ssid", diagnostics.PrintableSSID(ssid)).Str("reason", why).Msg("network lost; rejoining")
	l.connected = nil
	l.bo.Reset()
	l.state("lost", nil)
}

// checkConnected runs at start and after NetworkManager returned: the
// device may already be joined to a configured network (NetworkManager keeps
// connections over its own restart, and over ours), which is then adopted
// without a rejoin; otherwise a join is scheduled now.
func (l *loop) checkConnected(why string) {
	if l.job != nil {
		return
	}
	ctx, cancel := context.WithTimeout(l.ctx, callTimeout)
	defer cancel()
	dev, err := l.d.o.Backend.Device(ctx, l.ifname)
	var st nm.Status
	if err == nil {
		st, err = l.d.o.Backend.Status(ctx, dev)
	}
	if err == nil && l.adopt(why, dev, st, l.connected) {
		return
	}
	state := ""
	if err == nil {
		state = dev.StateName()
		if len(st.SSID) > 0 {
			state += " on " + diagnostics.PrintableSSID(st.SSID)
		}
	} else {
		state = err.Error()
	}
	l.log.Info().Str("device", state).Str("trigger", why).Msg("not joined to a configured network; joining")
	l.connected = nil
	l.bo.Reset()
	l.schedule(0)
}

// adopt takes the device's current connection as the daemon's own when it
// is activated on a configured network or on was (the network the daemon
// had), and reports whether it did.
func (l *loop) adopt(why string, dev nm.Device, st nm.Status, was *Network) bool {
	if dev.State != 100 || len(st.SSID) == 0 {
		return false
	}
	known := slices.IndexFunc(l.nets, func(n Network) bool { return bytes.Equal(n.SSID, st.SSID) })
	switch {
	case known >= 0:
		n := l.nets[known]
		l.connected = &n
	case was != nil && bytes.Equal(st.SSID, was.SSID):
		l.connected = was
	default:
		return false
	}
	l.ifname = dev.Ifname
	l.d.setStatus(func(s *status) { s.Iface = dev.Ifname })
	l.log.Info().Str("ssid", diagnostics.PrintableSSID(st.SSID)).Str("bssid", st.BSSID).Str("trigger", why).
		Msg("already joined to a configured network")
	l.retry = nil
	l.d.setStatus(func(s *status) { s.NextRetry = time.Time{} })
	l.startWatch()
	l.state("connected", st.SSID)
	return true
}

// adoptIfJoined is adopt after asking NetworkManager for the device's
// state; a failed query adopts nothing.
func (l *loop) adoptIfJoined(why string, was *Network) bool {
	ctx, cancel := context.WithTimeout(l.ctx, callTimeout)
	defer cancel()
	dev, err := l.d.o.Backend.Device(ctx, l.ifname)
	if err != nil {
		return false
	}
	st, err := l.d.o.Backend.Status(ctx, dev)
	return err == nil && l.adopt(why, dev, st, was)
}

// shutdown cancels an in-flight join (its report is abandoned, never half
// written), answers queued calls and stops following events.
func (l *loop) shutdown() {
	l.d.notify("STOPPING=1")
	l.log.Info().Msg("stopping")
	if l.job != nil {
		l.job.cancel()
		select {
		case res := <-l.results:
			if res.job.apply != nil {
				res.job.apply.reply <- result{err: ErrStopping}
			}
			for _, w := range res.job.waiters {
				w <- result{}
			}
		case <-time.After(10 * time.Second):
			l.log.Warn().Msg("join did not stop within 10s; leaving it")
		}
		l.job = nil
	}
	for _, r := range l.queue {
		r.reply <- result{err: ErrStopping}
	}
	l.queue = nil
	l.stopWatch()
}
