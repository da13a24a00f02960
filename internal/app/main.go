// Package app wires mieruka together: configuration, the database, the
// services, the HTTP server, the background workers, and the command line.
// Main is what cmd/mieruka and the end-to-end tests start.
package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"mieruka/internal/api"
	"mieruka/internal/auth"
	"mieruka/internal/demo"
	"mieruka/internal/directory"
	"mieruka/internal/httpx"
	"mieruka/internal/image"
	"mieruka/internal/inquiry"
	"mieruka/internal/jobs"
	"mieruka/internal/jp"
	"mieruka/internal/mail"
	"mieruka/internal/municipality"
	"mieruka/internal/nta"
	"mieruka/internal/org"
	"mieruka/internal/report"
	"mieruka/internal/search"
	"mieruka/internal/store"
	"mieruka/internal/visit"
	"mieruka/internal/web"
)

// Main is one running mieruka.
type Main struct {
	Config Config
	Log    *slog.Logger
	Out    io.Writer // where start-up messages for people go

	DB             *store.DB
	Auth           *auth.Service
	Municipalities *municipality.Service
	Orgs           *org.Service
	Jobs           *jobs.Queue
	Mailer         *mail.Mailer
	Images         *image.Store
	Reports        *report.Service
	Visits         *visit.Service
	Directory      *directory.Service
	Inquiries      *inquiry.Service
	Search         *search.Service
	Router         *httpx.Router
	DemoAccounts   []demo.Account

	server   *http.Server
	listener net.Listener
	cancel   context.CancelFunc
	// oneShot: a command, not the server. It seeds the demo city when asked
	// but leaves the demo sign-ins alone: new passwords would sign out the
	// users of a demo server running on the same data.
	oneShot bool
	wg      sync.WaitGroup
}

// New returns a Main for the configuration; Open and Run start it.
func New(cfg Config, log *slog.Logger, out io.Writer) *Main {
	return &Main{Config: cfg, Log: log, Out: out}
}

// Version is the build's version: the module version or VCS revision.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v = s.Value[:12]
		}
	}
	if v == "" || v == "(devel)" {
		v = "dev"
	}
	return v
}

