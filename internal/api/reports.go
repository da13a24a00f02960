package api

import (
	"net/http"
	"strconv"

	"mieruka/internal/httpx"
	"mieruka/internal/report"
)

func (s *Server) orgReport(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	pdf, o, err := s.Reports.PR(r.Context(), q.Actor, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	httpx.Send(w, "application/pdf", report.FileName(o), pdf, true)
}

func (s *Server) bookletCreate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	var opt report.BookletOptions
	if err := httpx.DecodeJSON(r, &opt); err != nil {
		s.fail(w, r, q, err)
		return
	}
	id, err := s.Reports.StartBooklet(r.Context(), q.Actor, opt)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	w.Header().Set("Location", "/api/v1/jobs/"+strconv.FormatInt(id, 10))
	httpx.JSON(w, http.StatusAccepted, map[string]any{"job_id": id})
}

func (s *Server) jobShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	j, err := s.Jobs.Get(r.Context(), q.Actor.Municipality, id)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, j)
}

func (s *Server) fileDownload(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	f, err := s.Jobs.GetFile(r.Context(), q.Actor.Municipality, id)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.Send(w, f.ContentType, f.Name, f.Bytes, false)
}
