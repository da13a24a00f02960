package web

import (
	"net/http"
	"strconv"
	"strings"

	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/jobs"
	"mieruka/internal/jp"
	"mieruka/internal/report"
)

type bookletsData struct {
	Form    report.BookletOptions
	Jobs    []jobs.Job
	Files   []jobs.File
	Running bool
	Years   []int
}

func (s *Server) bookletsShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.renderBooklets(w, r, q, http.StatusOK, report.BookletOptions{}, nil)
}

func (s *Server) renderBooklets(w http.ResponseWriter, r *http.Request, q *httpx.Req, status int, form report.BookletOptions, err error) {
	ctx := r.Context()
	d := bookletsData{Form: form}
	if d.Form.FiscalYear == 0 {
		d.Form.FiscalYear = jp.FiscalYear(s.now())
	}
	if d.Form.Preface == "" && err == nil {
		d.Form.Preface = q.Municipality.Name + "には、高い技術を持つものづくり企業と大学・研究機関が集まっています。\n本冊子は、各社・各研究室の製品・技術と強みを一枚ずつにまとめた「企業の魅力PRレポート」の" + jp.FormatFiscalYear(d.Form.FiscalYear) + "版です。取引先や連携先を探す皆さまにご活用いただければ幸いです。"
	}
	for y := jp.FiscalYear(s.now()) + 1; y >= 2020; y-- {
		d.Years = append(d.Years, y)
	}
	var lerr error
	if d.Jobs, lerr = s.Jobs.List(ctx, q.Actor.Municipality, report.BookletJob, "", 10); lerr != nil {
		s.fail(w, r, q, lerr)
		return
	}
	for _, j := range d.Jobs {
		d.Running = d.Running || j.Status == jobs.Queued || j.Status == jobs.Running
	}
	if d.Running {
		w.Header().Set("Refresh", "5") // the page follows the job without JavaScript
	}
	if d.Files, lerr = s.Jobs.Files(ctx, q.Actor.Municipality, "booklet", 20); lerr != nil {
		s.fail(w, r, q, lerr)
		return
	}
	s.render(w, r, status, "booklets", s.page(r, q, q.T("PRレポート冊子", "PR report booklet"), "booklets", d).withError(err))
}

func (s *Server) bookletCreate(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	fy, _ := strconv.Atoi(r.PostFormValue("fiscal_year"))
	opt := report.BookletOptions{FiscalYear: fy, GroupBy: report.GroupBy(r.PostFormValue("group_by")), Preface: strings.TrimSpace(r.PostFormValue("preface")), Title: strings.TrimSpace(r.PostFormValue("title"))}
	if _, err := s.Reports.StartBooklet(r.Context(), q.Actor, opt); err != nil {
		s.renderBooklets(w, r, q, httpx.Status(errs.CodeOf(err)), opt, err)
		return
	}
	s.redirect(w, r, "/staff/booklets", q.T("冊子の作成を始めました。できあがるとこの画面からダウンロードできます", "The booklet is being made; download it from this page when it is ready"))
}

func (s *Server) fileDownload(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	f, err := s.Jobs.GetFile(r.Context(), q.Actor.Municipality, id)
	if err != nil {
		s.fail(w, r, q, err)
		return
	}
	httpx.Send(w, f.ContentType, f.Name, f.Bytes, false)
}
