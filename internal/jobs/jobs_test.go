package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"mieruka/internal/jobs"
	"mieruka/internal/store"
	"mieruka/internal/store/storetest"
)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newQueue(db *store.DB) *jobs.Queue {
	q := jobs.New(db, quiet())
	q.Backoff = func(int) time.Duration { return 0 }
	q.Poll = 10 * time.Millisecond
	return q
}

func TestRunRetryFail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		q := newQueue(db)
		var okRuns, flakyRuns, badRuns int
		q.Register("ok", func(ctx context.Context, j *jobs.Job) error {
			okRuns++
			if err := j.SetProgress(ctx, 3, 3); err != nil {
				return err
			}
			j.SetResult("fine")
			return nil
		})
		q.Register("flaky", func(ctx context.Context, j *jobs.Job) error {
			flakyRuns++
			if j.Attempts < 3 {
				return errors.New("server busy")
			}
			return nil
		})
		q.Register("bad", func(ctx context.Context, j *jobs.Job) error {
			badRuns++
			return errors.New("always broken")
		})
		q.Register("perm", func(ctx context.Context, j *jobs.Job) error {
			return jobs.Permanent(errors.New("payload makes no sense"))
		})
		q.Register("panic", func(ctx context.Context, j *jobs.Job) error { panic("boom") })
		ids := map[string]int64{}
		for _, k := range []string{"ok", "flaky", "bad", "perm", "panic"} {
			id, err := q.Enqueue(ctx, nil, jobs.NewJob{Kind: k, Payload: map[string]int{"n": 1}, MaxAttempts: 4})
			if err != nil {
				t.Fatal(err)
			}
			ids[k] = id
		}
		if err := q.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		want := map[string]jobs.Status{"ok": jobs.Done, "flaky": jobs.Done, "bad": jobs.Failed, "perm": jobs.Failed, "panic": jobs.Failed}
		for k, st := range want {
			j, err := q.Get(ctx, "", ids[k])
			if err != nil {
				t.Fatal(err)
			}
			if j.Status != st {
				t.Errorf("%s: status %s, want %s (error %q)", k, j.Status, st, j.LastError)
			}
			if st == jobs.Failed && j.LastError == "" {
				t.Errorf("%s: failed without an error message", k)
			}
		}
		if okRuns != 1 || flakyRuns != 3 || badRuns != 4 {
			t.Errorf("runs ok=%d flaky=%d bad=%d, want 1, 3, 4", okRuns, flakyRuns, badRuns)
		}
		j, _ := q.Get(ctx, "", ids["ok"])
		if j.Result != "fine" || j.Progress != 3 || j.FinishedAt == nil {
			t.Errorf("ok job: %+v", j)
		}
		if err := q.Retry(ctx, "", ids["bad"]); err != nil {
			t.Fatal(err)
		}
		if err := q.Retry(ctx, "", ids["ok"]); err == nil {
			t.Error("a done job was retried")
		}
		q.Drain(ctx)
		if badRuns != 8 {
			t.Errorf("after retry bad ran %d times, want 8", badRuns)
		}
	})
}

func TestBackoffDelaysRetry(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	q := jobs.New(db, quiet())
	q.Backoff = func(int) time.Duration { return time.Hour }
	runs := 0
	q.Register("flaky", func(context.Context, *jobs.Job) error { runs++; return errors.New("no") })
	id, _ := q.Enqueue(ctx, nil, jobs.NewJob{Kind: "flaky"})
	q.Drain(ctx)
	j, _ := q.Get(ctx, "", id)
	if runs != 1 || j.Status != jobs.Queued || j.RunAt.Before(time.Now().Add(50*time.Minute)) {
		t.Errorf("runs=%d status=%s run_at=%v: want one run, queued an hour later", runs, j.Status, j.RunAt)
	}
}

// TestNoJobRunsTwice starts two queues — two instances — on one database and
// checks that each of many jobs ran exactly once.
func TestNoJobRunsTwice(t *testing.T) {
	run := func(t *testing.T, a, b *store.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		const n = 60
		var mu sync.Mutex
		counts := map[int64]int{}
		var done atomic.Int32
		h := func(ctx context.Context, j *jobs.Job) error {
			mu.Lock()
			counts[j.ID]++
			mu.Unlock()
			time.Sleep(2 * time.Millisecond)
			done.Add(1)
			return nil
		}
		qa, qb := newQueue(a), newQueue(b)
		qa.Register("work", h)
		qb.Register("work", h)
		for i := 0; i < n; i++ {
			if _, err := qa.Enqueue(ctx, nil, jobs.NewJob{Kind: "work"}); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		for _, q := range []*jobs.Queue{qa, qb} {
			wg.Add(1)
			go func() { defer wg.Done(); q.Run(ctx, 3) }()
		}
		deadline := time.Now().Add(30 * time.Second)
		for done.Load() < n && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		wg.Wait()
		if len(counts) != n {
			t.Fatalf("%d of %d jobs ran", len(counts), n)
		}
		for id, c := range counts {
			if c != 1 {
				t.Errorf("job %d ran %d times", id, c)
			}
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "db")
		ctx := context.Background()
		a, err := store.OpenSQLite(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		if _, err := a.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		b, err := store.OpenSQLite(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		run(t, a, b)
	})
	t.Run("postgres", func(t *testing.T) {
		db := storetest.Postgres(t)
		run(t, db, db)
	})
}

// TestLeaseExpiry: a job whose worker died (its lease ran out) runs again
// elsewhere; one that had used up its attempts fails instead.
func TestLeaseExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		q := newQueue(db)
		runs := 0
		q.Register("work", func(context.Context, *jobs.Job) error { runs++; return nil })
		id1, _ := q.Enqueue(ctx, nil, jobs.NewJob{Kind: "work", MaxAttempts: 3})
		id2, _ := q.Enqueue(ctx, nil, jobs.NewJob{Kind: "work", MaxAttempts: 1})
		past := store.Now().Add(-time.Minute)
		for _, c := range []struct {
			id       int64
			attempts int
		}{{id1, 1}, {id2, 1}} {
			if _, err := db.W.ExecContext(ctx, db.Rebind("UPDATE jobs SET status = 'running', attempts = ?, locked_by = 'dead-instance', locked_until = ? WHERE id = ?"), c.attempts, past, c.id); err != nil {
				t.Fatal(err)
			}
		}
		if err := q.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		j1, _ := q.Get(ctx, "", id1)
		j2, _ := q.Get(ctx, "", id2)
		if j1.Status != jobs.Done || runs != 1 {
			t.Errorf("job 1: %s after %d runs, want done after 1", j1.Status, runs)
		}
		if j2.Status != jobs.Failed {
			t.Errorf("job 2: %s, want failed", j2.Status)
		}
	})
}
