package main

import "github.com/hotspotctl/hotspotctl/scan"

// openScanner opens the nl80211 scanner. It fails off Linux, without
// nl80211, and the caller then lets NetworkManager scan.
func openScanner() (scan.Scanner, func(), error) {
	s, err := scan.Open()
	if err != nil {
		return nil, nil, err
	}
	return s, func() { _ = s.Close() }, nil
}
