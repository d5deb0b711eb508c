package logparse

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// The lines are written in the format of connectedhomeip's
// src/platform/Linux/ConnectivityManagerImpl.cpp (_OnWpaPropertiesChanged:
// "wpa_supplicant:PropertiesChanged:key:%s -> %s", values printed by
// g_variant_print) inside CHIP's Linux log envelope.
func TestMatterLines(t *testing.T) {
	tests := []struct {
		line string
		want []diagnostics.Event
	}{
		{"[1737121661.086544][835545:835546] CHIP:DL: wpa_supplicant:PropertiesChanged:key:State -> 'associating'",
			[]diagnostics.Event{{Source: "wpa_supplicant", Kind: "supplicant_state", State: "associating"}}},
		{"[1737121661.292380][835545:835546] CHIP:DL: wpa_supplicant:PropertiesChanged:key:AssocStatusCode -> 16",
			[]diagnostics.Event{{Source: "wpa_supplicant", Kind: "assoc_status", Code: 16,
				Message: diagnostics.StatusCodeText(16)}}},
		{"[1737121661.292380][835545:835546] CHIP:DL: wpa_supplicant:PropertiesChanged:key:AuthStatusCode -> 1",
			[]diagnostics.Event{{Source: "wpa_supplicant", Kind: "auth_status", Code: 1,
				Message: diagnostics.StatusCodeText(1)}}},
		// Pasted without the envelope: read, without a time.
		{"wpa_supplicant:PropertiesChanged:key:DisconnectReason -> 15",
			[]diagnostics.Event{{Source: "wpa_supplicant", Kind: "disconnect", Code: 15, Message: diagnostics.ReasonCodeText(15)}}},
		// A reason 0 is no disconnection; other keys say nothing.
		{"[1737121661.3][1:2] CHIP:DL: wpa_supplicant:PropertiesChanged:key:DisconnectReason -> 0", nil},
		{"[1737121661.3][1:2] CHIP:DL: wpa_supplicant:PropertiesChanged:key:CurrentBSS -> objectpath '/'", nil},
		{"[1737121661.3][1:2] CHIP:DL: wpa_supplicant:PropertiesChanged:key:State -> associating", nil},
		{"[1737121661.3][1:2] CHIP:DL: wpa_supplicant:PropertiesChanged:key:AssocStatusCode -> int16 x", nil},
	}
	for _, tt := range tests {
		got := parseSeq(tt.line)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.line, diff)
		}
	}
}

func TestMatterEnvelope(t *testing.T) {
	li, ok := matterEnvelope(nil, "[1737121661.086544][835545:835546] CHIP:DL: wpa_supplicant:PropertiesChanged:key:State -> 'associating'")
	if !ok {
		t.Fatal("envelope not recognised")
	}
	want := lineInfo{t: time.Unix(1737121661, 86544000).UTC(), prog: "chip", tag: "DL",
		msg: "wpa_supplicant:PropertiesChanged:key:State -> 'associating'"}
	if diff := cmp.Diff(want, li, cmp.AllowUnexported(lineInfo{})); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	for _, s := range []string{"[1737121661.08][1:2] CHIP-DL: x", "[12.5][1:2] CHIP:DL: x", "Jan 1 00:00:00 host CHIP:DL: x"} {
		if _, ok := matterEnvelope(nil, s); ok {
			t.Errorf("%q taken as Matter's envelope", s)
		}
	}
}

func TestMatterDiagnose(t *testing.T) {
	rep := diagnoseText(t,
		"[1737121661.086544][835545:835546] CHIP:DL: wpa_supplicant:PropertiesChanged:key:State -> 'associating'",
		"[1737121661.292380][835545:835546] CHIP:DL: wpa_supplicant:PropertiesChanged:key:AssocStatusCode -> 16",
		"[1737121661.300142][835545:835546] CHIP:DL: wpa_supplicant:PropertiesChanged:key:State -> 'disconnected'")
	if diff := cmp.Diff(diagnostics.AssocRejected, rep.Class); diff != "" {
		t.Errorf("class (-want +got)\n%s", diff)
	}
	ok := diagnoseText(t,
		"[1737121661.086544][835545:835546] CHIP:DL: wpa_supplicant:PropertiesChanged:key:State -> 'associating'",
		"[1737121661.292380][835545:835546] CHIP:DL: wpa_supplicant:PropertiesChanged:key:AssocStatusCode -> 0",
		"[1737121661.400142][835545:835546] CHIP:DL: wpa_supplicant:PropertiesChanged:key:State -> 'completed'")
	if diff := cmp.Diff(diagnostics.None, ok.Class); diff != "" {
		t.Errorf("a completed join: class (-want +got)\n%s", diff)
	}
}
