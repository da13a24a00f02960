package api

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"mieruka/internal/httpx"
	"mieruka/internal/jp"
	"mieruka/internal/visit"
)

func (s *Server) visitTimeline(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	p := params{r: r}
	tq := visit.TimelineQuery{Limit: p.int("limit")}
	if b := p.str("before"); b != "" {
		t, err := time.Parse(time.RFC3339Nano, b)
		if err != nil {
			p.fe.Add("before", "before は next_before の値（RFC 3339）を指定してください", "before takes the next_before of the previous page (RFC 3339)")
		}
		tq.Before = t
	}
	for _, k := range r.URL.Query()["kind"] {
		tq.Kinds = append(tq.Kinds, strings.Split(k, ",")...)
	}
	if err := p.fe.Err(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	t, err := s.Visits.Timeline(r.Context(), q.Actor, id, tq)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, t)
}

func (s *Server) visitNotVisited(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	p := params{r: r}
	pq := visit.PlanningQuery{Months: p.int("months"), WithPlanned: p.bool("with_planned"), Page: p.int("page"), PerPage: p.int("per_page")}
	if err := p.fe.Err(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	res, err := s.Visits.NotVisited(r.Context(), q.Actor, pq)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"months": res.Months, "cutoff": res.Cutoff, "items": res.Items, "total": res.Total,
		"page": res.Page, "per_page": res.PerPage, "pages": res.Pages()})
}

func (s *Server) visitAgenda(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	p := params{r: r}
	user, days := p.id("user_id"), p.int("days")
	if err := p.fe.Err(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	a, err := s.Visits.Agenda(r.Context(), q.Actor, user, days)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, a)
}

func (s *Server) visitAgencies(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	list, err := s.Visits.Agencies(r.Context(), q.Actor, visit.Category(r.URL.Query().Get("category")))
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	if list == nil {
		list = []visit.Agency{}
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"items": list})
}

func (s *Server) visitCounts(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	p := params{r: r}
	fy := p.int("fiscal_year")
	if err := p.fe.Err(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	if fy == 0 {
		fy = jp.FiscalYear(time.Now())
	}
	c, err := s.Visits.Counts(r.Context(), q.Actor, fy)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, c)
}

func (s *Server) visitExport(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	p := params{r: r}
	fy, format, kind := p.int("fiscal_year"), p.str("format"), p.str("kind")
	if err := p.fe.Err(); err != nil {
		s.fail(w, r, q, err)
		return
	}
	if fy == 0 {
		fy = jp.FiscalYear(time.Now())
	}
	if format == "" {
		format = "xlsx"
	}
	var buf bytes.Buffer
	if err := s.Visits.Export(r.Context(), q.Actor, fy, format, kind, &buf); err != nil {
		s.fail(w, r, q, err)
		return
	}
	ct := "text/csv; charset=utf-8"
	if format == "xlsx" {
		ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="`+visit.ExportName(fy, format, kind)+`"`)
	w.Write(buf.Bytes())
}
