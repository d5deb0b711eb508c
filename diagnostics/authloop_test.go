package diagnostics

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAuthLoopDetail: the loop's detail names what was tried: SME's tries
// to authenticate, or a driver without SME's tries to associate.
func TestAuthLoopDetail(t *testing.T) {
	try := func(name string) Event {
		return Event{Source: SourceSupplicant, Kind: KindNote, Name: name, BSSID: "58:bc:27:5d:54:d0"}
	}
	for _, tc := range []struct {
		name string
		want string
	}{
		{NoteTryAuth, "3 tries to authenticate with 58:bc:27:5d:54:d0 and none completed"},
		{NoteTryAssoc, "3 tries to associate with 58:bc:27:5d:54:d0 and none completed"},
	} {
		v := Classify(seq(try(tc.name), try(tc.name), try(tc.name)))
		if diff := cmp.Diff([2]string{string(AssocRejected), tc.want}, [2]string{string(v.Class), v.Detail}); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", tc.name, diff)
		}
	}
}
