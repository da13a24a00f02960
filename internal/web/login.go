package web

import (
	"net/http"
	"strings"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/httpx"
)

type loginData struct {
	Email string
	Next  string
}

func (s *Server) loginShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	if q.User != nil {
		http.Redirect(w, r, homeFor(q), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", s.page(r, q, q.T("ログイン", "Sign in"), "", loginData{Next: r.URL.Query().Get("next")}))
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	d := loginData{Email: strings.TrimSpace(r.PostFormValue("email")), Next: r.PostFormValue("next")}
	token, u, err := s.Auth.Login(r.Context(), d.Email, r.PostFormValue("password"), s.Env.ClientIP(r), r.UserAgent())
	if err != nil {
		status := httpx.Status(errs.CodeOf(err))
		if status == http.StatusUnauthorized {
			status = http.StatusOK // a form shown again with its message, not an auth challenge
		}
		s.render(w, r, status, "login", s.page(r, q, q.T("ログイン", "Sign in"), "", d).withError(err))
		return
	}
	s.Env.SetSession(w, token, s.Auth.SessionTTL)
	q.User = &u
	q.Actor = u.Actor(q.Actor.IP)
	if u.MustChangePassword {
		s.redirect(w, r, "/password", q.T("初回ログインです。新しいパスワードを設定してください", "First sign-in: please choose a new password"))
		return
	}
	s.redirect(w, r, httpx.SafeNext(d.Next, homeFor(q)), "")
}

// homeFor is where a user lands after signing in.
func homeFor(q *httpx.Req) string {
	switch {
	case q.Actor.Can(auth.PermRegistryRead):
		return "/staff"
	case q.Actor.Can(auth.PermVisitAttended):
		return "/staff/visits"
	case q.Actor.Can(auth.PermOwnProfile):
		return "/my"
	}
	return "/"
}

func (s *Server) logoutSubmit(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	if q.Session != "" {
		if err := s.Auth.Logout(r.Context(), q.Session); err != nil {
			s.fail(w, r, q, err)
			return
		}
	}
	s.Env.ClearSession(w)
	s.redirect(w, r, "/", q.T("ログアウトしました", "You have signed out"))
}

func (s *Server) passwordShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.render(w, r, http.StatusOK, "password", s.page(r, q, q.T("パスワード変更", "Change password"), "", nil))
}

func (s *Server) passwordSubmit(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	if q.Via != "session" {
		s.fail(w, r, q, errs.New(errs.Forbidden, "パスワードはログインした画面から変更してください", "Change passwords from a signed-in browser"))
		return
	}
	next := r.PostFormValue("new_password")
	if next != r.PostFormValue("confirm_password") {
		s.render(w, r, http.StatusUnprocessableEntity, "password", s.page(r, q, q.T("パスワード変更", "Change password"), "", nil).withError(
			errs.Fields{{Field: "confirm_password", JA: "確認用のパスワードが一致しません", EN: "The two new passwords differ"}}.Err()))
		return
	}
	if err := s.Auth.ChangePassword(r.Context(), q.Actor, r.PostFormValue("current_password"), next); err != nil {
		s.render(w, r, httpx.Status(errs.CodeOf(err)), "password", s.page(r, q, q.T("パスワード変更", "Change password"), "", nil).withError(err))
		return
	}
	s.redirect(w, r, homeFor(q), q.T("パスワードを変更しました", "Your password has been changed"))
}

func (s *Server) langSet(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	to := r.URL.Query().Get("to")
	if to != "en" {
		to = "ja"
	}
	s.Env.SetLang(w, to)
	http.Redirect(w, r, httpx.SafeNext(r.URL.Query().Get("next"), "/"), http.StatusSeeOther)
}
