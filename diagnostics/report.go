package diagnostics

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// SchemaV1 is the value of Report.Schema for this version of the format. The
// JSON Schema is schema/report.v1.json; fields are only ever added to v1.
const SchemaV1 = "hotspotctl.report/v1"

// Outcomes.
const (
	OutcomeJoined = "joined"
	OutcomeFailed = "failed"
	// OutcomeNotShown is diagnose's outcome for a log that shows neither
	// a join nor a failure (class none, no attempt): "joined" would claim
	// a success the log never showed. Added to v1 in 2026-12; a live join
	// always ends joined or failed.
	OutcomeNotShown = "not_shown"
)

// Report is the JSON failure report written for every join (and for every
// attempt found in logs by diagnose). It never contains a secret.
type Report struct {
	Schema      string    `json:"schema"`
	ToolVersion string    `json:"tool_version"`
	Host        string    `json:"host"`
	Mode        string    `json:"mode"` // "join", "diagnose" or "daemon"
	Interface   string    `json:"interface"`
	SSID        string    `json:"ssid"`
	SSIDHex     string    `json:"ssid_hex"`
	BSSID       string    `json:"bssid"`
	Started     time.Time `json:"started"`
	Ended       time.Time `json:"ended"`
	Outcome     string    `json:"outcome"`
	Class       Class     `json:"class"`
	Detail      string    `json:"detail"`
	Hints       []string  `json:"hints"`
	IP4         string    `json:"ip4,omitempty"`
	// FreqMHz, Channel and Band describe the BSS the last attempt
	// activated on (band "2.4GHz", "5GHz", "6GHz" or "60GHz"); absent when
	// no BSS was chosen.
	FreqMHz int    `json:"freq_mhz,omitempty"`
	Channel int    `json:"channel,omitempty"`
	Band    string `json:"band,omitempty"`
	// DegradedEvidence, when set, says which evidence this join could not
	// collect (a non-root caller does not see wpa_supplicant's signals) and
	// so which verdicts it could not reach; absent when nothing was missing.
	DegradedEvidence string `json:"degraded_evidence,omitempty"`
	// Scope, for diagnose, says what the verdict is for: ScopeAttempt (a
	// join attempt the log shows) or ScopeSituation (the state a window of
	// log shows without a whole attempt in it); absent when the log showed
	// nothing to classify, and for live joins, whose verdict is always the
	// attempt's.
	Scope string `json:"scope,omitempty"`
	// Summary is the verdict in one sentence a non-expert understands,
	// and NextStep what to do about it (Explain writes both).
	Summary  string `json:"summary,omitempty"`
	NextStep string `json:"next_step,omitempty"`
	// Formats, for diagnose, lists the log formats recognised in the
	// input, with how many events each gave, in the order first met.
	Formats  []Format  `json:"formats,omitempty"`
	Attempts []Attempt `json:"attempts"`
}

// Format is one log format diagnose recognised.
type Format struct {
	Name   string `json:"name"`
	Events int    `json:"events"`
}

// Attempt is one try at joining, with the scans, events and evidence behind
// its class and the decision taken after it.
type Attempt struct {
	Number  int       `json:"number"`
	Class   Class     `json:"class"`
	Detail  string    `json:"detail"`
	Started time.Time `json:"started"`
	Ended   time.Time `json:"ended"`
	BSSID   string    `json:"bssid,omitempty"`
	FreqMHz int       `json:"freq_mhz,omitempty"`
	Channel int       `json:"channel,omitempty"`
	Band    string    `json:"band,omitempty"`
	// StatusCode and Timeout are the verdict's typed cause (Verdict's
	// fields of the same names): the 802.11 status code of the AP's
	// refusal, and the exchange that timed out; absent when none.
	StatusCode int    `json:"status_code,omitempty"`
	Timeout    string `json:"timeout,omitempty"`
	// Secrets is the verdict's Secrets (SecretsNoAgent: no key was tried,
	// no secret agent answered NetworkManager); absent otherwise.
	Secrets string `json:"secrets,omitempty"`
	// Scope is ScopeSituation for a verdict diagnose gave a window of log
	// with no whole attempt in it; absent (an attempt) otherwise.
	Scope    string       `json:"scope,omitempty"`
	Scans    []ScanRecord `json:"scans"`
	Events   []Event      `json:"events"`
	Evidence []Evidence   `json:"evidence"`
	Retry    *Retry       `json:"retry,omitempty"`
}

// Retry records the decision taken after a failed attempt.
type Retry struct {
	Retry   bool   `json:"retry"`
	DelayMS int64  `json:"delay_ms"`
	Reason  string `json:"reason"`
}

// Scan methods and outcomes recorded in ScanRecord.
const (
	ScanMethodNL80211   = "nl80211"
	ScanMethodNM        = "nm"
	ScanMethodPiggyback = "piggyback"

	ScanOK      = "ok"
	ScanBusyOut = "busy"
	ScanAborted = "aborted"
	ScanFailed  = "failed"
	ScanTimeout = "timeout"
)

