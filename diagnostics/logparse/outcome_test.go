package logparse

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// TestOutcomeNotShown: a diagnose report claims "joined" only when the log
// shows a join; a log with nothing relevant, or only a look-alike that no
// join follows, is "not_shown", and every report matches the schema.
func TestOutcomeNotShown(t *testing.T) {
	for _, tc := range []struct {
		name, log string
		want      [2]string // outcome, class
	}{
		{"unrelated", "Jan 10 10:00:00 host sshd[12]: Accepted publickey for root\n",
			[2]string{diagnostics.OutcomeNotShown, string(diagnostics.None)}},
		{"scan refused then completed", "" +
			"Jan 10 10:00:00 host wpa_supplicant[900]: wlan0: CTRL-EVENT-SCAN-FAILED ret=-16 retry=1\n" +
			"Jan 10 10:00:05 host wpa_supplicant[900]: wlan0: CTRL-EVENT-SCAN-RESULTS\n",
			[2]string{diagnostics.OutcomeNotShown, string(diagnostics.None)}},
		{"joined", "" +
			"Jan 10 10:00:00 host NetworkManager[800]: <info>  [1700000000.0000] device (wlan0): Activation: starting connection 'Lab' (1b2c)\n" +
			"Jan 10 10:00:04 host NetworkManager[800]: <info>  [1700000004.0000] device (wlan0): Activation: successful, device activated.\n",
			[2]string{diagnostics.OutcomeJoined, string(diagnostics.None)}},
		{"refusals", "" +
			"Jan 10 10:00:00 host wpa_supplicant[900]: wlan0: CTRL-EVENT-SCAN-FAILED ret=-16 retry=1\n" +
			"Jan 10 10:00:10 host wpa_supplicant[900]: wlan0: CTRL-EVENT-SCAN-FAILED ret=-16 retry=1\n",
			[2]string{diagnostics.OutcomeFailed, string(diagnostics.ScanBusy)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := diagnoseString(t, tc.log)
			if diff := cmp.Diff(tc.want, [2]string{rep.Outcome, string(rep.Class)}); diff != "" {
				t.Errorf("(outcome, class) (-want +got):\n%s", diff)
			}
		})
	}
}

// TestUnfinishedAttemptNotAFailure: an attempt still running when the log
// ends, with nothing failed, is neither a join nor a failure.
func TestUnfinishedAttemptNotAFailure(t *testing.T) {
	in := "" +
		"Jan 10 10:00:00 host NetworkManager[800]: <info>  [1700000000.0000] device (wlan0): Activation: starting connection 'Lab' (1b2c)\n" +
		"Jan 10 10:00:01 host NetworkManager[800]: <info>  [1700000001.0000] device (wlan0): state change: prepare -> config (reason 'none', sys-iface-state: 'managed')\n" +
		"Jan 10 10:00:01 host wpa_supplicant[900]: wlan0: SME: Trying to authenticate with aa:bb:cc:dd:ee:ff (SSID='Lab' freq=2437 MHz)\n"
	rep, err := Diagnose(context.Background(), strings.NewReader(in), Options{Year: 2024, MaxLineBytes: 4096})
	if err != nil {
		t.Fatal(err)
	}
	want := [3]string{diagnostics.OutcomeNotShown, string(diagnostics.None), "a join attempt began and the log ends before it ended, with no failure logged"}
	if diff := cmp.Diff(want, [3]string{rep.Outcome, string(rep.Class), rep.Detail}); diff != "" {
		t.Errorf("(outcome, class, detail) (-want +got):\n%s", diff)
	}
	validate(t, reportSchema(t), rep)
}
