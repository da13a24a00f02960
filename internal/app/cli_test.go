package app_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"mieruka/internal/nta/ntagen"
	"mieruka/internal/store"
)

func TestCLI(t *testing.T) {
	dir := t.TempDir()
	out, _, code := runCLI(t, "--help")
	if code != 0 || !strings.Contains(out, "mieruka serve [--demo]") || !strings.Contains(out, "user token EMAIL") {
		t.Errorf("--help: %d %s", code, out)
	}
	if _, errs, code := runCLI(t, "frobnicate"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Errorf("unknown command: %d %s", code, errs)
	}
	if out, _, code := runCLI(t, "version"); code != 0 || !strings.HasPrefix(out, "mieruka ") {
		t.Errorf("version: %q", out)
	}
	if _, errs, code := runCLI(t, "serve", "--help"); code != 0 || !strings.Contains(errs, "MIERUKA_ADDR") || !strings.Contains(errs, "MIERUKA_DATABASE_URL") {
		t.Errorf("serve --help: %d %s", code, errs)
	}
	// The first admin, with a one-time password.
	out, errs, code := runCLI(t, "user", "create", "chief@city.example.jp", "--name", "産業振興課長", "--data", dir)
	if code != 0 || !strings.Contains(out, "one-time password: ") {
		t.Fatalf("user create: %d %s %s", code, out, errs)
	}
	if _, errs, code := runCLI(t, "user", "create", "chief@city.example.jp", "--data", dir); code != 1 || !strings.Contains(errs, "既に登録されています") {
		t.Errorf("duplicate user: %d %s", code, errs)
	}
	if _, errs, code := runCLI(t, "user", "create", "not-an-address", "--data", dir); code != 1 || !strings.Contains(errs, "email") {
		t.Errorf("bad e-mail: %d %s", code, errs)
	}
	token, errs, code := runCLI(t, "user", "token", "chief@city.example.jp", "--name", "nightly", "--data", dir)
	if code != 0 || !strings.HasPrefix(token, "mrk_") || !strings.Contains(errs, "revoke-token") {
		t.Fatalf("user token: %d %q %s", code, token, errs)
	}
	out, _, _ = runCLI(t, "user", "list", "--data", dir)
	if !strings.Contains(out, "chief@city.example.jp") || !strings.Contains(out, "admin") {
		t.Errorf("user list: %s", out)
	}
	out, _, code = runCLI(t, "municipality", "list", "--data", dir)
	if code != 0 || !strings.Contains(out, "132128 東京都 日野市") {
		t.Errorf("municipality list: %s", out)
	}
	if _, errs, code := runCLI(t, "municipality", "add", "132011", "--data", dir); code != 1 || !strings.Contains(errs, "チェックデジット") {
		t.Errorf("bad municipality code: %d %s", code, errs)
	}
	if out, errs, code := runCLI(t, "municipality", "add", "132012", "--data", dir); code != 0 {
		t.Errorf("municipality add: %s %s", out, errs)
	}
	out, _, _ = runCLI(t, "migrate", "status", "--data", dir)
	if !strings.Contains(out, "0001 init") || !strings.Contains(out, "applied") {
		t.Errorf("migrate status: %s", out)
	}
	// The NTA file, with bad rows reported by line.
	nfile := filepath.Join(dir, "13_tokyo_diff.csv")
	f, _ := os.Create(nfile)
	ntagen.Write(f, 400, ntagen.Options{Seed: 7, BadEvery: 100})
	f.Close()
	out, errs, code = runCLI(t, "import", "nta", nfile, "--data", dir)
	if code != 0 || !strings.Contains(out, "400 rows, 396 stored, 4 bad") || !strings.Contains(errs, "line 100:") {
		t.Errorf("import nta: %d %s %s", code, out, errs)
	}
	// An online backup is a whole, consistent database.
	bak := filepath.Join(dir, "backup.db")
	if out, errs, code := runCLI(t, "backup", "-o", bak, "--data", dir); code != 0 || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: %s %s", out, errs)
	}
	db, err := store.OpenSQLite(context.Background(), bak)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	db.R.QueryRow("SELECT COUNT(*) FROM corporations").Scan(&n)
	db.Close()
	if n != 396 {
		t.Errorf("the backup holds %d corporations, want 396", n)
	}
	if _, errs, code := runCLI(t, "backup", "-o", bak, "--data", dir); code != 1 || !strings.Contains(errs, "exists") {
		t.Errorf("backup over an existing file: %d %s", code, errs)
	}
	// Reports on a fresh data directory use the demo data.
	fresh := t.TempDir()
	pdf := filepath.Join(fresh, "c0001.pdf")
	out, errs, code = runCLI(t, "report", "pr", "C0001", "-o", pdf, "--data", fresh)
	if code != 0 || !strings.Contains(errs, "using the demo data") || !strings.Contains(errs, "有限会社アトラ精工") {
		t.Errorf("report pr: %d %s %s", code, out, errs)
	}
	if b, _ := os.ReadFile(pdf); !strings.HasPrefix(string(b), "%PDF-") {
		t.Error("report pr wrote no PDF")
	}
	if _, errs, code := runCLI(t, "report", "pr", "C9999", "-o", pdf, "--data", fresh); code != 1 || !strings.Contains(errs, "見つかりません") {
		t.Errorf("report pr of an unknown id: %d %s", code, errs)
	}
	// Export and re-import: nothing changes.
	exp := filepath.Join(dir, "orgs.csv")
	if _, errs, code := runCLI(t, "export", "orgs", "-o", exp, "--data", dir); code != 0 {
		t.Errorf("export: %s", errs)
	}
	if b, _ := os.ReadFile(exp); !strings.HasPrefix(string(b), "\ufeff") {
		t.Error("the CSV export has no BOM")
	}
}

