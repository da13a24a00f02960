package web

import (
	"net/http"
	"strconv"
	"time"

	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/jp"
	"mieruka/internal/org"
)

func atoiDefault(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return def
	}
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// now is the present, in Japan.
func (s *Server) now() time.Time { return time.Now().In(jp.JST) }

// orgOfPath loads the organization the path's {id} names, as the actor may
// see it; on failure it has answered and returns false.
func (s *Server) orgOfPath(w http.ResponseWriter, r *http.Request, q *httpx.Req) (org.Organization, bool) {
	id, err := pathID(r)
	if err == nil {
		var o org.Organization
		if o, err = s.Orgs.Get(r.Context(), q.Actor, id); err == nil {
			return o, true
		}
	}
	s.fail(w, r, q, err)
	return org.Organization{}, false
}

var errNotFoundPage = errs.NotFoundf("ページが見つかりません", "Page not found")
