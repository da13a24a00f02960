// Package apptest starts a real mieruka with the demo city for tests: the
// end-to-end tests of internal/app and the browser tests of e2e.
package apptest

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"mieruka/internal/app"
	"mieruka/internal/demo"
	"mieruka/internal/store"
	"mieruka/internal/store/storetest"
)

// seeded holds, per dialect, a database with the demo city already loaded:
// loading it takes seconds under the race detector, copying it milliseconds.
var seeded struct {
	sync.Mutex
	sqliteFile string // a closed SQLite database with the demo data
	pgTemplate string // name of a PostgreSQL database with the demo data
}

// Config is the configuration of a test server with the demo city.
func Config(dir string) app.Config {
	return app.Config{Addr: "127.0.0.1:0", DataDir: dir, Municipality: demo.Hino, MailFrom: "mieruka <no-reply@demo.invalid>",
		Workers: 1, LogFormat: "text", LogLevel: "error", ShutdownWait: 5e9, Demo: true}
}

// seedOnce loads the demo into a database that start copies.
func seedOnce(t testing.TB, d store.Dialect) {
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
	cfg := Config(dir)
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

// Demo runs mieruka with the demo city, on a free port, on a fresh copy of
// a database seeded once per test process (loading the demo takes seconds
// under the race detector, copying it milliseconds). It stops when the test
// ends.
func Demo(t testing.TB, d store.Dialect) *app.Main {
	t.Helper()
	seedOnce(t, d)
	dir := t.TempDir()
	cfg := Config(dir)
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
	return m
}

// Password returns the password a demo account got at this start.
func Password(m *app.Main, email string) string {
	for _, a := range m.DemoAccounts {
		if a.Email == email {
			return a.Password
		}
	}
	return ""
}

// Cleanup removes what the seeding left; TestMain calls it after the tests.
func Cleanup() {
	seeded.Lock()
	defer seeded.Unlock()
	if seeded.sqliteFile != "" {
		os.RemoveAll(filepath.Dir(seeded.sqliteFile))
	}
	if seeded.pgTemplate != "" {
		if db, err := sql.Open("pgx", os.Getenv("MIERUKA_TEST_POSTGRES_URL")); err == nil {
			db.Exec("DROP DATABASE IF EXISTS " + seeded.pgTemplate + " WITH (FORCE)")
			db.Close()
		}
	}
}
