package report

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf16"

	"mieruka/internal/org"
)

// requireTool finds a poppler tool. Without it the test skips, unless
// MIERUKA_REQUIRE_TOOLS=1 (CI), where a missing tool is a failure.
func requireTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("MIERUKA_REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s is required (MIERUKA_REQUIRE_TOOLS=1) but not installed: apt-get install poppler-utils", name)
		}
		t.Skipf("%s not installed (apt-get install poppler-utils); skipping", name)
	}
	return p
}

func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func pdfPages(t testing.TB, file string) int {
	t.Helper()
	out := run(t, "pdfinfo", file)
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo %s: no page count:\n%s", file, out)
	}
	n, _ := strconv.Atoi(m[1])
	if !strings.Contains(out, "595 x 842 pts (A4)") {
		t.Errorf("%s is not A4:\n%s", file, out)
	}
	return n
}

func pdfText(t testing.TB, file string, args ...string) string {
	t.Helper()
	return run(t, "pdftotext", append(append([]string{"-enc", "UTF-8"}, args...), file, "-")...)
}

// squeeze drops all whitespace, so that text can be compared across line breaks.
func squeeze(s string) string {
	return strings.Join(strings.Fields(s), "")
}

func renderFile(t testing.TB, dir, name string, r Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := RenderPR(&buf, r); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	f := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(f, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// parallel runs fn for 0..n-1 on all cores.
func parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	ch := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ch {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		ch <- i
	}
	close(ch)
	wg.Wait()
}

// Every report of the demo data (320 companies, 50 labs) is exactly one A4 page,
// its name, 法人番号 and certifications are extractable text, and the fonts are
// embedded subsets.
func TestDemoReportsOnePage(t *testing.T) {
	requireTool(t, "pdfinfo")
	requireTool(t, "pdftotext")
	reps := loadDemo(t)
	if len(reps) != 370 {
		t.Fatalf("demo data: %d reports, want 370", len(reps))
	}
	if raceEnabled {
		var some []Report
		for i := 0; i < len(reps); i += 6 {
			some = append(some, reps[i])
		}
		reps = some
	}
	dir := t.TempDir()
	files := make([]string, len(reps))
	var mu sync.Mutex
	parallel(len(reps), func(i int) {
		var buf bytes.Buffer
		if err := RenderPR(&buf, reps[i]); err != nil {
			mu.Lock()
			t.Errorf("%s: %v", reps[i].ExternalID, err)
			mu.Unlock()
			return
		}
		f := filepath.Join(dir, reps[i].ExternalID+".pdf")
		if err := os.WriteFile(f, buf.Bytes(), 0o644); err != nil {
			panic(err)
		}
		files[i] = f
	})
	if t.Failed() {
		return
	}
	parallel(len(reps), func(i int) {
		r := reps[i]
		if n := pdfPages(t, files[i]); n != 1 {
			t.Errorf("%s: %d pages, want 1", r.ExternalID, n)
		}
		st, _ := os.Stat(files[i])
		if st.Size() > 400<<10 {
			t.Errorf("%s: %d bytes; a subset font page should be far smaller", r.ExternalID, st.Size())
		}
		text := squeeze(pdfText(t, files[i]))
		want := []string{squeeze(r.Profile.Name), Title}
		if r.Kind == org.KindLab {
			want = []string{squeeze(r.Profile.Lab), r.Profile.University, "研究シーズ"}
		} else {
			want = append(want, r.Profile.CorporateNumber, "法人番号")
		}
		want = append(want, r.Profile.Certifications...)
		want = append(want, "令和7年11月22日", "2025年11月22日")
		for _, w := range want {
			if !strings.Contains(text, squeeze(w)) {
				t.Errorf("%s: text lacks %q", r.ExternalID, w)
			}
		}
	})
}

func TestFontsEmbeddedAndSubset(t *testing.T) {
	requireTool(t, "pdffonts")
	dir := t.TempDir()
	r := showcase(loadDemo(t)[1])
	f := renderFile(t, dir, "fonts", r)
	out := run(t, "pdffonts", f)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 4 {
		t.Fatalf("pdffonts: expected two fonts:\n%s", out)
	}
	for _, ln := range lines[2:] {
		fields := strings.Fields(ln)
		// name type encoding emb sub uni object ID
		if len(fields) < 7 {
			t.Fatalf("pdffonts line %q", ln)
		}
		n := len(fields)
		emb, sub, uni := fields[n-5], fields[n-4], fields[n-3]
		if emb != "yes" || sub != "yes" || uni != "yes" {
			t.Errorf("font not embedded as a subset with a ToUnicode map: %q", ln)
		}
		if !strings.Contains(fields[0], "+BIZUDGothic") {
			t.Errorf("unexpected font %q", fields[0])
		}
	}
	st, _ := os.Stat(f)
	full := int64(len(regularTTF) + len(boldTTF))
	if st.Size() > 1<<20 || st.Size()*8 > full {
		t.Errorf("report is %d bytes with %d bytes of font files: the font is not subset", st.Size(), full)
	}
	t.Logf("one page with two photos, logo and both weights: %d KB (font files: %d KB)", st.Size()>>10, full>>10)
}

func TestCheckTextSubstitutes(t *testing.T) {
	cases := []struct{ in, want string }{
		{"株式会社𠮷田製作所", "株式会社〓田製作所"}, // not in the font, no compatibility form
		{"㈱日野", "㈱日野"},             // in the font: printed as is
		{"⼀番", "一番"},               // KANGXI RADICAL ONE → 一 by NFKC
		{"笑顔😀です", "笑顔〓です"},         // emoji
		{"家族👨‍👩‍👧です", "家族〓です"},     // one mark for a ZWJ sequence
		{"手👍🏽と🇯🇵", "手〓と〓"},         // skin tone and flags
		{"A\u200bB\u0007C", "ABC"}, // invisible and control characters
		{"葛\U000E0100飾", "葛飾"},     // ideographic variation selector after a covered base
		{"タブ\tと改行\nあり", "タブ と改行\nあり"},
	}
	for _, c := range cases {
		got, subs, err := CheckText(c.in)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("CheckText(%q) = %q, want %q (subs %v)", c.in, got, c.want, subs)
		}
	}
	_, subs, _ := CheckText("𠮷野😀")
	if len(subs) != 2 || subs[0].From != "𠮷" || subs[0].To != Missing {
		t.Errorf("substitutions not reported: %#v", subs)
	}
}

