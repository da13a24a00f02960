package report

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/image"
	"mieruka/internal/jobs"
	"mieruka/internal/jp"
	"mieruka/internal/municipality"
	"mieruka/internal/org"
	"mieruka/internal/store"
)

// layoutVersion changes when the page layout changes, so cached reports are
// made anew.
const layoutVersion = "1"

// Service makes PR reports from the registry: one organization's (cached
// until its published profile changes) and a municipality's booklet (as a
// background job).
type Service struct {
	DB             *store.DB
	Orgs           *org.Service
	Municipalities *municipality.Service
	Images         *image.Store
	Jobs           *jobs.Queue
	BaseURL        string
	Log            *slog.Logger
}

// PageURL is an organization's page on the public directory: the QR code.
func PageURL(base string, o org.Organization) string {
	kind := "companies"
	if o.Kind == org.KindLab {
		kind = "labs"
	}
	return base + "/" + kind + "/" + strconv.FormatInt(o.ID, 10)
}

// reportOf prepares the report of an organization from its public fields,
// with its images.
func (s *Service) reportOf(ctx context.Context, o org.Organization, muniName string) (Report, error) {
	r := reportText(o, muniName, s.BaseURL)
	return r, s.loadImages(ctx, &r, o.Municipality)
}

// reportText is the report without the bytes of its images: enough to know
// whether a cached PDF is still the right one.
func reportText(o org.Organization, muniName, baseURL string) Report {
	p := o.Profile.Visible(org.Public)
	r := Report{Profile: p, Kind: o.Kind, ExternalID: o.ExternalID, PageURL: PageURL(baseURL, o),
		IssuedOn: o.UpdatedAt.In(jp.JST), Municipality: muniName}
	if j, ok := jp.LookupJSIC(p.JSICCode); ok {
		r.JSICName = j.Name
	}
	return r
}

// loadImages reads the logo and the product photos the report shows.
func (s *Service) loadImages(ctx context.Context, r *Report, municipality string) error {
	ids := []string{r.Profile.Logo}
	for _, x := range r.Profile.Products {
		ids = append(ids, x.Photo)
	}
	imgs, err := s.Images.Many(ctx, municipality, ids)
	r.Images = imgs
	return err
}

// PR returns the PR report of the organization ref (id or external id) as
// the actor may see it: any organization for staff, published ones for
// everyone else. The report always shows public fields only.
func (s *Service) PR(ctx context.Context, a auth.Actor, ref string) ([]byte, org.Organization, error) {
	o, err := s.Orgs.Lookup(ctx, a, ref)
	if err != nil {
		return nil, o, err
	}
	if o.Kind != org.KindCompany && o.Kind != org.KindLab {
		return nil, o, errs.New(errs.NotFound, "PRレポートは企業と研究室にあります", "PR reports exist for companies and labs")
	}
	m, err := s.Municipalities.Get(ctx, o.Municipality)
	if err != nil {
		return nil, o, err
	}
	r := reportText(o, m.Name, s.BaseURL)
	key, err := cacheKey(r)
	if err != nil {
		return nil, o, err
	}
	var pdf []byte
	err = s.DB.R.QueryRowContext(ctx, s.DB.Rebind("SELECT pdf FROM report_cache WHERE organization_id = ? AND profile_hash = ?"), o.ID, key).Scan(&pdf)
	if err == nil {
		return pdf, o, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, o, errs.Wrap(err, "read report cache")
	}
	if err := s.loadImages(ctx, &r, o.Municipality); err != nil {
		return nil, o, err
	}
	var buf bytes.Buffer
	if err := RenderPR(&buf, r); err != nil {
		return nil, o, errs.Wrap(err, "render PR report")
	}
	pdf = buf.Bytes()
	if _, err := s.DB.W.ExecContext(ctx, s.DB.Rebind(`INSERT INTO report_cache (organization_id, profile_hash, pdf, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (organization_id) DO UPDATE SET profile_hash = excluded.profile_hash, pdf = excluded.pdf, created_at = excluded.created_at`),
		o.ID, key, pdf, store.Now()); err != nil {
		s.Log.Warn("could not cache a PR report", "organization", o.ID, "error", err)
	}
	return pdf, o, nil
}

// cacheKey identifies what a report is made of. The profile names its
// images by id, and an image's id is its content's hash.
func cacheKey(r Report) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%s|%s|%s|%s|%s|%s|", layoutVersion, r.Kind, r.ExternalID, r.PageURL, r.IssuedOn.Format("2006-01-02"), r.Municipality, r.JSICName)
	if err := json.NewEncoder(h).Encode(r.Profile); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// FileName is the download name of an organization's report.
func FileName(o org.Organization) string {
	id := o.ExternalID
	if id == "" {
		id = strconv.FormatInt(o.ID, 10)
	}
	return "pr-report-" + id + ".pdf"
}

// BookletOptions choose what a booklet holds.
type BookletOptions struct {
	FiscalYear int     `json:"fiscal_year"`
	GroupBy    GroupBy `json:"group_by"`
	Preface    string  `json:"preface"`
	Title      string  `json:"title,omitempty"`
}

