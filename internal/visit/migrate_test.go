package visit_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mieruka/internal/store"
	"mieruka/internal/store/storetest"
)

// TestMigrationKeepsUsers applies 0001–0002, adds users with sessions, API
// tokens and a draft by a member, then 0003 (which rebuilds users on SQLite
// to admit the bank role): nothing hanging on users may be lost, and the
// new CHECK holds.
func TestMigrationKeepsUsers(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			var db *store.DB
			var err error
			if d == store.SQLite {
				db, err = store.OpenSQLite(ctx, filepath.Join(t.TempDir(), store.SQLiteFile))
			} else {
				db, err = store.Open(ctx, store.Config{DatabaseURL: storetest.NewPostgresDatabase(t)})
			}
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			ms, err := store.Migrations(d)
			if err != nil {
				t.Fatal(err)
			}
			exec := func(q string, args ...any) {
				t.Helper()
				if _, err := db.W.ExecContext(ctx, db.Rebind(q), args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)`)
			for _, m := range ms[:2] {
				exec(m.SQL)
				exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", m.Version, m.Name, store.Now())
			}
			now := store.Now()
			exec("INSERT INTO municipalities (code, name, created_at) VALUES ('132128', '日野市', ?)", now)
			exec("INSERT INTO organizations (id, municipality_code, kind, name, profile, created_at, updated_at) VALUES (1, '132128', 'company', 'A社', '{}', ?, ?)", now, now)
			exec("INSERT INTO users (id, municipality_code, email, role, password_hash, created_at, updated_at) VALUES (1, '132128', 'staff@x.jp', 'staff', 'h', ?, ?)", now, now)
			exec("INSERT INTO users (id, municipality_code, email, role, organization_id, password_hash, created_at, updated_at) VALUES (2, '132128', 'member@x.jp', 'member', 1, 'h', ?, ?)", now, now)
			exec("UPDATE organizations SET draft = '{}', draft_status = 'editing', draft_by = 2 WHERE id = 1")
			exec("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('s1', 1, ?, ?)", now, now.Add(time.Hour))
			exec("INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (2, 't', 'h1', ?)", now)
			if n, err := db.Migrate(ctx); err != nil || n != len(ms)-2 {
				t.Fatalf("migrate: %d %v", n, err)
			}
			var sessions, tokens, users, drafts int
			db.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM sessions").Scan(&sessions)
			db.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM api_tokens").Scan(&tokens)
			db.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&users)
			db.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM organizations WHERE draft_by = 2").Scan(&drafts)
			if sessions != 1 || tokens != 1 || users != 2 || drafts != 1 {
				t.Errorf("after 0003: %d sessions, %d tokens, %d users, %d drafts", sessions, tokens, users, drafts)
			}
			if d == store.SQLite {
				rows, err := db.R.QueryContext(ctx, "PRAGMA foreign_key_check")
				if err != nil {
					t.Fatal(err)
				}
				if rows.Next() {
					t.Error("foreign_key_check reports violations")
				}
				rows.Close()
				var ddl string
				db.R.QueryRowContext(ctx, "SELECT sql FROM sqlite_schema WHERE name = 'sessions'").Scan(&ddl)
				if !strings.Contains(ddl, "REFERENCES users(id)") {
					t.Errorf("sessions now: %s", ddl)
				}
			}
			exec("INSERT INTO organizations (id, municipality_code, kind, name, profile, created_at, updated_at) VALUES (2, '132128', 'bank', '信金', '{}', ?, ?)", now, now)
			exec("INSERT INTO users (id, municipality_code, email, role, organization_id, password_hash, created_at, updated_at) VALUES (3, '132128', 'bank@x.jp', 'bank', 2, 'h', ?, ?)", now, now)
			for _, bad := range []string{
				"INSERT INTO users (municipality_code, email, role, password_hash, created_at, updated_at) VALUES ('132128', 'b2@x.jp', 'bank', 'h', ?, ?)",
				"INSERT INTO users (municipality_code, email, role, password_hash, created_at, updated_at) VALUES ('132128', 'm2@x.jp', 'member', 'h', ?, ?)",
				"INSERT INTO users (municipality_code, email, role, organization_id, password_hash, created_at, updated_at) VALUES ('132128', 's2@x.jp', 'staff', 1, 'h', ?, ?)",
				"INSERT INTO users (municipality_code, email, role, password_hash, created_at, updated_at) VALUES ('132128', 'x@x.jp', 'king', 'h', ?, ?)",
			} {
				if _, err := db.W.ExecContext(ctx, db.Rebind(bad), now, now); err == nil {
					t.Errorf("accepted: %s", bad)
				}
			}
			// Deleting a user still cascades to their sessions.
			exec("DELETE FROM sessions WHERE user_id = 1")
			exec("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('s3', 3, ?, ?)", now, now.Add(time.Hour))
			exec("DELETE FROM users WHERE id = 3")
			db.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM sessions").Scan(&sessions)
			if sessions != 0 {
				t.Errorf("ON DELETE CASCADE lost: %d sessions", sessions)
			}
		})
	}
}
