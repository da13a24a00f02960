// Package jobs runs background work — mail, PDF booklets, imports — from a
// jobs table, with in-process workers in every instance. A job is claimed
// under a lease that its worker keeps renewing, so several instances sharing
// one PostgreSQL never run the same job at once, and a job whose instance
// died is picked up again when its lease runs out. Failures are retried with
// exponential backoff and end in a visible failed state.
package jobs

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"mieruka/internal/errs"
	"mieruka/internal/store"
)

// Status of a job.
type Status string

const (
	Queued  Status = "queued"
	Running Status = "running"
	Done    Status = "done"
	Failed  Status = "failed"
)

// Job is one unit of background work.
type Job struct {
	ID            int64           `json:"id"`
	Municipality  string          `json:"municipality_code,omitempty"`
	Kind          string          `json:"kind"`
	Payload       json.RawMessage `json:"payload"`
	Status        Status          `json:"status"`
	Attempts      int             `json:"attempts"`
	MaxAttempts   int             `json:"max_attempts"`
	RunAt         time.Time       `json:"run_at"`
	Progress      int             `json:"progress"`
	ProgressTotal int             `json:"progress_total"`
	Result        string          `json:"result,omitempty"`
	LastError     string          `json:"last_error,omitempty"`
	CreatedAt     time.Time       `json:"created_at"`
	UpdatedAt     time.Time       `json:"updated_at"`
	FinishedAt    *time.Time      `json:"finished_at,omitempty"`

	q     *Queue
	owner string
}

// SetProgress records how far a running job is (shown on the job's page).
func (j *Job) SetProgress(ctx context.Context, done, total int) error {
	j.Progress, j.ProgressTotal = done, total
	_, err := j.q.db.W.ExecContext(ctx, j.q.db.Rebind("UPDATE jobs SET progress = ?, progress_total = ?, updated_at = ? WHERE id = ? AND locked_by = ?"), done, total, store.Now(), j.ID, j.owner)
	return err
}

// SetResult records what a job produced (a file name, a count) for its page.
func (j *Job) SetResult(s string) { j.Result = s }

// Handler does the work of one kind of job. Returning an error retries the
// job later; returning Permanent(err) fails it at once.
type Handler func(ctx context.Context, j *Job) error

type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent marks an error that retrying cannot fix (bad payload, missing record).
func Permanent(err error) error { return permanent{err} }

// Queue enqueues jobs and runs the kinds it has handlers for.
type Queue struct {
	db       *store.DB
	log      *slog.Logger
	owner    string
	mu       sync.RWMutex
	handlers map[string]Handler
	wake     chan struct{}

	// Lease is how long a claimed job stays locked without a heartbeat.
	Lease time.Duration
	// Poll is how often idle workers look for due jobs.
	Poll time.Duration
	// Backoff returns the delay before attempt n+1 after n failed attempts.
	Backoff func(attempts int) time.Duration
}

// New returns a queue on db. Its owner name identifies this instance in locks.
func New(db *store.DB, log *slog.Logger) *Queue {
	b := make([]byte, 4)
	rand.Read(b)
	host, _ := os.Hostname()
	return &Queue{
		db: db, log: log, handlers: map[string]Handler{}, wake: make(chan struct{}, 1),
		owner: fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b)),
		Lease: 2 * time.Minute, Poll: time.Second,
		Backoff: func(n int) time.Duration {
			d := 10 * time.Second << min(n-1, 10) // 10 s, 20 s, 40 s … capped
			return min(d, 6*time.Hour)
		},
	}
}

// Register sets the handler of a kind of job.
func (q *Queue) Register(kind string, h Handler) {
	q.mu.Lock()
	q.handlers[kind] = h
	q.mu.Unlock()
}

// NewJob describes a job to enqueue.
type NewJob struct {
	Kind         string
	Municipality string
	Payload      any
	RunAt        time.Time // zero: now
	MaxAttempts  int       // zero: 5
}

