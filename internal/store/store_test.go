package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"mieruka/internal/store"
	"mieruka/internal/store/storetest"
)

func TestRebind(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = $1 AND b = $2"},
		{"SELECT '?' || ? -- what?\nFROM t WHERE \"c?\" = ?", "SELECT '?' || $1 -- what?\nFROM t WHERE \"c?\" = $2"},
		{"SELECT 'unterminated ?", "SELECT 'unterminated ?"},
	}
	for _, c := range cases {
		if got := store.Rebind(store.Postgres, c.in); got != c.want {
			t.Errorf("Rebind(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := store.Rebind(store.SQLite, c.in); got != c.in {
			t.Errorf("SQLite Rebind changed %q to %q", c.in, got)
		}
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		n, err := db.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("second Migrate applied %d migrations", n)
		}
		st, err := db.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range st {
			if !m.Applied {
				t.Errorf("migration %d not applied", m.Version)
			}
		}
	})
}

func TestSQLitePragmas(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	var mode string
	if err := db.W.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	var fk, busy int
	if err := db.R.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys on reader = %d, %v", fk, err)
	}
	if err := db.R.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil || busy < 1000 {
		t.Errorf("busy_timeout = %d, %v", busy, err)
	}
	if _, err := db.R.ExecContext(ctx, "INSERT INTO municipalities (code, name, created_at) VALUES ('132128','日野市',?)", store.Now()); err == nil {
		t.Error("the read pool accepted a write")
	}
	if s := db.W.Stats(); s.MaxOpenConnections != 1 {
		t.Errorf("writer pool has %d connections, want 1", s.MaxOpenConnections)
	}
}

// TestRoundTrip checks the types every package relies on: times, booleans,
// JSON text and 64-bit integers come back as they went in, in both databases.
func TestRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := store.Now()
		if _, err := db.W.ExecContext(ctx, db.Rebind("INSERT INTO municipalities (code, name, settings, created_at) VALUES (?, ?, ?, ?)"),
			"132128", "日野市", `{"not_visited_months": 12}`, now); err != nil {
			t.Fatal(err)
		}
		var (
			name, settings string
			at             time.Time
		)
		if err := db.R.QueryRowContext(ctx, db.Rebind("SELECT name, settings, created_at FROM municipalities WHERE code = ?"), "132128").Scan(&name, &settings, &at); err != nil {
			t.Fatal(err)
		}
		if name != "日野市" || !strings.Contains(settings, "not_visited_months") || !at.Equal(now) {
			t.Errorf("got %q %q %v, want 日野市, settings, %v", name, settings, at, now)
		}
		var cn int64 = 7123456789012
		_, err := db.W.ExecContext(ctx, db.Rebind(`INSERT INTO corporations (corporate_number, name_key, fields) VALUES (?, 'てすと', '')`), cn)
		if err != nil {
			t.Fatal(err)
		}
		var got int64
		if err := db.R.QueryRowContext(ctx, "SELECT corporate_number FROM corporations").Scan(&got); err != nil || got != cn {
			t.Errorf("corporate_number = %d, %v", got, err)
		}
		var null sql.NullTime
		if err := db.R.QueryRowContext(ctx, "SELECT NULL").Scan(&null); err != nil || null.Valid {
			t.Errorf("NULL time: %v %v", null, err)
		}
	})
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.W.ExecContext(ctx, db.Rebind("INSERT INTO audit_log (at, actor, action, entity, entity_id) VALUES (?, 'system', 'test', 'x', '1')"), store.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.W.ExecContext(ctx, "UPDATE audit_log SET actor = 'someone else'"); err == nil {
			t.Error("UPDATE of audit_log succeeded")
		}
		if _, err := db.W.ExecContext(ctx, "DELETE FROM audit_log"); err == nil {
			t.Error("DELETE from audit_log succeeded")
		}
	})
}

type testQueries struct {
	One   string `query:"one"`
	Where string `query:"where"`
}

func TestLoadQueries(t *testing.T) {
	fsys := fstest.MapFS{"q.sql": {Data: []byte(`
-- name: one
SELECT 1
-- name: where
SELECT code FROM municipalities WHERE code = ? AND name = ?
-- name: where postgres
SELECT code FROM municipalities WHERE code = ? AND name ILIKE ?
`)}}
	var q testQueries
	if err := store.LoadQueries(&q, fsys, "q.sql", store.Postgres); err != nil {
		t.Fatal(err)
	}
	if q.One != "SELECT 1" || q.Where != "SELECT code FROM municipalities WHERE code = $1 AND name ILIKE $2" {
		t.Errorf("postgres queries: %+v", q)
	}
	if err := store.LoadQueries(&q, fsys, "q.sql", store.SQLite); err != nil {
		t.Fatal(err)
	}
	if q.Where != "SELECT code FROM municipalities WHERE code = ? AND name = ?" {
		t.Errorf("sqlite query: %q", q.Where)
	}
	var missing struct {
		One  string `query:"one"`
		Nope string `query:"nope"`
	}
	if err := store.LoadQueries(&missing, fsys, "q.sql", store.SQLite); err == nil {
		t.Error("a field without a query was accepted")
	}
	var unused struct {
		One string `query:"one"`
	}
	if err := store.LoadQueries(&unused, fsys, "q.sql", store.SQLite); err == nil {
		t.Error("a query without a field was accepted")
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var q testQueries
		if err := store.LoadQueries(&q, fsys, "q.sql", db.Dialect); err != nil {
			t.Fatal(err)
		}
		if err := db.CheckQueries(context.Background(), &q); err != nil {
			t.Fatal(err)
		}
	})
}
