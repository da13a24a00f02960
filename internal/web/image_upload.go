package web

import (
	"net/http"
	"strconv"

	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/image"
	"mieruka/internal/org"
)

// imageShow serves an uploaded image of the request's municipality. Image
// ids are hashes of their bytes: an image never changes under its URL.
func (s *Server) imageShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	img, err := s.Images.Get(r.Context(), q.Municipality.Code, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	w.Header().Set("Content-Type", img.MIMEType())
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("Content-Length", strconv.Itoa(len(img.Bytes)))
	w.Write(img.Bytes)
}

// readUpload cleans the uploaded file of a form field.
func readUpload(r *http.Request, field string) (image.Clean, error) {
	f, _, err := r.FormFile(field)
	if err != nil {
		return image.Clean{}, errs.Fields{{Field: field, JA: "画像ファイルを選んでください", EN: "Choose an image file"}}.Err()
	}
	defer f.Close()
	c, err := image.Sanitize(f, image.DefaultLimits)
	if err != nil {
		var fe errs.Fields
		fe.AddErr(field, err)
		return c, fe.Err()
	}
	return c, nil
}

// placeImage puts an uploaded image into a profile: as the logo, or as the
// photo of product number target (0-based).
func placeImage(p *org.Profile, target, id string) error {
	if target == "logo" {
		p.Logo = id
		return nil
	}
	i, err := strconv.Atoi(target)
	if err != nil || i < 0 || i >= len(p.Products) {
		return errs.Fields{{Field: "target", JA: "写真を付ける製品を選んでください", EN: "Choose the product the photo shows"}}.Err()
	}
	p.Products[i].Photo = id
	return nil
}

// orgImageUpload stores an uploaded logo or product photo and puts it into
// the organization's profile (staff).
func (s *Server) orgImageUpload(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	ctx := r.Context()
	o, ok := s.orgOfPath(w, r, q)
	if !ok {
		return
	}
	clean, err := readUpload(r, "image")
	if err == nil {
		var imgID string
		if imgID, err = s.Images.Put(ctx, q.Actor, o.ID, clean); err == nil {
			p := o.Profile
			if err = placeImage(&p, r.PostFormValue("target"), imgID); err == nil {
				_, err = s.Orgs.Update(ctx, q.Actor, o.ID, formInt(r, "version"), p)
			}
		}
	}
	if err != nil {
		s.renderOrgShow(w, r, q, o, httpx.Status(errs.CodeOf(err)), err)
		return
	}
	s.redirect(w, r, orgURL(o.ID), q.T("画像を登録しました", "The image was added"))
}

// myImageUpload does the same for a member, into their draft.
func (s *Server) myImageUpload(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	ctx := r.Context()
	o, err := s.Orgs.Get(ctx, q.Actor, q.Actor.OrganizationID)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	clean, err := readUpload(r, "image")
	if err == nil {
		var imgID string
		if imgID, err = s.Images.Put(ctx, q.Actor, o.ID, clean); err == nil {
			p := o.Profile
			if o.Draft != nil {
				p = *o.Draft
			}
			if err = placeImage(&p, r.PostFormValue("target"), imgID); err == nil {
				_, err = s.Orgs.SaveDraft(ctx, q.Actor, o.ID, formInt(r, "version"), p, false)
			}
		}
	}
	if err != nil {
		s.renderMy(w, r, q, o, httpx.Status(errs.CodeOf(err)), err)
		return
	}
	s.redirect(w, r, "/my", q.T("画像を下書きに追加しました。承認を申請すると公開されます", "The image is in your draft; it is published once the draft is approved"))
}
