// Package store opens mieruka's database — an embedded SQLite file by default,
// PostgreSQL when a URL is given — and runs its embedded migrations.
//
// Queries are written once with ? placeholders; Rebind turns them into $n for
// PostgreSQL. Services keep their SQL in .sql files (see Queries) so a broken
// query fails at start-up, not at 3 a.m.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// Dialect tells which database a DB talks to.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the application's database. For SQLite, writes go through a pool of
// one connection (SQLite has one writer at a time; queuing in Go is cheaper
// than SQLITE_BUSY retries) and reads through a pool of several. For
// PostgreSQL both are the same pool.
type DB struct {
	Dialect Dialect
	W       *sql.DB // writes and read-your-writes transactions
	R       *sql.DB // reads
	Path    string  // SQLite file path, empty for PostgreSQL
}

// Config says where the database is.
type Config struct {
	DataDir     string // directory of the embedded SQLite database
	DatabaseURL string // postgres://… ; when set, DataDir holds only files (outbox, uploads)
}

// SQLiteFile is the name of the database file inside the data directory.
const SQLiteFile = "mieruka.db"

// Open connects to the configured database. It does not migrate.
func Open(ctx context.Context, c Config) (*DB, error) {
	if c.DatabaseURL != "" {
		return openPostgres(ctx, c.DatabaseURL)
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	return OpenSQLite(ctx, filepath.Join(c.DataDir, SQLiteFile))
}

func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "cache_size(-16000)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		// BEGIN IMMEDIATE takes the write lock at the start of a transaction,
		// so two processes (the server and a CLI import) queue on busy_timeout
		// instead of failing when a read transaction tries to upgrade.
		q.Set("_txlock", "immediate")
	}
	q.Set("_time_format", "sqlite")
	q.Set("_texttotime", "1")
	return "file:" + path + "?" + q.Encode()
}

// OpenSQLite opens (creating if needed) the SQLite database at path.
func OpenSQLite(ctx context.Context, path string) (*DB, error) {
	w, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// The first connection creates the file and switches it to WAL before any
	// reader opens it.
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open SQLite %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		w.Close()
		return nil, err
	}
	n := max(4, runtime.NumCPU()*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{Dialect: SQLite, W: w, R: r, Path: path}, nil
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(max(8, runtime.NumCPU()*4))
	db.SetMaxIdleConns(max(8, runtime.NumCPU()*4))
	db.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	return &DB{Dialect: Postgres, W: db, R: db}, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	var errs []error
	if db.R != db.W {
		errs = append(errs, db.R.Close())
	}
	errs = append(errs, db.W.Close())
	return errors.Join(errs...)
}

// Ping checks that the database answers; /healthz uses it.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.R.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Querier is what both *sql.DB and *sql.Tx offer.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx runs fn in a write transaction and commits it when fn returns nil.
func (db *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Rebind rewrites ? placeholders into the dialect's form. Question marks in
// string literals, quoted identifiers and comments are left alone.
func (db *DB) Rebind(q string) string { return Rebind(db.Dialect, q) }

// Rebind rewrites ? placeholders for dialect d.
func Rebind(d Dialect, q string) string {
	if d != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(q) && q[j] != c {
				j++
			}
			b.WriteString(q[i:min(j+1, len(q))])
			i = j
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j - 1
		case c == '?':
			n++
			fmt.Fprintf(&b, "$%d", n)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// IsUniqueViolation reports whether err is a unique-constraint failure in
// either database.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// Now is the time stored for "now": UTC, truncated to microseconds so that it
// round-trips through both databases unchanged.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
