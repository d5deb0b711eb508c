package logparse

import (
	"bytes"
	"testing"
)

// containsAny is the plain definition interesting must agree with.
func containsAny(b []byte) bool {
	for _, k := range keys {
		if bytes.Contains(b, []byte(k)) {
			return true
		}
	}
	return false
}

func TestInterestingMatchesKeys(t *testing.T) {
	for _, k := range keys {
		for _, s := range []string{k, "x" + k, k + "y", "noise " + k + " noise"} {
			if !interesting([]byte(s)) {
				t.Errorf("interesting(%q) = false", s)
			}
		}
		if len(k) > 2 && interesting([]byte(k[:len(k)-1])) != containsAny([]byte(k[:len(k)-1])) {
			t.Errorf("interesting(%q) disagrees with containsAny", k[:len(k)-1])
		}
	}
	for _, s := range []string{"", "a", "Started Session 3 of user alice.", "manager: NetworkManager state is now CONNECTED_GLOBAL"} {
		if interesting([]byte(s)) != containsAny([]byte(s)) {
			t.Errorf("interesting(%q) disagrees with containsAny", s)
		}
	}
}

func FuzzInteresting(f *testing.F) {
	for _, k := range keys {
		f.Add("x" + k)
	}
	f.Add("Started Session 3 of user alice.")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := interesting([]byte(s)), containsAny([]byte(s)); got != want {
			t.Fatalf("interesting(%q) = %v, want %v", s, got, want)
		}
	})
}

func benchLines(b *testing.B) [][]byte {
	lines := bytes.Split([]byte(`Nov 14 22:13:20 laptop sshd[1234]: Accepted publickey for alice from 192.0.2.7 port 52144 ssh2: ED25519 SHA256:Qm9vYmFy
Nov 14 22:13:20 laptop systemd[1]: Started Session 42 of User alice.
Nov 14 22:13:20 laptop kernel: usb 1-3: new high-speed USB device number 3 using xhci_hcd
Nov 14 22:13:20 laptop NetworkManager[612]: <info>  [1700000000.1234] manager: NetworkManager state is now CONNECTED_GLOBAL
Nov 14 22:13:20 laptop wpa_supplicant[700]: wlan0: CTRL-EVENT-SIGNAL-CHANGE above=1 signal=-60 noise=9999 txrate=65000`), []byte("\n"))
	return lines
}

func BenchmarkPrefilterAnchors(b *testing.B) {
	lines := benchLines(b)
	for b.Loop() {
		for _, l := range lines {
			interesting(l)
		}
	}
}

func BenchmarkPrefilterContains(b *testing.B) {
	lines := benchLines(b)
	for b.Loop() {
		for _, l := range lines {
			containsAny(l)
		}
	}
}
