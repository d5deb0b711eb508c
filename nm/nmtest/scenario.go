package nmtest

import (
	"slices"
	"time"

	"github.com/godbus/dbus/v5"
)

// Scenario drives the fake NetworkManager and wpa_supplicant. The zero value
// is a healthy system: NetworkManager 1.42 with Wi-Fi enabled, one managed
// Wi-Fi device wlan0 (disconnected), wpa_supplicant on the bus sending both
// its standard and its deprecated PropertiesChanged signals (as 2.10 does),
// no access points, scans that succeed after a few milliseconds, and
// activations that run ScriptSuccess.
//
// Every failure the join path classifies can be injected:
//
//	scan refused (busy)       Scans: []ScanStep{{Refuse: nmtest.RefuseUnavailable}}
//	scan failed               Scans: []ScanStep{{Fail: true}}     (ScanDone false, LastScan still moves)
//	non-root caller           SupplicantDenied: true (wpa_supplicant's calls denied, signals unseen)
//	someone else's scan       ForeignScanRunning: true (its ScanDone(true) comes first)
//	slow result fetch         Scans: []ScanStep{{FetchDelay: d}} (list stale until LastScan moves)
//	gone BSS still listed     AP{Stale: true} (LastSeen two minutes old)
//	scan never finishes       Scans: []ScanStep{{NoDone: true}}
//	SSID absent               OnActivate: nmtest.ScriptSSIDNotFound(50*time.Millisecond)
//	wrong key                 OnActivate: nmtest.ScriptWrongKey()      (as recorded: no PskMismatch)
//	                          or nmtest.ScriptWrongKeyPskMismatch()  (builds that send it)
//	wrong key, WPA3           OnActivate: nmtest.ScriptSAEWrongKey()   (no PskMismatch)
//	association rejected      OnActivate: nmtest.ScriptAssocRejected(17)
//	authentication rejected   OnActivate: nmtest.ScriptAuthRejected(1)
//	AP full (hostapd 2.10)    OnActivate: nmtest.ScriptAuthRejected(17)  (real: auth, not assoc)
//	DHCP failure              OnActivate: nmtest.ScriptDHCPFailure(17)
//	radio off                 RadioOff: true (or Fake.SetWirelessEnabled(false) mid-join)
//	unmanaged device          Devices: []DeviceSpec{{Ifname: "wlan0", Unmanaged: true}},
//	                          or Fake.SetManaged("wlan0", false) mid-join (reason 36, as in the lab)
//	device unplugged          Fake.RemoveDevice("wlan0"), Fake.AddDevice("wlan0")
//	rfkill without udev       Script{SupplicantState("interface_disabled")}: NetworkManager
//	                          notices nothing, wpa_supplicant does (lab/FINDINGS.md)
//	permission denied         DenyActivate: true
//	wpa_supplicant absent     NoSupplicant: true (or Fake.StopSupplicant())
//	NetworkManager restarting Fake.StopNM(), Fake.StartNM(), or script steps StopNM/StartNM
//
// Profiles are modelled as NetworkManager keeps them: AddProfile adds a
// saved (on-disk) one; AddAndActivateConnection2's "persist" makes it saved,
// "memory" (unsaved) or "volatile" (unsaved, deleted when its active
// connection deactivates); Update2 with flag to-disk saves it and clears
// volatile; connection.interface-name restricts it to one device
// (ErrConnNotAvailable otherwise). Fake.Profiles shows them with their
// secrets, Fake.ActivateProfile starts a test connected ("the user's
// previous connection", running OnReactivate), Fake.ActiveProfile shows a
// device's current profile. Several Wi-Fi devices: Devices with several
// DeviceSpecs; activating one never touches another's connection.
//
// A Script's steps run in order in a goroutine after AddAndActivateConnection2
// has replied, on the device being activated and its new active connection.
type Scenario struct {
	// Devices are NetworkManager's Wi-Fi (or other) devices; nil means one
	// managed Wi-Fi device "wlan0".
	Devices []DeviceSpec
	// APs are the access points every Wi-Fi device sees. An AP with Hidden
	// set shows an empty SSID until a RequestScan probes for its SSID.
	APs []AP
	// RadioOff starts with WirelessEnabled false and Wi-Fi devices
	// unavailable; HardwareRadioOff sets WirelessHardwareEnabled false too.
	RadioOff, HardwareRadioOff bool
	// NoSupplicant leaves fi.w1.wpa_supplicant1 off the bus.
	NoSupplicant bool
	// SupplicantDenied models a non-root caller: wpa_supplicant is running
	// (NetworkManager uses it) but its bus policy admits only root and the
	// netdev group, so every call to it fails with
	// org.freedesktop.DBus.Error.AccessDenied and none of its signals
	// (ScanDone, PskMismatch, AuthStatusCode...) reach the client.
	SupplicantDenied bool
	// ForeignScanRunning starts with a scan by another process under way
	// (wpa_supplicant's Scanning true): the first RequestScan is answered
	// first by that scan's ScanDone(true), not directed at the requested
	// SSIDs, then by its own.
	ForeignScanRunning bool
	// SupplicantSignals selects wpa_supplicant's PropertiesChanged style:
	// "both" (default, standard then deprecated, like 2.10), "standard"
	// or "legacy" (only fi.w1.wpa_supplicant1.Interface.PropertiesChanged).
	SupplicantSignals string
	// Scans are the outcomes of successive RequestScan calls; the last one
	// repeats. None means every scan succeeds.
	Scans []ScanStep
	// OnActivate runs after each AddAndActivateConnection2; nil means
	// ScriptSuccess().
	OnActivate Script
	// OnReactivate runs after each ActivateConnection of a stored profile
	// (and Fake.ActivateProfile); nil means ScriptSuccess().
	OnReactivate Script
	// DenyActivate makes AddAndActivateConnection2, DeactivateConnection and
	// Delete fail with org.freedesktop.NetworkManager.PermissionDenied.
	DenyActivate bool
	// ActivateError, when set, is returned by AddAndActivateConnection2.
	ActivateError *dbus.Error
	// RestartDeviceDelay, when set, makes a restarted NetworkManager
	// (StartNM after StopNM) own its bus name this long before it realizes
	// its devices and announces them with DeviceAdded — the lab saw 1.4 s.
	RestartDeviceDelay time.Duration
	// EchoSecrets makes settings validation errors quote the offending psk,
	// the way a careless NetworkManager build might, to test redaction.
	EchoSecrets bool
}

