package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	stdimage "image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"mieruka/internal/org"
)

// demoRecord is a line of internal/demo/data/{companies,labs}.jsonl.
type demoRecord struct {
	ID              string   `json:"id"`
	DocType         string   `json:"doc_type"`
	Name            string   `json:"name"`
	NameKana        string   `json:"name_kana"`
	CorporateNumber string   `json:"corporate_number"`
	PostalCode      string   `json:"postal_code"`
	Address         string   `json:"address"`
	City            string   `json:"city"`
	JSICCode        string   `json:"jsic_code"`
	JSICName        string   `json:"jsic_name"`
	Employees       int      `json:"employees"`
	CapitalYen      int64    `json:"capital_yen"`
	FoundedYear     int      `json:"founded_year"`
	Processes       []string `json:"processes"`
	Specialties     []string `json:"specialties"`
	Materials       []string `json:"materials"`
	MaxWorkpiece    *string  `json:"max_workpiece_size"`
	Lot             []string `json:"lot"`
	Certifications  []string `json:"certifications"`
	Equipment       []string `json:"equipment"`
	Products        []string `json:"products"`
	Markets         []string `json:"markets"`
	PRText          string   `json:"pr_text"`
	University      string   `json:"university"`
	Faculty         string   `json:"faculty"`
	Department      string   `json:"department"`
	Lab             string   `json:"lab"`
	Head            string   `json:"head"`
	HeadKana        string   `json:"head_kana"`
	ResearchTopics  []string `json:"research_topics"`
	Keywords        []string `json:"keywords"`
	SeedsText       string   `json:"seeds_text"`
	Collaboration   []string `json:"collaboration"`
}

var testIssued = time.Date(2025, 11, 22, 0, 0, 0, 0, time.UTC)

func (d demoRecord) report() Report {
	p := org.Profile{
		Name:            d.Name,
		NameKana:        d.NameKana,
		CorporateNumber: d.CorporateNumber,
		JSICCode:        d.JSICCode,
		PostalCode:      d.PostalCode,
		Address:         org.Address{Prefecture: "東京都", City: d.City, Town: trimPrefix(d.Address, "東京都"+d.City)},
		FoundedYear:     d.FoundedYear,
		Employees:       d.Employees,
		CapitalYen:      d.CapitalYen,
		Processes:       d.Processes,
		Specialties:     d.Specialties,
		Materials:       d.Materials,
		Certifications:  d.Certifications,
		Lot:             d.Lot,
		Markets:         d.Markets,
		PRText:          d.PRText,
		University:      d.University,
		Faculty:         d.Faculty,
		Department:      d.Department,
		Lab:             d.Lab,
		Head:            d.Head,
		HeadKana:        d.HeadKana,
		ResearchTopics:  d.ResearchTopics,
		Keywords:        d.Keywords,
		SeedsText:       d.SeedsText,
		Collaboration:   d.Collaboration,
	}
	if d.MaxWorkpiece != nil {
		p.MaxWorkpieceSize = *d.MaxWorkpiece
	}
	for _, e := range d.Equipment {
		p.Equipment = append(p.Equipment, org.Equipment{Name: e})
	}
	for _, x := range d.Products {
		p.Products = append(p.Products, org.Product{Name: x})
	}
	kind := org.KindCompany
	if d.DocType == "lab" {
		kind = org.KindLab
	}
	return Report{
		Profile:      p,
		Kind:         kind,
		ExternalID:   d.ID,
		PageURL:      "https://mieruka.example.jp/132128/directory/" + d.ID,
		IssuedOn:     testIssued,
		Municipality: "日野市",
		JSICName:     d.JSICName,
	}
}

func trimPrefix(s, p string) string {
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

func loadDemo(t testing.TB) []Report {
	t.Helper()
	out, err := loadDemoErr()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func loadDemoErr() ([]Report, error) {
	var out []Report
	for _, f := range []string{"companies.jsonl", "labs.jsonl"} {
		fh, err := os.Open(filepath.Join("..", "demo", "data", f))
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var d demoRecord
			if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
				fh.Close()
				return nil, err
			}
			out = append(out, d.report())
		}
		fh.Close()
	}
	return out, nil
}

