package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/loupe-review/loupe/review"
	"github.com/loupe-review/loupe/review/egress"
	"github.com/loupe-review/loupe/review/ncmec"
)

// ncmecConfig is the CyberTipline endpoint: the URL and environment from
// flags or LOUPE_NCMEC_URL / LOUPE_NCMEC_ENV, the credentials only from
// LOUPE_NCMEC_USER and LOUPE_NCMEC_PASSWORD (never flags, which other
// users of the machine can read, and never the database).
type ncmecConfig struct {
	URL, Env, User, Password string
}

func (n ncmecConfig) check(out egress.Policy) error {
	if n.URL == "" {
		return nil
	}
	if err := out.CheckURL(n.URL); err != nil {
		return fmt.Errorf("%w: --ncmec-url %q %v, such as https://exttest.cybertip.org/ispws", errUsage, n.URL, err)
	}
	if n.Env != "test" && n.Env != "production" {
		return fmt.Errorf("%w: --ncmec-env %q: want test or production", errUsage, n.Env)
	}
	if n.User == "" || n.Password == "" {
		return fmt.Errorf("%w: --ncmec-url needs LOUPE_NCMEC_USER and LOUPE_NCMEC_PASSWORD in the environment", errUsage)
	}
	return nil
}

// environment is what reports record: "" when no endpoint is configured.
func (n ncmecConfig) environment() string {
	if n.URL == "" {
		return ""
	}
	return n.Env
}

// reportSender builds the report outbox for a running server.
func reportSender(a *app, n ncmecConfig, out egress.Policy, log *slog.Logger) *review.ReportSender {
	s := &review.ReportSender{
		Store: a.db, Reporting: a.reporting(n.environment()), Now: time.Now, Log: log,
		Original: func(ctx context.Context, mediaID string) ([]byte, error) {
			return a.ingester.Object(ctx, mediaID, review.KindOriginal)
		},
		HoldFor: func(ctx context.Context) time.Duration {
			r, err := review.LoadRetention(ctx, a.db)
			if err != nil {
				log.Warn("retention settings unreadable; holding for the default", "err", err)
				return review.DefaultRetention.Hold
			}
			return r.Hold
		},
	}
	if n.URL != "" {
		s.NCMEC = ncmec.New(ncmec.Config{BaseURL: n.URL, Username: n.User, Password: n.Password}, out.Client(30*time.Second))
	}
	return s
}

// runReportSender sends approved reports every interval until ctx ends.
func runReportSender(ctx context.Context, s *review.ReportSender, interval time.Duration, log *slog.Logger) {
	every(ctx, interval, func() {
		if n, err := s.RunOnce(ctx); err != nil && ctx.Err() == nil {
			log.Error("report outbox", "err", err)
		} else if n > 0 {
			log.Info("reports finished", "count", n)
		}
	})
}

func (a *app) reporting(env string) *review.Reporting {
	return &review.Reporting{Store: a.db, Now: time.Now, Environment: env}
}

// cmdReportList lists report cases.
func cmdReportList(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "report list", "report list [--status open|approved|finished|failed]")
	c.registerData(fs, e)
	status := fs.String("status", "", "only cases with this status")
	if err := parseNoArgs(fs, e.args); err != nil {
		return err
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	cases, err := a.db.FindCases(ctx, review.CaseStatus(*status))
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CASE\tSTATUS\tDESTINATION\tSOURCE\tACCOUNT\tITEMS\tREPORT ID")
	for _, k := range cases {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%d\n", k.ID, k.Status, k.Destination, printable(k.Source), printable(k.AccountID), len(k.Items), k.ReportID)
	}
	return tw.Flush()
}

// cmdReportShow prints a case's report: what is missing and the viewed
// flags, or with --xml exactly the document that is (or was) sent.
func cmdReportShow(ctx context.Context, e env) error {
	var c config
	fs := newFlags(e, "report show", "report show ID [--xml]")
	c.registerData(fs, e)
	asXML := fs.Bool("xml", false, "print only the report XML")
	args, err := parse(fs, e.args)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return fmt.Errorf("%w: report show needs one case id", errUsage)
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %q is not a case id", errUsage, args[0])
	}
	a, err := c.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	k, err := a.db.FindCase(ctx, id)
	if err != nil {
		return err
	}
	rep, err := a.reporting("").Report(ctx, k)
	if err != nil {
		return err
	}
	doc := string(rep.XML)
	if k.XML != "" {
		doc = k.XML // what was sent
	}
	if *asXML {
		fmt.Fprintln(e.stdout, doc)
		return nil
	}
	fmt.Fprintf(e.stdout, "case %d: %s, %s, %d items, account %s/%s\n", k.ID, k.Status, k.Destination, len(k.Items), printable(k.Source), printable(k.AccountID))
	for _, f := range rep.Files {
		fmt.Fprintf(e.stdout, "  file %s (item %d): fileViewedByEsp=%t exifViewedByEsp=%t from %d ledger row(s), spotlights together %.0f%% of the image\n", printable(f.MediaID), f.ItemID, f.Viewed, f.EXIF, len(f.Reveals), 100*f.Coverage)
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(e.stdout, "  missing: %s\n", printable(p.String()))
	}
	return nil
}
