package logparse

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// diagnoseString runs Diagnose on in (year 2024, 4 KiB lines) with a
// deadline, fails the test on an error, and checks the report against the
// v1 schema and for the planted secrets (validate) before returning it.
func diagnoseString(t *testing.T, in string) *diagnostics.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rep, err := Diagnose(ctx, strings.NewReader(in), Options{Year: 2024, MaxLineBytes: 4096})
	if err != nil {
		t.Fatal(err)
	}
	validate(t, reportSchema(t), rep)
	return rep
}