// DeviceSpec describes one NetworkManager device.
type DeviceSpec struct {
	Ifname    string
	Type      uint32 // NMDeviceType; 0 means 2 (Wi-Fi)
	Unmanaged bool
	HwAddress string // default 02:00:00:00:00:0N
	Driver    string // default mac80211_hwsim
}

// AP is an access point visible to the fake's Wi-Fi devices.
type AP struct {
	SSID     []byte
	BSSID    string
	FreqMHz  uint32 // default 2412
	Strength uint8  // default 70
	// Flags, WpaFlags and RsnFlags are NetworkManager's NM80211ApFlags and
	// NM80211ApSecurityFlags (RsnFlags 0x188 is WPA2-PSK CCMP, 0x488 SAE).
	Flags, WpaFlags, RsnFlags uint32
	Hidden                    bool
	// Stale keeps the AP in NetworkManager's list with a LastSeen two
	// minutes old, as NetworkManager does for a BSS that stopped beaconing.
	Stale bool
}

// Common AP security flag sets.
const (
	RsnWPA2PSK = 0x188 // pair CCMP | group CCMP | key-mgmt PSK
	RsnSAE     = 0x488 // pair CCMP | group CCMP | key-mgmt SAE
	RsnEAP     = 0x288
	FlagPriv   = 0x1
)

