package web

import (
	"net/http"
	"strings"

	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/visit"
)

type visitCalendarData struct {
	visitPage
	Feeds  []visit.Feed
	URL    string // a new feed's address, shown once
	Webcal string
}

func (s *Server) renderCalendar(w http.ResponseWriter, r *http.Request, q *httpx.Req, status int, d visitCalendarData, err error) {
	feeds, ferr := s.Visits.Feeds(r.Context(), q.Actor)
	if ferr != nil {
		s.fail(w, r, q, ferr)
		return
	}
	d.visitPage, d.Feeds = s.visitPage(q, "calendar"), feeds
	s.render(w, r, status, "visit_calendar", s.page(r, q, q.T("カレンダー連携", "Calendar feed"), "visits", d).withError(err))
}

// visitCalendar lists the person's calendar feeds.
func (s *Server) visitCalendar(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.renderCalendar(w, r, q, http.StatusOK, visitCalendarData{}, nil)
}

// visitCalendarCreate makes a feed and shows its address once.
func (s *Server) visitCalendarCreate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	secret, _, err := s.Visits.CreateFeed(r.Context(), q.Actor, r.PostFormValue("name"))
	if err != nil {
		s.renderCalendar(w, r, q, httpx.Status(errs.CodeOf(err)), visitCalendarData{}, err)
		return
	}
	base := strings.TrimSuffix(s.BaseURL, "/")
	if base == "" {
		base = "http://" + r.Host
	}
	d := visitCalendarData{URL: base + visit.FeedPath(secret)}
	d.Webcal = "webcal://" + strings.TrimPrefix(strings.TrimPrefix(d.URL, "https://"), "http://")
	s.renderCalendar(w, r, q, http.StatusOK, d, nil)
}

func (s *Server) visitCalendarRevoke(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	if err := s.Visits.RevokeFeed(r.Context(), q.Actor, id); err != nil {
		s.fail(w, r, q, err)
		return
	}
	s.redirect(w, r, "/account/calendar", q.T("カレンダー配信を停止しました", "The calendar feed is revoked"))
}

// visitCalendarFeed answers calendar applications: the feed's secret in
// the URL is its only credential.
func (s *Server) visitCalendarFeed(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	b, err := s.Visits.FeedICS(r.Context(), r.PathValue("token"))
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="mieruka.ics"`)
	w.Header().Set("Cache-Control", "private, max-age=300")
	w.Write(b)
}
