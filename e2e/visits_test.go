package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestVisitPages runs visits.mjs: the company visit pages in a real browser,
// checked with axe, with a visit recorded from a company's timeline, the
// bank's and a member's views. With MIERUKA_SCREENSHOTS=DIR it saves
// screenshots (visits-*.png).
func TestVisitPages(t *testing.T) {
	browserReady(t)
	m := startDemo(t)
	cmd := exec.Command("node", "visits.mjs")
	shots := os.Getenv("MIERUKA_SCREENSHOTS")
	if shots != "" {
		if !filepath.IsAbs(shots) {
			shots = filepath.Join("..", shots)
		}
		shots, _ = filepath.Abs(shots)
		os.MkdirAll(shots, 0o755)
	}
	cmd.Env = append(os.Environ(), "BASE="+m.URL(), "SHOTS="+shots,
		"COORD_EMAIL=coordinator@demo.invalid", "COORD_PASSWORD="+password(m, "coordinator@demo.invalid"),
		"STAFF_EMAIL=staff@demo.invalid", "STAFF_PASSWORD="+password(m, "staff@demo.invalid"),
		"BANK_EMAIL=bank@demo.invalid", "BANK_PASSWORD="+password(m, "bank@demo.invalid"),
		"MEMBER_EMAIL=member@demo.invalid", "MEMBER_PASSWORD="+password(m, "member@demo.invalid"))
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("visits.mjs: %v", err)
	}
}
