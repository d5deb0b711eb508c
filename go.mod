module github.com/hotspotctl/hotspotctl

go 1.26.8

require github.com/godbus/dbus/v5 v5.2.4

require (
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/text v0.14.0 // indirect
)
