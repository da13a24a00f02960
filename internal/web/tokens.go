package web

import (
	"net/http"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/httpx"
)

type tokensData struct {
	Tokens []auth.Token
	Secret string // a new token, shown once
}

func (s *Server) tokensList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.renderTokens(w, r, q, http.StatusOK, tokensData{}, nil)
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, q *httpx.Req, status int, d tokensData, err error) {
	toks, lerr := s.Auth.ListTokens(r.Context(), q.Actor, q.Actor.UserID)
	if lerr != nil {
		s.fail(w, r, q, lerr)
		return
	}
	d.Tokens = toks
	s.render(w, r, status, "tokens", s.page(r, q, q.T("APIトークン", "API tokens"), "", d).withError(err))
}

func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	secret, _, err := s.Auth.CreateToken(r.Context(), q.Actor, q.Actor.UserID, r.PostFormValue("name"))
	if err != nil {
		s.renderTokens(w, r, q, httpx.Status(errs.CodeOf(err)), tokensData{}, err)
		return
	}
	s.renderTokens(w, r, q, http.StatusOK, tokensData{Secret: secret}, nil)
}

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	if err := s.Auth.RevokeToken(r.Context(), q.Actor, id); err != nil {
		s.fail(w, r, q, err)
		return
	}
	s.redirect(w, r, "/account/tokens", q.T("トークンを取り消しました", "The token was revoked"))
}
