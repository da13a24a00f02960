package report

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteDocSamples regenerates docs/report-company.png and docs/report-lab.png
// (and, with MIERUKA_REPORT_SAMPLES=DIR, writes sample PDFs there):
//
//	MIERUKA_WRITE_DOCS=1 go test ./internal/report -run WriteDocSamples
func TestWriteDocSamples(t *testing.T) {
	if os.Getenv("MIERUKA_WRITE_DOCS") != "1" {
		t.Skip("set MIERUKA_WRITE_DOCS=1 to regenerate docs/report-*.png")
	}
	requireTool(t, "pdftoppm")
	reps := loadDemo(t)
	dir := t.TempDir()
	if d := os.Getenv("MIERUKA_REPORT_SAMPLES"); d != "" {
		dir = d
	}
	for name, r := range map[string]Report{"report-company": showcase(reps[1]), "report-lab": showcase(reps[320])} {
		f := renderFile(t, dir, name, r)
		out := filepath.Join("..", "..", "docs", name)
		cmd := exec.Command("pdftoppm", "-png", "-r", "110", "-singlefile", f, out)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, b)
		}
		t.Logf("wrote %s.png", out)
	}
	if os.Getenv("MIERUKA_REPORT_SAMPLES") != "" {
		for name, r := range adversarial() {
			renderFile(t, dir, "adversarial-"+strings.ReplaceAll(name, " ", "-"), r)
		}
	}
}