// makePhoto draws a synthetic product photograph: a shaded machined disc with
// holes on a soft studio background (no third-party pictures in the repo).
func makePhoto(w, h int, hue float64) []byte {
	img := stdimage.NewRGBA(stdimage.Rect(0, 0, w, h))
	cx, cy := float64(w)/2, float64(h)*0.52
	R := math.Min(float64(w), float64(h)) * 0.36
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			// background: vertical gradient
			t := float64(y) / float64(h)
			bg := 236 - 40*t
			c := color.RGBA{uint8(bg), uint8(bg), uint8(bg + 6*(1-t)), 255}
			dx, dy := float64(x)-cx, float64(y)-cy
			d := math.Hypot(dx, dy)
			// shadow
			if sd := math.Hypot(dx-R*0.08, (dy-R*0.12)*1.6); sd < R*1.05 {
				k := 1 - 0.25*(1-sd/(R*1.05))
				c = color.RGBA{uint8(float64(c.R) * k), uint8(float64(c.G) * k), uint8(float64(c.B) * k), 255}
			}
			if d < R {
				ang := math.Atan2(dy, dx)
				shade := 0.65 + 0.35*math.Cos(ang-2.3) + 0.08*math.Sin(d/3)
				base := []float64{170 + 40*hue, 175 + 20*hue, 185}
				inner := false
				for k := 0; k < 6; k++ {
					a := float64(k) * math.Pi / 3
					hx, hy := cx+math.Cos(a)*R*0.62, cy+math.Sin(a)*R*0.62
					if math.Hypot(float64(x)-hx, float64(y)-hy) < R*0.09 {
						inner = true
					}
				}
				if d < R*0.28 || inner {
					c = color.RGBA{60, 62, 70, 255}
				} else {
					c = color.RGBA{clamp(base[0] * shade), clamp(base[1] * shade), clamp(base[2] * shade), 255}
				}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	jpeg.Encode(&b, img, &jpeg.Options{Quality: 85})
	return b.Bytes()
}

func clamp(v float64) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}

// makeLogo draws a simple geometric mark on a transparent ground.
func makeLogo() []byte {
	w, h := 360, 180
	img := stdimage.NewNRGBA(stdimage.Rect(0, 0, w, h))
	blue := color.NRGBA{0x00, 0x17, 0xC1, 255}
	teal := color.NRGBA{0x00, 0x8B, 0xA8, 255}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x), float64(y)
			if math.Hypot(fx-90, fy-90) < 70 && math.Hypot(fx-90, fy-90) > 44 {
				img.Set(x, y, blue)
			}
			if fx > 84 && fx < 96 && fy > 30 && fy < 150 {
				img.Set(x, y, teal)
			}
			if fx > 180 && fx < 340 && ((fy > 52 && fy < 74) || (fy > 86 && fy < 98) || (fy > 110 && fy < 122)) {
				c := blue
				if fy > 80 {
					c = color.NRGBA{0x4D, 0x4D, 0x4D, 255}
				}
				if fy > 80 && fx > 300-(fy-86)*2 {
					continue
				}
				img.Set(x, y, c)
			}
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// showcase dresses a demo report with the fields the demo data lacks (catch
// phrase, strengths, contacts, logo, photos, product descriptions, equipment
// counts), as a real published profile would have them.
func showcase(r Report) Report {
	p := &r.Profile
	p.Logo = "logo"
	p.URL = "https://www.example.co.jp/"
	p.Representative = "代表取締役 山田 太郎"
	r.Images = map[string][]byte{"logo": makeLogo(), "p1": makePhoto(480, 360, 0), "p2": makePhoto(480, 360, 1)}
	if r.Kind == org.KindLab {
		p.Contacts = []org.Contact{{Department: "産学連携推進室", Phone: "042-000-1234", Email: "sangaku@example.ac.jp"}}
		p.Strengths = "現場の課題を研究テーマに落とし込む力が際立っています。企業との共同研究の実績が多く、試作・評価まで一貫して伴走できる体制があります。学生の参加により、短期間で多くの検証ができる点も強みです。"
		for i := range p.Equipment {
			p.Equipment[i].Shareable = i%2 == 0
			p.Equipment[i].Spec = []string{"8GPU・メモリ1TB", "12カメラ・240fps", "分解能0.1μm"}[i%3]
		}
		return r
	}
	p.CatchPhrase = "削り出しで、装置の「ちょうどいい」をつくる。"
	p.Strengths = "公差±20ミクロンの精度を小ロットで安定して出せる点が最大の強みです。材料手配から仕上げ、検査成績書の発行まで社内で完結するため、研究機関や装置メーカーの試作案件で短納期対応が可能です。少人数ながら熟練技能者が多く、図面段階からの加工性の提案にも定評があります。"
	p.Contacts = []org.Contact{{Department: "営業部", Person: "鈴木 花子", Phone: "042-000-0000", Fax: "042-000-0001", Email: "info@example.co.jp"}}
	descs := []string{"SS400・A5052の削り出し。位置決め穴の公差±0.02mm。", "アルミ削り出しの筐体。アルマイト処理まで一括手配。", "溶接構造のベース。ひずみ取りと仕上げ加工まで対応。", "装置の骨組み。設計段階からご相談ください。"}
	for i := range p.Products {
		p.Products[i].Description = descs[i%len(descs)]
		if i < 2 {
			p.Products[i].Photo = []string{"p1", "p2"}[i]
		}
	}
	for i := range p.Equipment {
		p.Equipment[i].Count = 1 + i%3
		p.Equipment[i].Spec = []string{"X1000×Y600×Z500mm", "φ400×L1000mm", "最大板厚3.2mm"}[i%3]
	}
	return r
}
