package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/match"
	"mieruka/internal/nta"
	"mieruka/internal/org"
	"mieruka/internal/report"
	"mieruka/internal/store"
)

const usage = `mieruka — the platform of a municipal industrial promotion division
(みえる化: 企業の技術を見える化し、つなぎ、施策の進み具合を確かめる)

Usage:
  mieruka serve [--demo] [flags]        start the web server (pages, API, background jobs)
  mieruka migrate [status]              apply (or list) database migrations
  mieruka import nta FILE [--no-sync]   load the NTA corporate-number bulk file (全件/差分, CSV or ZIP)
  mieruka import orgs FILE [--dry-run]  import organizations from CSV, XLSX or JSON Lines
  mieruka export orgs [-o FILE] [--format csv|xlsx|jsonl]
  mieruka user create EMAIL [--role admin] [--name NAME] [--password PW] [--organization ID]
  mieruka user token EMAIL [--name NAME] print a new API token for scripts
  mieruka user revoke-token ID          revoke an API token
  mieruka user list                     list the accounts of the municipality
  mieruka user reset-password EMAIL     print a new one-time password
  mieruka municipality add CODE [NAME]  add a municipality (全国地方公共団体コード, 6 digits)
  mieruka municipality list
  mieruka match run --queries FILE.jsonl [--top 50] > run.jsonl
                                        rank the organizations for each query (the evaluation format)
  mieruka match score --qrels FILE.jsonl run.jsonl
                                        nDCG@10, Recall@20 and MRR of a run
  mieruka report pr ID -o FILE.pdf      the one-page PR report of an organization (id or external id, e.g. C0001)
  mieruka report booklet [--municipality 132128] [--fiscal-year 2025] [--group-by jsic|gojuon] -o FILE.pdf
  mieruka backup -o FILE                an online, consistent copy of the SQLite database
  mieruka version

Every command takes --data DIR (or MIERUKA_DATA) and MIERUKA_DATABASE_URL to
find the database; "mieruka COMMAND --help" lists a command's flags.
Start with the demo:  mieruka serve --demo   then open http://localhost:8080
`

// CLI runs the command line and returns the exit code.
func CLI(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "serve":
		err = cmdServe(ctx, rest, stdout, stderr)
	case "migrate":
		err = cmdMigrate(ctx, rest, stdout, stderr)
	case "import":
		err = cmdImport(ctx, rest, stdout, stderr)
	case "export":
		err = cmdExport(ctx, rest, stdout, stderr)
	case "user":
		err = cmdUser(ctx, rest, stdout, stderr)
	case "municipality":
		err = cmdMunicipality(ctx, rest, stdout, stderr)
	case "backup":
		err = cmdBackup(ctx, rest, stdout, stderr)
	case "report":
		err = cmdReport(ctx, rest, stdout, stderr)
	case "match":
		err = cmdMatch(ctx, rest, stdout, stderr)
	case "version":
		fmt.Fprintf(stdout, "mieruka %s (%s, %s/%s)\n", Version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	default:
		fmt.Fprintf(stderr, "mieruka: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "mieruka %s: %s\n", cmd, ue)
			return 2
		}
		fmt.Fprintf(stderr, "mieruka %s: %s\n", cmd, describe(err))
		return 1
	}
	return 0
}

// allFlags names every configuration flag (serve takes them all).
var allFlags = func() []string {
	var out []string
	t := reflect.TypeOf(Config{})
	for i := 0; i < t.NumField(); i++ {
		out = append(out, t.Field(i).Tag.Get("flag"))
	}
	return out
}()

type usageError string

func (u usageError) Error() string { return string(u) }

// describe renders an error for the terminal, with field messages.
func describe(err error) string {
	var e *errs.Error
	if errors.As(err, &e) && e.Code != errs.Internal {
		s := e.JA + " / " + e.EN
		for _, f := range e.Fields {
			s += fmt.Sprintf("\n  %s: %s / %s", f.Field, f.JA, f.EN)
		}
		return s
	}
	return err.Error()
}

