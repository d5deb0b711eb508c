package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/join"
	"github.com/hotspotctl/hotspotctl/nm"
	"github.com/hotspotctl/hotspotctl/scan"
)

// callTimeout bounds the short D-Bus conversations of status, list and forget.
const callTimeout = 10 * time.Second

// withNM dials the system bus and runs f with a NetworkManager client. A
// missing NetworkManager is reported with backend_unavailable's exit status.
func withNM(ctx context.Context, timeout time.Duration, f func(context.Context, *nm.Client) error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := nm.Dial(ctx)
	if err != nil {
		return &exitError{code: diagnostics.BackendUnavailable.ExitCode(), err: err}
	}
	defer conn.Close()
	c := nm.NewClient(conn)
	if err := c.Ping(ctx); err != nil {
		return &exitError{code: diagnostics.BackendUnavailable.ExitCode(), err: err}
	}
	return classifyErr(f(ctx, c))
}

func classifyErr(err error) error {
	var ee *exitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ee):
		return err
	case errors.Is(err, join.ErrInvalidInput):
		return usageError(err)
	case errors.Is(err, nm.ErrPermission):
		return &exitError{code: diagnostics.PermissionDenied.ExitCode(), err: err}
	case errors.Is(err, nm.ErrNotRunning):
		return &exitError{code: diagnostics.BackendUnavailable.ExitCode(), err: err}
	case errors.Is(err, nm.ErrNoDevice), errors.Is(err, nm.ErrAmbiguousDevice), errors.Is(err, nm.ErrUnmanaged):
		return &exitError{code: diagnostics.DeviceUnavailable.ExitCode(), err: err}
	}
	return &exitError{code: diagnostics.ExitInternal, err: err}
}

