package app_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"mieruka/internal/app"
	"mieruka/internal/app/apptest"
	"mieruka/internal/demo"
	"mieruka/internal/org"
	"mieruka/internal/store"
)

// The test binary doubles as the mieruka command: the crash tests run it in
// a child process that they can kill -9.
func TestMain(m *testing.M) {
	if os.Getenv("MIERUKA_TEST_AS_CLI") == "1" {
		os.Exit(app.CLI(os.Args[1:], os.Stdout, os.Stderr))
	}
	code := m.Run()
	apptest.Cleanup()
	os.Exit(code)
}

func cli(t *testing.T, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "MIERUKA_TEST_AS_CLI=1")
	return cmd
}

func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := cli(t, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// writeOrgs writes n organizations as JSON Lines (the export format), based
// on the demo companies with new external ids.
func writeOrgs(t *testing.T, path string, n int) {
	t.Helper()
	base, err := demo.Organizations()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := 0; i < n; i++ {
		src := base[i%len(base)]
		p := src.Profile
		p.Name = fmt.Sprintf("%s 第%d工場", p.Name, i)
		p.CorporateNumber = ""
		b, _ := json.Marshal(map[string]any{"external_id": fmt.Sprintf("X%05d", i), "kind": src.Kind, "published": true, "profile": p})
		w.Write(b)
		w.WriteByte('\n')
	}
	w.Flush()
	f.Close()
}

// checkConsistent opens the database the child left behind and checks that
// every organization in it is whole: its capability rows match its profile,
// its search columns match its profile, and its creation is in the audit log.
func checkConsistent(t *testing.T, dir string) int {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ok string
	if err := db.R.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check: %q %v", ok, err)
	}
	rows, err := db.R.QueryContext(ctx, `SELECT o.id, o.name, o.profile, o.version,
		(SELECT COUNT(*) FROM organization_terms t WHERE t.organization_id = o.id),
		(SELECT COUNT(*) FROM audit_log a WHERE a.entity = 'organization' AND a.entity_id = CAST(o.id AS TEXT) AND a.action = 'organization.create'),
		(SELECT COUNT(*) FROM audit_log a WHERE a.entity = 'organization' AND a.entity_id = CAST(o.id AS TEXT) AND a.action = 'organization.update')
		FROM organizations o WHERE o.municipality_code = ?`, demo.Hino)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int64
		var name, profile string
		var version, terms, creates, updates int
		if err := rows.Scan(&id, &name, &profile, &version, &terms, &creates, &updates); err != nil {
			t.Fatal(err)
		}
		var p org.Profile
		if err := json.Unmarshal([]byte(profile), &p); err != nil {
			t.Errorf("organization %d: profile is not whole: %v", id, err)
			continue
		}
		want := len(p.Processes) + len(p.Materials) + len(p.Certifications) + len(p.Lot) + len(p.Specialties) + len(p.Markets) + len(p.ResearchTopics) + len(p.Collaboration)
		if terms != want || name != p.Name || creates != 1 || version != 1+updates {
			t.Errorf("organization %d is half-written: %d/%d terms, name %q/%q, %d create and %d update entries for version %d", id, terms, want, name, p.Name, creates, updates, version)
		}
		n++
	}
	return n
}