// flags parses a command's flags with the shared configuration flags.
func flags(name string, args []string, stderr io.Writer, cfg *Config, own func(fs *flag.FlagSet), cfgFlags ...string) ([]string, error) {
	fs := flag.NewFlagSet("mieruka "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if cfgFlags == nil {
		cfgFlags = []string{"data", "database-url", "municipality", "log-level", "log-format"}
	}
	cfg.flagSet(fs, cfgFlags...)
	if own != nil {
		own(fs)
	}
	// Flags may come after positional arguments: mieruka import nta FILE --no-sync.
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return pos, nil
}

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	lvl := slog.LevelInfo
	lvl.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// open starts a Main for a one-shot command: database and services, no server.
func open(ctx context.Context, cfg Config, stderr io.Writer) (*Main, error) {
	cfg.Workers = 0
	if cfg.LogLevel == "" {
		cfg.LogLevel = "warn"
	}
	m := New(cfg, newLogger(cfg, stderr), stderr)
	m.oneShot = true
	if err := m.Open(ctx); err != nil {
		if m.DB != nil {
			m.DB.Close()
		}
		return nil, err
	}
	if err := m.Prepare(ctx); err != nil {
		m.Close()
		return nil, err
	}
	return m, nil
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	pos, err := flags("serve", args, stderr, &cfg, nil, allFlags...)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("serve takes no arguments, only flags (see mieruka serve --help)")
	}
	m := New(cfg, newLogger(cfg, stderr), stdout)
	if err := m.Open(ctx); err != nil {
		return err
	}
	if err := m.Prepare(ctx); err != nil {
		m.Close()
		return err
	}
	if err := m.Run(ctx); err != nil {
		m.Close()
		return err
	}
	where := "SQLite " + filepath.Join(cfg.DataDir, store.SQLiteFile)
	if cfg.DatabaseURL != "" {
		where = "PostgreSQL"
	}
	fmt.Fprintf(stdout, "mieruka %s is running at %s (%s)\n", Version(), m.URL(), where)
	if cfg.Demo {
		fmt.Fprintf(stdout, "\nDemo sign-ins (passwords are new at every start; mail goes to %s):\n", filepath.Join(cfg.DataDir, "outbox"))
		for _, a := range m.DemoAccounts {
			fmt.Fprintf(stdout, "  %-34s %-21s %-12s %s\n", a.Email, a.Password, a.Role.Label("en"), a.Municipality)
		}
		fmt.Fprintln(stdout)
	}
	<-ctx.Done()
	fmt.Fprintln(stdout, "shutting down …")
	return m.Close()
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	pos, err := flags("migrate", args, stderr, &cfg, nil, "data", "database-url")
	if err != nil {
		return err
	}
	cfg.LogLevel, cfg.LogFormat = "warn", "text"
	if err := cfg.check(); err != nil {
		return err
	}
	db, err := store.Open(ctx, store.Config{DataDir: cfg.DataDir, DatabaseURL: cfg.DatabaseURL})
	if err != nil {
		return err
	}
	defer db.Close()
	if len(pos) == 1 && pos[0] == "status" {
		st, err := db.Status(ctx)
		if err != nil {
			return err
		}
		for _, m := range st {
			mark := "pending"
			if m.Applied {
				mark = "applied"
			}
			fmt.Fprintf(stdout, "%04d %-30s %s\n", m.Version, m.Name, mark)
		}
		return nil
	}
	if len(pos) > 0 {
		return usageError("usage: mieruka migrate [status]")
	}
	n, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "applied %d migration(s); the %s database is up to date\n", n, db.Dialect)
	return nil
}

