package join

import (
	"os"
	"path/filepath"
	"testing"
)

// FakeWifiInterfaces points CheckInterface at a sysfs tree with these Wi-Fi
// interfaces for the rest of the test.
func FakeWifiInterfaces(t *testing.T, names ...string) {
	dir := t.TempDir()
	for _, n := range names {
		if err := os.MkdirAll(filepath.Join(dir, n, "wireless"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	old := sysClassNet
	sysClassNet = dir
	t.Cleanup(func() { sysClassNet = old })
}
