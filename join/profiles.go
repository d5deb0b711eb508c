package join

import (
	"context"
	"errors"
	"time"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/nm"
)

// Bounds for the clean-up calls, which run on a context detached from the
// join's (the join's may have ended: deadline, Ctrl-C) so that a failed join
// still leaves the user's profiles and connection as they were.
const (
	settleTimeout  = 5 * time.Second
	restoreTimeout = 15 * time.Second // NetworkManager needs a few seconds to reconnect
)

// settle finishes one attempt's activation. A join that succeeded commits
// its profile (written to disk and replacing the SSID's older profiles on
// that interface, unless it is volatile); only then, because a failed join
// must leave the old profile exactly as it was. A failed attempt deletes its
// new profile (NetworkManager has usually deleted it already: it was added
// volatile) and remembers the connection it displaced, which
// restorePrevious brings back once the whole join has failed (not between
// retries, which would only fight the next attempt). Outcomes are recorded
// as note events in the attempt after its classification; they never change
// the verdict.
func (j *Joiner) settle(ctx context.Context, act nm.Activation, res *attemptResult, st *joinState) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
	defer cancel()
	if res.Class == diagnostics.None {
		if err := j.nm.Commit(cctx, act); err != nil {
			res.Events = append(res.Events, diagnostics.Event{Time: j.now(), Source: diagnostics.SourceHotspotctl, Kind: diagnostics.KindNote,
				OK: diagnostics.Bool(false), Name: "profile-commit", Message: "joined, but the profile could not be saved: " + err.Error()})
			st.hints = append(st.hints, "the profile was not saved and the old profile for this network was kept; join again to save it")
		}
		return
	}
	if err := j.nm.Discard(cctx, act); err != nil {
		res.Events = append(res.Events, diagnostics.Event{Time: j.now(), Source: diagnostics.SourceHotspotctl, Kind: diagnostics.KindNote,
			OK: diagnostics.Bool(false), Name: "profile-discard", Message: "the failed attempt's profile could not be deleted: " + err.Error()})
	}
	if st.previous == nil && act.Previous != "" {
		a := act
		st.previous = &a
	}
}

// restorePrevious re-activates the connection the failed join displaced,
// best effort and bounded by restoreTimeout, and records the outcome as a
// note event (name "restore-previous") in the last attempt.
func (j *Joiner) restorePrevious(ctx context.Context, st *joinState, last *diagnostics.Attempt) {
	if st.previous == nil {
		return
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), restoreTimeout)
	defer cancel()
	err := j.nm.Restore(rctx, *st.previous)
	ev := diagnostics.Event{Time: j.now(), Source: diagnostics.SourceHotspotctl, Kind: diagnostics.KindNote, Name: "restore-previous",
		OK: diagnostics.Bool(err == nil)}
	name := diagnostics.PrintableSSID([]byte(st.previous.PreviousID))
	switch {
	case err == nil:
		ev.Message = "re-activated the previous connection " + name
	case errors.Is(err, nm.ErrDeviceBusy):
		ev.Message = "left the previous connection " + name + " alone: another connection is already active"
	default:
		ev.Message = "could not re-activate the previous connection " + name + ": " + err.Error()
		st.hints = append(st.hints, "the previous connection "+name+" is down; bring it back with nmcli connection up")
	}
	last.Events = append(last.Events, ev)
}
