package daemon

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/join"
)

// Network is one desired network, from a configuration file or from Apply.
// Passphrase is a secret: String and MarshalZerologObject leave it out, and
// it is never logged, reported or written anywhere but a 0600 file.
type Network struct {
	// Name is the file's base name without ".conf".
	Name string
	// File is the file the network came from.
	File     string
	SSID     []byte
	Priority int
	Hidden   bool
	Security string // auto, open, wpa-psk or sae
	BSSID    string
	// Passphrase was read from PassphraseFile or PassphraseCredential.
	Passphrase           string
	PassphraseFile       string
	PassphraseCredential string
	// Applied is true for networks stored by the D-Bus API (in the state
	// directory) rather than written by the administrator.
	Applied bool
}

// String names the network for logs; it never contains the passphrase.
func (n Network) String() string {
	return fmt.Sprintf("%s (ssid %q, priority %d)", n.Name, diagnostics.PrintableSSID(n.SSID), n.Priority)
}

// ConfigError is a problem in one configuration file. Line is 1-based, or 0
// when the problem is with the file as a whole.
type ConfigError struct {
	File string
	Line int
	Msg  string
}

func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Is makes errors.Is(err, ErrConfig) true for every ConfigError.
func (e *ConfigError) Is(target error) bool { return target == ErrConfig }

// maxPassphraseFile bounds what is read from a passphrase file or credential.
const maxPassphraseFile = 4096

