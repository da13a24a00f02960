package report

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteDocSamples renders the two sample pages to PNG: into a temporary
// directory, or, with MIERUKA_WRITE_DOCS=1, over docs/report-company.png and
// docs/report-lab.png (and, with MIERUKA_REPORT_SAMPLES=DIR, sample PDFs there):
//
//	MIERUKA_WRITE_DOCS=1 go test ./internal/report -run WriteDocSamples
func TestWriteDocSamples(t *testing.T) {
	requireTool(t, "pdftoppm")
	docs := filepath.Join("..", "..", "docs")
	if os.Getenv("MIERUKA_WRITE_DOCS") != "1" {
		docs = t.TempDir()
	}
	reps := loadDemo(t)
	dir := t.TempDir()
	if d := os.Getenv("MIERUKA_REPORT_SAMPLES"); d != "" {
		dir = d
	}
	for name, r := range map[string]Report{"report-company": showcase(reps[1]), "report-lab": showcase(reps[320])} {
		f := renderFile(t, dir, name, r)
		out := filepath.Join(docs, name)
		cmd := exec.Command("pdftoppm", "-png", "-r", "110", "-singlefile", f, out)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, b)
		}
		if st, err := os.Stat(out + ".png"); err != nil || st.Size() < 10_000 {
			t.Errorf("%s.png: %v", out, err)
		}
		t.Logf("wrote %s.png", out)
	}
	if os.Getenv("MIERUKA_REPORT_SAMPLES") != "" {
		for name, r := range adversarial() {
			renderFile(t, dir, "adversarial-"+strings.ReplaceAll(name, " ", "-"), r)
		}
	}
}
