//go:build !linux

package nm

// bootTimeMsec is unavailable off Linux: NetworkManager does not run there,
// and callers fall back to the LastScan value read before a request.
func bootTimeMsec() (int64, bool) { return 0, false }