// RefuseUnavailable and RefuseRateLimited are NetworkManager's
// Device.NotAllowed messages for a refused RequestScan.
const (
	RefuseUnavailable = "Scanning not allowed while unavailable"
	RefuseRateLimited = "Scanning not allowed immediately following previous scan"
)

// ScanStep is the outcome of one RequestScan.
type ScanStep struct {
	// Refuse, when not empty, makes RequestScan fail with
	// org.freedesktop.NetworkManager.Device.NotAllowed and this message.
	Refuse string
	// Fail makes wpa_supplicant's ScanDone report false.
	Fail bool
	// NoDone sends no ScanDone and leaves LastScan alone.
	NoDone bool
	// Delay before ScanDone (default 5ms).
	Delay time.Duration
	// Autoconnect, when set, makes NetworkManager autoconnect a stored
	// profile while this scan runs: its whole activation is played, before
	// ScanDone, on a new active connection (see Fake.autoconnect).
	Autoconnect *Autoconnect
	// FetchDelay is how long after ScanDone NetworkManager takes to fetch
	// the new BSSes and move LastScan; until then its list is the old one.
	FetchDelay time.Duration
}

// Autoconnect is a profile NetworkManager activates on its own during a scan
// (a user's open network with connection.autoconnect, NetworkManager's
// default), and the states it goes through.
type Autoconnect struct {
	Settings map[string]map[string]dbus.Variant
	Script   Script
}

// Script is a sequence of steps the fake plays on a device.
type Script []Step

// Step is one scripted change. Set one field (plus Delay); the helper
// constructors below build them.
type Step struct {
	// Delay is waited before the step.
	Delay time.Duration
	// Device moves the device to a NMDeviceState with a reason, emitting
	// Device.StateChanged and PropertiesChanged.
	Device *Transition
	// Quiet makes a Device step change the State property without any
	// signal: a state change whose signal a client missed (the bus dropped
	// a match, a subscription was not yet in place), which only a client
	// that reads the property again notices.
	Quiet bool
	// Active moves the active connection being activated (NMActiveConnectionState,
	// reason); deactivated (4) removes it.
	Active *Transition
	// Supplicant sets wpa_supplicant's interface State.
	Supplicant string
	// AuthStatus, AssocStatus and Disconnect set wpa_supplicant's
	// AuthStatusCode, AssocStatusCode and DisconnectReason.
	AuthStatus, AssocStatus, Disconnect *int32
	// CurrentBSS points wpa_supplicant's CurrentBSS at the AP with this BSSID.
	CurrentBSS string
	// PskMismatch emits wpa_supplicant's PskMismatch signal.
	PskMismatch bool
	// ScanDone emits wpa_supplicant's ScanDone with this value.
	ScanDone *bool
	// IP4 gives the device an IPv4 configuration with this address ("a.b.c.d/nn").
	IP4 string
	// Radio sets WirelessEnabled.
	Radio *bool
	// StopNM and StartNM take NetworkManager off the bus and bring it back.
	StopNM, StartNM bool
	// Do runs arbitrary code with the fake (not under its lock).
	Do func(*Fake)
	// IfSecured runs when the activated profile has a
	// 802-11-wireless-security setting, IfOpen when it has none (neither
	// runs outside an activation).
	IfSecured, IfOpen Script
	// TargetBSS points CurrentBSS (and ActiveAccessPoint) at the first AP
	// whose SSID is the activated profile's.
	TargetBSS bool
	// AskAgent models NetworkManager asking a desktop secret agent (GNOME
	// Shell, nm-applet) for a new key with a dialog: the request stays open
	// until the activation is deactivated, which cancels it
	// (Fake.AgentRequests counts both).
	AskAgent bool
}

// Transition is a state with its reason.
type Transition struct{ State, Reason uint32 }

func ptr[T any](v T) *T { return &v }

// Step constructors.
func DeviceState(state, reason uint32) Step { return Step{Device: &Transition{state, reason}} }