func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	var noSync, dry bool
	pos, err := flags("import", args, stderr, &cfg, func(fs *flag.FlagSet) {
		fs.BoolVar(&noSync, "no-sync", false, "nta: do not update the registry's organizations from the imported data")
		fs.BoolVar(&dry, "dry-run", false, "orgs: check the file, import nothing")
	})
	if err != nil {
		return err
	}
	if len(pos) != 2 || (pos[0] != "nta" && pos[0] != "orgs") {
		return usageError("usage: mieruka import nta FILE | mieruka import orgs FILE")
	}
	m, err := open(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer m.Close()
	if pos[0] == "nta" {
		return importNTA(ctx, m, pos[1], !noSync, stdout, stderr)
	}
	f, err := os.Open(pos[1])
	if err != nil {
		return err
	}
	defer f.Close()
	format, err := org.FormatFromName(pos[1])
	if err != nil {
		return err
	}
	a := auth.System("cli", m.Config.Municipality)
	started := time.Now()
	rep, err := m.Orgs.Import(ctx, a, f, format, org.ImportOptions{DryRun: dry})
	if err != nil {
		return err
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(stderr, "warning: line %d: %s / %s\n", w.Line, w.JA, w.EN)
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(stderr, "line %d: %s: %s / %s\n", e.Line, e.Field, e.JA, e.EN)
	}
	verb := "imported"
	if dry {
		verb = "checked (dry run, nothing written)"
	}
	fmt.Fprintf(stdout, "%s %s: %d rows, %d new, %d updated, %d unchanged, %d with errors\n", verb, filepath.Base(pos[1]), rep.Rows, rep.Created, rep.Updated, rep.Unchanged, rep.Failed)
	if !dry {
		if _, err := org.RecordImport(ctx, m.DB, a, m.Config.Municipality, rep.Record(filepath.Base(pos[1]), started)); err != nil {
			fmt.Fprintf(stderr, "the import is done, but could not be listed on the imports page: %v\n", err)
		}
	}
	if rep.Failed > 0 {
		return fmt.Errorf("%d rows could not be imported (listed above); the other rows were", rep.Failed)
	}
	return nil
}

func importNTA(ctx context.Context, m *Main, path string, sync bool, stdout, stderr io.Writer) error {
	// A bulk import allocates steadily and frees steadily: a soft limit makes
	// the collector keep the heap small instead of letting it double.
	debug.SetMemoryLimit(160 << 20)
	f, err := nta.OpenFile(path)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	bar := newProgress(stderr, "rows")
	var badShown int
	rep, err := nta.Import(ctx, m.DB, f, nta.Options{
		Progress: bar.set,
		OnBadRow: func(e nta.RowError) {
			if badShown < 50 {
				bar.clear()
				fmt.Fprintf(stderr, "line %d: %s / %s\n", e.Line, e.JA, e.EN)
			}
			badShown++
		},
	})
	bar.done()
	rec := org.ImportRecord{Kind: "nta", FileName: filepath.Base(path), Status: "done", RowsTotal: rep.Rows, RowsOK: rep.Imported, RowsBad: rep.Bad, StartedAt: start}
	if err != nil {
		rec.Status = "failed"
	}
	for _, e := range rep.Errors {
		rec.Errors = append(rec.Errors, map[string]any{"line": e.Line, "ja": e.JA, "en": e.EN})
	}
	org.RecordImport(context.WithoutCancel(ctx), m.DB, auth.System("nta", ""), "", rec)
	if err != nil {
		return fmt.Errorf("%w (%d rows were committed before it stopped; running the import again completes it)", err, rep.Imported)
	}
	if badShown > 50 {
		fmt.Fprintf(stderr, "… and %d more bad rows\n", badShown-50)
	}
	secs := time.Since(start).Seconds()
	edition := "Unicode"
	if rep.ShiftJIS {
		edition = "Shift_JIS"
	}
	fmt.Fprintf(stdout, "imported %s (%s edition): %d rows, %d stored, %d bad, in %.1f s (%.0f rows/s)\n",
		filepath.Base(path), edition, rep.Rows, rep.Imported, rep.Bad, secs, float64(rep.Rows)/secs)
	if sync {
		sr, err := nta.Sync(ctx, m.DB, m.Orgs, "")
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "registry: %d organizations with a corporate number, %d found in the data, %d updated\n", sr.Checked, sr.Found, len(sr.Changes))
		for _, c := range sr.Changes {
			fmt.Fprintf(stdout, "  %s #%d %s: %s\n", c.Municipality, c.OrganizationID, c.Name, strings.Join(c.Actions, ", "))
		}
		for _, f := range sr.Failures {
			fmt.Fprintf(stderr, "  not updated: %s\n", f)
		}
	}
	return nil
}

func cmdExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	var out, format string
	pos, err := flags("export", args, stderr, &cfg, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "o", "", "output file (default: standard output)")
		fs.StringVar(&format, "format", "", "csv, xlsx or jsonl (default: from the -o file name, else jsonl)")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "orgs" {
		return usageError("usage: mieruka export orgs [-o FILE] [--format csv|xlsx|jsonl]")
	}
	f := org.Format(format)
	if f == "" {
		f = org.FormatJSONL
		if out != "" {
			if ff, err := org.FormatFromName(out); err == nil {
				f = ff
			}
		}
	}
	m, err := open(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer m.Close()
	w := stdout
	if out != "" {
		file, err := os.Create(out)
		if err != nil {
			return err
		}
		defer file.Close()
		w = file
	}
	n, err := m.Orgs.Export(ctx, auth.System("cli", m.Config.Municipality), w, f, org.ListQuery{Status: "all"})
	if err != nil {
		return err
	}
	if out != "" {
		fmt.Fprintf(stderr, "exported %d organizations to %s\n", n, out)
	}
	return nil
}

func cmdUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	var role, name, password, tokenName, orgRef string
	pos, err := flags("user", args, stderr, &cfg, func(fs *flag.FlagSet) {
		fs.StringVar(&role, "role", "admin", "create: admin, staff, coordinator or member")
		fs.StringVar(&name, "name", "", "create: the person's name; token: what the token is for")
		fs.StringVar(&password, "password", "", "create: the password (default: print a one-time password that must be changed at first sign-in)")
		fs.StringVar(&orgRef, "organization", "", "create: the organization of a member or bank user (its id or external id)")
	})
	if err != nil {
		return err
	}
	tokenName = name
	if len(pos) == 0 {
		return usageError("usage: mieruka user create|token|revoke-token|list|reset-password …")
	}
	m, err := open(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer m.Close()
	sys := auth.System("cli", m.Config.Municipality)
	switch {
	case pos[0] == "create" && len(pos) == 2:
		var orgID int64
		if orgRef != "" {
			o, err := m.Orgs.Lookup(ctx, sys, orgRef)
			if err != nil {
				return err
			}
			orgID = o.ID
		}
		u, pw, err := m.Auth.CreateUser(ctx, sys, auth.NewUser{Email: pos[1], Role: auth.Role(role), Name: name, Password: password, OrganizationID: orgID})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created %s (%s) in %s\n", u.Email, u.Role, u.Municipality)
		if password == "" {
			fmt.Fprintf(stdout, "one-time password: %s\n(it must be changed at the first sign-in)\n", pw)
		}
	case pos[0] == "token" && len(pos) == 2:
		u, err := m.Auth.UserByEmail(ctx, pos[1])
		if err != nil {
			return err
		}
		secret, t, err := m.Auth.CreateToken(ctx, auth.System("cli", u.Municipality), u.ID, tokenName)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, secret)
		fmt.Fprintf(stderr, "token #%d for %s; use it as: Authorization: Bearer %s\nrevoke it with: mieruka user revoke-token %d\n", t.ID, u.Email, secret, t.ID)
	case pos[0] == "revoke-token" && len(pos) == 2:
		id, err := strconv.ParseInt(pos[1], 10, 64)
		if err != nil {
			return usageError("revoke-token takes the token's number")
		}
		if err := m.Auth.RevokeToken(ctx, sys, id); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "token #%d revoked\n", id)
	case pos[0] == "list" && len(pos) == 1:
		us, err := m.Auth.ListUsers(ctx, sys)
		if err != nil {
			return err
		}
		sort.Slice(us, func(i, j int) bool { return us[i].Email < us[j].Email })
		for _, u := range us {
			state := ""
			if u.DisabledAt != nil {
				state = " (disabled)"
			}
			fmt.Fprintf(stdout, "%-5d %-40s %-12s %s%s\n", u.ID, u.Email, u.Role, u.Name, state)
		}
	case pos[0] == "reset-password" && len(pos) == 2:
		u, err := m.Auth.UserByEmail(ctx, pos[1])
		if err != nil {
			return err
		}
		pw, err := m.Auth.ResetPassword(ctx, auth.System("cli", u.Municipality), u.ID, password)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "one-time password for %s: %s\n", u.Email, pw)
	default:
		return usageError("usage: mieruka user create EMAIL | token EMAIL | revoke-token ID | list | reset-password EMAIL")
	}
	return nil
}

