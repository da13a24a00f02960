// Command report benchmarks the PR booklet: mieruka's renderer (internal/report)
// makes a booklet of N generated companies, and headless Chromium prints the same
// N company pages from HTML to PDF, in the same run. It prints wall time,
// pages/s and peak memory for both; it never passes or fails on time.
//
//	go run ./bench/report                 # 1,000 companies, both renderers
//	go run ./bench/report -n 200 -chromium ""   # mieruka only
//
// Peak memory: for mieruka, the renderer runs in a child process and its peak
// RSS is the kernel's (getrusage ru_maxrss). For Chromium, which runs several
// processes at once, the RSS and the PSS (proportional set size, shared pages
// split between processes) of the whole process tree are sampled every 20 ms and
// summed; the peak of each sum is reported.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/boombuler/barcode/qr"

	"mieruka/internal/org"
	"mieruka/internal/report"
)

func main() {
	n := flag.Int("n", 1000, "number of companies")
	out := flag.String("out", "", "directory for the outputs (default: a temporary directory, removed)")
	chromium := flag.String("chromium", "/usr/bin/chromium", `Chromium binary; "" skips it`)
	child := flag.String("child", "", "internal: render the booklet to this file")
	flag.Parse()

	if *child != "" {
		if err := renderChild(*n, *child); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	dir := *out
	if dir == "" {
		d, err := os.MkdirTemp("", "bench-report-")
		check(err)
		defer os.RemoveAll(d)
		dir = d
	}
	check(os.MkdirAll(dir, 0o755))

	fmt.Printf("PR booklet benchmark: %d generated companies, %d CPUs, %s\n\n", *n, runtime.NumCPU(), runtime.Version())

	// mieruka, in a child process so that its peak RSS is its own
	self, err := os.Executable()
	check(err)
	pdf := filepath.Join(dir, "mieruka.pdf")
	start := time.Now()
	cmd := exec.Command(self, "-n", strconv.Itoa(*n), "-child", pdf)
	cmd.Stderr = os.Stderr
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	check(cmd.Run())
	wall := time.Since(start)
	var res childResult
	check(json.Unmarshal(stdout.Bytes(), &res))
	maxrss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
	st, _ := os.Stat(pdf)
	fmt.Printf("%-34s %8s %9s %10s %12s %9s\n", "renderer", "pages", "wall s", "pages/s", "peak RSS MB", "PDF MB")
	fmt.Printf("%-34s %8d %9.2f %10.1f %12.0f %9.1f\n", "mieruka (gopdf, one process)", res.Pages, wall.Seconds(),
		float64(res.Pages)/wall.Seconds(), float64(maxrss)/1024, float64(st.Size())/1e6)
	fmt.Printf("  of which rendering %.2f s (data generation %.2f s, process start excluded from neither)\n", res.RenderSeconds, res.GenerateSeconds)

	if *chromium == "" {
		return
	}
	if _, err := os.Stat(*chromium); err != nil {
		fmt.Printf("\nChromium not found at %s (apt-get install chromium): skipped\n", *chromium)
		return
	}
	// the same companies as HTML, one A4 page each, with the same fonts and images
	reps := generate(*n)
	htmlFile := filepath.Join(dir, "booklet.html")
	check(writeHTML(htmlFile, dir, reps))
	cpdf := filepath.Join(dir, "chromium.pdf")
	profile, err := os.MkdirTemp("", "bench-chromium-profile-")
	check(err)
	defer os.RemoveAll(profile)
	args := []string{"--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir=" + profile, "--no-pdf-header-footer", "--print-to-pdf=" + cpdf, "file://" + htmlFile}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	cc := exec.CommandContext(ctx, *chromium, args...)
	cc.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var cerr bytes.Buffer
	cc.Stderr = &cerr
	start = time.Now()
	check(cc.Start())
	var peakRSS, peakPSS int64
	done := make(chan error, 1)
	go func() { done <- cc.Wait() }()
	var werr error
	for waiting := true; waiting; {
		select {
		case werr = <-done:
			waiting = false
		case <-time.After(20 * time.Millisecond):
			r, p := treeMemory(cc.Process.Pid)
			peakRSS, peakPSS = max(peakRSS, r), max(peakPSS, p)
		}
	}
	cwall := time.Since(start)
	if werr != nil {
		fmt.Printf("chromium failed: %v\n%s\n", werr, tail(cerr.String(), 2000))
		return
	}
	cpages := pdfPages(cpdf)
	cst, _ := os.Stat(cpdf)
	fmt.Printf("%-34s %8d %9.2f %10.1f %12.0f %9.1f\n", "headless Chromium (print-to-pdf)", cpages, cwall.Seconds(),
		float64(cpages)/cwall.Seconds(), float64(peakRSS)/1024, float64(cst.Size())/1e6)
	fmt.Printf("  Chromium peak memory over its process tree: RSS sum %.0f MB, PSS sum %.0f MB\n", float64(peakRSS)/1024, float64(peakPSS)/1024)
	if cwall > 0 && wall > 0 {
		fmt.Printf("\nmieruka is %.1f× faster (wall) and uses %.1f× less peak memory (RSS vs Chromium's PSS).\n",
			cwall.Seconds()/wall.Seconds(), float64(peakPSS)/float64(maxrss))
	}
	if *out != "" {
		fmt.Printf("outputs kept in %s\n", dir)
	}
}

type childResult struct {
	Pages           int     `json:"pages"`
	RenderSeconds   float64 `json:"render_seconds"`
	GenerateSeconds float64 `json:"generate_seconds"`
}

func renderChild(n int, file string) error {
	t0 := time.Now()
	reps := generate(n)
	gen := time.Since(t0)
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	defer f.Close()
	t1 := time.Now()
	b := report.Booklet{
		Municipality: "日野市", FiscalYear: 2025, IssuedOn: time.Date(2025, 11, 22, 0, 0, 0, 0, time.UTC),
		Preface: "日野市では2012年度から、市内のものづくり企業と大学研究室の「できること」を1枚のレポートにまとめてきました。本冊子はその最新版です。",
		Reports: reps,
	}
	if err := report.RenderBooklet(context.Background(), f, b, nil); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	pages := pdfPages(file)
	return json.NewEncoder(os.Stdout).Encode(childResult{Pages: pages, RenderSeconds: time.Since(t1).Seconds(), GenerateSeconds: gen.Seconds()})
}

func pdfPages(file string) int {
	out, err := exec.Command("pdfinfo", file).Output()
	if err != nil {
		return -1
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// ---- generated companies ---------------------------------------------------

var (
	places   = []string{"日野", "多摩", "百草", "程久保", "旭が丘", "豊田", "平山", "高幡", "万願寺", "新町", "栄町", "石田", "川辺堀之内", "東豊田", "神明", "落川"}
	trades   = []string{"精工", "製作所", "工業", "テック", "精機", "金属", "化成", "技研", "電子", "プレス", "鍍金", "熱処理"}
	kanaOf   = map[string]string{"日野": "ヒノ", "多摩": "タマ", "百草": "モグサ", "程久保": "ホドクボ", "旭が丘": "アサヒガオカ", "豊田": "トヨダ", "平山": "ヒラヤマ", "高幡": "タカハタ", "万願寺": "マンガンジ", "新町": "シンマチ", "栄町": "サカエチョウ", "石田": "イシダ", "川辺堀之内": "カワベホリノウチ", "東豊田": "ヒガシトヨダ", "神明": "シンメイ", "落川": "オチカワ", "精工": "セイコウ", "製作所": "セイサクショ", "工業": "コウギョウ", "テック": "テック", "精機": "セイキ", "金属": "キンゾク", "化成": "カセイ", "技研": "ギケン", "電子": "デンシ", "プレス": "プレス", "鍍金": "メッキ", "熱処理": "ネツショリ"}
	jsics    = []struct{ code, name string }{{"2441", "金属製品製造業"}, {"2599", "はん用機械器具製造業"}, {"2691", "生産用機械器具製造業"}, {"2811", "電子部品製造業"}, {"2422", "機械刃物製造業"}, {"1831", "プラスチック製品製造業"}, {"2465", "金属熱処理業"}}
	procs    = []string{"切削加工", "旋盤加工", "マシニング加工", "5軸加工", "研削加工", "放電加工", "ワイヤーカット", "プレス加工", "板金加工", "溶接", "めっき", "熱処理", "組立", "検査・測定", "樹脂射出成形", "基板実装"}
	mats     = []string{"アルミ", "ステンレス", "鉄", "銅", "チタン", "樹脂", "真鍮"}
	certsAll = []string{"ISO9001", "ISO14001", "IATF16949", "JIS Q 9100", "エコアクション21"}
	markets  = []string{"半導体製造装置", "医療機器", "自動車", "航空宇宙", "産業機械", "理化学機器", "食品機械"}
	sentence = []string{
		"精密な削り出し加工を得意としています。", "試作1個から量産まで一貫して対応します。", "公差±0.01mmの高精度加工を実現しています。",
		"材料手配から表面処理まで一括でお任せいただけます。", "熟練の技術者と最新設備で、お客様の課題解決に取り組みます。", "短納期のご相談も歓迎です。",
		"図面がなくても、現物やスケッチからの製作が可能です。", "品質保証体制を整え、全数検査を行っています。",
	}
)

func generate(n int) []report.Report {
	logos := make([][]byte, 8)
	for i := range logos {
		logos[i] = makeLogo(i)
	}
	photos := make([][]byte, 12)
	for i := range photos {
		photos[i] = makePhoto(480, 360, i)
	}
	out := make([]report.Report, n)
	for i := 0; i < n; i++ {
		pl, tr := places[i%len(places)], trades[(i/len(places))%len(trades)]
		name, kana := pl+tr, kanaOf[pl]+kanaOf[tr]
		if i >= len(places)*len(trades) {
			name += strconv.Itoa(i / (len(places) * len(trades)))
		}
		if i%2 == 0 {
			name = "株式会社" + name
		} else {
			name += "株式会社"
		}
		j := jsics[i%len(jsics)]
		var pr strings.Builder
		for k := 0; k < 5+i%6; k++ {
			pr.WriteString(sentence[(i+k)%len(sentence)])
		}
		p := org.Profile{
			Name: name, NameKana: kana, CorporateNumber: fmt.Sprintf("%d%012d", 1+i%9, 3013101000000+int64(i)*7919),
			JSICCode: j.code, PostalCode: "191-00" + fmt.Sprintf("%02d", i%60),
			Address:     org.Address{Prefecture: "東京都", City: "日野市", Town: fmt.Sprintf("%s%d丁目%d番%d号", pl, 1+i%5, 1+i%30, 1+i%20)},
			FoundedYear: 1940 + i%80, Employees: 3 + i%150, CapitalYen: int64(1+i%50) * 1_000_000,
			Representative: "代表取締役 日野 太郎", URL: "https://www.example.co.jp/",
			Processes: pick(procs, i, 3+i%4), Materials: pick(mats, i, 2+i%3), Certifications: pick(certsAll, i, i%3),
			Markets: pick(markets, i, 2+i%3), Lot: []string{"試作", "小ロット"}, MaxWorkpieceSize: "620×310×248mm",
			CatchPhrase: "削り出しで、装置の「ちょうどいい」をつくる。", PRText: pr.String(),
			Strengths: "公差±20ミクロンの精度を小ロットで安定して出せる点が最大の強みです。材料手配から仕上げ、検査成績書の発行まで社内で完結するため、短納期対応が可能です。",
			Contacts:  []org.Contact{{Department: "営業部", Person: "鈴木 花子", Phone: "042-000-0000", Email: "info@example.co.jp"}},
			Logo:      "logo",
		}
		for k := 0; k < 3+i%4; k++ {
			pp := org.Product{Name: []string{"治具プレート", "計測器筐体", "装置フレーム", "精密シャフト", "ブラケット", "カバー"}[(i+k)%6], Description: "SUS304の削り出し。位置決め穴の公差±0.02mm。"}
			if k < 2 {
				pp.Photo = "p" + strconv.Itoa(k)
			}
			p.Products = append(p.Products, pp)
		}
		for k := 0; k < 2+i%5; k++ {
			p.Equipment = append(p.Equipment, org.Equipment{Name: []string{"5軸マシニングセンタ", "NC旋盤", "ワイヤー放電加工機", "三次元測定機", "平面研削盤"}[(i+k)%5], Count: 1 + k%3, Spec: "X1000×Y600×Z500mm"})
		}
		out[i] = report.Report{
			Profile: p, Kind: org.KindCompany, ExternalID: fmt.Sprintf("G%04d", i+1),
			PageURL:  fmt.Sprintf("https://mieruka.example.jp/132128/directory/G%04d", i+1),
			Images:   map[string][]byte{"logo": logos[i%len(logos)], "p0": photos[i%len(photos)], "p1": photos[(i+5)%len(photos)]},
			JSICName: j.name, Municipality: "日野市",
		}
	}
	return out
}

func pick(from []string, seed, n int) []string {
	var out []string
	for k := 0; k < n && k < len(from); k++ {
		out = append(out, from[(seed*7+k*3)%len(from)])
	}
	// unique
	seen := map[string]bool{}
	uniq := out[:0]
	for _, s := range out {
		if !seen[s] {
			seen[s] = true
			uniq = append(uniq, s)
		}
	}
	return uniq
}

func makePhoto(w, h, variant int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	cx, cy := float64(w)/2, float64(h)*0.52
	R := math.Min(float64(w), float64(h)) * (0.3 + 0.01*float64(variant%5))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			t := float64(y) / float64(h)
			bg := 236 - 40*t
			c := color.RGBA{uint8(bg), uint8(bg), uint8(bg), 255}
			d := math.Hypot(float64(x)-cx, float64(y)-cy)
			if d < R {
				ang := math.Atan2(float64(y)-cy, float64(x)-cx)
				s := 0.65 + 0.35*math.Cos(ang-2.3+float64(variant)) + 0.08*math.Sin(d/3)
				c = color.RGBA{uint8(math.Min(255, (150+float64(variant*8%60))*s)), uint8(math.Min(255, 170*s)), uint8(math.Min(255, 185*s)), 255}
				if d < R*0.28 {
					c = color.RGBA{60, 62, 70, 255}
				}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	check(jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}))
	return b.Bytes()
}

func makeLogo(variant int) []byte {
	w, h := 360, 180
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	c := color.NRGBA{0x00, 0x17, 0xC1, 255}
	c.G = uint8(variant * 30)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			d := math.Hypot(float64(x)-90, float64(y)-90)
			if d < 70 && d > 44 || x > 180 && x < 340 && y > 60 && y < 80+variant*4 {
				img.Set(x, y, c)
			}
		}
	}
	var b bytes.Buffer
	check(png.Encode(&b, img))
	return b.Bytes()
}