// Check validates the options.
func (b *BookletOptions) Check() error {
	var fe errs.Fields
	this := jp.FiscalYear(time.Now())
	if b.FiscalYear == 0 {
		b.FiscalYear = this
	}
	if b.FiscalYear < 2000 || b.FiscalYear > this+1 {
		fe.Add("fiscal_year", fmt.Sprintf("年度は2000年度から%d年度の間で指定してください", this+1), fmt.Sprintf("The fiscal year must be between 2000 and %d", this+1))
	}
	switch b.GroupBy {
	case "":
		b.GroupBy = GroupJSIC
	case GroupJSIC, GroupGojuon:
	default:
		fe.Add("group_by", "目次の分け方は jsic（業種）か gojuon（五十音）です", "Group by jsic (industry) or gojuon (reading)")
	}
	if len([]rune(b.Preface)) > 5000 {
		fe.Add("preface", "はじめには5000文字以内にしてください", "The preface must be at most 5000 characters")
	}
	if len([]rune(b.Title)) > 100 {
		fe.Add("title", "表題は100文字以内にしてください", "The title must be at most 100 characters")
	}
	return fe.Err()
}

// Booklet renders the booklet of every published company and lab of the
// actor's municipality.
func (s *Service) Booklet(ctx context.Context, a auth.Actor, opt BookletOptions, progress func(done, total int)) ([]byte, int, error) {
	if !a.Can(auth.PermRegistryRead) {
		return nil, 0, errs.New(errs.Forbidden, "冊子を作る権限がありません", "You may not make booklets")
	}
	if err := opt.Check(); err != nil {
		return nil, 0, err
	}
	m, err := s.Municipalities.Get(ctx, a.Municipality)
	if err != nil {
		return nil, 0, err
	}
	published := true
	var reps []Report
	for _, kind := range []org.Kind{org.KindCompany, org.KindLab} {
		for page := 1; ; page++ {
			res, err := s.Orgs.List(ctx, a, org.ListQuery{Kind: kind, Published: &published, Page: page, PerPage: 500})
			if err != nil {
				return nil, 0, err
			}
			for _, o := range res.Items {
				r, err := s.reportOf(ctx, o, m.Name)
				if err != nil {
					return nil, 0, err
				}
				reps = append(reps, r)
			}
			if page >= res.Pages() {
				break
			}
		}
	}
	tax, err := s.Orgs.Taxonomy(ctx, a.Municipality)
	if err != nil {
		return nil, 0, err
	}
	var terms []string
	for _, t := range tax.Facets[org.FacetProcess] {
		terms = append(terms, t.Term)
	}
	b := Booklet{Title: opt.Title, Municipality: m.Name, FiscalYear: opt.FiscalYear, Preface: opt.Preface, GroupBy: opt.GroupBy, Reports: reps, IndexTerms: terms}
	var buf bytes.Buffer
	if err := RenderBooklet(ctx, &buf, b, progress); err != nil {
		return nil, 0, err
	}
	return buf.Bytes(), len(reps), nil
}

// BookletJob is the kind of the background job that makes a booklet.
const BookletJob = "report.booklet"

type bookletPayload struct {
	BookletOptions
	Actor string `json:"actor"`
}

// RegisterJobs installs the booklet job's handler.
func (s *Service) RegisterJobs() {
	s.Jobs.Register(BookletJob, func(ctx context.Context, j *jobs.Job) error {
		var p bookletPayload
		if err := json.Unmarshal(j.Payload, &p); err != nil {
			return jobs.Permanent(err)
		}
		a := auth.System("booklet", j.Municipality)
		pdf, n, err := s.Booklet(ctx, a, p.BookletOptions, func(done, total int) {
			if done%20 == 0 || done == total {
				j.SetProgress(ctx, done, total)
			}
		})
		if errs.Is(err, errs.Invalid) {
			return jobs.Permanent(err)
		}
		if err != nil {
			return err
		}
		name := fmt.Sprintf("pr-booklet-%s-%d.pdf", j.Municipality, p.FiscalYear)
		id, err := s.Jobs.SaveFile(ctx, j.Municipality, jobs.File{JobID: j.ID, Kind: "booklet", Name: name, ContentType: "application/pdf", Bytes: pdf, CreatedBy: p.Actor})
		if err != nil {
			return err
		}
		j.SetResult(fmt.Sprintf("file:%d (%d organizations, %.1f MB)", id, n, float64(len(pdf))/1e6))
		return nil
	})
}

// StartBooklet queues a booklet for the actor's municipality.
func (s *Service) StartBooklet(ctx context.Context, a auth.Actor, opt BookletOptions) (int64, error) {
	if !a.Can(auth.PermRegistryManage) {
		return 0, errs.New(errs.Forbidden, "冊子を作る権限がありません", "You may not make booklets")
	}
	if err := opt.Check(); err != nil {
		return 0, err
	}
	return s.Jobs.Enqueue(ctx, nil, jobs.NewJob{Kind: BookletJob, Municipality: a.Municipality, Payload: bookletPayload{BookletOptions: opt, Actor: a.Label()}, MaxAttempts: 2})
}
