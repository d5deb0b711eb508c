package logparse

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// The wild corpus (testdata/wild) is real log excerpts from public bug
// reports and forums, each labelled from its thread's diagnosis (who said
// what is in its .src sidecar), grouped by source (one thread is one
// source). It measures the rules; it does not fit them.
//
// The sources are split once, frozen in testdata/wild/SPLIT: a third of
// them are "validation" sources, chosen by a hash of the source id when the
// source was added (wildSplitOf), and no rule may be written or tuned from
// them; the rest are "tuning" sources. A source any rule writer read log
// lines from (listed in testdata/tuning-sources/*.txt) is tuning whatever
// its hash. The README reports the validation accuracy.
const (
	// wildTargetValidation is issue 9's target on validation sources and
	// wildFailValidation the level below which the rules have failed; the
	// test says in its output whether they are met.
	wildTargetValidation = 0.95
	wildFailValidation   = 0.90
	// wildFloorValidation and wildFloorTuning are the accuracies measured
	// when the corpus was frozen (2026-12-02: 32/64 and 77/106) and raised
	// since (2026-12-03: 35/64 and 87/106), a ratchet: a change that lowers
	// either fails. Raise them as the rules improve; never lower them for a
	// rule change. Only a change of the split itself may move them: on
	// 2026-12-04 two validation sources a writer had seen moved to tuning
	// (SPLIT), one of them a miss, so the same rules measure 94/112 there.
	// The same day a collector added 29 new excerpts (8 validation, which
	// scored 4/8 on arrival): validation is 39/64 on the grown set.
	wildFloorValidation = 0.60
	wildFloorTuning     = 0.83
	wildMinExcerpts     = 150
	wildMinSources      = 60
)

var wildKeys = []string{"source", "source-id", "format", "platform", "label", "scope", "decoy", "diagnosis", "notes"}

type wildCase struct {
	file, sourceID, format, platform, scope string
	label                                   diagnostics.Class
	decoy                                   bool
}

func readSidecar(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	kv := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		k = strings.TrimSpace(k)
		for _, want := range wildKeys {
			if k == want {
				kv[k] = strings.TrimSpace(v)
			}
		}
	}
	return kv, sc.Err()
}

// wildSplitOf is the split a new source gets: validation for a third of
// the hash space.
func wildSplitOf(sourceID string) string {
	h := sha256.Sum256([]byte(sourceID))
	if h[0]%3 == 0 {
		return "validation"
	}
	return "tuning"
}

func readLines(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out, nil
}

func loadWild(t *testing.T) ([]wildCase, map[string]string) {
	t.Helper()
	files, err := filepath.Glob("testdata/wild/*")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var cases []wildCase
	for _, f := range files {
		base := filepath.Base(f)
		if strings.HasSuffix(f, ".src") || base == "SPLIT" || strings.HasSuffix(base, ".md") {
			continue
		}
		kv, err := readSidecar(f + ".src")
		if err != nil {
			t.Errorf("%s: %v", base, err)
			continue
		}
		for _, k := range wildKeys {
			if kv[k] == "" && k != "notes" {
				t.Errorf("%s.src: no %q", base, k)
			}
		}
		label, err := diagnostics.ParseClass(kv["label"])
		if err != nil {
			t.Errorf("%s.src: %v", base, err)
			continue
		}
		if prefix, _, _ := strings.Cut(base, "--"); prefix != string(label) {
			t.Errorf("%s: name says %s, sidecar says %s", base, prefix, label)
		}
		cases = append(cases, wildCase{file: f, sourceID: kv["source-id"], format: kv["format"], platform: kv["platform"],
			scope: kv["scope"], label: label, decoy: kv["decoy"] == "yes"})
	}
	split := map[string]string{}
	lines, err := readLines("testdata/wild/SPLIT")
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) != 2 || (f[1] != "tuning" && f[1] != "validation") {
			t.Errorf("SPLIT: bad line %q", l)
			continue
		}
		split[f[0]] = f[1]
	}
	read := map[string]string{}
	lists, _ := filepath.Glob("testdata/tuning-sources/*.txt")
	for _, list := range lists {
		lines, err := readLines(list)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			// Source-ids are lower case (wildSourceID); a list may
			// spell one as its URL does (linuxext.txt wrote
			// NetworkConfiguration/dhcpcd, which hid a validation
			// source until 2026-12-03).
			read[strings.ToLower(strings.Fields(l)[0])] = filepath.Base(list)
		}
	}
	for _, c := range cases {
		s, ok := split[c.sourceID]
		if !ok {
			want := wildSplitOf(c.sourceID)
			if read[c.sourceID] != "" {
				want = "tuning"
			}
			t.Errorf("SPLIT has no line for source %s (of %s); add: %s %s", c.sourceID, filepath.Base(c.file), c.sourceID, want)
			continue
		}
		if s == "validation" && read[c.sourceID] != "" {
			t.Errorf("source %s is a validation source, but rules were written from it (%s)", c.sourceID, read[c.sourceID])
		}
	}
	return cases, split
}

type tally struct{ ok, n int }

func (t *tally) add(ok bool) {
	t.n++
	if ok {
		t.ok++
	}
}

func (t tally) String() string {
	if t.n == 0 {
		return "0/0"
	}
	return fmt.Sprintf("%d/%d (%.1f%%)", t.ok, t.n, 100*float64(t.ok)/float64(t.n))
}

func (t tally) rate() float64 {
	if t.n == 0 {
		return 1
	}
	return float64(t.ok) / float64(t.n)
}

