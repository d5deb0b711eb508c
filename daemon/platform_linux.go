package daemon

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// StderrIsJournal reports whether standard error is connected to the
// journal: systemd sets $JOURNAL_STREAM to the device and inode of the
// stream it connected, and they must match standard error's (a child with
// redirected stderr inherits the variable but not the stream).
func StderrIsJournal() bool {
	v := os.Getenv("JOURNAL_STREAM")
	if v == "" {
		return false
	}
	var st unix.Stat_t
	if err := unix.Fstat(2, &st); err != nil {
		return false
	}
	return v == fmt.Sprintf("%d:%d", st.Dev, st.Ino)
}

// watchDir reports changes to files in dir through inotify (close after
// write, rename in or out, delete, attribute change), ignoring hidden files
// (editors' and WriteFileAtomic's temporary files). The channel holds at most
// one pending notification; stop closes the inotify descriptor. The error is
// inotify's, wrapped in *Error.
func watchDir(dir string) (<-chan struct{}, func(), error) {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return nil, nil, &Error{Op: "inotify", Err: err}
	}
	const mask = unix.IN_CLOSE_WRITE | unix.IN_MOVED_TO | unix.IN_MOVED_FROM | unix.IN_DELETE | unix.IN_ATTRIB |
		unix.IN_DELETE_SELF | unix.IN_MOVE_SELF
	if _, err := unix.InotifyAddWatch(fd, filepath.Clean(dir), mask); err != nil {
		unix.Close(fd)
		return nil, nil, &Error{Op: "inotify " + dir, Err: err}
	}
	f := os.NewFile(uintptr(fd), "inotify")
	ch := make(chan struct{}, 1)
	go func() {
		buf := make([]byte, 16*1024)
		for {
			n, err := f.Read(buf)
			if err != nil {
				return
			}
			relevant := false
			for off := 0; off+unix.SizeofInotifyEvent <= n; {
				ev := (*unix.InotifyEvent)(unsafe.Pointer(&buf[off]))
				name := buf[off+unix.SizeofInotifyEvent : off+unix.SizeofInotifyEvent+int(ev.Len)]
				name = bytes.TrimRight(name, "\x00")
				if len(name) == 0 || !strings.HasPrefix(string(name), ".") {
					relevant = true
				}
				off += unix.SizeofInotifyEvent + int(ev.Len)
			}
			if relevant {
				select {
				case ch <- struct{}{}:
				default:
				}
			}
		}
	}()
	return ch, func() { f.Close() }, nil
}
