package logparse

import (
	"bytes"
	"context"
	"io"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics/logparse/internal/journalgen"
)

// reversedJournal returns a synthetic journal export of about size bytes
// with its lines in reverse order, as journalctl -r -o json writes them.
func reversedJournal(t testing.TB, size int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := journalgen.Write(&buf, journalgen.Config{Bytes: size, AttemptEvery: 8 << 10, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(buf.Bytes(), []byte("\n"))
	out := make([]byte, 0, buf.Len())
	for i := len(lines) - 1; i >= 0; i-- {
		out = append(out, lines[i]...)
	}
	return out
}

// heapSampler is a reader that, every step bytes, collects garbage and
// records the live heap: what the parser retains, not what it allocates.
type heapSampler struct {
	r         io.Reader
	step, n   int
	next      int
	base, max uint64
}

func (h *heapSampler) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.n += n
	if h.n >= h.next {
		h.next += h.step
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapAlloc > h.base && ms.HeapAlloc-h.base > h.max {
			h.max = ms.HeapAlloc - h.base
		}
	}
	return n, err
}

// retainedWhileDiagnosing returns the most live heap, above what was live
// before, seen while Diagnose read data.
func retainedWhileDiagnosing(t *testing.T, data []byte) uint64 {
	t.Helper()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h := &heapSampler{r: bytes.NewReader(data), step: 1 << 20, base: ms.HeapAlloc}
	rep, err := Diagnose(context.Background(), h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Attempts) == 0 {
		t.Fatal("no attempt found in the reversed journal")
	}
	return h.max
}

// TestReversedInputMemoryBounded: reversed input (journalctl -r) is held
// back to be put in order; what is held must be bounded, whatever the
// input's size (issue 8: 134 MB for a 96 MB file). The live heap while
// reading 8 MB and 32 MB of reversed journal must be the same bounded
// amount, not grow with the input.
func TestReversedInputMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 40 MB of journal")
	}
	small := retainedWhileDiagnosing(t, reversedJournal(t, 8<<20))
	large := retainedWhileDiagnosing(t, reversedJournal(t, 32<<20))
	t.Logf("live heap while reading reversed input: 8 MB -> %.1f MB, 32 MB -> %.1f MB", float64(small)/(1<<20), float64(large)/(1<<20))
	const budget = 16 << 20
	if large > budget {
		t.Errorf("32 MB of reversed input kept %.1f MB live, over the %d MB budget", float64(large)/(1<<20), budget>>20)
	}
	if large > small*3/2+(4<<20) {
		t.Errorf("retained memory grows with the input: %.1f MB for 8 MB, %.1f MB for 32 MB", float64(small)/(1<<20), float64(large)/(1<<20))
	}
}

// TestReversedInputSameAttempts: reversed input spilled in many chunks gives
// the attempts the same input gives in order, none left out.
func TestReversedInputSameAttempts(t *testing.T) {
	defer func(n int) { reversedChunk = n }(reversedChunk)
	reversedChunk = 50
	var fwd bytes.Buffer
	if _, err := journalgen.Write(&fwd, journalgen.Config{Bytes: 2 << 20, AttemptEvery: 16 << 10, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	verdicts := func(data []byte) ([]string, []string) {
		rep, err := Diagnose(context.Background(), bytes.NewReader(data), Options{MaxAttempts: 10000})
		if err != nil {
			t.Fatal(err)
		}
		var v []string
		for _, a := range rep.Attempts {
			v = append(v, string(a.Class)+": "+a.Detail)
		}
		return v, rep.Hints
	}
	want, _ := verdicts(fwd.Bytes())
	lines := bytes.SplitAfter(fwd.Bytes(), []byte("\n"))
	var rev []byte
	for i := len(lines) - 1; i >= 0; i-- {
		rev = append(rev, lines[i]...)
	}
	got, hints := verdicts(rev)
	if len(want) < 50 {
		t.Fatalf("only %d attempts in the forward input", len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("attempts of the reversed input (-forward +reversed):\n%s", diff)
	}
	wantHints := []string{"the input was in reverse order (journalctl -r); attempts are listed oldest first"}
	if diff := cmp.Diff(wantHints, hints); diff != "" {
		t.Errorf("hints (-want +got):\n%s", diff)
	}
}
