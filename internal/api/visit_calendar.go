package api

import (
	"net/http"
	"strings"

	"mieruka/internal/httpx"
	"mieruka/internal/visit"
)

func (s *Server) visitFeedList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	feeds, err := s.Visits.Feeds(r.Context(), q.Actor)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.JSON(w, http.StatusOK, map[string]any{"items": feeds})
}

// visitFeedCreate makes a calendar feed; its URL is in the answer once.
func (s *Server) visitFeedCreate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	var in struct {
		Name string `json:"name"`
	}
	if err := httpx.DecodeJSON(r, &in); err != nil {
		s.fail(w, r, q, err)
		return
	}
	secret, f, err := s.Visits.CreateFeed(r.Context(), q.Actor, in.Name)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	base := strings.TrimSuffix(s.Visits.BaseURL, "/")
	if base == "" {
		base = "http://" + r.Host
	}
	httpx.JSON(w, http.StatusCreated, map[string]any{"feed": f, "url": base + visit.FeedPath(secret)})
}

func (s *Server) visitFeedRevoke(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	if err := s.Visits.RevokeFeed(r.Context(), q.Actor, id); err != nil {
		s.fail(w, r, q, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
