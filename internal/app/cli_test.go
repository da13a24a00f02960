package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mieruka/bench/ntagen"
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