// ScanRecord is one scan's outcome as seen by hotspotctl.
type ScanRecord struct {
	Method       string    `json:"method"`
	Outcome      string    `json:"outcome"`
	Own          bool      `json:"own"`
	Started      time.Time `json:"started"`
	Ended        time.Time `json:"ended"`
	BSSCount     int       `json:"bss_count"`
	Matches      int       `json:"matches"`
	BusyRefusals int       `json:"busy_refusals"`
	HiddenBSS    int       `json:"hidden_bss"`
	// HiddenRecent counts hidden BSSes the kernel's table shows last seen
	// since the scan phase began but not during this scan (another scan
	// heard their beacon). They back the hint that a hidden network is
	// present; like BSSCount they never count as evidence of absence.
	HiddenRecent int      `json:"hidden_recent,omitempty"`
	NearMiss     []string `json:"near_miss,omitempty"`
	Error        string   `json:"error,omitempty"`
}

// SSIDHex returns the lowercase hex form of an SSID's bytes.
func SSIDHex(ssid []byte) string { return hex.EncodeToString(ssid) }

// PrintableSSID renders SSID bytes for humans and JSON: the SSID itself when
// it is valid UTF-8 without control or format characters, else its hex form
// prefixed with "0x" so it cannot be mistaken for a name. An SSID is 32
// arbitrary bytes chosen by whoever runs the access point, and a terminal
// acts on more than C0 controls: U+009B is CSI on terminals that take C1
// controls, U+202E and the other bidi overrides and isolates reorder what
// follows, zero-width and BOM characters hide text, and U+2028/U+2029 break
// lines. So every rune in unicode.Cc, unicode.Cf, unicode.Zl and unicode.Zp
// turns the whole SSID into hex; the exact bytes are always in ssid_hex.
func PrintableSSID(ssid []byte) string {
	if utf8.Valid(ssid) && !strings.ContainsFunc(string(ssid), unsafeRune) {
		return string(ssid)
	}
	return "0x" + hex.EncodeToString(ssid)
}

// unsafeRune reports the runes PrintableSSID never lets through.
func unsafeRune(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp)
}

// Finish fills Class, Detail, Outcome and Ended from the last attempt.
func (r *Report) Finish(end time.Time) {
	r.Ended = end
	if r.Schema == "" {
		r.Schema = SchemaV1
	}
	if r.Hints == nil {
		r.Hints = []string{}
	}
	if r.Attempts == nil {
		r.Attempts = []Attempt{}
	}
	if len(r.Attempts) == 0 {
		if r.Class == "" {
			r.Class = Unknown
		}
	} else {
		a := r.Attempts[len(r.Attempts)-1]
		r.Class, r.Detail = a.Class, a.Detail
		if a.BSSID != "" {
			r.BSSID = a.BSSID
		}
		if a.FreqMHz != 0 {
			r.FreqMHz, r.Channel, r.Band = a.FreqMHz, a.Channel, a.Band
		}
	}
	r.Outcome = OutcomeFailed
	if r.Class == None {
		r.Outcome = OutcomeJoined
	}
	for i := range r.Attempts {
		a := &r.Attempts[i]
		if a.Scans == nil {
			a.Scans = []ScanRecord{}
		}
		if a.Events == nil {
			a.Events = []Event{}
		}
		if a.Evidence == nil {
			a.Evidence = []Evidence{}
		}
	}
}

// Marshal encodes r as indented JSON with a trailing newline. The error is
// only ever the encoder's.
//
// A report keeps secrets out by construction: it has no field for one,
// hotspotctl never writes the passphrase into an event, and the only text
// that comes from elsewhere is redacted by its producer before it becomes an
// event (nm redacts the D-Bus error messages of calls that carried a secret,
// logparse the key material of captured logs). Marshal used to search the
// encoding for the passphrase and refuse the report, which threw the verdict
// away whenever the passphrase was also ordinary text of the report: a guest
// network whose passphrase is its SSID, a passphrase such as "activated".
func (r *Report) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("marshal report: %w", err)
	}
	return append(b, '\n'), nil
}

// WriteFileAtomic writes data to path with mode 0600 so that a reader sees
// either the old file or the whole new one: it writes a temporary file in the
// same directory, syncs it, renames it over path and syncs the directory. A
// crash or SIGTERM part way leaves at most a stray temporary file, never a
// truncated report.
func WriteFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	ok = true
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Redact replaces every occurrence of each non-empty secret in s with
// "[redacted]". Producers of events call it on any text that passed near a
// secret (wpa_supplicant debug lines, D-Bus error messages).
func Redact(s string, secrets ...string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	return s
}

// SetVerdict records v as the attempt's verdict: class, detail, evidence
// and the typed cause fields the retry policy and Explain read. Every
// producer of attempts (join, diagnose's attempts and situations) uses it,
// so a new cause field reaches all of them.
func (a *Attempt) SetVerdict(v Verdict) {
	a.Class, a.Detail, a.Evidence = v.Class, v.Detail, v.Evidence
	a.StatusCode, a.Timeout, a.Secrets = v.StatusCode, v.Timeout, v.Secrets
}
