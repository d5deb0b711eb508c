package logparse

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// corpusSecrets are the dummy passphrases planted in corpus files; no report
// may contain them.
var corpusSecrets = []string{"hunter2-not-real", "correct horse battery", "Sup3rS3cret!"}

func reportSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(diagnostics.ReportSchemaV1))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("report.v1.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("report.v1.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// validate marshals r (failing on any planted secret that survived redaction) and checks it against
// the v1 schema.
func validate(t testing.TB, s *jsonschema.Schema, r *diagnostics.Report) []byte {
	t.Helper()
	b, err := r.Marshal()
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	for _, sec := range corpusSecrets {
		if bytes.Contains(b, []byte(sec)) {
			t.Fatalf("report contains the planted secret %q: redaction failed", sec)
		}
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(inst); err != nil {
		t.Fatalf("report does not match schema: %v\n%s", err, b)
	}
	return b
}

// TestCorpus runs every labelled log excerpt under testdata/corpus. A file's
// expected class is its name up to "--"; each has a .src sidecar naming
// where it came from. Every file must match: the corpus is a regression
// suite, not a score.
func TestCorpus(t *testing.T) {
	schema := reportSchema(t)
	files, err := filepath.Glob("testdata/corpus/*")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	seen := map[diagnostics.Class]bool{}
	total, ok := 0, 0
	for _, f := range files {
		if strings.HasSuffix(f, ".src") {
			continue
		}
		base := filepath.Base(f)
		label, _, found := strings.Cut(base, "--")
		if !found {
			t.Errorf("%s: name has no class-- prefix", base)
			continue
		}
		want, err := diagnostics.ParseClass(label)
		if err != nil {
			t.Errorf("%s: %v", base, err)
			continue
		}
		if _, err := os.Stat(f + ".src"); err != nil {
			t.Errorf("%s: no .src sidecar with the source", base)
		}
		total++
		seen[want] = true
		t.Run(base, func(t *testing.T) {
			fh, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			rep, err := Diagnose(context.Background(), fh, Options{Year: 2024, ToolVersion: "test"})
			if err != nil {
				t.Fatal(err)
			}
			validate(t, schema, rep)
			if rep.Class != want {
				var sb strings.Builder
				WriteSummary(&sb, rep)
				t.Errorf("class = %s, want %s\n%s", rep.Class, want, sb.String())
				return
			}
			ok++
		})
	}
	t.Logf("corpus accuracy: %d/%d", ok, total)
	for _, c := range diagnostics.Classes {
		if c == diagnostics.InvalidInput || c == diagnostics.Unknown {
			continue
		}
		if !seen[c] {
			t.Logf("corpus has no file for class %s", c)
		}
	}
}

// TestDump prints the summary (and JSON with LOGPARSE_DUMP_JSON=1) of the
// file named by LOGPARSE_DUMP; it is a debugging aid and skips otherwise.
func TestDump(t *testing.T) {
	name := os.Getenv("LOGPARSE_DUMP")
	if name == "" {
		t.Skip("set LOGPARSE_DUMP=FILE")
	}
	fh, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	rep, err := Diagnose(context.Background(), fh, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	WriteSummary(&sb, rep)
	t.Log("\n" + sb.String())
	if os.Getenv("LOGPARSE_DUMP_JSON") != "" {
		b, _ := rep.Marshal()
		t.Log("\n" + string(b))
	}
}
