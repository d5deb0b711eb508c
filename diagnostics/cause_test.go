package diagnostics

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestVerdictCause: the rules that end in assoc_rejected say their cause in
// typed fields, which the retry policy reads.
func TestVerdictCause(t *testing.T) {
	type cause struct {
		Class      Class
		StatusCode int
		Timeout    string
	}
	for _, tc := range []struct {
		name string
		evs  []Event
		want cause
	}{
		{"status 17", seq(Event{Source: SourceSupplicant, Kind: KindAssocStatus, Code: 17}, dev("config", "failed", 0)),
			cause{AssocRejected, 17, ""}},
		{"association timeout", seq(Event{Source: SourceSupplicant, Kind: KindAssocTimeout}, dev("config", "failed", 0)),
			cause{AssocRejected, 0, TimeoutAssociation}},
		{"authentication timeout", seq(Event{Source: SourceSupplicant, Kind: KindAuthTimeout}, dev("config", "failed", 0)),
			cause{AssocRejected, 0, TimeoutAuthentication}},
		{"supplicant timeout", seq(dev("config", "failed", int(ReasonSupplicantTimeout))),
			cause{AssocRejected, 0, TimeoutAssociation}},
		{"supplicant disconnect is no timeout", seq(dev("config", "failed", int(ReasonSupplicantDisconn))),
			cause{AssocRejected, 0, ""}},
	} {
		v := Classify(tc.evs)
		if diff := cmp.Diff(tc.want, cause{v.Class, v.StatusCode, v.Timeout}); diff != "" {
			t.Errorf("%s: (-want +got):\n%s\ndetail: %s", tc.name, diff, v.Detail)
		}
	}
}