// adversarial builds profiles meant to break the one-page promise.
func adversarial() map[string]Report {
	base := loadDemoOnce()[1]
	long := strings.Repeat("当社は精密切削加工を得意としており、試作から量産まで一貫して対応します。", 100) // 3,600 chars
	noPunct := strings.Repeat("高精度加工短納期対応試作量産一貫体制", 170)                // 3,060 chars, no sentence end
	out := map[string]Report{}

	r := showcase(base)
	r.Profile.PRText = long
	r.Profile.Strengths = long
	r.Profile.CatchPhrase = long
	out["long-texts"] = r

	r = showcase(base)
	r.Profile.PRText = noPunct
	out["no-sentence-end"] = r

	r = showcase(base)
	r.Profile.Products = nil
	for i := 0; i < 40; i++ {
		r.Profile.Products = append(r.Profile.Products, org.Product{Name: fmt.Sprintf("精密シャフト部品タイプ%02d", i), Description: "SUS304の削り出し。φ3〜φ30、全長300mmまで。表面粗さRa0.4。", Photo: "p1"})
	}
	out["40-products-with-descriptions"] = r

	r = base
	r.Profile.Products = nil
	for i := 0; i < 40; i++ {
		r.Profile.Products = append(r.Profile.Products, org.Product{Name: fmt.Sprintf("製品%02d", i)})
	}
	for i := 0; i < 40; i++ {
		r.Profile.Equipment = append(r.Profile.Equipment, org.Equipment{Name: fmt.Sprintf("5軸マシニングセンタ%02d", i), Count: i%4 + 1, Spec: "X1000×Y600×Z500mm、主軸20,000min⁻¹"})
		r.Profile.Processes = append(r.Profile.Processes, fmt.Sprintf("加工技術%02d", i))
		r.Profile.Certifications = append(r.Profile.Certifications, fmt.Sprintf("ISO%04d", 9000+i))
		r.Profile.Markets = append(r.Profile.Markets, fmt.Sprintf("市場分野%02d", i))
		r.Profile.Materials = append(r.Profile.Materials, fmt.Sprintf("材料%02d", i))
		r.Profile.Contacts = append(r.Profile.Contacts, org.Contact{Department: "営業部", Person: "担当者", Phone: "042-000-0000", Email: "sales@example.co.jp"})
	}
	out["40-of-everything-no-photos"] = r

	out["every-field-empty"] = Report{}
	out["empty-lab"] = Report{Kind: org.KindLab}

	r = showcase(base)
	r.Profile.Name = strings.Repeat("東京多摩日野精密機械工業技術研究開発製造販売", 8) + "株式会社"
	r.Profile.NameKana = strings.Repeat("トウキョウタマヒノセイミツキカイコウギョウ", 6)
	r.Profile.Address.Town = strings.Repeat("旭が丘三丁目12番5号", 8)
	r.Profile.Address.Building = strings.Repeat("日野テクノパークビル", 5)
	r.Profile.URL = "https://www.example.co.jp/" + strings.Repeat("very-long-path/", 20)
	r.PageURL = "https://mieruka.example.jp/132128/directory/" + strings.Repeat("x", 300)
	r.JSICName = strings.Repeat("各種機械・同部分品製造修理業", 5)
	out["very-long-name"] = r

	r = showcase(base)
	r.Profile.Name = "株式会社𠮷田😀製作所"
	r.Profile.CatchPhrase = "笑顔👨‍👩‍👧を届ける🚀ものづくり🇯🇵"
	r.Profile.PRText = "絵文字😀😃😄だらけのPR文です🎉。" + strings.Repeat("🔧", 50)
	r.Profile.Processes = []string{"切削😀", "🔥溶接"}
	out["emoji"] = r

	r = showcase(loadDemoOnce()[320])
	r.Profile.SeedsText = long
	r.Profile.Keywords = nil
	for i := 0; i < 60; i++ {
		r.Profile.Keywords = append(r.Profile.Keywords, fmt.Sprintf("キーワード%02d", i))
		r.Profile.Equipment = append(r.Profile.Equipment, org.Equipment{Name: fmt.Sprintf("走査型電子顕微鏡%02d", i), Shareable: true, Spec: "分解能1nm"})
	}
	out["lab-long"] = r

	r = showcase(base)
	r.Images = map[string][]byte{"logo": []byte("not an image"), "p1": {0xFF, 0xD8, 0xFF}}
	out["broken-images"] = r
	return out
}

