package diagnostics

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

func sampleReport() *Report {
	t0 := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	r := &Report{
		ToolVersion: "test", Host: "h", Mode: "join", Interface: "wlan0",
		SSID: "Cafe", SSIDHex: SSIDHex([]byte("Cafe")), Started: t0,
		Hints: []string{`did you mean "cafe"?`},
		Attempts: []Attempt{{
			Number: 1, Class: NotFound, Detail: "not seen in 2 fresh scans", Started: t0, Ended: t0.Add(time.Second),
			Scans:    []ScanRecord{{Method: ScanMethodNL80211, Outcome: ScanOK, Own: true, Started: t0, Ended: t0.Add(time.Second), BSSCount: 3, NearMiss: []string{"cafe"}}},
			Events:   seq(Event{Source: SourceHotspotctl, Kind: KindScanVerdict, Name: "absent", Count: 2}),
			Evidence: []Evidence{{Source: SourceHotspotctl, Text: "absent"}},
			Retry:    &Retry{Retry: false, Reason: "deadline"},
		}},
	}
	r.Finish(t0.Add(2 * time.Second))
	return r
}

// ValidateReport checks a report's JSON against the embedded schema.
func validateReport(t *testing.T, b []byte) {
	t.Helper()
	c := jsonschema.NewCompiler()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(ReportSchemaV1))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("report.v1.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("report.v1.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("report does not match schema: %v\n%s", err, b)
	}
}

func TestReportMatchesSchema(t *testing.T) {
	r := sampleReport()
	if r.Outcome != OutcomeFailed || r.Class != NotFound {
		t.Fatalf("Finish: outcome %q class %q", r.Outcome, r.Class)
	}
	b, err := r.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	validateReport(t, b)

	var back Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, &back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestReportSchemaRejectsJoinedWithClass(t *testing.T) {
	r := sampleReport()
	r.Outcome = OutcomeJoined
	b, _ := json.Marshal(r)
	c := jsonschema.NewCompiler()
	doc, _ := jsonschema.UnmarshalJSON(bytes.NewReader(ReportSchemaV1))
	c.AddResource("r.json", doc)
	sch, err := c.Compile("r.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if sch.Validate(inst) == nil {
		t.Error("schema accepted outcome joined with class not_found")
	}
}

// TestMarshalKeepsVerdictWhenSecretIsOrdinaryText: Marshal used to refuse a
// report whose encoding contained the passphrase, so a passphrase equal to
// the SSID, or to any word of the report, lost the verdict (issue 8 item 15).
func TestMarshalKeepsVerdictWhenSecretIsOrdinaryText(t *testing.T) {
	r := sampleReport()
	for _, secret := range []string{r.SSID, "not_found", "scan"} {
		b, err := r.Marshal()
		if err != nil {
			t.Fatalf("Marshal with the passphrase %q: %v", secret, err)
		}
		var back Report
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(r, &back); diff != "" {
			t.Errorf("passphrase %q: report changed (-want +got):\n%s", secret, diff)
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "r.json")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(p, []byte("new")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	fi, _ := os.Stat(p)
	if string(b) != "new" || fi.Mode().Perm() != 0o600 {
		t.Errorf("got %q mode %v, want \"new\" mode 0600", b, fi.Mode().Perm())
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("temporary files left behind: %v", ents)
	}
	if err := WriteFileAtomic(filepath.Join(dir, "missing", "r.json"), []byte("x")); err == nil {
		t.Error("write into a missing directory succeeded")
	}
}

func TestPrintableSSID(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"text", "Cafe", "Cafe"},
		{"not UTF-8", "caf\xe9", "0x636166e9"},
		{"C0 control", "a\nb", "0x610a62"},
		{"DEL", "a\x7fb", "0x617f62"},
		{"emoji", "☕", "☕"},
		{"accent", "Café", "Café"},
		// Issue 8 item 17: a terminal takes U+009B as CSI and U+202E
		// reverses what follows; none of these may reach human output.
		{"C1 CSI", "a\u009b2Jb", "0x61c29b324a62"},
		{"C1 NEL", "a\u0085b", "0x61c28562"},
		{"bidi override", "Free\u202eiFiW", "0x46726565e280ae694669" + "57"},
		{"bidi isolate", "x\u2066y", "0x78e281a679"},
		{"zero width space", "x\u200by", "0x78e2808b79"},
		{"BOM", "\ufeffLab", "0xefbbbf4c6162"},
		{"line separator", "a\u2028b", "0x61e280a862"},
		{"paragraph separator", "a\u2029b", "0x61e280a962"},
	}
	for _, tt := range tests {
		if got := PrintableSSID([]byte(tt.in)); got != tt.want {
			t.Errorf("%s: PrintableSSID(%+q) = %+q, want %+q", tt.name, tt.in, got, tt.want)
		}
	}
}
