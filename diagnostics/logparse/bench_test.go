package logparse

import (
	"bytes"
	"context"
	"testing"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/diagnostics/logparse/internal/journalgen"
)

// BenchmarkDiagnoseJournal measures Diagnose on a journal export that is
// mostly noise with a join attempt every 2 MB; MB/s is reported.
func BenchmarkDiagnoseJournal(b *testing.B) {
	var buf bytes.Buffer
	n, err := journalgen.Write(&buf, journalgen.Config{Bytes: 32 << 20, AttemptEvery: 2 << 20, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rep, err := Diagnose(context.Background(), bytes.NewReader(data), Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Attempts) != n || rep.Class == diagnostics.Unknown {
			b.Fatalf("attempts %d (want %d), class %s", len(rep.Attempts), n, rep.Class)
		}
	}
}

// BenchmarkDiagnoseSyslog measures Diagnose on the same content as syslog
// text (short lines, so per-line costs dominate).
func BenchmarkDiagnoseSyslog(b *testing.B) {
	var buf bytes.Buffer
	if _, err := journalgen.Write(&buf, journalgen.Config{Bytes: 64 << 20, AttemptEvery: 4 << 20, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	text := journalgen.ToSyslog(buf.Bytes())
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Diagnose(context.Background(), bytes.NewReader(text), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
