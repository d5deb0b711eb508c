package main

import (
	"fmt"
	"os"
	"os/user"
)

// profileOwner returns the user a direct join's profile is restricted to:
// "" for root (a system profile, saved unless --once), the caller's user
// name otherwise. NetworkManager lets a user add a profile whose
// connection.permissions name only that user with the polkit permission
// settings.modify.own (instead of settings.modify.system), and hides it, its
// secrets included, from every other user but root; hotspotctl also keeps
// such a profile volatile, so a non-root caller's passphrase is never
// written to /etc/NetworkManager/system-connections (README, "Profiles and
// secrets"). The error says why the user name could not be found.
func profileOwner() (string, error) {
	if os.Geteuid() == 0 {
		return "", nil
	}
	u, err := user.Current()
	if err != nil {
		return "", fmt.Errorf("cannot find your user name for the profile's connection.permissions: %w", err)
	}
	return u.Username, nil
}
