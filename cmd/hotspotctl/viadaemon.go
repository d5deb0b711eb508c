package main

import (
	"context"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/join"
)

// joinViaDaemon hands the join to a running hotspotctl daemon, so that one
// process owns the radio. ok is false when no daemon is running; the CLI then
// joins by itself.
func joinViaDaemon(ctx context.Context, g *globals, req join.Request) (rep *diagnostics.Report, ok bool, err error) {
	return nil, false, nil
}
