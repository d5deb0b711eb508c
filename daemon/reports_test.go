package daemon

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

func testReport(end time.Time, class diagnostics.Class, detail string) *diagnostics.Report {
	r := &diagnostics.Report{Mode: "daemon", SSID: "Lab", Started: end.Add(-time.Second),
		Attempts: []diagnostics.Attempt{{Number: 1, Class: class, Detail: detail}}}
	r.Finish(end)
	return r
}

func TestReportStoreBounded(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reports")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	stray := filepath.Join(dir, ".x.json.tmp-123")
	writeFile(t, stray, "{half", 0o600)
	s, err := NewReportStore(dir, 3)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stray); !os.IsNotExist(err) {
		t.Errorf("stray temporary file not removed: %v", err)
	}
	t0 := time.Date(2026, 11, 26, 5, 0, 0, 0, time.UTC)
	var paths []string
	for i := range 5 {
		p, err := s.Save(testReport(t0.Add(time.Duration(i)*time.Second), diagnostics.NotFound, "absent"))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", p, fi.Mode().Perm())
		}
	}
	got, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(paths[2:], got); diff != "" {
		t.Errorf("kept reports (-want +got):\n%s", diff)
	}
	if filepath.Base(got[0]) != "20261126T050002.000000000Z-not_found.json" {
		t.Errorf("name %s", filepath.Base(got[0]))
	}
	// Same instant: a distinct name, not an overwrite.
	p, err := s.Save(testReport(t0.Add(4*time.Second), diagnostics.NotFound, "absent"))
	if err != nil {
		t.Fatal(err)
	}
	if p == paths[4] {
		t.Errorf("report overwritten: %s", p)
	}
}