// QuietDeviceState is DeviceState without the signals (Step.Quiet).
func QuietDeviceState(state, reason uint32) Step {
	return Step{Device: &Transition{state, reason}, Quiet: true}
}
func ActiveState(state, reason uint32) Step { return Step{Active: &Transition{state, reason}} }
func SupplicantState(s string) Step         { return Step{Supplicant: s} }
func AuthStatus(code int32) Step            { return Step{AuthStatus: ptr(code)} }
func AssocStatus(code int32) Step           { return Step{AssocStatus: ptr(code)} }
func Disconnect(reason int32) Step          { return Step{Disconnect: ptr(reason)} }
func PskMismatch() Step                     { return Step{PskMismatch: true} }
func ScanDone(ok bool) Step                 { return Step{ScanDone: ptr(ok)} }
func IP4(addr string) Step                  { return Step{IP4: addr} }
func Radio(enabled bool) Step               { return Step{Radio: ptr(enabled)} }
func CurrentBSS(bssid string) Step          { return Step{CurrentBSS: bssid} }
func Sleep(d time.Duration) Step            { return Step{Delay: d} }
func StopNM() Step                          { return Step{StopNM: true} }
func StartNM() Step                         { return Step{StartNM: true} }

// NMDeviceState and NMActiveConnectionState values.
const (
	DevUnmanaged    = 10
	DevUnavailable  = 20
	DevDisconnected = 30
	DevPrepare      = 40
	DevConfig       = 50
	DevNeedAuth     = 60
	DevIPConfig     = 70
	DevIPCheck      = 80
	DevSecondaries  = 90
	DevActivated    = 100
	DevDeactivating = 110
	DevFailed       = 120

	ACActivating   = 1
	ACActivated    = 2
	ACDeactivating = 3
	ACDeactivated  = 4
)

// activating is the common start of every activation, as NetworkManager
// 1.42 did it in the VM lab: prepare, the active connection activating,
// config, and for a secured profile a round through need-auth (NetworkManager
// asks for secrets even when the profile carries the psk) back to config.
func activating() Script {
	return Script{
		DeviceState(DevPrepare, 0),
		ActiveState(ACActivating, 0),
		DeviceState(DevConfig, 0),
		{IfSecured: Script{DeviceState(DevNeedAuth, 0), DeviceState(DevPrepare, 0), DeviceState(DevConfig, 0)}},
	}
}

// associating is wpa_supplicant's way to an association as recorded in the
// lab: authenticating, AuthStatusCode 0, associating, CurrentBSS, and for a
// secured network associated and 4way_handshake before completed (an open
// one goes from associating straight to completed).
func associating() Script {
	return Script{
		SupplicantState("authenticating"),
		AuthStatus(0),
		SupplicantState("associating"),
		{TargetBSS: true},
		{IfSecured: Script{SupplicantState("associated"), SupplicantState("4way_handshake")}},
	}
}

// ScriptSuccess joins: associated, keyed, DHCP address 192.168.50.23/24,
// activated — the order NetworkManager 1.42 and wpa_supplicant 2.10 used in
// the lab's open, wpa2 and sae scenarios.
func ScriptSuccess() Script {
	return slices.Concat(activating(), associating(), Script{
		SupplicantState("completed"),
		DeviceState(DevIPConfig, 0),
		IP4("192.168.50.23/24"),
		DeviceState(DevIPCheck, 0),
		DeviceState(DevSecondaries, 0),
		DeviceState(DevActivated, 0),
		ActiveState(ACActivated, 0),
	})
}

// ScriptSSIDNotFound: nothing answers; wpa_supplicant keeps scanning and
// after delay NetworkManager fails the device with ssid-not-found (53).
func ScriptSSIDNotFound(delay time.Duration) Script {
	return slices.Concat(activating(), Script{
		SupplicantState("scanning"),
		{Delay: delay, Device: &Transition{DevFailed, 53}},
		ActiveState(ACDeactivated, 3),
		SupplicantState("disconnected"),
		DeviceState(DevDisconnected, 0),
	})
}

