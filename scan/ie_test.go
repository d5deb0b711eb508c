package scan

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseIEs(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		want    []ie
		wantErr bool
	}{
		{"empty", nil, nil, false},
		{"ssid and ds", []byte{0x00, 0x02, 'h', 'i', 0x03, 0x01, 0x06}, []ie{{0, []byte("hi")}, {3, []byte{6}}}, false},
		{"zero length", []byte{0x00, 0x00}, []ie{{0, []byte{}}}, false},
		{"lone id", []byte{0x00, 0x01, 'x', 0xdd}, []ie{{0, []byte("x")}}, true},
		{"length past end", []byte{0x00, 0x01, 'x', 0x30, 0x05, 1, 2}, []ie{{0, []byte("x")}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseIEs(tt.in)
			if (err != nil) != tt.wantErr {
				t.Errorf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(ie{})); diff != "" {
				t.Errorf("parseIEs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSecurityOf(t *testing.T) {
	rsn := func(akms ...byte) []byte {
		body := []byte{0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, byte(len(akms)), 0x00}
		for _, a := range akms {
			body = append(body, 0x00, 0x0f, 0xac, a)
		}
		return append([]byte{48, byte(len(body))}, body...)
	}
	for _, tt := range []struct {
		name string
		ies  []byte
		cap  uint16
		want string
	}{
		{"open", nil, 0x0001, "open"},
		{"wep", nil, 0x0011, "wep"},
		{"psk", rsn(2), 0x0011, "wpa-psk"},
		{"ft-psk", rsn(4), 0x0011, "wpa-psk"},
		{"psk-sha256", rsn(6), 0x0011, "wpa-psk"},
		{"sae", rsn(8), 0x0011, "sae"},
		{"sae-ext-key", rsn(24), 0x0011, "sae"},
		{"psk+sae", rsn(2, 8), 0x0011, "wpa-psk+sae"},
		{"sae+ft-sae+psk", rsn(8, 9, 2), 0x0011, "wpa-psk+sae"},
		{"eap", rsn(1), 0x0011, "wpa-eap"},
		{"eap-sha256", rsn(5), 0x0011, "wpa-eap"},
		{"suite-b-192", rsn(12), 0x0011, "wpa-eap"},
		{"owe", rsn(18), 0x0011, "owe"},
		{"unknown akm", rsn(200), 0x0011, "unknown"},
		{"rsn version 2 is not understood", []byte{48, 2, 0x02, 0x00}, 0x0011, "unknown"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			elems, err := parseIEs(tt.ies)
			if err != nil {
				t.Fatal(err)
			}
			if got := securityOf(elems, tt.cap); got != tt.want {
				t.Errorf("securityOf = %q, want %q", got, tt.want)
			}
		})
	}
}

// FuzzParseIEs checks that the element walker never panics or reads past its
// input, that it consumes a prefix exactly, and that the security and SSID
// helpers accept whatever it returns.
func FuzzParseIEs(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0x00, 0x07, 'H', 'o', 'm', 'e', 'N', 'e', 't'})
	f.Add(append(append([]byte{0x00, 0x03, 'a', 'b', 'c'}, 0x30, 0x14, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x04, 0x01, 0x00, 0x00, 0x0f, 0xac, 0x02, 0x0c, 0x00), 0xdd, 0x05, 0x00, 0x50, 0xf2, 0x01, 0x01))
	f.Add([]byte{0xdd, 0x16, 0x00, 0x50, 0xf2, 0x01, 0x01, 0x00, 0x00, 0x50, 0xf2, 0x02, 0x01, 0x00, 0x00, 0x50, 0xf2, 0x02, 0x01, 0x00, 0x00, 0x50, 0xf2, 0x02})
	f.Add([]byte{0x30, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, in []byte) {
		elems, err := parseIEs(in)
		var re []byte
		for _, e := range elems {
			if len(e.Data) > 255 {
				t.Fatalf("element %d has %d bytes", e.ID, len(e.Data))
			}
			re = append(re, e.ID, byte(len(e.Data)))
			re = append(re, e.Data...)
		}
		if !bytes.HasPrefix(in, re) {
			t.Fatalf("re-encoding %x is not a prefix of the input %x", re, in)
		}
		if (err == nil) != (len(re) == len(in)) {
			t.Fatalf("err %v but consumed %d of %d bytes", err, len(re), len(in))
		}
		_ = securityOf(elems, 0x0011)
		_, _ = ssidOf(elems)
		for _, e := range elems {
			if e.ID == ieRSN {
				_, _ = rsnAKMs(e.Data)
			}
			if e.ID == ieVendor {
				_, _ = wpaAKMs(e.Data)
			}
		}
		// Appending to an element must not overwrite the next one.
		if len(elems) > 1 {
			first := append([]byte{}, elems[1].Data...)
			_ = append(elems[0].Data, 0xAA)
			if !bytes.Equal(first, elems[1].Data) {
				t.Fatal("element data aliases its neighbour's capacity")
			}
		}
	})
}
