package report

import (
	"math/rand"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func fontsT(t testing.TB) *fontSet {
	fs, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestWrapKinsoku(t *testing.T) {
	fs := fontsT(t)
	f := fs.regular
	text := "当社は「精密加工」を得意としています。（試作・量産）にも対応！ISO9001を取得しています、ぜひご相談ください。ショット、キャップ、ジョッキー。"
	for w := 40.0; w <= 300; w += 7 {
		lines := wrap(f, text, 9, w)
		var joined strings.Builder
		for i, ln := range lines {
			if ln.width > w+1e-6 {
				t.Fatalf("width %v: line %q is %v wide", w, ln.text, ln.width)
			}
			first, _ := utf8.DecodeRuneInString(ln.text)
			last, _ := utf8.DecodeLastRuneInString(ln.text)
			if i > 0 && noStartSet[first] {
				t.Errorf("width %v: line starts with %q: %q", w, first, ln.text)
			}
			if i < len(lines)-1 && noEndSet[last] {
				t.Errorf("width %v: line ends with %q: %q", w, last, ln.text)
			}
			if strings.Contains(ln.text, "ISO") && !strings.Contains(ln.text, "ISO9001") && w > 60 {
				t.Errorf("width %v: Latin word broken: %q", w, ln.text)
			}
			joined.WriteString(ln.text)
		}
		if joined.String() != strings.ReplaceAll(text, " ", "") {
			t.Fatalf("width %v: text lost in wrapping:\n%q\n%q", w, joined.String(), text)
		}
	}
}

// fitLines never exceeds its line budget, never loses the start of the text, and
// marks every cut.
func TestFitLinesProperties(t *testing.T) {
	fs := fontsT(t)
	f := fs.regular
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	pieces := []string{"精密加工", "を行います。", "ISO9001", "、", "「試作」", "（小ロット）", "です！", "\n", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "ー", "ッ", " ", "φ20"}
	for n := 0; n < 300; n++ {
		var b strings.Builder
		for k := rng.Intn(120); k > 0; k-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		text := paragraphs(fs, b.String())
		w := 30 + rng.Float64()*300
		max := 1 + rng.Intn(8)
		lines, cut := fitLines(f, text, 9, w, max)
		if len(lines) > max {
			t.Fatalf("%d lines > %d for %q at %v", len(lines), max, text, w)
		}
		for _, ln := range lines {
			if ln.width > w+1e-6 {
				t.Fatalf("line %q wider (%v) than %v", ln.text, ln.width, w)
			}
		}
		full := wrap(f, text, 9, w)
		if cut != (len(full) > max) {
			t.Fatalf("cut=%v but text needs %d lines of %d", cut, len(full), max)
		}
		if cut {
			var got strings.Builder
			for _, ln := range lines {
				got.WriteString(ln.text)
			}
			g := got.String()
			if !strings.HasSuffix(g, "…") && !strings.HasSuffix(g, ContinueMarker) {
				t.Fatalf("cut without marker: %q", g)
			}
			if w > 120 && !strings.HasSuffix(g, ContinueMarker) {
				t.Fatalf("cut without %q in a %v pt column: %q", ContinueMarker, w, g)
			}
			body := strings.TrimSuffix(strings.TrimSuffix(g, ContinueMarker), "…")
			if !strings.HasPrefix(squeeze(strings.ReplaceAll(text, "\n", "")), squeeze(body)) {
				t.Fatalf("cut text is not a prefix:\n%q\n%q", body, text)
			}
		}
	}
}

func TestWarekiAndNumbers(t *testing.T) {
	cases := map[string]string{
		issueDate(time.Date(2025, 11, 22, 0, 0, 0, 0, time.UTC)): "2025年11月22日（令和7年11月22日）",
		warekiDate(time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC)):  "令和元年5月1日",
		warekiDate(time.Date(2019, 4, 30, 0, 0, 0, 0, time.UTC)): "平成31年4月30日",
		warekiDate(time.Date(1989, 1, 7, 0, 0, 0, 0, time.UTC)):  "昭和64年1月7日",
		warekiYear(1949):       "昭和24年",
		warekiYear(1989):       "昭和64年／平成元年",
		fiscalYearLabel(2025):  "令和7年度（2025年度）",
		fiscalYearLabel(2019):  "令和元年度（2019年度）",
		yen(10_000_000):        "1,000万円",
		yen(120_000_000):       "1億2,000万円",
		yen(3_000_000_000_000): "30,000億円",
		yen(5000):              "5,000円",
		yen(0):                 "",
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestSortKeyGojuon(t *testing.T) {
	names := []string{"ワタナベ", "アオキ", "ガッコウ", "カワイ", "キムラ", "ｱｵｲ", "シンメイ"}
	keys := map[string]string{}
	for _, n := range names {
		keys[n] = sortKey(n)
	}
	less := func(a, b string) bool { return keys[a] < keys[b] }
	if !less("ｱｵｲ", "アオキ") || !less("アオキ", "カワイ") || !less("ガッコウ", "カワイ") || !less("カワイ", "キムラ") || !less("シンメイ", "ワタナベ") {
		t.Errorf("五十音 order wrong: %v", keys)
	}
	if gojuonRow("ガッコウ") != "か行" || gojuonRow("ヨシダ") != "や行" || gojuonRow("ｱｵｲ") != "あ行" || gojuonRow("ABC") != "英数字" {
		t.Error("gojuonRow")
	}
}

// Rendering is safe from many goroutines at once (run with -race).
func TestRenderConcurrently(t *testing.T) {
	reps := loadDemo(t)[:16]
	errs := make(chan error, len(reps))
	for _, r := range reps {
		go func(r Report) {
			var b strings.Builder
			errs <- RenderPR(&b, showcase(r))
		}(r)
	}
	for range reps {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

func BenchmarkRenderPR(b *testing.B) {
	r := showcase(loadDemo(b)[1])
	b.ReportAllocs()
	for b.Loop() {
		var buf strings.Builder
		if err := RenderPR(&buf, r); err != nil {
			b.Fatal(err)
		}
	}
}