var (
	demoOnce sync.Once
	demoData []Report
)

func loadDemoOnce() []Report {
	demoOnce.Do(func() {
		var err error
		if demoData, err = loadDemoErr(); err != nil {
			panic(err)
		}
	})
	return demoData
}

func TestAdversarialProfilesStayOnOnePage(t *testing.T) {
	requireTool(t, "pdfinfo")
	requireTool(t, "pdftotext")
	dir := t.TempDir()
	for name, r := range adversarial() {
		t.Run(name, func(t *testing.T) {
			f := renderFile(t, dir, name, r)
			if n := pdfPages(t, f); n != 1 {
				t.Fatalf("%d pages, want 1", n)
			}
			text := pdfText(t, f)
			if strings.TrimSpace(text) == "" {
				t.Fatal("empty page")
			}
			switch name {
			case "long-texts", "no-sentence-end", "lab-long":
				if !strings.Contains(squeeze(text), ContinueMarker) {
					t.Errorf("long text cut without %q", ContinueMarker)
				}
			case "40-products-with-descriptions", "40-of-everything-no-photos":
				if !strings.Contains(text, "件（Webで公開）") && !strings.Contains(text, "ほか") {
					t.Errorf("cut list without a count of the rest")
				}
			case "emoji":
				if !strings.Contains(text, "株式会社〓田〓製作所") {
					t.Errorf("missing glyphs not substituted visibly in the name:\n%s", text)
				}
			case "every-field-empty", "empty-lab":
				if !strings.Contains(text, "名称未登録") {
					t.Errorf("empty profile lacks the placeholder name")
				}
			}
		})
	}
}

// A sentence cut keeps whole sentences and ends with the marker.
func TestLongTextCutAtSentence(t *testing.T) {
	requireTool(t, "pdftotext")
	r := adversarial()["long-texts"]
	f := renderFile(t, t.TempDir(), "cut", r)
	text := squeeze(pdfText(t, f))
	if !strings.Contains(text, "対応します。"+ContinueMarker) {
		t.Errorf("PR text not cut after a sentence: %q", text)
	}
}

