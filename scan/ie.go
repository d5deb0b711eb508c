package scan

import (
	"encoding/binary"
	"errors"
)

// 802.11 element IDs used here (IEEE 802.11-2020, 9.4.2).
const (
	ieSSID   = 0
	ieRSN    = 48
	ieVendor = 221
)

// capPrivacy is the Privacy bit of the Capability Information field
// (IEEE 802.11-2020, 9.4.1.4): set by an AP that requires encryption. With no
// RSN or WPA element it means WEP.
const capPrivacy = 0x0010

// AKM suite selectors: OUI 00-0f-ac (RSN, IEEE 802.11-2020 table 9-151) and
// 00-50-f2 (Microsoft WPA vendor element).
const (
	akm8021X       = 0x000fac01
	akmPSK         = 0x000fac02
	akmFT8021X     = 0x000fac03
	akmFTPSK       = 0x000fac04
	akm8021XSHA256 = 0x000fac05
	akmPSKSHA256   = 0x000fac06
	akmSAE         = 0x000fac08
	akmFTSAE       = 0x000fac09
	akmSuiteB      = 0x000fac0b
	akmSuiteB192   = 0x000fac0c
	akmFT8021X384  = 0x000fac0d
	akmOWE         = 0x000fac12
	akmSAEExt      = 0x000fac18
	akmFTSAEExt    = 0x000fac19
	akmWPA8021X    = 0x0050f201
	akmWPAPSK      = 0x0050f202
)

var errTruncatedIE = errors.New("truncated information element")

// ie is one 802.11 information element; Data aliases the parsed buffer.
type ie struct {
	ID   uint8
	Data []byte
}

// parseIEs splits b into elements. It never panics and never reads past b: a
// truncated trailing element ends the walk with errTruncatedIE, and the
// elements before it are still returned (the kernel passes through whatever
// the AP sent, and a broken vendor element at the end must not hide the SSID
// at the start).
func parseIEs(b []byte) ([]ie, error) {
	var out []ie
	for len(b) > 0 {
		if len(b) < 2 {
			return out, errTruncatedIE
		}
		l := int(b[1])
		if len(b)-2 < l {
			return out, errTruncatedIE
		}
		out = append(out, ie{ID: b[0], Data: b[2 : 2+l : 2+l]})
		b = b[2+l:]
	}
	return out, nil
}

// ssidOf returns the first SSID element's bytes, or nil (with ok false) when
// there is none.
func ssidOf(ies []ie) (ssid []byte, ok bool) {
	for _, e := range ies {
		if e.ID == ieSSID {
			return e.Data, true
		}
	}
	return nil, false
}

// rsnAKMs returns the AKM suite selectors of an RSN element body. An element
// without an AKM list means 00-0f-ac:1 (IEEE 802.11-2020, 9.4.2.24.1: "If the
// AKM Suite Count field is not present, the default AKM is 00-0F-AC:1").
// ok is false when the element is too short to be an RSN element.
func rsnAKMs(b []byte) (akms []uint32, ok bool) {
	// Version(2) Group cipher(4)
	if len(b) < 2 || binary.LittleEndian.Uint16(b) != 1 {
		return nil, false
	}
	return cipherAndAKMs(b[2:])
}

// wpaAKMs returns the AKM selectors of a WPA vendor element body (after the
// OUI 00-50-f2 and type 1), whose layout after the version field matches
// RSN's. An element without an AKM list means 00-50-f2:1.
func wpaAKMs(b []byte) (akms []uint32, ok bool) {
	if len(b) < 4+2 || b[0] != 0x00 || b[1] != 0x50 || b[2] != 0xf2 || b[3] != 0x01 {
		return nil, false
	}
	b = b[4:]
	if binary.LittleEndian.Uint16(b) != 1 {
		return nil, false
	}
	akms, ok = cipherAndAKMs(b[2:])
	for i, a := range akms {
		if a == akm8021X {
			akms[i] = akmWPA8021X // the RSN default stood in for WPA's
		}
	}
	return akms, ok
}

