package web

import (
	"net/http"
	"strconv"
	"strings"

	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/municipality"
)

func (s *Server) settingsShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.render(w, r, http.StatusOK, "settings", s.page(r, q, q.T("自治体の設定", "Settings"), "settings", q.Municipality.Settings))
}

func (s *Server) settingsSave(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	months, err := strconv.Atoi(strings.TrimSpace(toHalfWidthDigits(r.PostFormValue("not_visited_months"))))
	if err != nil {
		months = -1
	}
	st := municipality.Settings{StaffInbox: r.PostFormValue("staff_inbox"), NotVisitedMonths: months}
	if _, err := s.Municipalities.UpdateSettings(r.Context(), q.Actor, st); err != nil {
		s.render(w, r, httpx.Status(errs.CodeOf(err)), "settings", s.page(r, q, q.T("自治体の設定", "Settings"), "settings", st).withError(err))
		return
	}
	s.redirect(w, r, "/staff/settings", q.T("設定を保存しました", "Settings saved"))
}
