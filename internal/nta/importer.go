package nta

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"mieruka/internal/store"
)

// columns of the corporations table.
var columns = []string{"corporate_number", "name_key", "fields"}

// dbRow is a record as stored: what the parser hands to the writer. It keeps
// only the stored strings, so a batch in flight is small.
type dbRow struct {
	number          int64
	nameKey, fields string
}

func (r *Record) row() dbRow {
	cn, _ := strconv.ParseInt(r.CorporateNumber, 10, 64)
	return dbRow{cn, r.nameKey, r.fields}
}

func (r *dbRow) values(dst []any) []any {
	return append(dst[:0], r.number, r.nameKey, r.fields)
}

// Options tune an import.
type Options struct {
	BatchSize int            // rows per transaction; default 5,000
	Progress  func(rows int) // called after each committed batch with the rows read so far
	OnBadRow  func(RowError) // called for every bad row (the report keeps the first MaxErrors)
}

// MaxErrors is how many bad rows a report keeps.
const MaxErrors = 1000

// Report says what an import did.
type Report struct {
	Rows     int           `json:"rows"`     // data rows read
	Imported int           `json:"imported"` // rows written
	Bad      int           `json:"bad"`      // rows refused
	Errors   []RowError    `json:"errors"`   // the first MaxErrors bad rows
	ShiftJIS bool          `json:"shift_jis"`
	Elapsed  time.Duration `json:"elapsed"`
}

// Import reads a bulk file's CSV bytes into the corporations table. Each
// corporation keeps its latest row: a later row (in the file, or a later
// file) replaces an earlier one, so re-running an import, or importing a
// 差分 file after the 全件 file, never duplicates anything. Rows are written
// in batches, each in its own transaction: a crash keeps the committed
// batches, and re-running the import completes it. Bad rows are reported
// with their line numbers; the good ones are kept.
func Import(ctx context.Context, db *store.DB, src io.Reader, opt Options) (_ Report, retErr error) {
	start := time.Now()
	if opt.BatchSize <= 0 {
		opt.BatchSize = 5000
	}
	// Into an empty table (the first 全件 import), rows go in without the
	// name index, which is built once at the end: sorting a million keys once
	// is far cheaper than a million random index inserts. An import killed
	// half-way leaves the index missing; EnsureIndexes (run by the next
	// import and at every start) puts it back.
	if err := EnsureIndexes(ctx, db); err != nil {
		return Report{}, err
	}
	if db.Dialect == store.SQLite {
		empty, err := Empty(ctx, db)
		if err != nil {
			return Report{}, err
		}
		// Each upsert keeps a statement journal for its possible abort; in
		// memory that costs nothing, in a temporary file a system call per
		// row. (The index is built afterwards with temporary files, so its
		// sort does not hold a million keys in memory.)
		if _, err := db.W.ExecContext(ctx, "PRAGMA temp_store = MEMORY"); err != nil {
			return Report{}, err
		}
		defer db.W.ExecContext(context.WithoutCancel(ctx), "PRAGMA temp_store = DEFAULT")
		if empty {
			if _, err := db.W.ExecContext(ctx, "DROP INDEX IF EXISTS corporations_name_key"); err != nil {
				return Report{}, err
			}
			defer func() {
				db.W.ExecContext(context.WithoutCancel(ctx), "PRAGMA temp_store = DEFAULT")
				if err := EnsureIndexes(context.WithoutCancel(ctx), db); err != nil && retErr == nil {
					retErr = err
				}
			}()
		}
	}
	rd := NewReader(src)
	var rep Report
	rep.ShiftJIS = rd.ShiftJIS
	var w writer
	if db.Dialect == store.Postgres {
		w = &pgWriter{db: db}
	} else {
		w = &sqliteWriter{db: db}
	}

	// Parsing (CSV, validation, folding) runs beside the database writes.
	type batch struct {
		recs []dbRow
		rows int
	}
	batches := make(chan batch, 1)
	errc := make(chan error, 1)
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(batches)
		cur := make([]dbRow, 0, opt.BatchSize)
		rows := 0
		for {
			rec, bad, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				errc <- err
				return
			}
			rows++
			if bad != nil {
				rep.Bad++
				if len(rep.Errors) < MaxErrors {
					rep.Errors = append(rep.Errors, *bad)
				}
				if opt.OnBadRow != nil {
					opt.OnBadRow(*bad)
				}
				continue
			}
			cur = append(cur, rec.row())
			if len(cur) == opt.BatchSize {
				select {
				case batches <- batch{cur, rows}:
				case <-pctx.Done():
					return
				}
				cur = make([]dbRow, 0, opt.BatchSize)
			}
		}
		if len(cur) > 0 {
			select {
			case batches <- batch{cur, rows}:
			case <-pctx.Done():
				return
			}
		}
		rep.Rows = rows
	}()

	for b := range batches {
		if err := w.write(ctx, b.recs); err != nil {
			cancel()
			for range batches {
			}
			return rep, fmt.Errorf("write rows: %w", err)
		}
		rep.Imported += len(b.recs)
		if opt.Progress != nil {
			opt.Progress(b.rows)
		}
	}
	select {
	case err := <-errc:
		return rep, err
	default:
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

type writer interface {
	write(ctx context.Context, recs []dbRow) error
}

type sqliteWriter struct {
	db *store.DB
}

// sqliteRowsPerStatement rows go into one multi-row INSERT: it saves the
// per-statement work of the VM and of database/sql, which dominates when a
// row is 31 short values.
const sqliteRowsPerStatement = 64

func (w *sqliteWriter) write(ctx context.Context, recs []dbRow) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	// The driver watches a cancellable context with a goroutine per
	// statement; for thousands of one-row statements that is most of the
	// cost. The batch checks cancellation itself, above.
	ctx = context.WithoutCancel(ctx)
	return w.db.Tx(ctx, func(tx *sql.Tx) error {
		many, err := tx.PrepareContext(ctx, upsertSQL(sqliteRowsPerStatement))
		if err != nil {
			return err
		}
		defer many.Close()
		one, err := tx.PrepareContext(ctx, upsertSQL(1))
		if err != nil {
			return err
		}
		defer one.Close()
		args := make([]any, 0, len(columns)*sqliteRowsPerStatement)
		row := make([]any, 0, len(columns))
		for len(recs) > 0 {
			n := min(len(recs), sqliteRowsPerStatement)
			st := many
			if n < sqliteRowsPerStatement {
				st, n = one, 1
			}
			args = args[:0]
			for i := 0; i < n; i++ {
				row = recs[i].values(row)
				args = append(args, row...)
			}
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return fmt.Errorf("corporate number %d…: %w", recs[0].number, err)
			}
			recs = recs[n:]
		}
		return nil
	})
}

