package nmtest

import "testing"

func TestValidUserKey(t *testing.T) {
	for key, want := range map[string]bool{
		"org.hotspotctl.managed":               true,
		"org.freedesktop.nm-cloud-setup.skip":  true,
		"a.b+c/d=e_f":                          true,
		"nodot":                                false,
		".leading":                             false,
		"trailing.":                            false,
		"double..dot":                          false,
		"space in.key":                         false,
		"":                                     false,
		string(make([]byte, 250)) + ".abcdefg": false,
	} {
		if got := validUserKey(key); got != want {
			t.Errorf("validUserKey(%q) = %t, want %t", key, got, want)
		}
	}
}