// ParseNetwork parses one network file's contents. path names the file in
// errors and resolves a relative passphrase_file; credDir is
// $CREDENTIALS_DIRECTORY ("" when unset). The error is a *ConfigError naming
// the file and the line; it never contains a passphrase.
//
// The format is "key = value" lines; blank lines and lines starting with '#'
// or ';' are ignored (there are no comments after a value: an unquoted value
// containing a space followed by '#' or ';' is an error); an optional
// "[network]" header is allowed; values may be double-quoted. Keys: ssid or ssid_hex (exactly one), priority (integer,
// -1000..1000, default 0), hidden (true/false), security (auto, open,
// wpa-psk, sae; default auto), bssid, passphrase_file (absolute or relative
// to the file, a regular file owned by root with no group or other
// permissions) or passphrase_credential (a systemd credential name, read from
// $CREDENTIALS_DIRECTORY).
func ParseNetwork(path string, data []byte, credDir string) (Network, error) {
	n := Network{Name: strings.TrimSuffix(filepath.Base(path), ".conf"), File: path, Security: join.SecurityAuto}
	bad := func(line int, format string, args ...any) error {
		return &ConfigError{File: path, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	seen := map[string]int{}
	var secLine, passLine int
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 64*1024)
	ln := 0
	for sc.Scan() {
		ln++
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			if line != "[network]" {
				return n, bad(ln, "unknown section %s (only [network] is allowed)", line)
			}
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return n, bad(ln, "expected \"key = value\", got %q", trunc(line))
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			uq, err := strconv.Unquote(v)
			if err != nil {
				return n, bad(ln, "%s: bad quoted value: %v", k, err)
			}
			v = uq
		} else {
			// Only whole lines are comments. An unquoted value with
			// " #" or " ;" is refused rather than taken whole (a path
			// that does not exist, an SSID with the comment in it) or cut
			// (an SSID may really contain " #").
			for _, c := range []string{"#", ";"} {
				if strings.Contains(v, " "+c) || strings.Contains(v, "\t"+c) {
					return n, bad(ln, "%s: %q after a space starts no comment here; put the comment on a line of its own, or quote the value if %q belongs to it", k, c, c)
				}
			}
		}
		if first, dup := seen[k]; dup {
			return n, bad(ln, "duplicate key %q (first set on line %d)", k, first)
		}
		seen[k] = ln
		switch k {
		case "ssid":
			if _, other := seen["ssid_hex"]; other {
				return n, bad(ln, "give ssid or ssid_hex, not both")
			}
			b, err := join.ParseSSID(v, false)
			if err != nil {
				return n, bad(ln, "%v", err)
			}
			n.SSID = b
		case "ssid_hex":
			if _, other := seen["ssid"]; other {
				return n, bad(ln, "give ssid or ssid_hex, not both")
			}
			b, err := join.ParseSSID(v, true)
			if err != nil {
				return n, bad(ln, "%v", err)
			}
			n.SSID = b
		case "priority":
			p, err := strconv.Atoi(v)
			if err != nil || p < -1000 || p > 1000 {
				return n, bad(ln, "priority must be an integer from -1000 to 1000, got %q", trunc(v))
			}
			n.Priority = p
		case "hidden":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return n, bad(ln, "hidden must be true or false, got %q", trunc(v))
			}
			n.Hidden = b
		case "security":
			switch v {
			case join.SecurityAuto, join.SecurityOpen, join.SecurityWPAPSK, join.SecuritySAE:
			default:
				return n, bad(ln, "security must be one of auto, open, wpa-psk, sae, got %q", trunc(v))
			}
			n.Security, secLine = v, ln
		case "bssid":
			b, err := join.ParseBSSID(v)
			if err != nil {
				return n, bad(ln, "%v", err)
			}
			n.BSSID = b
		case "passphrase_file":
			if _, other := seen["passphrase_credential"]; other {
				return n, bad(ln, "give passphrase_file or passphrase_credential, not both")
			}
			if v == "" {
				return n, bad(ln, "passphrase_file is empty")
			}
			if !filepath.IsAbs(v) {
				v = filepath.Join(filepath.Dir(path), v)
			}
			p, err := readSecretFile(v, true)
			if err != nil {
				return n, bad(ln, "passphrase_file: %v", err)
			}
			n.PassphraseFile, n.Passphrase, passLine = v, p, ln
		case "passphrase_credential":
			if _, other := seen["passphrase_file"]; other {
				return n, bad(ln, "give passphrase_file or passphrase_credential, not both")
			}
			if v == "" || strings.ContainsAny(v, "/\x00") || v == "." || v == ".." {
				return n, bad(ln, "passphrase_credential %q is not a credential name", trunc(v))
			}
			if credDir == "" {
				return n, bad(ln, "passphrase_credential %q: $CREDENTIALS_DIRECTORY is not set (give the service LoadCredential=%s:PATH or SetCredentialEncrypted=)", v, v)
			}
			// systemd makes credentials readable by the service only; their
			// mode is not ours to check.
			p, err := readSecretFile(filepath.Join(credDir, v), false)
			if err != nil {
				return n, bad(ln, "passphrase_credential %q: %v", v, err)
			}
			n.PassphraseCredential, n.Passphrase, passLine = v, p, ln
		case "psk", "passphrase", "password", "key":
			return n, bad(ln, "%s: a passphrase is never written in the network file; use passphrase_file or passphrase_credential", k)
		default:
			return n, bad(ln, "unknown key %q (known: ssid, ssid_hex, priority, hidden, security, bssid, passphrase_file, passphrase_credential)", trunc(k))
		}
	}
	if err := sc.Err(); err != nil {
		return n, bad(ln+1, "%v", err)
	}
	if len(n.SSID) == 0 {
		return n, bad(0, "no ssid (or ssid_hex)")
	}
	if (n.Security == join.SecurityWPAPSK || n.Security == join.SecuritySAE) && n.Passphrase == "" {
		return n, bad(secLine, "security %s needs passphrase_file or passphrase_credential", n.Security)
	}
	if err := join.ValidatePassphrase(n.Passphrase, n.Security); err != nil {
		l := passLine
		if n.Security == join.SecurityOpen {
			l = secLine
		}
		return n, bad(l, "%v", err)
	}
	return n, nil
}

func trunc(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// readSecretFile reads a passphrase: a single trailing newline is not part
// of it. With strict, the file must be a regular file owned by root (or by
// the daemon's own user) with no permissions for group or others.
func readSecretFile(p string, strict bool) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("%s is not a regular file", p)
	}
	if strict {
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			return "", fmt.Errorf("%s has mode %04o; it must not be accessible by group or others (chmod 600 %s)", p, perm, p)
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid != 0 && int(st.Uid) != os.Geteuid() {
			return "", fmt.Errorf("%s is owned by uid %d; it must be owned by root", p, st.Uid)
		}
	}
	b := make([]byte, maxPassphraseFile+1)
	nr, err := f.Read(b)
	if err != nil && nr == 0 {
		return "", fmt.Errorf("%s: %w", p, err)
	}
	if nr > maxPassphraseFile {
		return "", fmt.Errorf("%s is larger than %d bytes", p, maxPassphraseFile)
	}
	s := strings.TrimSuffix(strings.TrimSuffix(string(b[:nr]), "\n"), "\r")
	if s == "" {
		return "", fmt.Errorf("%s is empty", p)
	}
	return s, nil
}