// ScriptWrongKey is a wrong WPA2 passphrase as NetworkManager 1.42 and
// wpa_supplicant 2.10 reported it in the lab's wrong-key scenario: the AP
// never answers message 2/4 and deauthenticates with reason 15 (4-way
// handshake timeout); wpa_supplicant logs "pre-shared key may be incorrect"
// but sends no PskMismatch signal (that path only calls
// wpas_auth_failed(WRONG_KEY)); NetworkManager goes to need-auth
// (supplicant-disconnect), fails with no-secrets (7) and deactivates the
// connection with device-disconnected (3).
func ScriptWrongKey() Script {
	return slices.Concat(activating(), associating(), Script{
		Disconnect(15),
		SupplicantState("disconnected"),
		DeviceState(DevNeedAuth, 8),
		DeviceState(DevFailed, 7),
		ActiveState(ACDeactivated, 3),
		DeviceState(DevDisconnected, 0),
	})
}

// ScriptWrongKeyPskMismatch is ScriptWrongKey for a wpa_supplicant that
// does send PskMismatch (builds that call wpas_notify_psk_mismatch on a
// failed 4-way handshake), with the connection deactivated with no-secrets
// (9).
func ScriptWrongKeyPskMismatch() Script {
	return slices.Concat(activating(), associating(), Script{
		Disconnect(15),
		PskMismatch(),
		SupplicantState("disconnected"),
		DeviceState(DevNeedAuth, 8),
		DeviceState(DevFailed, 7),
		ActiveState(ACDeactivated, 9),
		DeviceState(DevDisconnected, 0),
	})
}

// ScriptWrongKeyAgent is ScriptWrongKey on a desktop with a secret agent:
// after the failed handshake NetworkManager goes to need-auth
// (supplicant-disconnect) and asks the agent for a new key with
// ALLOW_INTERACTION (nm-device-wifi.c, handle_8021x_or_psk_auth_fail), which shows a
// password dialog. Nobody answers: NetworkManager fails with no-secrets only
// when the agent gives up, here after agentWait.
func ScriptWrongKeyAgent(agentWait time.Duration) Script {
	return slices.Concat(activating(), associating(), Script{
		Disconnect(15),
		SupplicantState("disconnected"),
		DeviceState(DevNeedAuth, 8),
		{AskAgent: true},
		{Delay: agentWait, Device: &Transition{DevFailed, 7}},
		ActiveState(ACDeactivated, 3),
		DeviceState(DevDisconnected, 0),
	})
}

// ScriptOpenSuccess is an open network's activation from prepare to
// activated, without delays or nested steps (usable as an Autoconnect
// script).
func ScriptOpenSuccess() Script {
	return Script{
		DeviceState(DevPrepare, 0),
		ActiveState(ACActivating, 0),
		DeviceState(DevConfig, 0),
		SupplicantState("authenticating"),
		AuthStatus(0),
		SupplicantState("associating"),
		{TargetBSS: true},
		SupplicantState("completed"),
		DeviceState(DevIPConfig, 0),
		IP4("192.168.60.5/24"),
		DeviceState(DevIPCheck, 0),
		DeviceState(DevSecondaries, 0),
		DeviceState(DevActivated, 0),
		ActiveState(ACActivated, 0),
	}
}

// ScriptDeauthLoop is an AP that accepts us and then keeps deauthenticating
// us with reason (2: previous authentication no longer valid, as hostapd_cli
// deauthenticate sends) while NetworkManager, which rides out short
// supplicant drops, still reaches activated with an address: the lab's
// report said joined while wpa_supplicant was disconnected. drops
// deauthentications come, each but the last followed by a reassociation;
// NetworkManager's activated comes after the last, with the link down.
func ScriptDeauthLoop(reason int32, drops int) Script {
	s := slices.Concat(activating(), associating(), Script{
		SupplicantState("completed"),
		DeviceState(DevIPConfig, 0),
		IP4("192.168.50.23/24"),
	})
	for i := range drops {
		s = append(s, Disconnect(reason), SupplicantState("disconnected"))
		if i < drops-1 {
			s = append(s, SupplicantState("associating"), SupplicantState("completed"))
		}
	}
	return append(s,
		DeviceState(DevIPCheck, 0),
		DeviceState(DevSecondaries, 0),
		DeviceState(DevActivated, 0),
		ActiveState(ACActivated, 0),
	)
}

