package web

import (
	"net/http"
	"strconv"
	"strings"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/httpx"
)

type usersData struct {
	Users    []auth.User
	Roles    []auth.Role
	Created  *auth.User
	Password string // a one-time password to hand over, shown once
	Form     auth.NewUser
}

func (s *Server) usersList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.renderUsers(w, r, q, http.StatusOK, usersData{}, nil)
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, q *httpx.Req, status int, d usersData, err error) {
	users, lerr := s.Auth.ListUsers(r.Context(), q.Actor)
	if lerr != nil {
		s.fail(w, r, q, lerr)
		return
	}
	d.Users, d.Roles = users, auth.Roles
	s.render(w, r, status, "users", s.page(r, q, q.T("ユーザー", "Users"), "users", d).withError(err))
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	n := auth.NewUser{Email: r.PostFormValue("email"), Name: strings.TrimSpace(r.PostFormValue("name")), Role: auth.Role(r.PostFormValue("role"))}
	if v := strings.TrimSpace(r.PostFormValue("organization_id")); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			id = -1
		}
		n.OrganizationID = id
	}
	u, pw, err := s.Auth.CreateUser(r.Context(), q.Actor, n)
	if err != nil {
		s.renderUsers(w, r, q, httpx.Status(errs.CodeOf(err)), usersData{Form: n}, err)
		return
	}
	s.renderUsers(w, r, q, http.StatusOK, usersData{Created: &u, Password: pw}, nil)
}

func (s *Server) userReset(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	u, err := s.Auth.User(r.Context(), q.Actor, id)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	pw, err := s.Auth.ResetPassword(r.Context(), q.Actor, id, "")
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	s.renderUsers(w, r, q, http.StatusOK, usersData{Created: &u, Password: pw}, nil)
}

func (s *Server) userDisable(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	disable := r.PostFormValue("disable") == "1"
	if id == q.Actor.UserID && disable {
		s.fail(w, r, q, errs.New(errs.Conflict, "自分のアカウントは無効にできません", "You cannot disable your own account"))
		return
	}
	if err := s.Auth.SetDisabled(r.Context(), q.Actor, id, disable); err != nil {
		s.fail(w, r, q, err)
		return
	}
	s.redirect(w, r, "/staff/users", q.T("更新しました", "Updated"))
}
