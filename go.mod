module github.com/hotspotctl/hotspotctl

go 1.26.8

require github.com/godbus/dbus/v5 v5.2.4

require golang.org/x/sys v0.50.0 // indirect
