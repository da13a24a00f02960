package report

import (
	"context"
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

func TestScratchBooklet(t *testing.T) {
	dir := os.Getenv("SCRATCH")
	if dir == "" {
		t.Skip()
	}
	rs := loadDemo(t)
	f, _ := os.Create(filepath.Join(dir, "booklet.pdf"))
	defer f.Close()
	b := Booklet{Municipality: "日野市", FiscalYear: 2025, IssuedOn: testIssued, Reports: rs,
		Preface: "日野市では2012年度から、市内のものづくり企業と大学研究室の「できること」を1枚のレポートにまとめる「製品・技術力みえる化プロジェクト」に取り組んできました。\n本冊子は、その最新版です。技術連携交流会や商談の場で、お手元に置いてご活用ください。"}
	if err := RenderBooklet(context.Background(), f, b, nil); err != nil {
		t.Fatal(err)
	}
}

func TestScratchAdversarial(t *testing.T) {
	dir := os.Getenv("SCRATCH")
	if dir == "" {
		t.Skip()
	}
	for name, r := range adversarial() {
		renderFile(t, dir, "adv-"+name, r)
	}
}