// Enqueue adds a job. With tx it is written in the caller's transaction, so
// the job exists exactly when the caller's change does.
func (q *Queue) Enqueue(ctx context.Context, tx store.Querier, n NewJob) (int64, error) {
	if tx == nil {
		tx = q.db.W
	}
	payload, err := json.Marshal(n.Payload)
	if err != nil {
		return 0, err
	}
	now := store.Now()
	if n.RunAt.IsZero() {
		n.RunAt = now
	}
	if n.MaxAttempts == 0 {
		n.MaxAttempts = 5
	}
	var muni sql.NullString
	if n.Municipality != "" {
		muni = sql.NullString{String: n.Municipality, Valid: true}
	}
	var id int64
	err = tx.QueryRowContext(ctx, q.db.Rebind(`INSERT INTO jobs (municipality_code, kind, payload, status, max_attempts, run_at, created_at, updated_at)
		VALUES (?, ?, ?, 'queued', ?, ?, ?, ?) RETURNING id`), muni, n.Kind, string(payload), n.MaxAttempts, n.RunAt.UTC(), now, now).Scan(&id)
	if err != nil {
		return 0, err
	}
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return id, nil
}

const jobColumns = "id, municipality_code, kind, payload, status, attempts, max_attempts, run_at, progress, progress_total, result, last_error, created_at, updated_at, finished_at"

func scanJob(row interface{ Scan(...any) error }) (Job, error) {
	var j Job
	var muni sql.NullString
	var payload string
	var finished sql.NullTime
	err := row.Scan(&j.ID, &muni, &j.Kind, &payload, &j.Status, &j.Attempts, &j.MaxAttempts, &j.RunAt, &j.Progress, &j.ProgressTotal, &j.Result, &j.LastError, &j.CreatedAt, &j.UpdatedAt, &finished)
	j.Municipality = muni.String
	j.Payload = json.RawMessage(payload)
	if finished.Valid {
		t := finished.Time
		j.FinishedAt = &t
	}
	return j, err
}

// Get returns a job of a municipality ("" for jobs of no municipality).
func (q *Queue) Get(ctx context.Context, municipality string, id int64) (Job, error) {
	j, err := scanJob(q.db.R.QueryRowContext(ctx, q.db.Rebind("SELECT "+jobColumns+" FROM jobs WHERE id = ? AND COALESCE(municipality_code, '') = ?"), id, municipality))
	if errors.Is(err, sql.ErrNoRows) {
		return j, errs.NotFoundf("ジョブが見つかりません", "No such job")
	}
	return j, err
}

