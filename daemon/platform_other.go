//go:build !linux

package daemon

// StderrIsJournal is false off Linux: there is no journal.
func StderrIsJournal() bool { return false }

// watchDir has no implementation off Linux; reload with SIGHUP. It returns
// a nil channel (never ready) and no error.
func watchDir(dir string) (<-chan struct{}, func(), error) {
	return nil, func() {}, nil
}
