package web

import (
	"fmt"
	"net/http"

	"mieruka/internal/httpx"
	"mieruka/internal/nta"
)

type corporationRow struct {
	nta.Corporation
	Registered int64 // the registry's organization with this number, if any
}

type corporationsData struct {
	Q, Prefecture string
	Rows          []corporationRow
	Count         int
	Searched      bool
}

func (s *Server) corporationsSearch(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	ctx := r.Context()
	d := corporationsData{Q: r.URL.Query().Get("q"), Prefecture: r.URL.Query().Get("prefecture")}
	d.Count, _ = nta.Count(ctx, s.DB)
	p := s.page(r, q, q.T("法人番号検索", "Corporate numbers"), "corporations", nil)
	if d.Q != "" {
		d.Searched = true
		hits, err := nta.Search(ctx, s.DB, d.Q, d.Prefecture, 50)
		if err != nil {
			p.withError(err)
		}
		registered := map[string]int64{} // 法人番号 → the registry's organization
		if refs, err := s.Orgs.WithCorporateNumber(ctx, q.Actor.Municipality); err == nil {
			for _, ref := range refs {
				registered[ref.CorporateNumber] = ref.ID
			}
		}
		for _, h := range hits {
			d.Rows = append(d.Rows, corporationRow{Corporation: h, Registered: registered[h.CorporateNumber]})
		}
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "corporations", p)
}

func (s *Server) corporationsSync(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	rep, err := nta.Sync(r.Context(), s.DB, s.Orgs, q.Actor.Municipality)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	msg := q.T(fmt.Sprintf("法人番号を持つ%d件のうち%d件を国税庁データと照合し、%d件を更新しました", rep.Checked, rep.Found, len(rep.Changes)),
		fmt.Sprintf("Checked %d of %d organizations with a corporate number against the NTA data; %d updated", rep.Found, rep.Checked, len(rep.Changes)))
	if len(rep.Failures) > 0 {
		msg += q.T(fmt.Sprintf("（%d件は更新できませんでした）", len(rep.Failures)), fmt.Sprintf(" (%d could not be updated)", len(rep.Failures)))
	}
	s.redirect(w, r, "/staff/corporations", msg)
}