func TestBooklet(t *testing.T) {
	requireTool(t, "pdfinfo")
	requireTool(t, "pdftotext")
	reps := loadDemo(t)
	var calls []int
	b := Booklet{
		Municipality: "日野市",
		FiscalYear:   2025,
		IssuedOn:     testIssued,
		Preface:      "日野市では2012年度から、市内のものづくり企業と大学研究室の「できること」を1枚のレポートにまとめてきました。\n\n本冊子はその最新版です。",
		Reports:      reps,
		IndexTerms:   []string{"切削加工", "旋盤加工", "マシニング加工"},
	}
	groupings := []GroupBy{GroupJSIC, GroupGojuon}
	if raceEnabled {
		groupings = groupings[:1]
	}
	for _, g := range groupings {
		t.Run(string(g), func(t *testing.T) {
			calls = calls[:0]
			b.GroupBy = g
			var buf bytes.Buffer
			err := RenderBooklet(context.Background(), &buf, b, func(done, total int) {
				if total != len(reps) {
					t.Errorf("progress total %d", total)
				}
				calls = append(calls, done)
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(calls) != len(reps) || calls[0] != 1 || calls[len(calls)-1] != len(reps) {
				t.Errorf("progress called %d times, last %v", len(calls), calls[len(calls)-1:])
			}
			f := filepath.Join(t.TempDir(), "booklet.pdf")
			os.WriteFile(f, buf.Bytes(), 0o644)
			n := pdfPages(t, f)
			if n < len(reps)+4 {
				t.Fatalf("%d pages for %d reports", n, len(reps))
			}
			// contents: every organization with its page; the page holds it
			toc := pdfText(t, f, "-f", "3", "-l", "8")
			if !strings.Contains(toc, "目次") {
				t.Fatal("no table of contents on page 3")
			}
			if g == GroupJSIC && !strings.Contains(toc, "25 はん用機械器具製造業") {
				t.Error("contents not grouped by JSIC 中分類")
			}
			if g == GroupGojuon && !strings.Contains(toc, "あ行") {
				t.Error("contents not grouped by 五十音")
			}
			m := regexp.MustCompile(`(株式会社\S+|\S+株式会社)\s*\.*\s*(\d+)\n`).FindStringSubmatch(toc)
			if m == nil {
				t.Fatalf("no contents entry found:\n%.500s", toc)
			}
			page := pdfText(t, f, "-f", m[2], "-l", m[2])
			if !strings.Contains(squeeze(page), m[1]) || !strings.Contains(page, m[2]) {
				t.Errorf("contents say %s is on page %s; that page is:\n%.300s", m[1], m[2], page)
			}
			// last pages: the index, processes in the order asked, then research fields
			idx := pdfText(t, f, "-f", strconv.Itoa(n-25), "-l", strconv.Itoa(n))
			if !strings.Contains(idx, "研究分野") {
				t.Errorf("index lacks research fields")
			}
			if i := strings.Index(idx, "索引"); i < 0 {
				t.Error("no index")
			} else {
				idx = idx[i:]
				a, c := strings.Index(idx, "切削加工"), strings.Index(idx, "旋盤加工")
				if a < 0 || c < 0 || a > c {
					t.Errorf("index terms not in the given order (%d, %d)", a, c)
				}
			}
			// bookmarks: every organization has one
			titles := outlineTitles(buf.Bytes())
			set := map[string]bool{}
			for _, s := range titles {
				set[s] = true
			}
			for _, s := range []string{"表紙", "はじめに", "目次", "索引", "25 はん用機械器具製造業", labGroup} {
				if g == GroupGojuon && s == "25 はん用機械器具製造業" {
					s = "か行"
				}
				if !set[s] {
					t.Errorf("no bookmark %q", s)
				}
			}
			for _, r := range reps {
				want := r.Profile.Name
				if r.Kind == org.KindLab {
					want = r.Profile.Lab + "（" + r.Profile.University + "）"
				}
				if !set[want] {
					t.Errorf("no bookmark for %q", want)
				}
			}
		})
	}
}

// outlineTitles decodes the /Title strings of the outline items.
func outlineTitles(pdf []byte) []string {
	var out []string
	re := regexp.MustCompile(`/Title <FEFF([0-9A-Fa-f]*)>`)
	for _, m := range re.FindAllSubmatch(pdf, -1) {
		raw, err := hex.DecodeString(string(m[1]))
		if err != nil || len(raw)%2 != 0 {
			continue
		}
		u := make([]uint16, len(raw)/2)
		for i := range u {
			u[i] = uint16(raw[2*i])<<8 | uint16(raw[2*i+1])
		}
		out = append(out, string(utf16.Decode(u)))
	}
	return out
}

func TestBookletCancel(t *testing.T) {
	reps := loadDemo(t)[:60]
	ctx, cancel := context.WithCancel(context.Background())
	var buf bytes.Buffer
	err := RenderBooklet(ctx, &buf, Booklet{Reports: reps, FiscalYear: 2025}, func(done, total int) {
		if done == 10 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written by a cancelled booklet", buf.Len())
	}
}

func TestBookletEmpty(t *testing.T) {
	requireTool(t, "pdfinfo")
	var buf bytes.Buffer
	if err := RenderBooklet(context.Background(), &buf, Booklet{Municipality: "日野市", FiscalYear: 2025}, nil); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "empty.pdf")
	os.WriteFile(f, buf.Bytes(), 0o644)
	if n := pdfPages(t, f); n < 3 {
		t.Errorf("empty booklet has %d pages", n)
	}
}
