// Package e2e drives mieruka's pages in a real browser: Debian's Chromium,
// through playwright-core, checked with axe-core. The scripts are in this
// directory; the tests start a real server with the demo data and run them.
package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"mieruka/internal/app"
	"mieruka/internal/app/apptest"
	"mieruka/internal/auth"
	"mieruka/internal/demo"
	"mieruka/internal/store"
)

// browserReady skips (or, in the full test run, fails) when the browser
// tooling is missing.
func browserReady(t *testing.T) {
	t.Helper()
	missing := ""
	if _, err := exec.LookPath("node"); err != nil {
		missing = "node"
	} else if _, err := os.Stat("/usr/bin/chromium"); err != nil && os.Getenv("CHROMIUM") == "" {
		missing = "chromium (apt-get install chromium)"
	} else if _, err := os.Stat("node_modules/playwright-core"); err != nil {
		missing = "e2e/node_modules (cd e2e && npm ci)"
	}
	if missing == "" {
		return
	}
	if os.Getenv("MIERUKA_REQUIRE_BROWSER") == "1" {
		t.Fatalf("browser tests need %s", missing)
	}
	t.Skipf("browser tests need %s; scripts/test installs everything", missing)
}

// TestStaffAndMemberPages runs staff.mjs. With MIERUKA_SCREENSHOTS=DIR (a
// path from the repository's root) it
// also saves screenshots of every page type at 1280 and 375 px.
func TestStaffAndMemberPages(t *testing.T) {
	browserReady(t)
	m := startDemo(t)
	cmd := exec.Command("node", "staff.mjs")
	shots := os.Getenv("MIERUKA_SCREENSHOTS")
	if shots != "" {
		if !filepath.IsAbs(shots) {
			shots = filepath.Join("..", shots) // relative to the repository, not to e2e/
		}
		shots, _ = filepath.Abs(shots)
		os.MkdirAll(shots, 0o755)
	}
	cmd.Env = append(os.Environ(), "BASE="+m.URL(), "SHOTS="+shots,
		"STAFF_EMAIL=staff@demo.invalid", "STAFF_PASSWORD="+password(m, "staff@demo.invalid"),
		"MEMBER_EMAIL=member@demo.invalid", "MEMBER_PASSWORD="+password(m, "member@demo.invalid"))
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("staff.mjs: %v", err)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	apptest.Cleanup()
	os.Exit(code)
}

// startDemo starts mieruka with the demo city (SQLite) for a browser test.
func startDemo(t *testing.T) *app.Main { return apptest.Demo(t, store.SQLite) }

// password is a demo account's password at this start.
func password(m *app.Main, email string) string { return apptest.Password(m, email) }

// TestPublicSite runs public.mjs over the public pages.
func TestPublicSite(t *testing.T) {
	browserReady(t)
	m := startDemo(t)
	ctx := context.Background()
	sys := auth.System("e2e", demo.Hino)
	c, err := m.Orgs.GetByExternalID(ctx, sys, "C0001")
	if err != nil {
		t.Fatal(err)
	}
	l, err := m.Orgs.GetByExternalID(ctx, sys, "L001")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", "public.mjs")
	cmd.Env = append(os.Environ(), "BASE="+m.URL(), "SHOTS="+screenshotDir(), "COMPANY="+strconv.FormatInt(c.ID, 10), "LAB="+strconv.FormatInt(l.ID, 10))
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("public.mjs: %v", err)
	}
}

// screenshotDir is where MIERUKA_SCREENSHOTS (a path from the repository's
// root) asks screenshots to go, or "".
func screenshotDir() string {
	shots := os.Getenv("MIERUKA_SCREENSHOTS")
	if shots == "" {
		return ""
	}
	if !filepath.IsAbs(shots) {
		shots = filepath.Join("..", shots)
	}
	shots, _ = filepath.Abs(shots)
	os.MkdirAll(shots, 0o755)
	return shots
}