// Open connects to the database, migrates it and builds the services.
func (m *Main) Open(ctx context.Context) error {
	if err := m.Config.check(); err != nil {
		return err
	}
	db, err := store.Open(ctx, store.Config{DataDir: m.Config.DataDir, DatabaseURL: m.Config.DatabaseURL})
	if err != nil {
		return err
	}
	m.DB = db
	n, err := db.Migrate(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if n > 0 {
		m.Log.Info("database migrated", "applied", n, "dialect", db.Dialect)
	}
	if err := nta.EnsureIndexes(ctx, db); err != nil {
		return err
	}
	if m.Auth, err = auth.NewService(ctx, db); err != nil {
		return err
	}
	m.Municipalities = municipality.NewService(db, m.Auth)
	if m.Orgs, err = org.NewService(ctx, db, m.Auth); err != nil {
		return err
	}
	m.Jobs = jobs.New(db, m.Log)
	var sender mail.Sender = mail.Outbox{Dir: filepath.Join(m.Config.DataDir, "outbox")}
	if m.Config.SMTPURL != "" && !m.Config.Demo {
		s, err := mail.ParseURL(m.Config.SMTPURL)
		if err != nil {
			return fmt.Errorf("MIERUKA_SMTP_URL: %w", err)
		}
		sender = s
	}
	m.Mailer = &mail.Mailer{From: m.Config.MailFrom, Sender: sender, Queue: m.Jobs}
	m.Mailer.Register()
	m.Images = &image.Store{DB: db}
	m.Reports = &report.Service{DB: db, Orgs: m.Orgs, Municipalities: m.Municipalities, Images: m.Images, Jobs: m.Jobs, BaseURL: m.Config.BaseURL, Log: m.Log}
	m.Reports.RegisterJobs()
	m.Directory = directory.New(m.Orgs)
	m.Search = search.New(db, m.Orgs, m.Auth, m.Log)
	m.Search.Changed = m.Directory.Invalidate
	m.Inquiries = &inquiry.Service{DB: db, Orgs: m.Orgs, Municipalities: m.Municipalities, Mailer: m.Mailer, BaseURL: m.Config.BaseURL}
	if m.Visits, err = visit.NewService(ctx, db, m.Auth, m.Orgs, m.Municipalities); err != nil {
		return err
	}
	m.Visits.Mailer, m.Visits.BaseURL = m.Mailer, m.Config.BaseURL
	m.Visits.RegisterJobs(m.Jobs)
	m.Visits.AddTimelineSource(inquirySource{m.Inquiries})
	return nil
}

// inquirySource puts the directory's inquiries on company timelines.
type inquirySource struct{ s *inquiry.Service }

func (src inquirySource) Timeline(ctx context.Context, a auth.Actor, orgID int64, q visit.TimelineQuery) ([]visit.TimelineItem, error) {
	list, err := src.s.List(ctx, a, orgID, 1000)
	if err != nil {
		return nil, err
	}
	var out []visit.TimelineItem
	for _, in := range list {
		if !in.CreatedAt.Before(q.Before) || len(out) >= q.Limit {
			continue
		}
		who := in.SenderName
		if in.SenderCompany != "" {
			who = in.SenderCompany + " " + who
		}
		out = append(out, visit.TimelineItem{Kind: visit.KindInquiry, ID: in.ID, At: in.CreatedAt, Title: in.Subject, Summary: who, URL: "/staff/inquiries"})
	}
	return out, nil
}

// Prepare makes sure the default municipality exists (and, in demo mode, the
// demo city and its accounts), so that a fresh start is usable at once.
func (m *Main) Prepare(ctx context.Context) error {
	if m.Config.Demo {
		svc := demo.Services{Auth: m.Auth, Municipality: m.Municipalities, Organizations: m.Orgs, Visits: m.Visits, DB: m.DB}
		start := time.Now()
		if err := demo.Seed(ctx, svc); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		if !m.oneShot {
			accts, err := demo.Accounts(ctx, svc)
			if err != nil {
				return fmt.Errorf("demo accounts: %w", err)
			}
			m.DemoAccounts = accts
		}
		m.Log.Info("demo data ready", "took", time.Since(start).Round(time.Millisecond))
		return nil
	}
	if m.Municipalities.Exists(ctx, m.Config.Municipality) {
		return nil
	}
	return m.AddMunicipality(ctx, m.Config.Municipality, "")
}

// AddMunicipality creates a municipality with the default taxonomy.
func (m *Main) AddMunicipality(ctx context.Context, code, name string) error {
	mu := municipality.Municipality{Code: code, Name: name, Prefecture: "東京都"}
	if ja, en, ok := jp.MunicipalityName(code); ok && name == "" {
		mu.Name, mu.NameEN = ja, en
	}
	if pref := jp.PrefectureOfCode(code); pref != "" {
		mu.Prefecture = pref
	}
	sys := auth.System("cli", code)
	if _, err := m.Municipalities.Create(ctx, sys, mu); err != nil {
		return err
	}
	return m.Orgs.SeedTaxonomy(ctx, sys, code)
}

// csrfKey derives the CSRF signing key: from MIERUKA_SECRET when set (several
// instances must share it), else from a random key kept in the data
// directory, so that a restart keeps accepting the forms it rendered.
func (m *Main) csrfKey() []byte {
	if m.Config.Secret != "" {
		h := sha256.Sum256([]byte(m.Config.Secret))
		return h[:]
	}
	path := filepath.Join(m.Config.DataDir, "secret.key")
	if b, err := os.ReadFile(path); err == nil && len(b) >= 32 {
		h := sha256.Sum256(b)
		return h[:]
	}
	b := make([]byte, 32)
	rand.Read(b)
	if err := os.MkdirAll(m.Config.DataDir, 0o750); err == nil {
		if err := os.WriteFile(path, b, 0o600); err != nil {
			m.Log.Warn("could not save the CSRF key; forms will not survive a restart", "error", err)
		}
	}
	h := sha256.Sum256(b)
	return h[:]
}

// Handler builds the HTTP handler: pages, API and static files.
func (m *Main) Handler() (http.Handler, error) {
	env := &httpx.Env{
		Auth: m.Auth, Municipalities: m.Municipalities, DefaultMunicipality: m.Config.Municipality,
		SecureCookies: strings.HasPrefix(m.Config.BaseURL, "https://"), TrustProxy: m.Config.TrustProxy,
		CSRFKey: m.csrfKey(), Log: m.Log,
	}
	rt := httpx.NewRouter(env)
	w := &web.Server{DB: m.DB, Env: env, Auth: m.Auth, Municipalities: m.Municipalities, Orgs: m.Orgs, Jobs: m.Jobs, Images: m.Images, Reports: m.Reports, Directory: m.Directory, Inquiries: m.Inquiries, Search: m.Search, Visits: m.Visits, Log: m.Log, BaseURL: m.Config.BaseURL, Version: Version()}
	if err := w.Init(); err != nil {
		return nil, err
	}
	w.Register(rt)
	a := &api.Server{DB: m.DB, Env: env, Auth: m.Auth, Municipalities: m.Municipalities, Orgs: m.Orgs, Jobs: m.Jobs, Reports: m.Reports, Search: m.Search, Visits: m.Visits, Log: m.Log}
	a.Register(rt)
	m.Router = rt
	return logRequests(m.Log, rt), nil
}

// Run starts the HTTP server and the background workers and returns once
// the server listens. Close stops them.
func (m *Main) Run(ctx context.Context) error {
	h, err := m.Handler()
	if err != nil {
		return err
	}
	ctx, m.cancel = context.WithCancel(ctx)
	if err := m.Search.Start(ctx); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	m.listener = ln
	m.server = &http.Server{
		Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute, WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(m.Log.Handler(), slog.LevelWarn),
	}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		if err := m.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Log.Error("http server", "error", err)
		}
	}()
	if m.Config.Workers > 0 {
		m.wg.Add(1)
		go func() { defer m.wg.Done(); m.Jobs.Run(ctx, m.Config.Workers) }()
	}
	m.wg.Add(1)
	go func() {
		// The daily visit digest: every instance looks each minute; the
		// database lets one of them queue each municipality's day once.
		defer m.wg.Done()
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for {
			if _, err := m.Visits.ScheduleDigests(ctx, m.Jobs); err != nil && ctx.Err() == nil {
				m.Log.Warn("schedule visit digest", "error", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := m.Auth.Prune(ctx); err != nil {
					m.Log.Warn("prune sessions", "error", err)
				}
			}
		}
	}()
	return nil
}

// URL is where the running server answers.
func (m *Main) URL() string {
	if m.listener == nil {
		return ""
	}
	return "http://" + m.listener.Addr().String()
}

// Close stops the server gracefully, then the workers, then the database.
func (m *Main) Close() error {
	var errs []error
	if m.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), m.Config.ShutdownWait)
		errs = append(errs, m.server.Shutdown(ctx))
		cancel()
	}
	if m.cancel != nil {
		m.cancel()
	}
	m.wg.Wait()
	if m.DB != nil {
		errs = append(errs, m.DB.Close())
	}
	return errors.Join(errs...)
}

// logRequests logs every request with its status and duration.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: 200}
		next.ServeHTTP(sw, r)
		if strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/healthz" {
			return
		}
		lvl := slog.LevelInfo
		if sw.status >= 500 {
			lvl = slog.LevelError
		}
		log.Log(r.Context(), lvl, "request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "ms", time.Since(start).Milliseconds())
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
