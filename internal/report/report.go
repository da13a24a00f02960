package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/signintech/gopdf"

	"mieruka/internal/org"
)

// Report is one organization's PR report: a single A4 page.
type Report struct {
	// Profile must already be filtered to the fields that are public: the report
	// is handed out and published. Empty fields are simply left out.
	Profile org.Profile
	// Kind is org.KindCompany or org.KindLab (a lab report shows research seeds);
	// empty means company.
	Kind org.Kind
	// ExternalID is printed small in the footer (e.g. the directory id), optional.
	ExternalID string
	// PageURL is the organization's page on the directory site; it becomes the QR
	// code and a link. Optional.
	PageURL string
	// Images maps image ids (Profile.Logo, Product.Photo) to clean JPEG or PNG
	// bytes, as produced by internal/image.Sanitize. Ids without bytes, and bytes
	// that are not JPEG/PNG, are skipped (no empty frame is drawn).
	Images map[string][]byte
	// IssuedOn is the issue date printed in 和暦 and 西暦; zero means today.
	IssuedOn time.Time
	// Municipality is the issuing city, e.g. "日野市".
	Municipality string
	// Issuer is the issuing office, e.g. "日野市 産業振興課"; default
	// Municipality + " 産業振興課".
	Issuer string
	// JSICName is the name of the organization's industry (日本標準産業分類), e.g.
	// "金属製品製造業". Optional.
	JSICName string
}

func (r Report) kind() org.Kind {
	if r.Kind == org.KindLab {
		return org.KindLab
	}
	return org.KindCompany
}

func (r Report) issuer() string {
	if r.Issuer != "" {
		return r.Issuer
	}
	if r.Municipality != "" {
		return r.Municipality + " 産業振興課"
	}
	return ""
}

// Title of every report page.
const Title = "企業の魅力PRレポート"

// RenderPR writes the one-page PDF report of r to w.
func RenderPR(w io.Writer, r Report) error {
	fs, err := loadFonts()
	if err != nil {
		return err
	}
	d, err := newPDFDoc(fs)
	if err != nil {
		return err
	}
	p := prepare(fs, r)
	d.gp.SetInfo(gopdf.PdfInfo{
		Title:        p.name + " " + Title,
		Subject:      Title,
		Author:       p.issuer,
		Creator:      "mieruka",
		Producer:     "mieruka (gopdf)",
		CreationDate: p.issued,
	})
	d.gp.AddPage()
	page := composePR(&lay{fs}, p, pageChrome{})
	if err := page.draw(d, 0, 0); err != nil {
		return err
	}
	if n := d.gp.GetNumberOfPages(); n != 1 {
		return fmt.Errorf("report: internal error: %d pages", n)
	}
	_, err = d.gp.WriteTo(w)
	return err
}

// pageChrome is what a booklet adds to a report page.
type pageChrome struct {
	runningLeft  string // replaces the header line
	runningRight string
	page         int // printed page number; 0: none
	anchor       string
}

// prepared is a report with every text cleaned for printing.
type prepared struct {
	kind                      org.Kind
	name, kana, catch, pr     string
	strengths                 string
	logo                      []byte
	logoW, logoH              int
	photos                    []photo
	products                  []product
	specialties, processes    []string
	materials, certs, lots    []string
	markets                   []string
	maxSize                   string
	equipment                 []equip
	basic                     []kv
	contacts                  []string
	pageURL, externalID       string
	issuer, municipality      string
	issued                    time.Time
	jsicName, city            string
	univLine                  string
	topics, keywords, collabs []string
	seeds                     string
}

type photo struct {
	data    []byte
	w, h    int
	caption string
}

type product struct{ name, desc string }

type equip struct {
	name, count, spec string
	shared            bool
}

