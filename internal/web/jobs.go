package web

import (
	"net/http"

	"mieruka/internal/httpx"
	"mieruka/internal/jobs"
)

func (s *Server) jobsList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	list, err := s.Jobs.List(r.Context(), q.Actor.Municipality, r.URL.Query().Get("kind"), jobs.Status(r.URL.Query().Get("status")), 100)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	s.render(w, r, http.StatusOK, "jobs", s.page(r, q, q.T("処理状況", "Background jobs"), "jobs", list))
}

func (s *Server) jobRetry(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	if err := s.Jobs.Retry(r.Context(), q.Actor.Municipality, id); err != nil {
		s.fail(w, r, q, err)
		return
	}
	s.redirect(w, r, "/staff/jobs", q.T("もう一度実行します", "The job will run again"))
}