func newScanCmd(g *globals) *cobra.Command {
	var ifname, ssid string
	var asJSON bool
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "scan",
		Short: "Run one fresh scan and list what it saw, with the scan's own diagnostics",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := join.CheckInterface(ifname); err != nil {
				return usageError(err)
			}
			var want []byte
			if ssid != "" {
				b, err := join.ParseSSID(ssid, false)
				if err != nil {
					return usageError(err)
				}
				want = b
			}
			return withNM(cmd.Context(), timeout, func(ctx context.Context, c *nm.Client) error {
				dev, err := c.Device(ctx, ifname)
				if err != nil {
					return err
				}
				out, err := freshScan(ctx, g, c, dev, want)
				if err != nil {
					return err
				}
				if asJSON {
					b, _ := json.MarshalIndent(out, "", "  ")
					fmt.Fprintln(g.stdout, string(b))
					return nil
				}
				printScan(g, out)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&ifname, "ifname", "", "Wi-Fi interface (default: the one managed Wi-Fi device)")
	cmd.Flags().StringVar(&ssid, "ssid", "", "show only this SSID (and probe for it with a directed scan)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().DurationVar(&timeout, "timeout", 30*time.Second, "deadline for the scan")
	_ = cmd.RegisterFlagCompletionFunc("ifname", completeIfnames)
	return cmd
}

type scanBSS struct {
	SSID      string  `json:"ssid"`
	SSIDHex   string  `json:"ssid_hex"`
	BSSID     string  `json:"bssid"`
	Frequency int     `json:"frequency_mhz"`
	Channel   int     `json:"channel"`
	SignalDBm float64 `json:"signal_dbm"`
	Security  string  `json:"security"`
	AgeMS     int64   `json:"age_ms"`
}

type scanOutput struct {
	Interface string                 `json:"interface"`
	Scan      diagnostics.ScanRecord `json:"scan"`
	BSSes     []scanBSS              `json:"bsses"`
}

func freshScan(ctx context.Context, g *globals, c *nm.Client, dev nm.Device, want []byte) (scanOutput, error) {
	out := scanOutput{Interface: dev.Ifname, BSSes: []scanBSS{}}
	var ssids [][]byte
	if want != nil {
		ssids = [][]byte{want}
	}
	if sc, closeScanner, err := openScanner(); err == nil {
		defer closeScanner()
		res, err := sc.Scan(ctx, scan.Request{Ifname: dev.Ifname, SSIDs: ssids})
		out.Scan = res.Record
		if err == nil {
			for _, b := range res.BSSes {
				if want != nil && string(b.SSID) != string(want) {
					continue
				}
				out.BSSes = append(out.BSSes, scanBSS{SSID: diagnostics.PrintableSSID(b.SSID), SSIDHex: diagnostics.SSIDHex(b.SSID),
					BSSID: b.BSSID.String(), Frequency: b.FrequencyMHz, Channel: b.Channel, SignalDBm: b.SignalDBm,
					Security: b.Security, AgeMS: b.Age.Milliseconds()})
			}
			sortBSS(out.BSSes)
			return out, nil
		}
		if !errors.Is(err, scan.ErrNotPermitted) && !errors.Is(err, scan.ErrUnsupported) {
			if out.Scan.Outcome == diagnostics.ScanBusyOut {
				printScan(g, out)
				return out, &exitError{code: diagnostics.ScanBusy.ExitCode(), err: err}
			}
			return out, err
		}
		g.log.Debug().Err(err).Msg("nl80211 scan not permitted; using NetworkManager")
	}
	res, err := c.RequestScan(ctx, dev, ssids)
	out.Scan = res.Record
	if err != nil {
		if errors.Is(err, nm.ErrScanBusy) || errors.Is(err, nm.ErrScanFailed) {
			return out, &exitError{code: diagnostics.ScanBusy.ExitCode(), err: err}
		}
		return out, err
	}
	for _, ap := range res.APs {
		if want != nil && string(ap.SSID) != string(want) {
			continue
		}
		out.BSSes = append(out.BSSes, scanBSS{SSID: diagnostics.PrintableSSID(ap.SSID), SSIDHex: diagnostics.SSIDHex(ap.SSID),
			BSSID: ap.BSSID, Frequency: int(ap.FrequencyMHz), Channel: freqChannel(int(ap.FrequencyMHz)),
			SignalDBm: -100 + float64(ap.Strength)*0.6, Security: ap.Security, AgeMS: -1})
	}
	sortBSS(out.BSSes)
	return out, nil
}

func sortBSS(b []scanBSS) {
	sort.SliceStable(b, func(i, j int) bool { return b[i].SignalDBm > b[j].SignalDBm })
}

func freqChannel(f int) int {
	switch {
	case f == 2484:
		return 14
	case f >= 2412 && f <= 2472:
		return (f - 2407) / 5
	case f >= 5955:
		return (f - 5950) / 5
	case f >= 5000:
		return (f - 5000) / 5
	}
	return 0
}

func printScan(g *globals, out scanOutput) {
	tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SSID\tBSSID\tCHAN\tFREQ\tSIGNAL\tSECURITY\tAGE")
	for _, b := range out.BSSes {
		name := b.SSID
		if strings.Trim(b.SSIDHex, "0") == "" {
			name = "(hidden)"
		}
		age := "-"
		if b.AgeMS >= 0 {
			age = (time.Duration(b.AgeMS) * time.Millisecond).Round(100 * time.Millisecond).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.0f dBm\t%s\t%s\n", name, b.BSSID, b.Channel, b.Frequency, b.SignalDBm, b.Security, age)
	}
	tw.Flush()
	s := out.Scan
	owner := "ours"
	if !s.Own {
		owner = "piggy-backed on another process's scan"
	}
	fmt.Fprintf(g.stderr, "scan on %s: %s via %s (%s), %d BSSes, %d busy refusals, took %s\n", out.Interface, s.Outcome, s.Method, owner,
		s.BSSCount, s.BusyRefusals, s.Ended.Sub(s.Started).Round(10*time.Millisecond))
	if s.Error != "" {
		fmt.Fprintf(g.stderr, "  %s\n", s.Error)
	}
}

func newStatusCmd(g *globals) *cobra.Command {
	var ifname string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the Wi-Fi device's state and current network",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := join.CheckInterface(ifname); err != nil {
				return usageError(err)
			}
			return withNM(cmd.Context(), callTimeout, func(ctx context.Context, c *nm.Client) error {
				en, hw, err := c.Radio(ctx)
				if err != nil {
					return err
				}
				dev, err := c.Device(ctx, ifname)
				if err != nil {
					return err
				}
				st, err := c.Status(ctx, dev)
				if err != nil {
					return err
				}
				out := map[string]any{"interface": dev.Ifname, "state": dev.StateName(), "managed": dev.Managed,
					"wireless_enabled": en, "wireless_hardware_enabled": hw, "ssid": diagnostics.PrintableSSID(st.SSID),
					"ssid_hex": diagnostics.SSIDHex(st.SSID), "bssid": st.BSSID, "ip4": st.IP4, "connection": st.Connection}
				if asJSON {
					b, _ := json.MarshalIndent(out, "", "  ")
					fmt.Fprintln(g.stdout, string(b))
					return nil
				}
				fmt.Fprintf(g.stdout, "interface: %s (%s, managed=%t)\nradio: enabled=%t hardware=%t\n", dev.Ifname, dev.StateName(), dev.Managed, en, hw)
				if len(st.SSID) > 0 {
					fmt.Fprintf(g.stdout, "network: %q bssid %s address %s (profile %q)\n", diagnostics.PrintableSSID(st.SSID), st.BSSID, orNone(st.IP4), st.Connection)
				} else {
					fmt.Fprintln(g.stdout, "network: none")
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&ifname, "ifname", "", "Wi-Fi interface")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func newListCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the NetworkManager profiles hotspotctl created",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withNM(cmd.Context(), callTimeout, func(ctx context.Context, c *nm.Client) error {
				ps, err := c.Profiles(ctx)
				if err != nil {
					return err
				}
				type row struct {
					SSID     string `json:"ssid"`
					SSIDHex  string `json:"ssid_hex"`
					ID       string `json:"id"`
					UUID     string `json:"uuid"`
					Volatile bool   `json:"volatile"`
					// Interface is connection.interface-name; absent for
					// profiles made before hotspotctl bound them.
					Interface string `json:"interface,omitempty"`
				}
				rows := []row{}
				for _, p := range ps {
					rows = append(rows, row{diagnostics.PrintableSSID(p.SSID), diagnostics.SSIDHex(p.SSID), p.ID, p.UUID, p.Volatile, p.Ifname})
				}
				if asJSON {
					b, _ := json.MarshalIndent(rows, "", "  ")
					fmt.Fprintln(g.stdout, string(b))
					return nil
				}
				tw := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "SSID\tPROFILE\tUUID\tIFNAME\tVOLATILE")
				for _, r := range rows {
					ifn := r.Interface
					if ifn == "" {
						ifn = "-" // any device
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%t\n", r.SSID, r.ID, r.UUID, ifn, r.Volatile)
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newForgetCmd(g *globals) *cobra.Command {
	var isHex bool
	cmd := &cobra.Command{
		Use:   "forget SSID",
		Short: "Delete hotspotctl's NetworkManager profiles for SSID",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ssid, err := join.ParseSSID(args[0], isHex)
			if err != nil {
				return usageError(err)
			}
			return withNM(cmd.Context(), callTimeout, func(ctx context.Context, c *nm.Client) error {
				n, err := c.Forget(ctx, ssid)
				if errors.Is(err, nm.ErrNoProfile) {
					return &exitError{code: diagnostics.ExitInternal, err: fmt.Errorf("no hotspotctl profile for %q", args[0])}
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(g.stdout, "deleted %d profile(s) for %q\n", n, diagnostics.PrintableSSID(ssid))
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&isHex, "hex", false, "the SSID argument is hex")
	return cmd
}
