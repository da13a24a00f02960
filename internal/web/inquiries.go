package web

import (
	"net/http"

	"mieruka/internal/httpx"
	"mieruka/internal/inquiry"
	"mieruka/internal/org"
)

// inquiriesList shows staff every inquiry from the directory and whether
// its mails were delivered.
func (s *Server) inquiriesList(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	list, err := s.Inquiries.List(r.Context(), q.Actor, 0, 200)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	if list == nil {
		list = []inquiry.Inquiry{}
	}
	s.render(w, r, http.StatusOK, "inquiries", s.page(r, q, q.T("問い合わせ", "Inquiries"), "inquiries", list))
}

// orgFeature puts an organization on the public home page, or takes it off.
func (s *Server) orgFeature(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	featured := r.PostFormValue("featured") == "1"
	ja, en := "トップページの紹介から外しました", "Removed from the home page"
	if featured {
		ja, en = "トップページで紹介します", "Featured on the home page"
	}
	s.orgAction(w, r, q, func(id int64, v int) (org.Organization, error) {
		return s.Orgs.SetFeatured(r.Context(), q.Actor, id, v, featured)
	}, ja, en)
}
