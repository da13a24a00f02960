package store

import (
	"context"
	"errors"
)

// Backup writes an online, consistent copy of the SQLite database to path
// (VACUUM INTO: a snapshot at one point in time, taken while the server
// keeps running, compacted). PostgreSQL is backed up with its own tools.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.Dialect != SQLite {
		return errors.New("backup: use pg_dump for PostgreSQL")
	}
	// VACUUM INTO writes a new file, which the query-only read pool refuses;
	// in WAL mode it is still only a read of this database, so a running
	// server's writers go on.
	_, err := db.W.ExecContext(ctx, "VACUUM INTO ?", path)
	return err
}
