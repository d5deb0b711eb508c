package diagnostics

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNoSecretAgent: NetworkManager's no-secrets after "No agents were
// available" with no association is wrong_key with Secrets no_agent (no key
// was tried); after a handshake it is a rejected key as before.
func TestNoSecretAgent(t *testing.T) {
	type got struct {
		Class   Class
		Secrets string
	}
	agent := Event{Source: SourceNM, Kind: KindNote, Name: NoteNoSecretAgent}
	required := Event{Source: SourceNM, Kind: KindNote, Name: NoteSecretsRequired}
	failed := dev("need-auth", "failed", int(ReasonNoSecrets))
	for _, tc := range []struct {
		name string
		evs  []Event
		want got
	}{
		{"no agent, never associated (lab: no-agent)", seq(dev("disconnected", "prepare", 0), dev("prepare", "config", 0), required, dev("config", "need-auth", 0), agent, failed),
			got{WrongKey, SecretsNoAgent}},
		{"an excerpt without the secrets-required line", seq(dev("prepare", "config", 0), dev("config", "need-auth", 0), agent, failed),
			got{WrongKey, ""}},
		{"need-auth for a supplicant disconnect: the key was tried", seq(dev("prepare", "config", 0), required, dev("config", "need-auth", int(ReasonSupplicantDisconn)), agent, failed),
			got{WrongKey, ""}},
		{"association took too long, then asking again", seq(dev("prepare", "config", 0), required,
			Event{Source: SourceNM, Kind: KindNote, Name: "association took too long"}, dev("config", "need-auth", 0), agent, failed),
			got{WrongKey, ""}},
		{"no agent after a failed handshake: the key was tried", seq(dev("prepare", "config", 0), sup("associating"), sup("4way_handshake"),
			Event{Source: SourceSupplicant, Kind: KindDisconnect, Code: 15}, dev("config", "need-auth", 0), agent, failed),
			got{WrongKey, ""}},
		{"no-secrets without the agent line", seq(dev("prepare", "config", 0), dev("config", "need-auth", 0), failed),
			got{WrongKey, ""}},
		{"no agent, but the AP refused the association", seq(dev("prepare", "config", 0), sup("associating"),
			Event{Source: SourceSupplicant, Kind: KindAssocStatus, Code: 17}, dev("config", "need-auth", 0), agent, failed),
			got{AssocRejected, ""}},
	} {
		v := Classify(tc.evs)
		if diff := cmp.Diff(tc.want, got{v.Class, v.Secrets}); diff != "" {
			t.Errorf("%s: (-want +got):\n%s\ndetail: %s", tc.name, diff, v.Detail)
		}
	}
}

// TestExplainNoAgent: the summary of a no_agent verdict does not say the
// password was rejected.
func TestExplainNoAgent(t *testing.T) {
	r := &Report{Class: WrongKey, SSID: "Home", Attempts: []Attempt{{Class: WrongKey, Secrets: SecretsNoAgent}}}
	sum, next := Explain(r)
	want := `No password was tried for the network "Home": NetworkManager had none stored for the system and asked for one, and nothing (no desktop session, no nmcli --ask) was there to answer.`
	if diff := cmp.Diff(want, sum); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if next == "" {
		t.Error("no next step")
	}
	r.Attempts[0].Secrets = ""
	if sum2, _ := Explain(r); sum2 == sum {
		t.Errorf("a rejected key has the no-agent summary: %q", sum2)
	}
}