// LoadDir reads every "*.conf" file in dir (sorted by name; hidden files and
// non-regular files are skipped) and returns the networks. A missing
// directory is an empty configuration. Any bad file fails the whole load with
// a *ConfigError naming the file and line, so that a caller can keep its
// last good configuration; two files for the same SSID are an error too.
func LoadDir(dir, credDir string, applied bool) ([]Network, error) {
	ents, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, &ConfigError{File: dir, Msg: err.Error()}
	}
	var out []Network
	for _, e := range ents {
		name := e.Name()
		if !strings.HasSuffix(name, ".conf") || strings.HasPrefix(name, ".") || !e.Type().IsRegular() {
			continue
		}
		p := filepath.Join(dir, name)
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, &ConfigError{File: p, Msg: err.Error()}
		}
		n, err := ParseNetwork(p, b, credDir)
		if err != nil {
			return nil, err
		}
		n.Applied = applied
		out = append(out, n)
	}
	return out, nil
}

// mergeNetworks joins the administrator's networks and the applied ones
// (stored through Apply). The same SSID in two of the administrator's files
// is an error (a *ConfigError): which one was meant is theirs to say. An
// applied network for an SSID an administrator's file also configures is
// skipped and returned in shadowed, with the file that wins in its
// ShadowedBy: the administrator's file wins (docs/daemon.md), and a stored
// copy must never make the whole configuration invalid, since the daemon
// would then manage nothing. The result is sorted by priority (highest
// first), then name.
func mergeNetworks(admin, applied []Network) (nets []Network, shadowed []Shadowed, err error) {
	for _, n := range admin {
		if i := slices.IndexFunc(nets, func(o Network) bool { return bytes.Equal(o.SSID, n.SSID) }); i >= 0 {
			return nil, nil, &ConfigError{File: n.File, Msg: fmt.Sprintf("ssid %q is already configured in %s", diagnostics.PrintableSSID(n.SSID), nets[i].File)}
		}
		nets = append(nets, n)
	}
	for _, n := range applied {
		if i := slices.IndexFunc(nets, func(o Network) bool { return bytes.Equal(o.SSID, n.SSID) }); i >= 0 {
			shadowed = append(shadowed, Shadowed{Network: n, ShadowedBy: nets[i].File})
			continue
		}
		nets = append(nets, n)
	}
	sort.SliceStable(nets, func(i, j int) bool {
		if nets[i].Priority != nets[j].Priority {
			return nets[i].Priority > nets[j].Priority
		}
		return nets[i].Name < nets[j].Name
	})
	return nets, shadowed, nil
}

// Shadowed is a network stored through Apply that is not used because an
// administrator's file (ShadowedBy) configures the same SSID.
type Shadowed struct {
	Network
	ShadowedBy string
}

// appliedFileName is the state-directory file name for an applied SSID: its
// hex form, which is safe for any SSID bytes.
func appliedFileName(ssid []byte) string { return "ssid-" + hex.EncodeToString(ssid) }

// writeApplied stores n (from Apply) in dir as NAME.conf plus, when it has a
// passphrase, NAME.psk (mode 0600), both written atomically.
func writeApplied(dir string, n Network) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	base := appliedFileName(n.SSID)
	var b strings.Builder
	fmt.Fprintf(&b, "# Stored by hotspotctl's D-Bus Apply; remove with Remove.\n")
	fmt.Fprintf(&b, "ssid_hex = %s\n", hex.EncodeToString(n.SSID))
	fmt.Fprintf(&b, "priority = %d\n", n.Priority)
	fmt.Fprintf(&b, "hidden = %t\n", n.Hidden)
	fmt.Fprintf(&b, "security = %s\n", n.Security)
	if n.BSSID != "" {
		fmt.Fprintf(&b, "bssid = %s\n", n.BSSID)
	}
	psk := filepath.Join(dir, base+".psk")
	if n.Passphrase != "" {
		if err := diagnostics.WriteFileAtomic(psk, []byte(n.Passphrase+"\n")); err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "passphrase_file = %s\n", base+".psk")
	} else {
		_ = os.Remove(psk)
	}
	p := filepath.Join(dir, base+".conf")
	return p, diagnostics.WriteFileAtomic(p, []byte(b.String()))
}

// removeApplied deletes an applied network's files.
func removeApplied(dir string, ssid []byte) error {
	base := filepath.Join(dir, appliedFileName(ssid))
	err := os.Remove(base + ".conf")
	if e2 := os.Remove(base + ".psk"); e2 != nil && !os.IsNotExist(e2) && err == nil {
		err = e2
	}
	return err
}
