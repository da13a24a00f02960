package web

import (
	"net/http"
	"strings"

	"mieruka/internal/errs"
	"mieruka/internal/httpx"
	"mieruka/internal/match"
)

// The staff matching page: a coordinator pastes a buyer's request (引合い),
// a company's development need (ニーズ) or a joint-order request (共同受注)
// and sees the firms and labs that fit, with what the engine understood and
// why each one is there. The text is posted, not put in the URL: requests
// are often confidential and URLs end up in logs.

type matchKind struct {
	Value    match.QueryKind
	Label    string
	Hint     string
	Selected bool
}

type matchRow struct {
	Rank    int
	Hit     match.Hit
	Terms   []string // the words and concepts that matched
	FitMark string   // ◎ ○ △
	FitText string
}

type groupMember struct {
	match.GroupMember
	Covers string
}

type groupView struct {
	N        int
	G        match.Group
	Why      string
	Members  []groupMember
	Coverage []coverageRow
}

type coverageRow struct {
	Step  string
	Names string
}

type matchData struct {
	Text     string
	Kinds    []matchKind
	Kind     match.QueryKind
	Asked    bool
	Total    int
	Rows     []matchRow
	Notes    []string
	Warnings []string
	Groups   []groupView
}

func (s *Server) matchShow(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	s.renderMatch(w, r, q, &matchData{Kind: match.KindRFQ}, http.StatusOK, nil)
}

func (s *Server) matchRun(w http.ResponseWriter, r *http.Request, q *httpx.Req) {
	d := &matchData{Text: strings.TrimSpace(r.PostFormValue("text")), Kind: match.QueryKind(r.PostFormValue("kind"))}
	var fe errs.Fields
	switch d.Kind {
	case match.KindRFQ, match.KindNeeds, match.KindPartner, match.KindSearch:
	default:
		fe.Add("kind", "依頼の種類を選んでください", "Choose the kind of request")
		d.Kind = match.KindRFQ
	}
	if d.Text == "" {
		fe.Add("text", "依頼・ニーズの文面を入力してください", "Enter the request")
	} else if len([]rune(d.Text)) > 10000 {
		fe.Add("text", "文面は10,000文字以内にしてください", "The text must be at most 10,000 characters")
	}
	if err := fe.Err(); err != nil {
		s.renderMatch(w, r, q, d, http.StatusUnprocessableEntity, err)
		return
	}
	mq := match.Query{Municipality: q.Actor.Municipality, Kind: d.Kind, Text: d.Text, Limit: 30, NoFacets: true, Lang: q.Lang}
	res, err := s.Search.Engine.Search(r.Context(), mq)
	if err != nil {
		s.renderMatch(w, r, q, d, httpx.Status(errs.CodeOf(err)), err)
		return
	}
	d.Asked, d.Total = true, res.Total
	d.Notes, d.Warnings = res.Understood.Notes, res.Understood.Warnings
	if q.Lang == "en" {
		d.Notes = res.Understood.NotesEN
	}
	for i, h := range res.Hits {
		d.Rows = append(d.Rows, rowOf(q, i+1, h))
	}
	if d.Kind == match.KindPartner {
		groups, err := s.Search.Engine.JointGroups(r.Context(), mq)
		if err != nil {
			s.renderMatch(w, r, q, d, httpx.Status(errs.CodeOf(err)), err)
			return
		}
		for i, g := range groups {
			d.Groups = append(d.Groups, groupOf(q, i+1, g))
		}
	}
	s.renderMatch(w, r, q, d, http.StatusOK, nil)
}

func (s *Server) renderMatch(w http.ResponseWriter, r *http.Request, q *httpx.Req, d *matchData, status int, err error) {
	for _, k := range []struct {
		v              match.QueryKind
		ja, en, hj, he string
	}{
		{match.KindRFQ, "発注先を探す（引合い）", "Find suppliers (RFQ)", "加工・部品の依頼に応えられる企業を、必須条件（認証、市内、ロット、材質）を満たすものから並べます。", "Companies that can make it, those meeting the stated requirements (certification, location, lot, material) first."},
		{match.KindNeeds, "開発ニーズから探す（ニーズ・シーズ）", "Development need (needs–seeds)", "研究シーズの合う大学の研究室と、関連する技術を持つ企業を並べます。", "University labs whose research fits, and companies with related capabilities."},
		{match.KindPartner, "共同受注のグループを組む", "Build a joint-order group", "複数の工程が要る依頼を、工程を分担できる企業の組み合わせで提案します（少ない社数・近い順）。", "Groups of companies that together cover every step (fewest members, then nearest)."},
		{match.KindSearch, "企業・研究室を探す（キーワード）", "Search by words", "キーワードで企業・研究室を探します。", "Plain search by words."},
	} {
		d.Kinds = append(d.Kinds, matchKind{Value: k.v, Label: q.T(k.ja, k.en), Hint: q.T(k.hj, k.he), Selected: d.Kind == k.v})
	}
	s.render(w, r, status, "match", s.page(r, q, q.T("マッチング", "Matching"), "match", d).withError(err))
}

func rowOf(q *httpx.Req, rank int, h match.Hit) matchRow {
	row := matchRow{Rank: rank, Hit: h}
	seen := map[string]bool{}
	for _, m := range h.Why.Matched {
		for _, sp := range m.Spans {
			t := sp.Term
			if t == "" {
				t = sp.Text
			}
			if t != "" && !seen[t] {
				seen[t] = true
				row.Terms = append(row.Terms, t)
			}
		}
	}
	switch {
	case h.Fit >= 2.5:
		row.FitMark, row.FitText = "◎", q.T("よく合う", "strong fit")
	case h.Fit >= 1.5:
		row.FitMark, row.FitText = "○", q.T("合う", "fits")
	default:
		row.FitMark, row.FitText = "△", q.T("一部が合う", "partial fit")
	}
	return row
}

func groupOf(q *httpx.Req, n int, g match.Group) groupView {
	v := groupView{N: n, G: g, Why: g.Why}
	if q.Lang == "en" {
		v.Why = g.WhyEN
	}
	names := map[int64]string{}
	for _, m := range g.Members {
		names[m.ID] = m.Name
		v.Members = append(v.Members, groupMember{GroupMember: m, Covers: strings.Join(m.Covers, "・")})
	}
	for _, c := range g.Coverage {
		var who []string
		for _, id := range c.Members {
			who = append(who, names[id])
		}
		v.Coverage = append(v.Coverage, coverageRow{Step: c.Step, Names: strings.Join(who, "、")})
	}
	return v
}
