package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"mieruka/internal/app"
	"mieruka/internal/auth"
	"mieruka/internal/demo"
	"mieruka/internal/store"
	"mieruka/internal/store/storetest"
)

// testApp is a real mieruka with the demo data, started on a free port.
type testApp struct {
	t        *testing.T
	m        *app.Main
	base     string
	accounts map[string]demo.Account // by e-mail
}

// seeded holds, per dialect, a database with the demo city already loaded:
// loading it takes seconds under the race detector, copying it milliseconds.
var seeded struct {
	sync.Mutex
	sqliteFile string // a closed SQLite database with the demo data
	pgTemplate string // name of a PostgreSQL database with the demo data
}

func demoConfig(dir string) app.Config {
	return app.Config{Addr: "127.0.0.1:0", DataDir: dir, Municipality: demo.Hino, MailFrom: "mieruka <no-reply@demo.invalid>",
		Workers: 1, LogFormat: "text", LogLevel: "error", ShutdownWait: 5e9, Demo: true}
}

// seedOnce loads the demo into a database that start copies.
func seedOnce(t *testing.T, d store.Dialect) {
	t.Helper()
	seeded.Lock()
	defer seeded.Unlock()
	if (d == store.SQLite && seeded.sqliteFile != "") || (d == store.Postgres && seeded.pgTemplate != "") {
		return
	}
	dir, err := os.MkdirTemp("", "mieruka-seed-")
	if err != nil {
		t.Fatal(err)
	}
	cfg := demoConfig(dir)
	var name string
	if d == store.Postgres {
		admin := storetest.PostgresURL(t)
		name = fmt.Sprintf("mieruka_seed_%d", os.Getpid())
		adb, err := sql.Open("pgx", admin)
		if err != nil {
			t.Fatal(err)
		}
		defer adb.Close()
		adb.Exec("DROP DATABASE IF EXISTS " + name)
		if _, err := adb.Exec("CREATE DATABASE " + name); err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(admin)
		u.Path = "/" + name
		cfg.DatabaseURL = u.String()
	}
	m := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), io.Discard)
	ctx := context.Background()
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.Prepare(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if d == store.Postgres {
		seeded.pgTemplate = name
	} else {
		seeded.sqliteFile = filepath.Join(dir, store.SQLiteFile)
	}
}

// start runs mieruka with the demo city on a fresh copy of the seeded
// database of the dialect.
func start(t *testing.T, d store.Dialect) *testApp {
	t.Helper()
	seedOnce(t, d)
	dir := t.TempDir()
	cfg := demoConfig(dir)
	if d == store.Postgres {
		admin := storetest.PostgresURL(t)
		adb, err := sql.Open("pgx", admin)
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("mieruka_test_%d_%d", os.Getpid(), time.Now().UnixNano())
		_, err = adb.Exec(fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, seeded.pgTemplate))
		adb.Close()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if a, err := sql.Open("pgx", admin); err == nil {
				a.Exec(fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name))
				a.Close()
			}
		})
		u, _ := url.Parse(admin)
		u.Path = "/" + name
		cfg.DatabaseURL = u.String()
	} else {
		b, err := os.ReadFile(seeded.sqliteFile)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, store.SQLiteFile), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	m := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), io.Discard)
	ctx := context.Background()
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.Prepare(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	a := &testApp{t: t, m: m, base: m.URL(), accounts: map[string]demo.Account{}}
	for _, acc := range m.DemoAccounts {
		a.accounts[acc.Email] = acc
	}
	return a
}

// client is a browser-like client: cookies, and the CSRF token of the last
// page it read.
type client struct {
	a    *testApp
	http *http.Client
	csrf string
	// bearer, when set, authenticates instead of cookies.
	bearer string
}

func (a *testApp) anonymous() *client {
	jar, _ := cookiejar.New(nil)
	c := &client{a: a, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	c.get("/login") // sets the CSRF cookie
	return c
}

// as signs in as the demo account with that e-mail.
func (a *testApp) as(email string) *client {
	a.t.Helper()
	c := a.anonymous()
	acc, ok := a.accounts[email]
	if !ok {
		a.t.Fatalf("no demo account %s", email)
	}
	st, _ := c.form("POST", "/login", url.Values{"email": {email}, "password": {acc.Password}})
	if st != http.StatusSeeOther {
		a.t.Fatalf("sign-in as %s: status %d", email, st)
	}
	c.get("/password") // any page, to read a CSRF token
	return c
}

// token returns an API client with a fresh token of the account.
func (a *testApp) token(email string) *client {
	a.t.Helper()
	u, err := a.m.Auth.UserByEmail(context.Background(), email)
	if err != nil {
		a.t.Fatal(err)
	}
	secret, _, err := a.m.Auth.CreateToken(context.Background(), auth.System("test", u.Municipality), u.ID, "test")
	if err != nil {
		a.t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	return &client{a: a, bearer: secret, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (c *client) do(method, path string, body io.Reader, ctype string) (int, []byte, http.Header) {
	c.a.t.Helper()
	req, err := http.NewRequest(method, c.a.base+path, body)
	if err != nil {
		c.a.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	} else if c.csrf != "" && method != "GET" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := csrfRE.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return resp.StatusCode, b, resp.Header
}

func (c *client) get(path string) (int, []byte) {
	st, b, _ := c.do("GET", path, nil, "")
	return st, b
}

// form posts a form with the CSRF token the last page carried.
func (c *client) form(method, path string, v url.Values) (int, []byte) {
	if v == nil {
		v = url.Values{}
	}
	if c.csrf != "" {
		v.Set("csrf_token", c.csrf)
	}
	st, b, _ := c.do(method, path, strings.NewReader(v.Encode()), "application/x-www-form-urlencoded")
	return st, b
}

// json sends v as JSON (nil: no body) and decodes the answer into out.
func (c *client) json(method, path string, v any, out any) int {
	c.a.t.Helper()
	var body io.Reader
	ctype := ""
	if v != nil {
		b, _ := json.Marshal(v)
		body, ctype = bytes.NewReader(b), "application/json"
	}
	st, b, _ := c.do(method, path, body, ctype)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			c.a.t.Fatalf("%s %s: %d, not JSON: %s", method, path, st, b)
		}
	}
	return st
}
