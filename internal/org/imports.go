package org

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/store"
)

// ImportRecord is one file import as the imports page lists it.
type ImportRecord struct {
	ID         int64            `json:"id"`
	Kind       string           `json:"kind"` // "organizations" or "nta"
	FileName   string           `json:"file_name"`
	Status     string           `json:"status"`
	RowsTotal  int              `json:"rows_total"`
	RowsOK     int              `json:"rows_ok"`
	RowsBad    int              `json:"rows_bad"`
	Errors     []map[string]any `json:"errors"`
	Actor      string           `json:"actor"`
	StartedAt  time.Time        `json:"started_at"`
	FinishedAt *time.Time       `json:"finished_at,omitempty"`
}

// Record is what the imports page keeps of a finished organizations import.
func (r ImportReport) Record(fileName string, started time.Time) ImportRecord {
	rec := ImportRecord{Kind: "organizations", FileName: fileName, Status: "done", RowsTotal: r.Rows,
		RowsOK: r.Created + r.Updated + r.Unchanged, RowsBad: r.Failed, StartedAt: started}
	for _, e := range r.Errors {
		rec.Errors = append(rec.Errors, map[string]any{"line": e.Line, "field": e.Field, "ja": e.JA, "en": e.EN})
	}
	return rec
}

// RecordImport stores the outcome of an import (keeping at most 1,000 row
// errors) so staff can find it later. municipality "" is national data.
func RecordImport(ctx context.Context, db *store.DB, a auth.Actor, municipality string, rec ImportRecord) (int64, error) {
	if len(rec.Errors) > 1000 {
		rec.Errors = rec.Errors[:1000]
	}
	if rec.Errors == nil {
		rec.Errors = []map[string]any{}
	}
	errsJSON, err := json.Marshal(rec.Errors)
	if err != nil {
		return 0, err
	}
	var muni sql.NullString
	if municipality != "" {
		muni = sql.NullString{String: municipality, Valid: true}
	}
	now := store.Now()
	if rec.StartedAt.IsZero() {
		rec.StartedAt = now
	}
	var id int64
	err = db.W.QueryRowContext(ctx, db.Rebind(`INSERT INTO imports (municipality_code, kind, file_name, status, rows_total, rows_ok, rows_bad, errors, actor, started_at, finished_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		muni, rec.Kind, rec.FileName, rec.Status, rec.RowsTotal, rec.RowsOK, rec.RowsBad, string(errsJSON), a.Label(), rec.StartedAt.UTC(), now).Scan(&id)
	return id, err
}

// ListImports returns the newest imports of a municipality (with "nta"
// imports, which belong to every municipality).
func ListImports(ctx context.Context, db *store.DB, municipality string, limit int) ([]ImportRecord, error) {
	rows, err := db.R.QueryContext(ctx, db.Rebind(`SELECT id, kind, file_name, status, rows_total, rows_ok, rows_bad, errors, actor, started_at, finished_at
		FROM imports WHERE municipality_code = ? OR municipality_code IS NULL ORDER BY id DESC LIMIT ?`), municipality, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ImportRecord
	for rows.Next() {
		var r ImportRecord
		var errsJSON string
		var fin sql.NullTime
		if err := rows.Scan(&r.ID, &r.Kind, &r.FileName, &r.Status, &r.RowsTotal, &r.RowsOK, &r.RowsBad, &errsJSON, &r.Actor, &r.StartedAt, &fin); err != nil {
			return nil, err
		}
		json.Unmarshal([]byte(errsJSON), &r.Errors)
		r.FinishedAt = timePtr(fin)
		out = append(out, r)
	}
	return out, rows.Err()
}