// cipherAndAKMs walks Group cipher, Pairwise count+list, AKM count+list.
func cipherAndAKMs(b []byte) ([]uint32, bool) {
	if len(b) < 4 { // group cipher only: default pairwise and AKM
		return []uint32{akm8021X}, len(b) == 0
	}
	b = b[4:]
	if len(b) < 2 {
		return []uint32{akm8021X}, true
	}
	n := int(binary.LittleEndian.Uint16(b))
	b = b[2:]
	if len(b) < 4*n {
		return nil, false
	}
	b = b[4*n:]
	if len(b) < 2 {
		return []uint32{akm8021X}, true
	}
	n = int(binary.LittleEndian.Uint16(b))
	b = b[2:]
	if len(b) < 4*n {
		return nil, false
	}
	akms := make([]uint32, 0, n)
	for i := 0; i < n; i++ {
		akms = append(akms, binary.BigEndian.Uint32(b[4*i:]))
	}
	return akms, true
}

// securityOf classifies a BSS from its elements and Capability field. RSN
// wins over WPA when both are present (a WPA/WPA2 mixed-mode AP); a malformed
// RSN or WPA element still proves the network is not open, so it yields
// "unknown" rather than falling through to "open" or "wep".
func securityOf(ies []ie, capability uint16) string {
	var akms []uint32
	protected, parsed := false, false
	for _, e := range ies {
		if e.ID == ieRSN {
			protected = true
			if a, ok := rsnAKMs(e.Data); ok {
				akms, parsed = a, true
			}
			break
		}
	}
	if !parsed {
		for _, e := range ies {
			if e.ID == ieVendor && len(e.Data) >= 4 && e.Data[0] == 0x00 && e.Data[1] == 0x50 && e.Data[2] == 0xf2 && e.Data[3] == 0x01 {
				protected = true
				if a, ok := wpaAKMs(e.Data); ok {
					akms, parsed = a, true
				}
				break
			}
		}
	}
	if !protected {
		if capability&capPrivacy != 0 {
			return "wep"
		}
		return "open"
	}
	var psk, sae, eap, owe bool
	for _, a := range akms {
		switch a {
		case akmPSK, akmFTPSK, akmPSKSHA256, akmWPAPSK:
			psk = true
		case akmSAE, akmFTSAE, akmSAEExt, akmFTSAEExt:
			sae = true
		case akm8021X, akmFT8021X, akm8021XSHA256, akmSuiteB, akmSuiteB192, akmFT8021X384, akmWPA8021X:
			eap = true
		case akmOWE:
			owe = true
		}
	}
	switch {
	case psk && sae:
		return "wpa-psk+sae"
	case sae:
		return "sae"
	case psk:
		return "wpa-psk"
	case eap:
		return "wpa-eap"
	case owe:
		return "owe"
	}
	return "unknown"
}

// Channel returns the IEEE channel number of a centre frequency in MHz
// (2.4, 4.9, 5, 6 and 60 GHz bands), or 0 outside them; callers that get
// frequencies from NetworkManager can number channels the same way.
func Channel(freqMHz int) int { return channelOf(freqMHz) }

// channelOf maps a centre frequency in MHz to its IEEE channel number, as
// the kernel's ieee80211_freq_khz_to_channel does: 2.4 GHz (channel 14 at
// 2484), 4.9 GHz (Japan), 5 GHz, 6 GHz (channel 2 at 5935, then 5950+5n) and
// 60 GHz. It returns 0 for a frequency outside these bands.
func channelOf(mhz int) int {
	switch {
	case mhz == 2484:
		return 14
	case mhz >= 2412 && mhz < 2484:
		return (mhz - 2407) / 5
	case mhz >= 4910 && mhz <= 4980:
		return (mhz - 4000) / 5
	case mhz >= 5000 && mhz < 5925:
		return (mhz - 5000) / 5
	case mhz == 5935:
		return 2
	case mhz >= 5950 && mhz <= 7115:
		return (mhz - 5950) / 5
	case mhz >= 58320 && mhz <= 70200:
		return (mhz - 56160) / 2160
	}
	return 0
}