// List returns the newest jobs of a municipality, optionally of one kind or status.
func (q *Queue) List(ctx context.Context, municipality, kind string, status Status, limit int) ([]Job, error) {
	rows, err := q.db.R.QueryContext(ctx, q.db.Rebind("SELECT "+jobColumns+` FROM jobs
		WHERE COALESCE(municipality_code, '') = ? AND (? = '' OR kind = ?) AND (? = '' OR status = ?) ORDER BY id DESC LIMIT ?`),
		municipality, kind, kind, string(status), string(status), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// Retry puts a failed job back in the queue for another round of attempts.
func (q *Queue) Retry(ctx context.Context, municipality string, id int64) error {
	res, err := q.db.W.ExecContext(ctx, q.db.Rebind(`UPDATE jobs SET status = 'queued', attempts = 0, run_at = ?, last_error = '', updated_at = ?, finished_at = NULL
		WHERE id = ? AND COALESCE(municipality_code, '') = ? AND status = 'failed'`), store.Now(), store.Now(), id, municipality)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.New(errs.Conflict, "失敗したジョブだけを再実行できます", "Only failed jobs can be retried")
	}
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return nil
}

func (q *Queue) kinds() []string {
	q.mu.RLock()
	defer q.mu.RUnlock()
	ks := make([]string, 0, len(q.handlers))
	for k := range q.handlers {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// claim locks the next due job of a kind this queue handles, or returns nil.
func (q *Queue) claim(ctx context.Context) (*Job, error) {
	kinds := q.kinds()
	if len(kinds) == 0 {
		return nil, nil
	}
	now := store.Now()
	// Jobs whose lease ran out after their last attempt fail here rather
	// than run once more than allowed.
	if _, err := q.db.W.ExecContext(ctx, q.db.Rebind(`UPDATE jobs SET status = 'failed', last_error = CASE WHEN last_error = '' THEN 'the worker stopped (lease expired)' ELSE last_error END,
		locked_by = '', locked_until = NULL, finished_at = ?, updated_at = ?
		WHERE status = 'running' AND locked_until < ? AND attempts >= max_attempts`), now, now, now); err != nil {
		return nil, err
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(kinds)), ", ")
	lock := ""
	if q.db.Dialect == store.Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	query := fmt.Sprintf(`UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = ?, locked_until = ?, updated_at = ?
		WHERE id = (SELECT id FROM jobs WHERE kind IN (%s) AND ((status = 'queued' AND run_at <= ?) OR (status = 'running' AND locked_until < ?))
			ORDER BY run_at, id LIMIT 1%s)
		RETURNING %s`, marks, lock, jobColumns)
	args := []any{q.owner, now.Add(q.Lease), now}
	for _, k := range kinds {
		args = append(args, k)
	}
	args = append(args, now, now)
	j, err := scanJob(q.db.W.QueryRowContext(ctx, q.db.Rebind(query), args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	j.q, j.owner = q, q.owner
	return &j, nil
}

// RunOnce claims and runs one due job; it reports whether there was one.
func (q *Queue) RunOnce(ctx context.Context) (bool, error) {
	j, err := q.claim(ctx)
	if err != nil || j == nil {
		return false, err
	}
	q.mu.RLock()
	h := q.handlers[j.Kind]
	q.mu.RUnlock()

	runCtx, cancel := context.WithCancel(ctx)
	heartbeat := make(chan struct{})
	go func() {
		defer close(heartbeat)
		t := time.NewTicker(q.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-runCtx.Done():
				return
			case <-t.C:
				res, err := q.db.W.ExecContext(runCtx, q.db.Rebind("UPDATE jobs SET locked_until = ? WHERE id = ? AND locked_by = ? AND status = 'running'"), store.Now().Add(q.Lease), j.ID, q.owner)
				if err == nil {
					if n, _ := res.RowsAffected(); n == 0 {
						cancel() // someone else owns it now: stop
						return
					}
				}
			}
		}
	}()
	err = safeRun(runCtx, h, j)
	cancel()
	<-heartbeat
	return true, q.finish(context.WithoutCancel(ctx), j, err)
}

func safeRun(ctx context.Context, h Handler, j *Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = Permanent(fmt.Errorf("panic: %v", r))
		}
	}()
	return h(ctx, j)
}

func (q *Queue) finish(ctx context.Context, j *Job, runErr error) error {
	now := store.Now()
	if runErr == nil {
		_, err := q.db.W.ExecContext(ctx, q.db.Rebind(`UPDATE jobs SET status = 'done', result = ?, last_error = '', locked_by = '', locked_until = NULL, finished_at = ?, updated_at = ?
			WHERE id = ? AND locked_by = ?`), j.Result, now, now, j.ID, q.owner)
		return err
	}
	var perm permanent
	msg := runErr.Error()
	if len(msg) > 2000 {
		msg = msg[:2000]
	}
	if errors.As(runErr, &perm) || j.Attempts >= j.MaxAttempts {
		q.log.Warn("job failed", "id", j.ID, "kind", j.Kind, "attempts", j.Attempts, "error", msg)
		_, err := q.db.W.ExecContext(ctx, q.db.Rebind(`UPDATE jobs SET status = 'failed', last_error = ?, locked_by = '', locked_until = NULL, finished_at = ?, updated_at = ?
			WHERE id = ? AND locked_by = ?`), msg, now, now, j.ID, q.owner)
		return err
	}
	next := now.Add(q.Backoff(j.Attempts))
	q.log.Info("job will be retried", "id", j.ID, "kind", j.Kind, "attempts", j.Attempts, "at", next, "error", msg)
	_, err := q.db.W.ExecContext(ctx, q.db.Rebind(`UPDATE jobs SET status = 'queued', last_error = ?, run_at = ?, locked_by = '', locked_until = NULL, updated_at = ?
		WHERE id = ? AND locked_by = ?`), msg, next, now, j.ID, q.owner)
	return err
}

// Run works through due jobs with n workers until ctx ends.
func (q *Queue) Run(ctx context.Context, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				ran, err := q.RunOnce(ctx)
				if err != nil && ctx.Err() == nil {
					q.log.Error("job queue", "error", err)
				}
				if ran && err == nil {
					continue
				}
				select {
				case <-ctx.Done():
				case <-q.wake:
				case <-time.After(q.Poll):
				}
			}
		}()
	}
	wg.Wait()
}

// Drain runs due jobs until none is left (tests and one-shot commands).
func (q *Queue) Drain(ctx context.Context) error {
	for {
		ran, err := q.RunOnce(ctx)
		if err != nil {
			return err
		}
		if !ran {
			return nil
		}
	}
}
