package web

import (
	"net/http"

	"mieruka/internal/directory"
	"mieruka/internal/httpx"
	"mieruka/internal/jp"
	"mieruka/internal/org"
)

// gojuonRows are the rows of the 五十音 index, with 他 for the rest.
var gojuonRows = jp.GojuonRows

type browseData struct {
	Snap    *directory.Snapshot
	Mode    string // kana, process, industry, labs
	Rows    []string
	Current string // the row, term, code or field chosen
	Label   string
	Items   []*directory.Entry
}

// browsePick finds the entries of one value of a browse page (a 五十音 row,
// a process, an industry, a research field) and names it; "" when unknown.
type browsePick func(sn *directory.Snapshot, tax *org.Taxonomy, v string) ([]*directory.Entry, string)

func (s *Server) browse(w http.ResponseWriter, r *http.Request, q *httpx.Req, mode, param string, titleJA, titleEN string, pick browsePick) {
	sn, err := s.Directory.Snapshot(r.Context(), q.Site.Code)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	s.cached(w, r, q, sn.Version(), func() (int, string, *Page, error) {
		return s.browsePage(r, q, sn, mode, param, titleJA, titleEN, pick)
	})
}

func (s *Server) browsePage(r *http.Request, q *httpx.Req, sn *directory.Snapshot, mode, param string, titleJA, titleEN string, pick browsePick) (int, string, *Page, error) {
	tax, err := s.Orgs.Taxonomy(r.Context(), q.Site.Code)
	if err != nil {
		return 0, "", nil, err
	}
	d := browseData{Snap: sn, Mode: mode, Rows: gojuonRows, Current: r.URL.Query().Get(param)}
	title := q.T(titleJA, titleEN)
	if d.Current != "" {
		d.Items, d.Label = pick(sn, tax, d.Current)
		if d.Label == "" {
			return 0, "", nil, errNotFoundPage
		}
		title = d.Label + " | " + title
	}
	p := s.publicPage(r, q, title, "browse-"+mode, d)
	p.Public.Description = q.T(q.Site.Name+"のものづくり企業・研究室を"+titleJA+"。", "Companies and labs of "+q.Site.DisplayName("en")+": "+titleEN+".")
	return http.StatusOK, "public_browse", p, nil
}

func (s *Server) browseKana(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.browse(w, r, q, "kana", "row", "五十音から探す", "By name (五十音)", func(sn *directory.Snapshot, _ *org.Taxonomy, row string) ([]*directory.Entry, string) {
		for _, x := range gojuonRows {
			if x == row {
				return sn.Row(row), row + q.T("行", " row")
			}
		}
		return nil, ""
	})
}

func (s *Server) browseProcess(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.browse(w, r, q, "process", "term", "加工技術から探す", "By process", func(sn *directory.Snapshot, tax *org.Taxonomy, term string) ([]*directory.Entry, string) {
		for _, c := range sn.ByProcess {
			if c.Key == term {
				return sn.With(org.FacetProcess, term), tax.Label(org.FacetProcess, term, q.Lang)
			}
		}
		return nil, ""
	})
}

func (s *Server) browseIndustry(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.browse(w, r, q, "industry", "code", "業種から探す", "By industry", func(sn *directory.Snapshot, _ *org.Taxonomy, code string) ([]*directory.Entry, string) {
		for _, c := range sn.ByIndustry {
			if c.Key == code {
				return sn.Industry(code), jsicLabel(code, q.Lang)
			}
		}
		return nil, ""
	})
}

func (s *Server) browseLabs(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.browse(w, r, q, "labs", "field", "研究室から探す", "University labs by field", func(sn *directory.Snapshot, tax *org.Taxonomy, field string) ([]*directory.Entry, string) {
		for _, c := range sn.ByTopic {
			if c.Key == field {
				return sn.With(org.FacetResearchTopic, field), tax.Label(org.FacetResearchTopic, field, q.Lang)
			}
		}
		return nil, ""
	})
}