// TestWild measures diagnose on the wild corpus and reports accuracy per
// split, per platform, per class and per validation source. It fails when
// the validation or the tuning accuracy falls
// below their floors (a ratchet), and says whether issue 9's targets are
// met; every tuning miss is listed with its summary.
func TestWild(t *testing.T) {
	cases, split := loadWild(t)
	if len(cases) == 0 {
		t.Skip("testdata/wild is empty")
	}
	schema := reportSchema(t)
	bySplit := map[string]*tally{"tuning": {}, "validation": {}}
	byPlatform := map[string]*tally{}
	byClass := map[diagnostics.Class]*tally{}
	bySource := map[string]*tally{}
	scope := tally{}
	sources := map[string]bool{}
	decoys := 0
	var misses []string
	valMiss := map[string]int{}
	valMissWhy := map[string]int{}
	valMissFmt := map[string]int{} // the sidecar's format of the unrecognised
	for _, c := range cases {
		sp := split[c.sourceID]
		if sp == "" {
			continue
		}
		sources[c.sourceID] = true
		if c.decoy {
			decoys++
		}
		fh, err := os.Open(c.file)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Diagnose(context.Background(), fh, Options{Year: 2024, ToolVersion: "test"})
		fh.Close()
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		validate(t, schema, rep)
		ok := rep.Class == c.label
		bySplit[sp].add(ok)
		for _, m := range []map[string]*tally{byPlatform} {
			if m[c.platform] == nil {
				m[c.platform] = &tally{}
			}
			m[c.platform].add(ok)
		}
		if byClass[c.label] == nil {
			byClass[c.label] = &tally{}
		}
		byClass[c.label].add(ok)
		if bySource[c.sourceID] == nil {
			bySource[c.sourceID] = &tally{}
		}
		bySource[c.sourceID].add(ok)
		if ok && c.label != diagnostics.None && c.scope != "" {
			scope.add(rep.Scope == c.scope)
		}
		if !ok && sp == "validation" {
			valMiss[fmt.Sprintf("%s->%s", c.label, rep.Class)]++
			// Whether any line was recognised at all says whether a
			// format or a rule is missing, without naming the case.
			if len(rep.Formats) == 0 {
				valMissWhy["no format recognised"]++
				valMissFmt[c.format]++
			} else {
				valMissWhy["format recognised, rule missed"]++
			}
		}
		if !ok && (sp == "tuning" || os.Getenv("WILD_SHOW_VALIDATION") != "") {
			var sb strings.Builder
			WriteSummary(&sb, rep)
			first, _, _ := strings.Cut(sb.String(), "\n")
			misses = append(misses, fmt.Sprintf("[%s] %s: got %s, want %s (%s)", sp, filepath.Base(c.file), rep.Class, c.label, first))
		}
	}
	t.Logf("wild corpus: %d excerpts from %d sources, %d decoys (%.0f%%)", len(cases), len(sources), decoys, 100*float64(decoys)/float64(max(1, len(cases))))
	t.Logf("accuracy on VALIDATION sources (never tuned on): %s", bySplit["validation"])
	t.Logf("accuracy on tuning sources (rules written from them): %s", bySplit["tuning"])
	t.Logf("scope (attempt/situation) agreement where the class is right: %s", scope)
	for _, p := range sortedKeys(byPlatform) {
		t.Logf("  platform %-10s %s", p, byPlatform[p])
	}
	for _, c := range diagnostics.Classes {
		if byClass[c] != nil {
			t.Logf("  class %-20s %s", c, byClass[c])
		}
	}
	// Per-source scores of the validation third name the sources a rule
	// misses, which invites reading their threads: only with
	// WILD_SHOW_VALIDATION (a helper saw them in -v output on 2026-12-03).
	var val []string
	for _, s := range sortedKeys(bySource) {
		if split[s] == "validation" {
			val = append(val, fmt.Sprintf("%s %s", s, bySource[s]))
		}
	}
	if os.Getenv("WILD_SHOW_VALIDATION") != "" {
		t.Logf("the validation third (%d sources):\n  %s", len(val), strings.Join(val, "\n  "))
	} else {
		t.Logf("the validation third: %d sources (WILD_SHOW_VALIDATION=1 lists their scores)", len(val))
	}
	// Validation misses are counted, not named, unless asked: whoever
	// changes rules must not see them (the held-out rule).
	t.Logf("validation misses by label->class: %v (WILD_SHOW_VALIDATION=1 names them)", valMiss)
	t.Logf("validation misses by cause: %v; unrecognised by the sidecar's format: %v", valMissWhy, valMissFmt)
	for _, m := range misses {
		t.Logf("miss %s", m)
	}
	switch r := bySplit["validation"].rate(); {
	case r >= wildTargetValidation:
		t.Logf("validation accuracy %s meets the %.0f%% target", bySplit["validation"], 100*wildTargetValidation)
	case r >= wildFailValidation:
		t.Logf("validation accuracy %s is below the %.0f%% target", bySplit["validation"], 100*wildTargetValidation)
	default:
		t.Logf("VALIDATION ACCURACY %s IS BELOW %.0f%%: the rules fail on sources they were not written from (target %.0f%%)",
			bySplit["validation"], 100*wildFailValidation, 100*wildTargetValidation)
	}
	if r := bySplit["validation"].rate(); r < wildFloorValidation {
		t.Errorf("validation accuracy %s fell below its floor %.0f%%", bySplit["validation"], 100*wildFloorValidation)
	}
	if r := bySplit["tuning"].rate(); r < wildFloorTuning {
		t.Errorf("tuning accuracy %s fell below its floor %.0f%%", bySplit["tuning"], 100*wildFloorTuning)
	}
	if len(cases) < wildMinExcerpts || len(sources) < wildMinSources {
		t.Errorf("the wild corpus has %d excerpts from %d sources; it needs %d from %d", len(cases), len(sources), wildMinExcerpts, wildMinSources)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
