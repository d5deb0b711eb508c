package join

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFileLockExcludesASecondHolder(t *testing.T) {
	l := FileLock{Dir: t.TempDir()}
	unlock, err := l.Lock(context.Background(), "wlan0")
	if err != nil {
		t.Fatal(err)
	}
	// flock locks belong to the open file description, so a second open in
	// the same process contends like another process would.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = l.Lock(ctx, "wlan0")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second Lock while held: err %v, want one wrapping context.DeadlineExceeded", err)
	}
	other, err := l.Lock(context.Background(), "wlan1")
	if err != nil {
		t.Errorf("another interface's lock: %v", err)
	} else {
		other()
	}
	unlock()
	again, err := l.Lock(context.Background(), "wlan0")
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	again()
}

func TestFileLockRejectsPathNames(t *testing.T) {
	l := FileLock{Dir: t.TempDir()}
	var bad []string
	for _, name := range []string{"", "..", "a/b", "x\x00y"} {
		if _, err := l.Lock(context.Background(), name); err == nil {
			bad = append(bad, name)
		}
	}
	if diff := cmp.Diff([]string(nil), bad); diff != "" {
		t.Errorf("names accepted (-want +got):\n%s", diff)
	}
}