// TestCLIMatch: `match run` needs no server and no set-up (it ranks the demo
// data when the data directory is empty) and writes the evaluation format;
// `match score` reads it back against judgments.
func TestCLIMatch(t *testing.T) {
	dir := t.TempDir()
	queries := filepath.Join(dir, "q.jsonl")
	os.WriteFile(queries, []byte(`{"query_id":"q1","text":"φ3mmの微細穴あけができるステンレス精密切削の協力工場を探しています。ロット100個、ISO9001必須","kind":"rfq","filters":{}}
{"query_id":"q2","text":"Looking for a shop that does hard anodizing of aluminium parts","kind":"rfq","filters":{}}
`), 0o600)
	out, errs, code := runCLI(t, "match", "run", "--queries", queries, "--top", "5", "--data", filepath.Join(dir, "empty"))
	if code != 0 {
		t.Fatalf("match run: %d %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 10 {
		t.Fatalf("%d lines, want 5 per query:\n%s", len(lines), out)
	}
	var second string
	for i, l := range lines {
		var r struct {
			QueryID string  `json:"query_id"`
			DocID   string  `json:"doc_id"`
			Rank    int     `json:"rank"`
			Score   float64 `json:"score"`
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %d: %v: %s", i+1, err, l)
		}
		if r.Rank != i%5+1 || r.Score <= 0 || !regexp.MustCompile(`^[CL]\d{3,4}$`).MatchString(r.DocID) {
			t.Errorf("line %d: %+v", i+1, r)
		}
		if r.QueryID == "q1" && r.Rank == 2 {
			second = r.DocID
		}
	}
	runFile := filepath.Join(dir, "run.jsonl")
	os.WriteFile(runFile, []byte(out), 0o600)
	qrels := filepath.Join(dir, "qrels.jsonl")
	os.WriteFile(qrels, []byte(`{"query_id":"q1","doc_id":"`+second+`","relevance":3}`+"\n"), 0o600)
	out, errs, code = runCLI(t, "match", "score", "--qrels", qrels, runFile)
	if code != 0 || !strings.Contains(out, "queries 1 ") || !strings.Contains(out, "MRR 0.5000") || !strings.Contains(out, "Recall@20 1.0000") {
		t.Errorf("match score: %d %q %s", code, out, errs)
	}
	// A filter naming nothing known: that query has no results, the others run.
	os.WriteFile(queries, []byte(`{"query_id":"q1","text":"切削","kind":"rfq","filters":{"certification":"ISO99999"}}
{"query_id":"q2","text":"切削","kind":"rfq"}
`), 0o600)
	out, errs, code = runCLI(t, "match", "run", "--queries", queries, "--top", "3", "--data", filepath.Join(dir, "empty"))
	if code != 0 || strings.Count(out, `"q2"`) != 3 || strings.Contains(out, `"q1"`) || !strings.Contains(errs, "ISO99999") {
		t.Errorf("an unknown filter value: %d %s %s", code, out, errs)
	}
	os.WriteFile(queries, []byte("{\"query_id\":\"q1\",\"text\":\"切削\"}\nnot json\n"), 0o600)
	if _, errs, code := runCLI(t, "match", "run", "--queries", queries, "--data", filepath.Join(dir, "empty")); code == 0 || !strings.Contains(errs, "line 2") {
		t.Errorf("a bad query line: %d %s", code, errs)
	}
	if _, errs, code := runCLI(t, "match", "run"); code != 2 || !strings.Contains(errs, "usage") {
		t.Errorf("no queries: %d %s", code, errs)
	}
}

// TestCLILeavesDemoSignInsAlone: with MIERUKA_DEMO set (as beside a running
// demo server), a one-shot command seeds the demo city but never gives its
// accounts new passwords — that would sign out the server's users.
func TestCLILeavesDemoSignInsAlone(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("MIERUKA_DEMO", "1")
	for i := 0; i < 2; i++ {
		if out, errs, code := runCLI(t, "user", "list", "--data", dir); code != 0 {
			t.Fatalf("user list: %d %s %s", code, out, errs)
		}
	}
	db, err := store.OpenSQLite(context.Background(), filepath.Join(dir, "mieruka.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var orgs, resets int
	db.R.QueryRow("SELECT COUNT(*) FROM organizations").Scan(&orgs)
	db.R.QueryRow("SELECT COUNT(*) FROM audit_log WHERE action = 'user.password'").Scan(&resets)
	if orgs == 0 || resets != 0 {
		t.Errorf("after two commands: %d organizations (want the demo city), %d password resets (want none)", orgs, resets)
	}
}
