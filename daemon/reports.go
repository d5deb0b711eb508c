package daemon

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// ReportStore keeps the newest failure reports in one directory, each written
// atomically with mode 0600, removing the oldest beyond its bound. File
// names sort chronologically: ENDED-CLASS.json with ENDED in UTC.
type ReportStore struct {
	dir string
	max int
}

// DefaultMaxReports is the bound used when NewReportStore is given 0.
const DefaultMaxReports = 100

// NewReportStore creates dir (mode 0700) if needed and removes temporary
// files an interrupted write left behind. max bounds the number of reports
// kept (0 means DefaultMaxReports). The error is an *Error.
func NewReportStore(dir string, max int) (*ReportStore, error) {
	if max <= 0 {
		max = DefaultMaxReports
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, &Error{Op: "report store", Err: err}
	}
	s := &ReportStore{dir: dir, max: max}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, &Error{Op: "report store", Err: err}
	}
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") && strings.Contains(e.Name(), ".tmp-") {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
	return s, nil
}

// Dir is the directory reports are written to.
func (s *ReportStore) Dir() string { return s.dir }

// Save writes rep's JSON (rep.Marshal; a report holds no secret by
// construction, see diagnostics.Report.Marshal) and prunes the oldest reports
// beyond the bound. It returns the new file's path. The error is an *Error.
func (s *ReportStore) Save(rep *diagnostics.Report) (string, error) {
	b, err := rep.Marshal()
	if err != nil {
		return "", &Error{Op: "save report", Err: err}
	}
	return s.SaveJSON(rep, b)
}

// SaveJSON is Save for a report already marshalled as b.
func (s *ReportStore) SaveJSON(rep *diagnostics.Report, b []byte) (string, error) {
	stamp := rep.Ended.UTC().Format("20060102T150405.000000000Z")
	cls := string(rep.Class)
	if !rep.Class.Valid() {
		cls = string(diagnostics.Unknown)
	}
	p := filepath.Join(s.dir, stamp+"-"+cls+".json")
	for i := 2; ; i++ {
		if _, err := os.Lstat(p); os.IsNotExist(err) {
			break
		}
		p = filepath.Join(s.dir, fmt.Sprintf("%s-%s-%d.json", stamp, cls, i))
	}
	if err := diagnostics.WriteFileAtomic(p, b); err != nil {
		return "", &Error{Op: "save report", Err: err}
	}
	if err := s.prune(); err != nil {
		return p, &Error{Op: "prune reports", Err: err}
	}
	return p, nil
}

// List returns the stored reports' paths, oldest first.
func (s *ReportStore) List() ([]string, error) {
	ents, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, &Error{Op: "list reports", Err: err}
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if strings.HasPrefix(n, ".") || !strings.HasSuffix(n, ".json") || !e.Type().IsRegular() {
			continue
		}
		out = append(out, filepath.Join(s.dir, n))
	}
	sort.Strings(out)
	return out, nil
}

func (s *ReportStore) prune() error {
	all, err := s.List()
	if err != nil {
		return err
	}
	var first error
	for len(all) > s.max {
		if err := os.Remove(all[0]); err != nil && !os.IsNotExist(err) && first == nil {
			first = err
		}
		all = all[1:]
	}
	return first
}