func cmdMunicipality(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	pos, err := flags("municipality", args, stderr, &cfg, nil)
	if err != nil {
		return err
	}
	m, err := open(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer m.Close()
	switch {
	case len(pos) >= 2 && len(pos) <= 3 && pos[0] == "add":
		name := ""
		if len(pos) == 3 {
			name = pos[2]
		}
		if err := m.AddMunicipality(ctx, pos[1], name); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added municipality %s\n", pos[1])
	case len(pos) == 1 && pos[0] == "list":
		list, err := m.Municipalities.List(ctx)
		if err != nil {
			return err
		}
		for _, mu := range list {
			fmt.Fprintf(stdout, "%s %s %s (%s)\n", mu.Code, mu.Prefecture, mu.Name, mu.NameEN)
		}
	default:
		return usageError("usage: mieruka municipality add CODE [NAME] | list")
	}
	return nil
}

func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	var out string
	pos, err := flags("backup", args, stderr, &cfg, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "o", "", "the backup file to write (must not exist)")
	}, "data", "database-url")
	if err != nil {
		return err
	}
	if len(pos) > 0 || out == "" {
		return usageError("usage: mieruka backup -o FILE")
	}
	if cfg.DatabaseURL != "" {
		return errors.New("this instance uses PostgreSQL: back it up with PostgreSQL's own tools, e.g.\n  pg_dump --format=custom --file=mieruka.dump \"$MIERUKA_DATABASE_URL\"\nand restore with pg_restore; or use continuous archiving (WAL) for point-in-time recovery")
	}
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s exists; choose a new file name", out)
	}
	db, err := store.Open(ctx, store.Config{DataDir: cfg.DataDir})
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if err := db.Backup(ctx, out); err != nil {
		return err
	}
	st, _ := os.Stat(out)
	fmt.Fprintf(stdout, "backed up %s to %s (%.1f MB) in %.1f s\n", db.Path, out, float64(st.Size())/1e6, time.Since(start).Seconds())
	return nil
}

// openOrDemo opens the configured database; when it holds no organization at
// all (a fresh checkout), it says so and opens the demo city in a temporary
// directory instead, so that commands work on the demo data with no set-up.
func openOrDemo(ctx context.Context, cfg Config, stderr io.Writer) (*Main, func(), error) {
	m, err := open(ctx, cfg, stderr)
	if err != nil {
		return nil, nil, err
	}
	var n int
	if err := m.DB.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM organizations").Scan(&n); err != nil {
		m.Close()
		return nil, nil, err
	}
	if n > 0 {
		return m, func() { m.Close() }, nil
	}
	m.Close()
	dir, err := os.MkdirTemp("", "mieruka-demo-")
	if err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(stderr, "the database in %s holds no organizations: using the demo data (日野市)\n", cfg.DataDir)
	demoCfg := cfg
	demoCfg.DataDir, demoCfg.DatabaseURL, demoCfg.Demo, demoCfg.LogLevel = dir, "", true, "warn"
	m, err = open(ctx, demoCfg, stderr)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return m, func() { m.Close(); os.RemoveAll(dir) }, nil
}

