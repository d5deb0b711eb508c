package join

import (
	"context"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// TestDecideAssocRejectedReadsTypedCause: whether an assoc_rejected attempt
// is retried follows the verdict's typed cause (Timeout, StatusCode), not
// its wording: a detail that mentions a timeout or a status 17 in passing
// changes nothing.
func TestDecideAssocRejectedReadsTypedCause(t *testing.T) {
	for _, tc := range []struct {
		name  string
		a     diagnostics.Attempt
		retry bool
	}{
		{"association timed out", diagnostics.Attempt{Detail: "association timed out", Timeout: diagnostics.TimeoutAssociation}, true},
		{"authentication never answered", diagnostics.Attempt{Detail: "authentication timed out: found and tried 4 time(s)", Timeout: diagnostics.TimeoutAuthentication}, true},
		{"AP full", diagnostics.Attempt{Detail: "association rejected: status 17 (AP unable to handle additional associated stations)", StatusCode: 17}, true},
		{"comeback later", diagnostics.Attempt{Detail: "association rejected: status 30", StatusCode: 30}, true},
		{"refused outright", diagnostics.Attempt{Detail: "association rejected: status 1 (unspecified failure)", StatusCode: 1}, false},
		{"wording alone is not a cause", diagnostics.Attempt{Detail: "association rejected: status 1; an earlier try timed out (status 17 before)", StatusCode: 1}, false},
		{"a loop of tries", diagnostics.Attempt{Detail: "4 tries to authenticate with aa:bb:cc:dd:ee:ff and none completed"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := &Joiner{}
			j.opts.Clock = realClock{}
			a := tc.a
			a.Class = diagnostics.AssocRejected
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			retry, _, why := j.decide(ctx, &Request{Attempts: 3}, 1, &a, &joinState{}, backoff.NewConstantBackOff(time.Millisecond))
			if diff := cmp.Diff(tc.retry, retry); diff != "" {
				t.Errorf("retry (-want +got):\n%s\nreason: %s", diff, why)
			}
		})
	}
}
