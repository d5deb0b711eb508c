package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

func TestSummaryOfAJoinNamesTheBand(t *testing.T) {
	start := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	rep := &diagnostics.Report{Outcome: diagnostics.OutcomeJoined, Class: diagnostics.None, SSID: "Lab5GHz", Interface: "wlan0",
		BSSID: "02:00:00:00:01:00", Channel: 36, FreqMHz: 5180, Band: "5GHz", IP4: "192.168.101.23",
		Started: start, Ended: start.Add(4200 * time.Millisecond)}
	var b bytes.Buffer
	printSummary(&b, rep)
	want := "joined \"Lab5GHz\" on wlan0 (BSSID 02:00:00:00:01:00, channel 36, 5GHz), address 192.168.101.23 in 4.2s\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
}