// ScriptSAEWrongKey models a wrong WPA3 password: the SAE exchange never
// completes (the AP drops a commit it cannot confirm), there is no
// PskMismatch, and NetworkManager asks for new secrets, then fails with
// no-secrets. Modelled on NetworkManager's handling of authentication
// failures; not yet recorded in the lab.
func ScriptSAEWrongKey() Script {
	return slices.Concat(activating(), Script{
		SupplicantState("authenticating"),
		SupplicantState("disconnected"),
		SupplicantState("authenticating"),
		SupplicantState("disconnected"),
		DeviceState(DevNeedAuth, 8),
		DeviceState(DevFailed, 7),
		ActiveState(ACDeactivated, 9),
		DeviceState(DevDisconnected, 0),
	})
}

// ScriptAssocRejected: authentication succeeds but the AP answers the
// association request with status (17: AP unable to handle more stations);
// NetworkManager gives up with supplicant-timeout (11). (hostapd 2.10 in the
// lab refused at authentication instead: see ScriptAuthRejected.)
func ScriptAssocRejected(status int32) Script {
	return slices.Concat(activating(), Script{
		SupplicantState("authenticating"),
		AuthStatus(0),
		SupplicantState("associating"),
		AssocStatus(status),
		SupplicantState("disconnected"),
		DeviceState(DevFailed, 11),
		ActiveState(ACDeactivated, 3),
		DeviceState(DevDisconnected, 0),
	})
}

// ScriptAuthRejected: the AP rejects 802.11 authentication with status,
// wpa_supplicant retries twice after a scan, and NetworkManager, after its
// association timer, fails the device with ssid-not-found (53) — not a
// "rejected" reason — and deactivates the connection with
// device-disconnected (3). This is the lab's assoc-rejected scenario
// (hostapd 2.10, max_num_sta=0: status 17; a MAC deny list gives status 1):
// the refusal comes in the Authentication response, so AuthStatusCode
// carries it and AssocStatusCode stays 0 (lab/FINDINGS.md).
func ScriptAuthRejected(status int32) Script {
	reject := Script{SupplicantState("authenticating"), AuthStatus(status), SupplicantState("disconnected")}
	retry := slices.Concat(Script{SupplicantState("scanning"), ScanDone(true)}, reject)
	return slices.Concat(activating(), reject, retry, retry, Script{
		SupplicantState("scanning"),
		DeviceState(DevFailed, 53),
		SupplicantState("disconnected"),
		ActiveState(ACDeactivated, 3),
		DeviceState(DevDisconnected, 0),
	})
}

// ScriptDHCPFailure: associated and keyed, but no lease. As in the lab's
// no-dhcp scenario (NetworkManager 1.42, after its 45 s DHCP timeout): the
// device fails from ip-config with reason (5, ip-config-unavailable: "IP
// configuration could not be reserved"; 17 is dhcp-failed), the connection
// is deactivated with device-disconnected (3), the device goes to
// disconnected and wpa_supplicant then disconnects locally
// (DisconnectReason -3).
func ScriptDHCPFailure(reason uint32) Script {
	return slices.Concat(activating(), associating(), Script{
		SupplicantState("completed"),
		DeviceState(DevIPConfig, 0),
		DeviceState(DevFailed, reason),
		ActiveState(ACDeactivated, 3),
		DeviceState(DevDisconnected, 0),
		Disconnect(-3),
		SupplicantState("disconnected"),
	})
}
