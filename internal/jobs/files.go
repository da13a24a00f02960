package jobs

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"mieruka/internal/errs"
	"mieruka/internal/store"
)

// File is something a job produced for people to download (a booklet).
type File struct {
	ID          int64     `json:"id"`
	JobID       int64     `json:"job_id,omitempty"`
	Kind        string    `json:"kind"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	Bytes       []byte    `json:"-"`
}

// SaveFile stores a file a job made, in the database so that every instance
// can serve it.
func (q *Queue) SaveFile(ctx context.Context, municipality string, f File) (int64, error) {
	var job sql.NullInt64
	if f.JobID != 0 {
		job = sql.NullInt64{Int64: f.JobID, Valid: true}
	}
	var id int64
	err := q.db.W.QueryRowContext(ctx, q.db.Rebind(`INSERT INTO files (municipality_code, job_id, kind, name, content_type, bytes, size, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), municipality, job, f.Kind, f.Name, f.ContentType, f.Bytes, len(f.Bytes), f.CreatedBy, store.Now()).Scan(&id)
	return id, err
}

// GetFile returns a file of a municipality, with its bytes.
func (q *Queue) GetFile(ctx context.Context, municipality string, id int64) (File, error) {
	f := File{ID: id}
	var job sql.NullInt64
	err := q.db.R.QueryRowContext(ctx, q.db.Rebind(`SELECT job_id, kind, name, content_type, size, created_by, created_at, bytes FROM files WHERE municipality_code = ? AND id = ?`), municipality, id).
		Scan(&job, &f.Kind, &f.Name, &f.ContentType, &f.Size, &f.CreatedBy, &f.CreatedAt, &f.Bytes)
	if errors.Is(err, sql.ErrNoRows) {
		return f, errs.NotFoundf("ファイルが見つかりません", "No such file")
	}
	f.JobID = job.Int64
	return f, errs.Wrap(err, "get file")
}

// Files lists a municipality's files of a kind, newest first, without bytes.
func (q *Queue) Files(ctx context.Context, municipality, kind string, limit int) ([]File, error) {
	rows, err := q.db.R.QueryContext(ctx, q.db.Rebind(`SELECT id, job_id, kind, name, content_type, size, created_by, created_at FROM files
		WHERE municipality_code = ? AND kind = ? ORDER BY id DESC LIMIT ?`), municipality, kind, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []File
	for rows.Next() {
		var f File
		var job sql.NullInt64
		if err := rows.Scan(&f.ID, &job, &f.Kind, &f.Name, &f.ContentType, &f.Size, &f.CreatedBy, &f.CreatedAt); err != nil {
			return nil, err
		}
		f.JobID = job.Int64
		out = append(out, f)
	}
	return out, rows.Err()
}
