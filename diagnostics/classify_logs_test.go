// Classifier rules found while classifying captured logs
// (diagnostics/logparse).
package diagnostics

import "testing"

// TestLogsNeedAuthAfterAssocTimeout: NetworkManager moves a device with
// stored secrets to need-auth after any failed association and, with no
// secret agent, fails it with no-secrets. ruleWrongKey already declines that
// path when the AP refused with a status code (rejectedByAP); an association
// that timed out is the same situation: authentication (SAE included)
// succeeded, the association request got no answer, and the key was never
// tried (the 4-way handshake comes after association). Seen in logs as the
// kernel's "wlan0: association with xx:xx:xx:xx:xx:xx timed out" and
// wpa_supplicant's "SME: Association timed out" / "CTRL-EVENT-ASSOC-REJECT
// ... timeout".
//
// ruleWrongKey therefore requires, in both no-secrets branches:
//
//	!rejectedByAP(evs) && !assocTimedOut(evs)
//
// with assocTimedOut reporting any KindAssocTimeout. Authentication timeouts
// stay as they are: with SAE a wrong password shows as an authentication
// timeout (the AP drops the confirm silently).
func TestLogsNeedAuthAfterAssocTimeout(t *testing.T) {
	evs := []Event{
		{Source: SourceNM, Kind: KindActivationStart, Name: "Home"},
		{Source: SourceKernel, Kind: KindAssocTimeout, BSSID: "02:00:00:00:01:00"},
		{Source: SourceNM, Kind: KindDeviceState, OldState: "config", State: "need-auth"},
		{Source: SourceNM, Kind: KindDeviceState, OldState: "need-auth", State: "failed", Code: ReasonNoSecrets, Name: "no-secrets"},
	}
	if v := Classify(evs); v.Class != AssocRejected {
		t.Errorf("class = %s (%s), want %s", v.Class, v.Detail, AssocRejected)
	}
}
