// Package storetest gives tests a fresh, migrated database of each dialect.
//
// SQLite always runs. PostgreSQL runs when MIERUKA_TEST_POSTGRES_URL points at
// a server whose user may create databases (scripts/pg-start starts one);
// otherwise its subtests skip, saying why — unless MIERUKA_REQUIRE_POSTGRES=1,
// which the full test command sets, and then a missing server fails the test.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"mieruka/internal/store"
)

// Each runs fn once per available dialect, as subtests named sqlite and postgres.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// Open returns a database of the named dialect.
func Open(t *testing.T, d store.Dialect) *store.DB {
	if d == store.Postgres {
		return Postgres(t)
	}
	return SQLite(t)
}

// SQLite returns a migrated SQLite database in a temporary directory.
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// PostgresURL returns the admin URL of the test server, skipping or failing
// the test when there is none.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("MIERUKA_TEST_POSTGRES_URL")
	if u == "" {
		if os.Getenv("MIERUKA_REQUIRE_POSTGRES") == "1" {
			t.Fatal("MIERUKA_REQUIRE_POSTGRES=1 but MIERUKA_TEST_POSTGRES_URL is not set")
		}
		t.Skip("PostgreSQL tests need a server: run scripts/test, or eval \"$(scripts/pg-start)\" first")
	}
	return u
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// Postgres returns a fresh migrated PostgreSQL database, dropped when the test
// ends. Databases are cloned from a template migrated once per test process.
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	admin := PostgresURL(t)
	ctx := context.Background()
	adb, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer adb.Close()
	templateOnce.Do(func() { templateName, templateErr = makeTemplate(ctx, adb, admin) })
	if templateErr != nil {
		t.Fatalf("PostgreSQL template: %v", templateErr)
	}
	name := "mieruka_test_" + randomHex(6)
	if _, err := adb.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, templateName)); err != nil {
		t.Fatalf("create database: %v", err)
	}
	db, err := store.Open(ctx, store.Config{DatabaseURL: withDatabase(admin, name)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		a, err := sql.Open("pgx", admin)
		if err == nil {
			a.ExecContext(context.Background(), fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name))
			a.Close()
		}
	})
	return db
}

// NewPostgresDatabase creates an empty (unmigrated) database and returns its
// URL; it is dropped when the test ends. Tests of start-up and migration use it.
func NewPostgresDatabase(t testing.TB) string {
	t.Helper()
	admin := PostgresURL(t)
	ctx := context.Background()
	adb, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer adb.Close()
	name := "mieruka_test_" + randomHex(6)
	if _, err := adb.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", admin)
		if err == nil {
			a.ExecContext(context.Background(), fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name))
			a.Close()
		}
	})
	return withDatabase(admin, name)
}

func makeTemplate(ctx context.Context, adb *sql.DB, admin string) (string, error) {
	name := fmt.Sprintf("mieruka_tmpl_%d_%s", os.Getpid(), randomHex(3))
	if _, err := adb.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	db, err := store.Open(ctx, store.Config{DatabaseURL: withDatabase(admin, name)})
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return "", err
	}
	return name, nil
}

func withDatabase(admin, name string) string {
	u, err := url.Parse(admin)
	if err != nil {
		panic(err)
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