// upsertSQL inserts n rows; a row whose corporation is already stored, or
// comes earlier in the same statement, is replaced by the later one.
func upsertSQL(n int) string {
	var set []string
	for _, c := range columns[1:] {
		set = append(set, c+" = excluded."+c)
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(columns)), ", ") + ")"
	return fmt.Sprintf("INSERT INTO corporations (%s) VALUES %s ON CONFLICT (corporate_number) DO UPDATE SET %s",
		strings.Join(columns, ", "), strings.TrimSuffix(strings.Repeat(row+", ", n), ", "), strings.Join(set, ", "))
}

// pgWriter copies each batch into a temporary table with COPY, then upserts
// it, keeping the last row of each corporation within the batch.
type pgWriter struct {
	db *store.DB
}

func (w *pgWriter) write(ctx context.Context, recs []dbRow) error {
	conn, err := w.db.W.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		if _, err := tx.Exec(ctx, "CREATE TEMP TABLE IF NOT EXISTS corporations_in (LIKE corporations, seq BIGINT) ON COMMIT DELETE ROWS"); err != nil {
			return err
		}
		rows := make([][]any, len(recs))
		for i := range recs {
			rows[i] = append(recs[i].values(make([]any, 0, len(columns)+1)), int64(i))
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"corporations_in"}, append(columns[:len(columns):len(columns)], "seq"), pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		var set []string
		for _, c := range columns[1:] {
			set = append(set, c+" = excluded."+c)
		}
		cols := strings.Join(columns, ", ")
		if _, err := tx.Exec(ctx, fmt.Sprintf(`INSERT INTO corporations (%s)
			SELECT DISTINCT ON (corporate_number) %s FROM corporations_in ORDER BY corporate_number, seq DESC
			ON CONFLICT (corporate_number) DO UPDATE SET %s`, cols, cols, strings.Join(set, ", "))); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
}

// EnsureIndexes creates the lookup index of the corporations table if it is
// missing.
func EnsureIndexes(ctx context.Context, db *store.DB) error {
	_, err := db.W.ExecContext(ctx, "CREATE INDEX IF NOT EXISTS corporations_name_key ON corporations (name_key)")
	return err
}

// ErrNotFound is returned by Get for an unknown number.
var ErrNotFound = errors.New("corporation not found")
