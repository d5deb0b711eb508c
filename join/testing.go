package join

// SetSysClassNetForTest points CheckInterface at another sysfs tree (a
// directory of INTERFACE/wireless entries) and returns a function that
// restores /sys/class/net. It is for tests of packages that validate
// interfaces through join (the daemon's Join API); never call it in a
// program.
func SetSysClassNetForTest(dir string) (restore func()) {
	prev := sysClassNet
	sysClassNet = dir
	return func() { sysClassNet = prev }
}