// TestKillDuringImport kills an import with SIGKILL half-way: what was
// committed stays, nothing is half-written, and running it again completes
// the import without duplicates.
func TestKillDuringImport(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "orgs.jsonl")
	const n = 1500
	writeOrgs(t, file, n)
	if _, errs, code := runCLI(t, "municipality", "list", "--data", dir); code != 0 {
		t.Fatalf("set-up: %s", errs)
	}
	cmd := cli(t, "import", "orgs", file, "--data", dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until the import is well under way, then kill it.
	ctx := context.Background()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		db, err := store.OpenSQLite(ctx, filepath.Join(dir, store.SQLiteFile))
		if err != nil {
			continue
		}
		var c int
		db.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM organizations").Scan(&c)
		db.Close()
		if c > 100 {
			break
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	got := checkConsistent(t, dir)
	if got == 0 || got >= n {
		t.Fatalf("after the kill: %d organizations (want some, not all %d)", got, n)
	}
	t.Logf("killed after %d of %d organizations", got, n)
	out, errs, code := runCLI(t, "import", "orgs", file, "--data", dir)
	if code != 0 {
		t.Fatalf("second run: %d %s %s", code, out, errs)
	}
	if want := fmt.Sprintf("%d new", n-got); !strings.Contains(out, want) {
		t.Errorf("second run: %q, want %q", out, want)
	}
	if total := checkConsistent(t, dir); total != n {
		t.Errorf("after the second run: %d organizations, want %d", total, n)
	}
}

// TestKillDuringEdits kills a server with SIGKILL while clients save
// organizations: every save that was answered is there, and no organization
// is half-written.
func TestKillDuringEdits(t *testing.T) {
	dir := t.TempDir()
	if out, errs, code := runCLI(t, "user", "create", "editor@demo.invalid", "--role", "staff", "--password", "a long password", "--data", dir); code != 0 {
		t.Fatalf("user create: %s %s", out, errs)
	}
	tok, errs, code := runCLI(t, "user", "token", "editor@demo.invalid", "--data", dir)
	if code != 0 {
		t.Fatalf("token: %s", errs)
	}
	tok = strings.TrimSpace(tok)
	file := filepath.Join(dir, "orgs.jsonl")
	writeOrgs(t, file, 50)
	if _, errs, code := runCLI(t, "import", "orgs", file, "--data", dir); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	srv := cli(t, "serve", "--data", dir, "--addr", "127.0.0.1:0", "--log-level", "error")
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if j := strings.Index(sc.Text(), "http://"); j >= 0 {
				urls <- strings.Fields(sc.Text()[j:])[0]
			}
		}
	}()
	var base string
	select {
	case base = <-urls:
	case <-time.After(30 * time.Second):
		srv.Process.Kill()
		t.Fatal("the server did not start")
	}
	type answer struct {
		id      int64
		version int
		pr      string
	}
	var mu sync.Mutex
	acked := map[int64]answer{}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			client := &http.Client{Timeout: 5 * time.Second}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				id := int64(w*12 + i%12 + 1)
				req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/organizations/%d", base, id), nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				resp, err := client.Do(req)
				if err != nil {
					return
				}
				var o org.Organization
				json.NewDecoder(resp.Body).Decode(&o)
				resp.Body.Close()
				o.Profile.PRText = fmt.Sprintf("worker %d edit %d", w, i)
				body, _ := json.Marshal(map[string]any{"version": o.Version, "profile": o.Profile})
				req, _ = http.NewRequest("PUT", fmt.Sprintf("%s/api/v1/organizations/%d", base, id), bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+tok)
				req.Header.Set("Content-Type", "application/json")
				resp, err = client.Do(req)
				if err != nil {
					return
				}
				var saved org.Organization
				json.NewDecoder(resp.Body).Decode(&saved)
				resp.Body.Close()
				if resp.StatusCode == 200 {
					mu.Lock()
					acked[id] = answer{id, saved.Version, saved.Profile.PRText}
					mu.Unlock()
				}
			}
		}(w)
	}
	time.Sleep(1500 * time.Millisecond)
	srv.Process.Signal(syscall.SIGKILL)
	srv.Wait()
	close(stop)
	wg.Wait()
	if len(acked) == 0 {
		t.Fatal("no edit was answered before the kill")
	}
	checkConsistent(t, dir)
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for id, a := range acked {
		var version int
		var profile string
		db.R.QueryRowContext(ctx, "SELECT version, profile FROM organizations WHERE id = ?", id).Scan(&version, &profile)
		// Later saves may have committed after the last answer we saw, never fewer.
		if version < a.version {
			t.Errorf("organization %d: answered version %d, stored %d: a committed save was lost", id, a.version, version)
		}
		if version == a.version && !strings.Contains(profile, a.pr) {
			t.Errorf("organization %d version %d does not hold the answered text %q", id, version, a.pr)
		}
	}
	t.Logf("%d organizations edited and answered before the kill", len(acked))
}