func prepare(fs *fontSet, r Report) *prepared {
	pr := r.Profile
	one := func(s string) string { return oneLine(fs, s) }
	list := func(ss []string) []string {
		var out []string
		seen := map[string]bool{}
		for _, s := range ss {
			if s = one(s); s != "" && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
		return out
	}
	p := &prepared{
		kind:         r.kind(),
		name:         one(pr.Name),
		kana:         one(pr.NameKana),
		catch:        paragraphs(fs, pr.CatchPhrase),
		pr:           paragraphs(fs, pr.PRText),
		strengths:    paragraphs(fs, pr.Strengths),
		specialties:  list(pr.Specialties),
		processes:    list(pr.Processes),
		materials:    list(pr.Materials),
		certs:        list(pr.Certifications),
		lots:         list(pr.Lot),
		markets:      list(pr.Markets),
		maxSize:      one(pr.MaxWorkpieceSize),
		pageURL:      strings.TrimSpace(r.PageURL),
		externalID:   one(r.ExternalID),
		issuer:       one(r.issuer()),
		municipality: one(r.Municipality),
		issued:       r.IssuedOn,
		jsicName:     one(r.JSICName),
		city:         one(pr.Address.City),
		topics:       list(pr.ResearchTopics),
		keywords:     list(pr.Keywords),
		collabs:      list(pr.Collaboration),
		seeds:        paragraphs(fs, pr.SeedsText),
	}
	if p.issued.IsZero() {
		p.issued = time.Now()
	}
	if p.name == "" {
		p.name = "（名称未登録）"
	}
	if b := r.Images[pr.Logo]; pr.Logo != "" {
		if w, h, ok := imageSize(b); ok {
			p.logo, p.logoW, p.logoH = b, w, h
		}
	}
	for _, x := range pr.Products {
		name := one(x.Name)
		if name == "" {
			continue
		}
		p.products = append(p.products, product{name: name, desc: one(x.Description)})
		if x.Photo != "" && len(p.photos) < 2 {
			if w, h, ok := imageSize(r.Images[x.Photo]); ok {
				p.photos = append(p.photos, photo{data: r.Images[x.Photo], w: w, h: h, caption: name})
			}
		}
	}
	for _, e := range pr.Equipment {
		name := one(e.Name)
		if name == "" {
			continue
		}
		q := equip{name: name, spec: one(e.Spec), shared: e.Shareable}
		if e.Count > 0 {
			q.count = strconv.Itoa(e.Count) + "台"
		}
		p.equipment = append(p.equipment, q)
	}
	for _, c := range pr.Contacts {
		var parts []string
		if s := strings.TrimSpace(one(c.Department) + " " + one(c.Person)); s != "" {
			parts = append(parts, s)
		}
		if s := one(c.Phone); s != "" {
			parts = append(parts, "TEL "+s)
		}
		if s := one(c.Fax); s != "" {
			parts = append(parts, "FAX "+s)
		}
		if s := one(c.Email); s != "" {
			parts = append(parts, s)
		}
		if len(parts) > 0 {
			p.contacts = append(p.contacts, strings.Join(parts, "\n"))
		}
	}
	// 基本データ
	addr := strings.TrimSpace(one(pr.Address.Prefecture) + one(pr.Address.City) + one(pr.Address.Town))
	if b := one(pr.Address.Building); b != "" {
		addr += " " + b
	}
	if pc := one(pr.PostalCode); pc != "" {
		addr = strings.TrimSpace("〒" + pc + "\n" + addr)
	}
	add := func(label, value string) {
		if value != "" {
			p.basic = append(p.basic, kv{label: label, value: value})
		}
	}
	if p.kind == org.KindLab {
		add("大学・機関", one(pr.University))
		add("学部・学科", strings.TrimSpace(one(pr.Faculty)+" "+one(pr.Department)))
		add("研究室", one(pr.Lab))
		head := one(pr.Head)
		if k := one(pr.HeadKana); k != "" && head != "" {
			head += "\n" + k
		}
		add("代表者", head)
		add("所在地", addr)
		p.univLine = strings.TrimSpace(strings.Join(nonEmpty(one(pr.University), one(pr.Faculty), one(pr.Department)), " "))
	} else {
		add("所在地", addr)
		add("代表者", one(pr.Representative))
		if pr.FoundedYear > 0 {
			v := strconv.Itoa(pr.FoundedYear) + "年"
			if w := warekiYear(pr.FoundedYear); w != "" {
				v += "（" + w + "）"
			}
			add("設立", v)
		}
		add("資本金", yen(pr.CapitalYen))
		if pr.Employees > 0 {
			add("従業員数", group3(int64(pr.Employees))+"名")
		}
		add("法人番号", one(pr.CorporateNumber))
		add("業種", p.jsicName)
	}
	if u := one(pr.URL); u != "" {
		p.basic = append(p.basic, kv{label: "Web", value: u, url: safeURL(pr.URL)})
	}
	return p
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// safeURL returns u if it is an http(s) URL, for a link annotation.
func safeURL(u string) string {
	u = strings.TrimSpace(u)
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return u
	}
	return ""
}