func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	var out, groupBy, preface string
	var fy int
	pos, err := flags("report", args, stderr, &cfg, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "o", "", "the PDF file to write")
		fs.IntVar(&fy, "fiscal-year", 0, "booklet: the 年度 (default: the current one)")
		fs.StringVar(&groupBy, "group-by", "jsic", "booklet: contents grouped by jsic (industry) or gojuon (reading)")
		fs.StringVar(&preface, "preface", "", "booklet: a text file with the preface (はじめに)")
	})
	if err != nil {
		return err
	}
	if out == "" || len(pos) == 0 || (pos[0] == "pr" && len(pos) != 2) || (pos[0] == "booklet" && len(pos) != 1) || (pos[0] != "pr" && pos[0] != "booklet") {
		return usageError("usage: mieruka report pr ID -o FILE.pdf | mieruka report booklet [--municipality CODE] [--fiscal-year YEAR] -o FILE.pdf")
	}
	m, done, err := openOrDemo(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer done()
	a := auth.System("cli", m.Config.Municipality)
	var pdf []byte
	start := time.Now()
	if pos[0] == "pr" {
		var o org.Organization
		pdf, o, err = m.Reports.PR(ctx, a, pos[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "%s: %s\n", o.Profile.Name, out)
	} else {
		opt := report.BookletOptions{FiscalYear: fy, GroupBy: report.GroupBy(groupBy)}
		if preface != "" {
			b, err := os.ReadFile(preface)
			if err != nil {
				return err
			}
			opt.Preface = string(b)
		}
		bar := newProgress(stderr, "pages")
		var n int
		pdf, n, err = m.Reports.Booklet(ctx, a, opt, func(done, total int) { bar.set(done) })
		bar.done()
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "booklet of %d organizations in %.1f s\n", n, time.Since(start).Seconds())
	}
	if err := os.WriteFile(out, pdf, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%.0f KB)\n", out, float64(len(pdf))/1024)
	return nil
}

func cmdMatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	var queries, qrels string
	var top int
	var filters bool
	pos, err := flags("match", args, stderr, &cfg, func(fs *flag.FlagSet) {
		fs.StringVar(&queries, "queries", "", "run: a JSON Lines file of queries ({query_id, text, kind, filters})")
		fs.IntVar(&top, "top", 50, "run: how many organizations to rank per query")
		fs.BoolVar(&filters, "filters", true, "run: apply the filters written in the query file besides those read from the text (-filters=false: the text alone)")
		fs.StringVar(&qrels, "qrels", "", "score: the graded judgments ({query_id, doc_id, relevance})")
	})
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 1 && pos[0] == "run" && queries != "":
		f, err := os.Open(queries)
		if err != nil {
			return err
		}
		defer f.Close()
		qs, err := match.ReadQueries(f)
		if err != nil {
			return err
		}
		m, done, err := openOrDemo(ctx, cfg, stderr)
		if err != nil {
			return err
		}
		defer done()
		if err := match.WarmUp(); err != nil {
			return err
		}
		n, err := m.Search.Build(ctx)
		if err != nil {
			return err
		}
		start := time.Now()
		run, qerr := match.RunQueriesIn(ctx, m.Search.Engine, qs, top, filters, m.Config.Municipality)
		if err := match.WriteRun(stdout, run); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "%d queries over %d organizations in %.2f s\n", len(qs), n, time.Since(start).Seconds())
		// A filter that names nothing known leaves its query without results
		// (no organization meets it): a warning. Anything else fails the run.
		var failed error
		for _, e := range unjoin(qerr) {
			var fe *match.FilterError
			if errors.As(e, &fe) {
				fmt.Fprintf(stderr, "warning: %v: no results\n", e)
			} else {
				failed = errors.Join(failed, e)
			}
		}
		return failed
	case len(pos) == 2 && pos[0] == "score" && qrels != "":
		qf, err := os.Open(qrels)
		if err != nil {
			return err
		}
		defer qf.Close()
		qr, err := match.ReadQrels(qf)
		if err != nil {
			return err
		}
		rf, err := os.Open(pos[1])
		if err != nil {
			return err
		}
		defer rf.Close()
		run, err := match.ReadRun(rf)
		if err != nil {
			return err
		}
		mt := match.Score(run, qr)
		fmt.Fprintf(stdout, "queries %d  nDCG@10 %.4f  Recall@20 %.4f  MRR %.4f\n", mt.Queries, mt.NDCG10, mt.Recall20, mt.MRR)
		return nil
	}
	return usageError("usage: mieruka match run --queries FILE.jsonl [--top 50] > run.jsonl | mieruka match score --qrels FILE.jsonl run.jsonl")
}

// unjoin lists the errors inside errors.Join's result (nil: none).
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
