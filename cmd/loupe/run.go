package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// env is what a subcommand may touch: its arguments and standard streams.
type env struct {
	args   []string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

type command struct {
	summary string
	run     func(ctx context.Context, e env) error
}

// commands maps "name" or "name sub" to its implementation.
var commands = map[string]command{
	"serve":           {"run the web server", cmdServe},
	"demo":            {"run with demo accounts in a fresh data directory", cmdDemo},
	"user add":        {"add a person: --email E --role reviewer,lead [--password-stdin]", cmdUserAdd},
	"user list":       {"list people", cmdUserList},
	"user disable":    {"disable a person and sign them out: EMAIL", cmdUserDisable},
	"user reset-2fa":  {"remove a person's authenticator and recovery codes: EMAIL", cmdUserReset2FA},
	"audit verify":    {"check that the audit log's keyed hash chain is intact: [--head ID:HASH]", cmdAuditVerify},
	"audit head":      {"print the audit chain's head as ID:HASH, to anchor elsewhere", cmdAuditHead},
	"token add":       {"make an API token for a source: --name N --source S (shown once)", cmdTokenAdd},
	"token list":      {"list API tokens", cmdTokenList},
	"token revoke":    {"revoke an API token: NAME", cmdTokenRevoke},
	"queue list":      {"list queues with their backlog", cmdQueueList},
	"queue add":       {"add a queue: NAME [--two-person]", cmdQueueAdd},
	"queue assign":    {"assign a reviewer to a queue: --queue NAME --email E", cmdQueueAssign},
	"cluster stats":   {"list a queue's clusters of waiting copies and their sizes: --queue NAME", cmdClusterStats},
	"backup":          {"snapshot the database and media while serving: DEST [--include-keys]", cmdBackup},
	"restore":         {"restore a backup into an empty data directory: SRC --data DIR", cmdRestore},
	"doctor":          {"check a data directory: schema, media, audit chain", cmdDoctor},
	"purge":           {"delete media the retention policy lets go: [--dry-run]", cmdPurge},
	"migrate":         {"move a deployment: --to postgres://... and/or --media-to s3://BUCKET/PREFIX [--resume]", cmdMigrate},
	"import":          {"import items from JSON Lines: --source S FILE.jsonl", cmdImport},
	"bench ingest":    {"benchmark ingest of 1-megapixel JPEGs against bare decoding", cmdBenchIngest},
	"bench review":    {"benchmark claims, review pages and decisions of many reviewers over HTTP", cmdBenchReview},
	"bench soak":      {"run ingest, reviewers, dashboards, reports and exports together: [--minutes 10]", cmdBenchSoak},
	"bench match":     {"benchmark the PDQ index against brute force: [--n 10000000]", cmdBenchMatch},
	"bench exposure":  {"replay near-duplicates and known material one at a time, then seeing each once: [--items 20000]", cmdBenchExposure},
	"bench signin":    {"benchmark a crowd signing in at the same moment over HTTP: [--people 1000]", cmdBenchSignIn},
	"hashlist create": {"create a hash list: NAME --kind block|allow", cmdHashlistCreate},
	"hashlist import": {"import entries: NAME FILE [--dry-run] (CSV or JSON Lines; all or nothing)", cmdHashlistImport},
	"hashlist export": {"export a list: NAME --format csv|jsonl [--since V]", cmdHashlistExport},
	"hash":            {"print pdq, quality, md5 and sha256 of image files: FILE...", cmdHash},
	"report list":     {"list report cases: [--status S]", cmdReportList},
	"report show":     {"show a case's report: ID [--xml]", cmdReportShow},

	"dev fake-cybertipline": {"serve a fake NCMEC CyberTipline to try reports on: --user U --password P [--fail STEP:KIND:TIMES]", cmdDevFakeCybertipline},
}

// errUsage marks errors caused by how the command was called (exit 2).
var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	restrictUmask()
	e := env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: osGetenv}
	name, rest := lookup(args)
	if name == "" {
		usage(stderr)
		if len(args) == 0 || args[0] == "help" || args[0] == "--help" || args[0] == "-h" {
			return 0
		}
		fmt.Fprintf(stderr, "\nloupe: unknown command %q\n", strings.Join(args, " "))
		return 2
	}
	e.args = rest
	err := commands[name].run(ctx, e)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "loupe %s: %s\n", name, printable(err.Error()))
		return 2
	default:
		fmt.Fprintf(stderr, "loupe %s: %s\n", name, printable(err.Error()))
		return 1
	}
}

// lookup finds the longest command name that prefixes args.
func lookup(args []string) (string, []string) {
	if len(args) >= 2 {
		if _, ok := commands[args[0]+" "+args[1]]; ok {
			return args[0] + " " + args[1], args[2:]
		}
	}
	if len(args) >= 1 {
		if _, ok := commands[args[0]]; ok {
			return args[0], args[1:]
		}
	}
	return "", nil
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Loupe: a workbench for reviewing flagged content with as little exposure as possible.")
	fmt.Fprintln(w, "\nUsage: loupe COMMAND [flags]   (each command takes --help)\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-16s %s\n", n, commands[n].summary)
	}
}

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(e env, name, usageLine string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: loupe %s\n\nFlags:\n", usageLine)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags wherever they appear among the arguments (so
// "user disable EMAIL --data DIR" works) and returns the positional ones.
// A bad flag is a usage error; the flag package has already printed why.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// parseNoArgs is parse for commands that take flags only.
func parseNoArgs(fs *flag.FlagSet, args []string) error {
	rest, err := parse(fs, args)
	if err == nil && len(rest) > 0 {
		err = fmt.Errorf("%w: unexpected argument %q", errUsage, rest[0])
	}
	return err
}

// flagSet reports whether the flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