// ---- the same pages as HTML for Chromium ----------------------------------

func writeHTML(file, dir string, reps []report.Report) error {
	fontDir, err := findFontDir()
	if err != nil {
		return err
	}
	imgs := map[string]string{}
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@font-face{font-family:"BIZ UDGothic";src:url("file://%s/BIZUDGothic-Regular.ttf");font-weight:400}
@font-face{font-family:"BIZ UDGothic";src:url("file://%s/BIZUDGothic-Bold.ttf");font-weight:700}
@page{size:A4;margin:0}
*{box-sizing:border-box}
body{margin:0;font-family:"BIZ UDGothic";color:#1a1a1a;font-size:9.5pt;line-height:1.65}
.page{width:210mm;height:297mm;overflow:hidden;page-break-after:always;position:relative}
.band{background:#e8f1fe;border-top:5pt solid #0017c1;padding:12pt 40pt 16pt;display:flex;justify-content:space-between}
.kana{font-size:8.5pt;color:#4d4d4d}.name{font-size:21pt;font-weight:700;margin:0}
.chip{display:inline-block;border-radius:9pt;padding:0 6pt;margin:0 4pt 4pt 0;font-size:7.5pt;background:#e8f1fe;color:#00118f}
.logo{background:#fff;border-radius:6pt;width:118pt;height:62pt;display:flex;align-items:center;justify-content:center}
.logo img{max-width:104pt;max-height:50pt}
.catch{font-size:13.5pt;font-weight:700;color:#0017c1;margin:16pt 40pt 10pt}
.cols{display:flex;gap:20pt;margin:0 40pt}.main{width:322pt}.side{flex:1}
h2{font-size:10.5pt;margin:12pt 0 4pt;border-left:3pt solid #0017c1;padding-left:6pt}
.photos{display:flex;gap:12pt}.photos img{width:155pt;height:112pt;object-fit:cover}
table{width:100%%;border-collapse:collapse;font-size:8.5pt}th{background:#e8f1fe;text-align:left}td{border-bottom:.5pt solid #e6e6e6}
.panel{background:#e8f1fe;border-left:3pt solid #0017c1;padding:10pt 14pt}
dl{display:grid;grid-template-columns:50pt 1fr;font-size:8.5pt;background:#f8f8fb;padding:9pt 10pt;margin:0}
.qr{position:absolute;bottom:54pt;right:40pt;width:173pt;background:#e8f1fe;padding:4pt;display:flex;gap:6pt;font-size:7pt}
.foot{position:absolute;bottom:20pt;left:40pt;right:40pt;border-top:.5pt solid #ccc;font-size:7pt;color:#666;display:flex;justify-content:space-between}
</style></head><body>
`, fontDir, fontDir)
	for i, r := range reps {
		p := r.Profile
		img := func(id string) string {
			data := r.Images[id]
			key := fmt.Sprintf("%x", len(data)) + fmt.Sprintf("%x", data[len(data)-16:])
			if f, ok := imgs[key]; ok {
				return f
			}
			ext := ".jpg"
			if bytes.HasPrefix(data, []byte("\x89PNG")) {
				ext = ".png"
			}
			f := fmt.Sprintf("img%d%s", len(imgs), ext)
			check(os.WriteFile(filepath.Join(dir, f), data, 0o644))
			imgs[key] = f
			return f
		}
		e := html.EscapeString
		fmt.Fprintf(&b, `<section class="page"><div class="band"><div><div style="font-size:8pt;color:#0017c1;font-weight:700">企業の魅力PRレポート　令和7年度　日野市<span style="float:right;color:#4d4d4d;font-weight:400">%s</span></div><div class="kana">%s</div><h1 class="name">%s</h1><span class="chip">%s</span><span class="chip">%s</span></div><div class="logo"><img src="%s"></div></div>`,
			e(r.JSICName), e(p.NameKana), e(p.Name), e(r.JSICName), e(p.Address.City), img("logo"))
		fmt.Fprintf(&b, `<div class="catch">%s</div><div class="cols"><div class="main"><h2>企業PR</h2><p>%s</p><h2>製品・技術</h2><div class="photos"><img src="%s"><img src="%s"></div><ul>`,
			e(p.CatchPhrase), e(p.PRText), img("p0"), img("p1"))
		for _, x := range p.Products {
			fmt.Fprintf(&b, `<li><b>%s</b><br>%s</li>`, e(x.Name), e(x.Description))
		}
		fmt.Fprintf(&b, `</ul><h2>専門家による強みの分析</h2><div class="panel">%s</div><h2>主要設備</h2><table><tr><th>設備名</th><th>台数</th><th>仕様</th></tr>`, e(p.Strengths))
		for _, q := range p.Equipment {
			fmt.Fprintf(&b, `<tr><td>%s</td><td>%d台</td><td>%s</td></tr>`, e(q.Name), q.Count, e(q.Spec))
		}
		fmt.Fprintf(&b, `</table></div><div class="side"><h2>基本データ</h2><dl><dt>所在地</dt><dd>〒%s %s%s%s</dd><dt>設立</dt><dd>%d年</dd><dt>資本金</dt><dd>%d円</dd><dt>従業員数</dt><dd>%d名</dd><dt>法人番号</dt><dd>%s</dd></dl><h2>加工・技術</h2>`,
			e(p.PostalCode), e(p.Address.Prefecture), e(p.Address.City), e(p.Address.Town), p.FoundedYear, p.CapitalYen, p.Employees, e(p.CorporateNumber))
		for _, t := range p.Processes {
			fmt.Fprintf(&b, `<span class="chip">%s</span>`, e(t))
		}
		b.WriteString(`<h2>認証・規格</h2>`)
		for _, t := range p.Certifications {
			fmt.Fprintf(&b, `<span class="chip">%s</span>`, e(t))
		}
		fmt.Fprintf(&b, `<h2>お問い合わせ</h2><p>%s %s<br>TEL %s<br>%s</p></div></div>`, e(p.Contacts[0].Department), e(p.Contacts[0].Person), e(p.Contacts[0].Phone), e(p.Contacts[0].Email))
		fmt.Fprintf(&b, `<div class="qr">%s<div><b>詳しい情報はWebで</b><br>%s</div></div><div class="foot"><span>日野市 産業振興課　掲載内容は発行日時点のものです。</span><span>%d</span></div></section>
`, qrSVG(r.PageURL), e(r.PageURL), i+1)
	}
	b.WriteString("</body></html>\n")
	return os.WriteFile(file, []byte(b.String()), 0o644)
}

func qrSVG(u string) string {
	code, err := qr.Encode(u, qr.M, qr.Auto)
	if err != nil {
		return ""
	}
	n := code.Bounds().Dx()
	var path strings.Builder
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if r, _, _, _ := code.At(x, y).RGBA(); r < 0x8000 {
				fmt.Fprintf(&path, "M%d %dh1v1h-1z", x+2, y+2)
			}
		}
	}
	return fmt.Sprintf(`<svg width="56pt" height="56pt" viewBox="0 0 %d %d" style="background:#fff"><path d="%s"/></svg>`, n+4, n+4, path.String())
}

func findFontDir() (string, error) {
	for _, d := range []string{"internal/report/fonts", "../../internal/report/fonts"} {
		if _, err := os.Stat(filepath.Join(d, "BIZUDGothic-Regular.ttf")); err == nil {
			return filepath.Abs(d)
		}
	}
	return "", fmt.Errorf("run from the repository root: internal/report/fonts not found")
}

// ---- memory of a process tree ------------------------------------------------

// treeMemory sums RSS and PSS (KiB) over pid and all its descendants.
func treeMemory(root int) (rss, pss int64) {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0, 0
	}
	parent := map[int]int{}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		st, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		s := string(st)
		if i := strings.LastIndexByte(s, ')'); i > 0 {
			f := strings.Fields(s[i+1:])
			if len(f) > 1 {
				pp, _ := strconv.Atoi(f[1])
				parent[pid] = pp
			}
		}
	}
	inTree := func(pid int) bool {
		for k := 0; k < 64 && pid > 1; k++ {
			if pid == root {
				return true
			}
			pid = parent[pid]
		}
		return false
	}
	for pid := range parent {
		if !inTree(pid) {
			continue
		}
		data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/smaps_rollup")
		if err != nil {
			continue
		}
		for _, ln := range strings.Split(string(data), "\n") {
			f := strings.Fields(ln)
			if len(f) < 2 {
				continue
			}
			v, _ := strconv.ParseInt(f[1], 10, 64)
			switch f[0] {
			case "Rss:":
				rss += v
			case "Pss:":
				pss += v
			}
		}
	}
	return rss, pss
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
