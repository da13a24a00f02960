package report

import (
	"os"
	"path/filepath"
	"testing"
)

func TestScratch(t *testing.T) {
	dir := os.Getenv("SCRATCH")
	if dir == "" {
		t.Skip()
	}
	rs := loadDemo(t)
	for _, i := range []int{0, 1, 320} {
		for _, show := range []bool{false, true} {
			r := rs[i]
			name := r.ExternalID
			if show {
				r = showcase(r)
				name += "-show"
			}
			f, _ := os.Create(filepath.Join(dir, name+".pdf"))
			if err := RenderPR(f, r); err != nil {
				t.Fatal(err)
			}
			f.Close()
		}
	}
}
