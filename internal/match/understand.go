package match

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"
)

// Understanding is what the engine read from the query text, for the page
// to show (「ISO9001必須として解釈しました」) and for debugging.
type Understanding struct {
	Lang string    `json:"lang"` // ja / en
	Kind QueryKind `json:"kind"` // the kind used (given, or guessed for search)
	// Want is "company", "lab" or "" (both), from 先生/研究室/会社/"no university"….
	Want string `json:"want,omitempty"`
	// Processes asked for: the main one(s) first (Level "main"), then the
	// other steps and finer technologies (Level "wish").
	Processes []Term `json:"processes,omitempty"`
	Materials []Term `json:"materials,omitempty"`
	Topics    []Term `json:"topics,omitempty"`  // research fields, strongest first
	Markets   []Term `json:"markets,omitempty"` // 自動車向け …
	// Certifications: Level "required" (必須 / 限ります / required: a filter)
	// or "preferred".
	Certifications []Term `json:"certifications,omitempty"`
	// Cities: Level "required" (only these), "excluded" or "preferred".
	Cities   []Term   `json:"cities,omitempty"`
	Lot      []string `json:"lot,omitempty"`      // accepted lot classes
	Quantity float64  `json:"quantity,omitempty"` // the first quantity read
	PerMonth bool     `json:"per_month,omitempty"`
	SizeMM   float64  `json:"size_mm,omitempty"`  // largest dimension of the part
	HoleMM   float64  `json:"hole_mm,omitempty"`  // smallest hole asked for
	TolMM    float64  `json:"tol_mm,omitempty"`   // tolerance asked for (±mm)
	Excluded []Term   `json:"excluded,omitempty"` // ruled out by the sender
	Context  []Term   `json:"context,omitempty"`  // the sender's own business / steps done in house
	Notes    []string `json:"notes,omitempty"`    // Japanese sentences for the page
	NotesEN  []string `json:"notes_en,omitempty"` // the same in English
	Terms    []string `json:"terms,omitempty"`    // content words used for text matching
	Warnings []string `json:"warnings,omitempty"` // e.g. text cut to 2,000 characters
}

// Term is one concept read in the query.
type Term struct {
	Label   string  `json:"label"`             // canonical (taxonomy) name
	Kind    string  `json:"kind"`              // process, specialty, material, …
	Level   string  `json:"level,omitempty"`   // main / wish / required / preferred / excluded / context
	Surface string  `json:"surface,omitempty"` // as written
	Start   int     `json:"start"`             // byte offsets in Query.Text
	End     int     `json:"end"`
	Weight  float64 `json:"weight,omitempty"`
}

type role uint8

const (
	roleRequest role = iota
	roleBackground
	roleSelf
	roleExcluded
)

type qmention struct {
	mention
	role     role
	pref     bool
	hard     bool
	head     bool
	ctx      bool
	sent     int
	clause   int
	orGrp    int
	inf      bool // came from a combo / inference, not written
	prodOf   bool // 「X品の」: the product of a process, a reference
	modifier bool // first part of a compound of processes (順送プレス金型)
}

type idW struct {
	id int32
	w  float64
}

func sortedIDW(m map[int32]float64) []idW {
	out := make([]idW, 0, len(m))
	for id, w := range m {
		out = append(out, idW{id, w})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].w != out[j].w {
			return out[i].w > out[j].w
		}
		return out[i].id < out[j].id
	})
	return out
}

// wish is one thing the buyer asks for besides the main process.
type wish struct {
	alts   []int32
	w      float64
	label  string
	outOK  bool // a partner-made step is fine
	isProc bool
}

// qa is the internal analysis of a query.
type qa struct {
	kind      QueryKind
	lang      string
	t         ntext
	ms        []qmention
	core      []int32 // alternatives for the main process
	coreW     float64
	wishes    []wish
	mats      []int32
	lots      uint8
	certHard  []int32
	certPref  []int32
	cityHard  []string
	cityExcl  []string
	cityPref  []string
	nearOK    bool
	wantLab   bool
	wantCo    bool
	noLab     bool
	noCo      bool
	size      float64
	hole      float64
	tol       float64 // tolerance asked for (mm)
	markets   []int32
	topics    map[int32]float64
	caps      map[int32]float64
	topicList []idW // topics, strongest first
	capList   []idW
	terms     []qterm
	u         Understanding
	empty     bool // nothing usable in the text
}

// cue lists, normalised at init
type cueList []string

func cues(ss ...string) cueList {
	out := make(cueList, 0, len(ss))
	for _, s := range ss {
		out = append(out, normString(s))
	}
	return out
}

var (
	cueRequest = cues("探して", "探し", "お願い", "依頼", "頼め", "頼み", "任せ", "できる", "出来る", "可能な", "してもらえ", "してくれ", "してほしい",
		"して欲しい", "ほしい", "欲しい", "いただけ", "頂け", "相談", "募集", "求め", "外注", "出したい", "たい", "見積", "引き受け", "やってくれ",
		"やってもらえ", "ありますか", "いませんか", "いますか", "ないでしょうか", "でしょうか", "希望", "パートナー", "協力会社", "協力工場", "先を",
		"looking for", "look for", "seek", "seeking", "need", "needs", "require", "requires", "want", "would like", "request", "rfq",
		"quote", "quotation", "please", "can you", "able to", "capable of", "supplier", "partner", "we prefer", "must")
	cueSelfLoc = cues("当社で", "弊社で", "自社で", "社内で", "当社にて", "弊社にて", "自社にて", "社内にて", "こっちで", "こちらで", "ウチで", "うちで",
		"当方で", "弊社では", "当社では", "社内では", "自社では", "弊社内", "当工場で", "in house by us", "in-house by us", "ourselves", "we will do", "we do the", "we'll do",
		"done by us", "by us", "done in-house", "done in house", "we handle", "we take care", "in our factory", "in our plant", "our own staff")
	cueSelfTopic = cues("当社は", "弊社は", "ウチは", "うちは", "私どもは", "わたくしどもは", "私たちは", "我々は", "当方は", "当社も", "弊社も", "当社(", "弊社(")
	cueSelfVerb  = cues("を行っております", "を営んでおります", "を営んで", "を手がけて", "を手掛けて", "を行っている", "を製造しております", "を製造している",
		"をやっています", "をやってます", "を生産しております", "と申します", "工場長をして")
	cueSelfEN = cues("we are", "we're", "we build", "we make", "we manufacture", "we produce", "we develop", "we design", "our company",
		"our factory", "our plant", "our firm", "i am", "i'm", "we have been", "we sell", "we supply")
	cueSelfIntroTail = cues("メーカーです", "屋です", "業者です", "会社です", "工場です", "sierです", "企業です", "商社です", "担当です", "担当者です",
		"と申します", "でございます", "部の", "課の", "工場長です", "社長です", "代表です")
	cuePref = cues("できれば", "出来れば", "希望", "望ましい", "尚可", "歓迎", "助かり", "ありがたい", "嬉しい", "うれしい", "優先", "話が早い",
		"prefer", "preferably", "preferred", "ideally", "would be a plus", "nice to have", "if possible", "a plus", "bonus", "ideal")
	// narrative predicates: a sentence with one (and no request) tells the
	// background (困っています, 使っている, we use …)
	cueNarrative = cues("ています", "ております", "ている", "ていた", "ました", "でした", "困っ", "考えて", "検討し", "予定", "使って", "使用し", "発生",
		"起き", "出て", "なって", "あります", "あった", "している", "しております", "していました", "てしまう", "ちゃう", "ません",
		" is ", " are ", " was ", " were ", " has ", " have ", " had ", " will ", " uses ", " use ")
	cueNotHard = cues("必須ではな", "必須でな", "必須ではありません", "必須とはしません", "必須ではございません", "不問", "なくても", "無くても",
		"not required", "not mandatory", "not a must", "not essential", "is optional", "optional")
	cueHard = cues("必須", "限ります", "限定", "限らせ", "限る", "のみ", "必要です", "条件です", "must", "required", "require", "requires",
		"mandatory", "only", "need to be", "has to be", "have to be", "essential")
	// Japanese exclusions that close a phrase (scope: back to the start of
	// the sentence or of the request part)
	cueExclTail = cues("ng", "不可", "ダメ", "だめ", "ナシ", "なしで", "無しで", "不要", "除外", "は避け", "はやめ", "使えない", "使わない", "不向き",
		"お断り", "結構です", "いりません", "要りません", "外して", "除いて", "なくても", "無くても", "不問", "なしでも", "問いません", "こだわりません")
	// exclusions bound to the phrase just before
	cueExclNear = cues("以外", "ではなく", "じゃなく", "でなく")
	// English exclusions: the phrase before / after
	cueExclENBefore = cues("is not acceptable", "are not acceptable", "not acceptable", "is not allowed", "are not allowed", "not allowed",
		"not permitted", "is not an option", "not an option", "unacceptable", "is not wanted", "not wanted", "is excluded", "are excluded",
		"is not needed", "not needed", "is not required", "not required", "does not represent", "does not work", "do not want", "is not ok", "not ok",
		"is optional", "are optional", "not necessary", "does not matter", "doesn't matter", "no need")
	cueExclENAfter = cues("rather than", "instead of", "without", "other than", "except", "excluding", "avoid", "no ", "not a ", "not an ", "not from")
	cueChange      = cues("に変え", "に替え", "に切り替え", "へ変更", "に変更", "へ切り替え", "にしたい")
	cueHead        = cues("会社", "屋", "業者", "メーカー", "工場", "専門", "ショップ", "屋さん", "先", "shop", "company", "companies", "supplier", "suppliers",
		"house", "vendor", "manufacturer", "maker", "specialist", "firm")
	cueCtxAfter     = cues("前", "後", "品", "済", "済み")
	cueCtxPurpose   = cues("用", "ライン", "向け")
	cueShinai       = cues("市内")
	cueKara         = cues("から")
	cueOutOK        = cues("subcontract", "subcontracted", "外注可", "外注でも", "協力会社でも", "協力会社経由でも", "協力会社手配でも")
	cueFirstChoice  = cues("第一希望", "第1希望", "できれば", "prefer")
	cueCtxAfterLong = cues("の前", "の後", "のあと", "したあと", "した後", "してから", "する前", "するまえ", "後の", "あとの", "あとに", "後に", "前に", "したのち", "が済んだ", "済みの",
		"た後", "たあと", "てから", "る前", "後で", "あとで")
	cueOr  = cues("または", "もしくは", "あるいは", "or", "/", "とか", "か")
	cueLab = cues("先生", "研究室", "大学", "教授", "准教授", "研究者", "ラボ", "研究機関", "高専", "研究所", "lab", "labs", "laboratory",
		"university", "universities", "professor", "academic", "academia", "researcher", "researchers", "research group", "institute")
	cueCo = cues("会社", "企業", "メーカー", "業者", "工場", "町工場", "屋さん", "ショップ", "サプライヤー", "company", "companies", "firm", "supplier",
		"suppliers", "manufacturer", "vendor", "shop", "subcontractor")
	cueNear    = cues("近隣", "周辺", "近く", "近郊", "隣接", "nearby", "neighbouring", "neighboring", "near")
	cueLater   = cues("将来", "ゆくゆく", "いずれ", "later", "possibly", "eventually", "in future", "in the future")
	cueMonth   = cues("月", "毎月", "月産", "月に", "per month", "/month", "a month", "monthly", "each month")
	cueYear    = cues("年間", "年", "per year", "/year", "a year", "annually", "annual", "per annum")
	cueMktTail = cues("向け", "用", "業界", "分野", "関連", "industry", "sector", "market", "customers", "oem")
	cueHoleCtx = cues("穴", "hole", "holes", "drill", "bore", "orifice")
	cueThick   = cues("板厚", "厚さ", "肉厚", "厚み", "めっき厚", "膜厚", "thick", "thickness", "wall", "t=")
)

func isASCIIcue(c string) bool {
	for _, r := range c {
		if r >= 0x80 {
			return false
		}
	}
	return true
}

// findCue returns the rune index of the first occurrence of any cue in r
// at or after from (ASCII cues need word boundaries), or -1; and the cue.
func findCue(r []rune, from, to int, cl cueList) (int, string) {
	s := string(r[from:to])
	best, bestCue := -1, ""
	for _, c := range cl {
		off := 0
		for {
			k := strings.Index(s[off:], c)
			if k < 0 {
				break
			}
			pos := off + k
			if isASCIIcue(c) {
				okB := pos == 0 || !isASCIILetterByte(s[pos-1])
				e := pos + len(c)
				okA := e >= len(s) || !isASCIILetterByte(s[e]) || strings.HasSuffix(c, " ")
				if !okB || !okA {
					off = pos + 1
					continue
				}
			}
			rp := from + utf8.RuneCountInString(s[:pos])
			if best < 0 || rp < best {
				best, bestCue = rp, c
			}
			break
		}
	}
	return best, bestCue
}

func isASCIILetterByte(b byte) bool { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }

func hasCue(r []rune, from, to int, cl cueList) bool {
	p, _ := findCue(r, from, to, cl)
	return p >= 0
}

type clauseInfo struct {
	start, end int
	sent       int
	req, self  bool
	selfLoc    bool // 当社で / 社内で / done by us: a step the sender does
	pref, hard bool
}

type sentInfo struct {
	start, end int
	req, self  bool
	spec       bool // no verb of its own: a list of specifications
	hard       bool
	clauses    []int
}

// splitClauses splits a sentence into clauses at 、 , ; : and English
// conjunctions.
func splitClauses(r []rune, s, e int) [][2]int {
	var out [][2]int
	st := s
	for i := s; i < e; i++ {
		cut := 0
		switch r[i] {
		case '、', ',', ';', ':', '\n':
			cut = 1
		case ' ':
			for _, w := range []string{" and ", " but ", " because ", " so ", " which ", " while ", " as ", " since ", " although "} {
				if i+len(w) <= e && string(r[i:i+len(w)]) == w {
					cut = len(w) - 1
					break
				}
			}
		}
		if cut > 0 {
			if i > st {
				out = append(out, [2]int{st, i})
			}
			st = i + cut
			i = st - 1
		}
	}
	if st < e {
		out = append(out, [2]int{st, e})
	}
	return out
}

// understand analyses a query with a vocabulary view.
func (an *docAnalyzer) understand(q Query, tenantCity string) *qa {
	a := &qa{kind: q.Kind, topics: map[int32]float64{}, caps: map[int32]float64{}}
	if a.kind == "" {
		a.kind = KindSearch
	}
	text := q.Text
	if utf8.RuneCountInString(text) > maxQueryRunes {
		text = truncateRunes(text, maxQueryRunes)
		a.u.Warnings = append(a.u.Warnings, fmt.Sprintf("query cut to %d characters for analysis", maxQueryRunes))
	}
	a.t = normalize(text)
	r := a.t.r
	a.lang = detectLang(r)
	if q.Lang == "ja" || q.Lang == "en" {
		a.lang = q.Lang
	}
	if len(r) == 0 {
		a.empty = true
	}
	// sentences and clauses
	var sents []sentInfo
	var clauses []clauseInfo
	anyReq := false
	for si, se := range sentenceSplit(r) {
		s := sentInfo{start: se[0], end: se[1]}
		selfIntro := hasCue(r, se[0], se[1], cueSelfVerb) || hasCue(r, se[0], se[1], cueSelfIntroTail)
		for _, ce := range splitClauses(r, se[0], se[1]) {
			c := clauseInfo{start: ce[0], end: ce[1], sent: si}
			c.req = hasCue(r, ce[0], ce[1], cueRequest)
			c.pref = hasCue(r, ce[0], ce[1], cuePref)
			c.hard = hasCue(r, ce[0], ce[1], cueHard) && !hasCue(r, ce[0], ce[1], cueNotHard)
			c.selfLoc = hasCue(r, ce[0], ce[1], cueSelfLoc)
			c.self = c.selfLoc || hasCue(r, ce[0], ce[1], cueSelfTopic)
			if !c.self && hasCue(r, ce[0], ce[1], cueSelfEN) && !c.req {
				c.self = true
			}
			if c.req {
				s.req = true
			}
			if c.hard {
				s.hard = true
			}
			s.clauses = append(s.clauses, len(clauses))
			clauses = append(clauses, c)
		}
		if !s.req && !hasCue(r, se[0], se[1], cueNarrative) {
			// a sentence of nouns (材質はSPCC、数量30) is part of the request
			s.spec = true
		}
		if selfIntro && !s.req {
			s.self = true
			for _, ci := range s.clauses {
				clauses[ci].self = true
			}
		}
		if s.req {
			anyReq = true
		}
		sents = append(sents, s)
	}
	clauseOf := func(pos int) int {
		for i, c := range clauses {
			if pos >= c.start && pos < c.end {
				return i
			}
		}
		for i, c := range clauses { // a position on a separator
			if pos < c.start {
				if i > 0 {
					return i - 1
				}
				return 0
			}
		}
		return len(clauses) - 1
	}
	// concept mentions
	var raw []mention
	scanTries(&a.t, an.tries, func(m mention) { raw = append(raw, m) })
	scanRegex(r, an.v.res, func(m mention) { raw = append(raw, m) })
	sort.SliceStable(raw, func(i, j int) bool { return raw[i].start < raw[j].start })
	for _, m := range raw {
		ci := clauseOf(m.start)
		if ci < 0 {
			continue
		}
		c := clauses[ci]
		qm := qmention{mention: m, clause: ci, sent: c.sent, pref: c.pref, hard: c.hard || sents[c.sent].hard}
		// head noun: めっき会社, 板金屋さん, chemical company
		if k, _ := findCue(r, m.end, minInt(m.end+4, len(r)), cueHead); k >= 0 && k <= m.end+1 {
			qm.head = true
		}
		for _, h := range cueHead {
			if strings.HasSuffix(string(r[m.start:m.end]), h) && m.end-m.start > utf8.RuneCountInString(h) {
				qm.head = true // めっき会社, 板金屋
			}
		}
		switch {
		case a.excluded(r, m, sents[c.sent], clauses, ci):
			qm.role = roleExcluded
		case c.self:
			qm.role = roleSelf
		case anyReq && !sents[c.sent].req && !sents[c.sent].spec && !qm.head:
			// a sentence without a request is background, unless it names
			// what is sought (「…の塗装屋さん。」)
			qm.role = roleBackground
		default:
			qm.role = roleRequest
		}
		if k, _ := findCue(r, m.end, minInt(m.end+1, len(r)), cueCtxAfter); k == m.end {
			qm.ctx = true
		}
		if k := baseKind(an.v, m.c); k == kProc || k == kSpec {
			for _, c := range cueCtxPurpose {
				if strings.HasPrefix(string(r[m.end:minInt(m.end+4, len(r))]), c) {
					qm.ctx = true // 射出成形用の金型, 組立ラインの…: the purpose, not the job
					qm.prodOf = true
				}
			}
		}
		for _, c := range cueCtxAfterLong {
			if strings.HasPrefix(string(r[m.end:minInt(m.end+6, len(r))]), c) {
				qm.ctx = true // 再研磨したあとに…, 熱処理の後で…
				qm.prodOf = true
			}
		}
		if m.end < len(r) && r[m.end] == 'ノ' && r[m.end-1] == '品' {
			qm.ctx = true // プレス品の…
			qm.prodOf = true
		}
		if m.end+1 < len(r) && r[m.end] == '品' && r[m.end+1] == 'ノ' {
			qm.ctx = true // 射出成形品の…
			qm.prodOf = true
		}
		a.ms = append(a.ms, qm)
	}
	// 「XのY」 between two products / parts: Y is the object, X tells what
	// it belongs to (コンベアのローラー, 金型の入れ子)
	for i := 0; i+1 < len(a.ms); i++ {
		m, nx := &a.ms[i], a.ms[i+1]
		c1, c2 := an.v.concepts[m.c], an.v.concepts[nx.c]
		p1 := c1.kind == kProd || (c1.kind == kSpec && c1.prodlike)
		p2 := c2.kind == kProd || (c2.kind == kSpec && c2.prodlike)
		if p1 && p2 && m.end < len(r) && r[m.end] == 'ノ' && nx.start >= m.end+1 && nx.start <= m.end+3 {
			m.ctx = true
			m.prodOf = true
		}
	}
	// adjacent processes form a compound whose last part is the head
	// (順送プレス|金型 → 金型): the earlier parts only qualify it
	for i := 0; i+1 < len(a.ms); i++ {
		m, nx := &a.ms[i], a.ms[i+1]
		k1, k2 := an.v.concepts[m.c].kind, an.v.concepts[nx.c].kind
		gap := nx.start - m.end
		adj := gap == 0 || (gap == 1 && r[m.end] == 'ナ') // 順送プレス金型, 微細な切削加工
		if (k1 == kProc || k1 == kSpec) && (k2 == kProc || k2 == kSpec) && adj && !nx.ctx {
			m.modifier = true
		}
	}
	// a process only mentioned as 「X後の / X前の / X品の」 before another
	// process in the same sentence is a reference, not a request
	for i := range a.ms {
		m := &a.ms[i]
		if !m.ctx {
			continue
		}
		k := an.v.concepts[m.c].kind
		if k != kProc && k != kSpec {
			m.ctx = false
			continue
		}
		if m.prodOf {
			continue
		}
		later := false
		for _, o := range a.ms[i+1:] {
			ok := an.v.concepts[o.c].kind
			if o.sent == m.sent && (ok == kProc || ok == kSpec) && o.start >= m.end {
				later = true
				break
			}
		}
		m.ctx = later
	}
	// a process the sender does themselves (「アルマイトは弊社で」, "anodizing
	// is done by us") is not asked for elsewhere in the text either
	selfDone := map[int32]bool{}
	for _, m := range a.ms {
		if k := an.v.concepts[m.c].kind; m.role == roleSelf && clauses[m.clause].selfLoc && (k == kProc || k == kSpec) {
			selfDone[m.c] = true
		}
	}
	for i := range a.ms {
		if m := &a.ms[i]; m.role != roleSelf && selfDone[m.c] {
			m.ctx, m.prodOf = true, true
		}
	}
	// or-groups: X か Y, X or Y
	grp := 0
	for i := 1; i < len(a.ms); i++ {
		p, c := &a.ms[i-1], &a.ms[i]
		if p.sent != c.sent || c.start-p.end > 8 || c.start < p.end {
			continue
		}
		between := strings.TrimSpace(string(r[p.end:c.start]))
		isOr := strings.HasSuffix(between, "カ") || strings.HasSuffix(between, "か")
		for _, o := range cueOr {
			if o != "か" && strings.Contains(" "+between+" ", o) {
				isOr = true
			}
		}
		if isOr {
			if p.orGrp == 0 {
				grp++
				p.orGrp = grp
			}
			c.orGrp = p.orGrp
		}
	}
	// concepts that carry another (アルミダイカスト → アルミ)
	for i := range a.ms {
		m := a.ms[i]
		for _, w := range an.v.concepts[m.c].with {
			nm := m
			nm.c, nm.inf = w, true
			a.ms = append(a.ms, nm)
		}
	}
	an.applyCombos(a)
	an.buildRequirements(a, q, r, sents, clauses, tenantCity)
	a.topicList = sortedIDW(a.topics)
	a.capList = sortedIDW(a.caps)
	an.buildTerms(a, text)
	a.describe(an.v, q)
	return a
}

const maxQueryRunes = 2000

var englishStop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("a an the and or but if of in on at to for from by with without as is are was were be been being we our us you your they their it its this that these those i me my hi hello dear best regards please thank thanks would could should can will shall may might must do does did have has had not no so such than then there here about into over under per each which who whom whose what when where why how all any some more most other also only very just") {
		m[w] = true
	}
	return m
}()

// stopChunks are content words of requests that say nothing about the job.
var stopChunks = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"お願い", "依頼", "相談", "希望", "会社", "企業", "業者", "工場", "先生", "担当", "担当者", "ご担当者", "様", "弊社",
		"当社", "御社", "貴社", "今回", "とこ", "ところ", "こと", "もの", "場合", "件", "方", "ため", "よう", "感じ", "検討", "対応", "可能", "連絡",
		"メール", "失礼", "突然", "幸い", "返信", "ご返信", "ご検討", "宜しく", "よろしく", "お願いいたします", "パートナー", "協力会社", "協力先",
		"先様", "会社様", "くらい", "程度", "前後", "予定", "見込み", "現在", "新た", "はじめまして", "初めまして", "お世話", "以上", "以下"} {
		m[normString(w)] = true
	}
	return m
}()

func minInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func detectLang(r []rune) string {
	latin, cjk := 0, 0
	for _, c := range r {
		if isASCIILetter(c) {
			latin++
		} else if isCJK(c) {
			cjk++
		}
	}
	if latin > 12 && cjk*4 < latin {
		return "en"
	}
	return "ja"
}

// excluded reports whether a mention is ruled out by the sender.
func (a *qa) excluded(r []rune, m mention, s sentInfo, clauses []clauseInfo, ci int) bool {
	c := clauses[ci]
	// X以外 / XではなくY: the phrase just before
	if k, _ := findCue(r, m.end, minInt(m.end+4, s.end), cueExclNear); k >= 0 {
		return true
	}
	// X から … に変えたい: what is replaced
	if k, _ := findCue(r, m.end, minInt(m.end+3, s.end), cueKara); k >= 0 {
		if p, _ := findCue(r, k, s.end, cueChange); p >= 0 {
			return true
		}
	}
	// Japanese closing exclusions: scope back to the sentence start or to
	// the end of an earlier clause that asked for something
	for from := m.end; from < s.end; {
		k, cue := findCue(r, from, s.end, cueExclTail)
		if k < 0 {
			break
		}
		from = k + 1
		if cue == "ng" && k+2 < len(r) && isASCIILetter(r[k+2]) {
			continue
		}
		blocked := false
		for _, cj := range s.clauses {
			cl := clauses[cj]
			if cl.start >= m.end && cl.end <= k && cl.req && cj != ci {
				blocked = true
			}
		}
		if !blocked {
			return true
		}
	}
	// English: "TIG is not acceptable", "rather than a metal shop"
	if k, _ := findCue(r, m.end, c.end, cueExclENBefore); k >= 0 {
		return true
	}
	for from := c.start; from < m.start; {
		k, cue := findCue(r, from, m.start, cueExclENAfter)
		if k < 0 {
			break
		}
		from = k + 1
		if m.start-(k+utf8.RuneCountInString(cue)) <= 30 {
			return true
		}
	}
	return false
}

// excludedKind: is the organization kind word itself ruled out ("no
// university", 「大学の先生は今回はナシ」) — not a qualified one ("rather than a
// metal shop" still wants a shop).
func (a *qa) excludedKind(r []rune, start, end int, s sentInfo, clauses []clauseInfo, ci int) bool {
	c := clauses[ci]
	for from := c.start; from < start; {
		k, cue := findCue(r, from, start, cueExclENAfter)
		if k < 0 {
			break
		}
		from = k + 1
		gap := strings.TrimSpace(string(r[k+utf8.RuneCountInString(cue) : start]))
		after := string(r[end:c.end])
		if strings.HasPrefix(after, " in ") || strings.HasPrefix(after, " from ") || strings.HasPrefix(after, " located") || strings.HasPrefix(after, " based") {
			continue // "no companies in Ome": a place is ruled out, not companies
		}
		if gap == "" || gap == "a" || gap == "an" || gap == "the" {
			return true
		}
	}
	if k, _ := findCue(r, end, c.end, cueExclENBefore); k >= 0 {
		return true
	}
	m := mention{start: start, end: end}
	if k, _ := findCue(r, m.end, c.end, cueExclNear); k >= 0 {
		return true // 大学との共同研究ではなく…
	}
	for from := end; from < s.end; {
		k, cue := findCue(r, from, s.end, cueExclTail)
		if k < 0 {
			break
		}
		from = k + 1
		if cue == "ng" && k+2 < len(r) && isASCIILetter(r[k+2]) {
			continue
		}
		return true
	}
	return false
}

// applyCombos adds concepts read from combinations (硬質 + アルマイト) and
// drops suppressed ones.
func (an *docAnalyzer) applyCombos(a *qa) {
	present := map[int32]bool{}
	direct := map[int32]bool{}
	for _, m := range a.ms {
		if m.role == roleExcluded {
			continue
		}
		present[m.c] = true
		direct[m.c] = true
		for _, p := range an.v.concepts[m.c].anc {
			present[p] = true
		}
	}
	for _, cb := range an.v.combos {
		if direct[cb.out] {
			continue
		}
		ok := true
		var at *qmention
		for _, g := range cb.groups {
			found := false
			for _, id := range g {
				if present[id] {
					found = true
					if at == nil {
						for i := range a.ms {
							if a.ms[i].c == id && a.ms[i].role != roleExcluded {
								at = &a.ms[i]
								break
							}
						}
					}
				}
			}
			if !found {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		// the combo takes the role of its last written part
		role := roleRequest
		var last *qmention
		for _, g := range cb.groups {
			for _, id := range g {
				for i := range a.ms {
					m := &a.ms[i]
					if m.role == roleExcluded {
						continue
					}
					if m.c == id || containsID(an.v.concepts[m.c].anc, id) {
						if last == nil || m.start > last.start {
							last = m
						}
					}
				}
			}
		}
		if last != nil {
			role = last.role
		}
		nm := qmention{mention: mention{c: cb.out}, role: role, inf: true}
		if last != nil {
			nm.start, nm.end, nm.sent, nm.clause, nm.pref = last.start, last.end, last.sent, last.clause, last.pref
		}
		a.ms = append(a.ms, nm)
		present[cb.out] = true
		direct[cb.out] = true
	}
	for _, sr := range an.v.suppress {
		if !present[sr.when] {
			continue
		}
		out := a.ms[:0]
		for _, m := range a.ms {
			drop := false
			for _, d := range sr.drop {
				if m.c == d {
					drop = true
				}
			}
			if !drop {
				out = append(out, m)
			}
		}
		a.ms = out
	}
}

func containsID(ids []int32, id int32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// buildRequirements turns mentions into what the ranking checks.
func (an *docAnalyzer) buildRequirements(a *qa, q Query, r []rune, sents []sentInfo, clauses []clauseInfo, tenantCity string) {
	v := an.v
	// --- processes
	type pm struct {
		id   int32
		m    *qmention
		prod bool
	}
	var req, bg []pm
	for i := range a.ms {
		m := &a.ms[i]
		c := v.concepts[m.c]
		var ids []int32
		prodLike := false
		switch c.kind {
		case kProc:
			ids = []int32{m.c}
		case kSpec:
			ids = []int32{m.c}
			prodLike = c.prodlike
		case kEquip:
			ids = c.isa
		default:
			continue
		}
		for _, id := range ids {
			switch {
			case m.role == roleRequest && !m.ctx:
				req = append(req, pm{id, m, prodLike})
			case m.role == roleBackground && !m.ctx:
				bg = append(bg, pm{id, m, prodLike})
			}
		}
	}
	procs := req
	if len(procs) == 0 {
		procs = bg
	}
	// explicit (non product-like) process concepts; each spec stands for its
	// parent processes at the core level
	coreOf := func(id int32) []int32 {
		c := v.concepts[id]
		if c.kind == kProc {
			return []int32{id}
		}
		var out []int32
		for _, p := range c.isa {
			if v.concepts[p].kind == kProc {
				out = append(out, p)
			}
		}
		if len(out) == 0 {
			for _, p := range c.anc {
				if v.concepts[p].kind == kProc {
					out = append(out, p)
					break
				}
			}
		}
		return out
	}
	// choose the core: a head noun (めっき会社) first, else the first
	// written process; or-group members are alternatives
	coreIdx := -1
	for pass := 0; pass < 4 && coreIdx < 0; pass++ {
		for i, p := range procs {
			weak := v.concepts[p.id].weak || (p.m.modifier && pass < 3)
			ok := !p.prod && !p.m.inf && !weak && p.m.head // a head noun: めっき会社
			switch pass {
			case 1:
				ok = !p.prod && !p.m.inf && !weak
			case 2:
				ok = !p.prod && !weak
			case 3:
				ok = !p.prod
			}
			if ok {
				coreIdx = i
				break
			}
		}
	}
	inCore := map[int32]bool{}
	if coreIdx >= 0 {
		cm := procs[coreIdx]
		for _, p := range procs {
			if p.prod {
				continue
			}
			if p.m == cm.m || (cm.m.orGrp != 0 && p.m.orGrp == cm.m.orGrp) {
				for _, id := range coreOf(p.id) {
					if !inCore[id] {
						inCore[id] = true
						a.core = append(a.core, id)
					}
				}
			}
		}
		a.coreW = 1
	}
	// a process read from a combination (樹脂 + 切削 → 樹脂切削) is an
	// alternative way to meet the main process
	if len(a.core) > 0 {
		for _, m := range a.ms {
			c := v.concepts[m.c]
			if !m.inf || c.kind != kProc || inCore[m.c] || m.role == roleExcluded {
				continue
			}
			for _, cb := range v.combos {
				if cb.out != m.c {
					continue
				}
				for _, g := range cb.groups {
					for _, id := range g {
						if inCore[id] {
							inCore[m.c] = true
						}
					}
				}
			}
			if inCore[m.c] {
				a.core = append(a.core, m.c)
			}
		}
	}
	// everything else asked for is a wish
	seenWish := map[int32]bool{}
	for _, id := range a.core {
		seenWish[id] = true
	}
	type wishAcc struct {
		ids []int32
		pos int
		end int
		grp int
		w   float64
		out bool
	}
	var wl []wishAcc
	for _, p := range procs {
		c := v.concepts[p.id]
		if seenWish[p.id] {
			continue
		}
		// a core process named again through one of its finer techniques
		if c.kind == kProc && inCore[p.id] {
			continue
		}
		seenWish[p.id] = true
		w := 1.0
		if p.m.pref {
			w = 0.8
		}
		if c.kind == kSpec && !c.prodlike {
			w = 1.4
		}
		if c.prodlike {
			w = 0.5
		}
		if c.weak {
			w = 0.3
		}
		if p.m.modifier {
			w = math.Min(w, 0.5)
		}
		if p.m.hard && !p.m.pref {
			w = 2.0 // 「…必須」 "must have laser welding in house"
		}
		if p.m.inf {
			w *= 0.9
		}
		// 「(表面処理は) subcontracted by you」: a partner-made step is fine
		outOK := hasCue(r, clauses[p.m.clause].start, clauses[p.m.clause].end, cueOutOK)
		merged := false
		for i := range wl {
			// alternatives: X か Y, or one written word that names several
			// (progressive die = 順送プレス / プレス金型)
			if (p.m.orGrp != 0 && wl[i].grp == p.m.orGrp) || (!p.m.inf && wl[i].pos == p.m.start && wl[i].end == p.m.end) {
				wl[i].ids = append(wl[i].ids, p.id)
				merged = true
				break
			}
		}
		if !merged {
			wl = append(wl, wishAcc{ids: []int32{p.id}, pos: p.m.start, end: p.m.end, grp: p.m.orGrp, w: w, out: outOK})
		}
	}
	// no process written at all: infer from products / problems (a
	// development need is about the product, not a process to buy)
	if len(a.core) == 0 && (a.kind == KindRFQ || a.kind == KindPartner) {
		best := map[int32]float64{}
		// what the buyer wants done (硬くしたい, 錆びにくく, 表面処理) says more
		// than the part (入れ子, ローラー): read actions first
		actions := false
		for _, m := range a.ms {
			c := v.concepts[m.c]
			if m.role == roleExcluded || m.role == roleSelf || (c.kind != kKw && c.kind != kMod) {
				continue
			}
			for _, il := range c.infer {
				if k := v.concepts[il.to].kind; k == kProc || k == kSpec {
					actions = true
				}
			}
		}
		for _, m := range a.ms {
			if m.role == roleExcluded || m.role == roleSelf {
				continue
			}
			if k := v.concepts[m.c].kind; actions && k != kKw && k != kMod {
				continue
			}
			for _, il := range v.concepts[m.c].infer {
				k := v.concepts[il.to].kind
				if k != kProc && k != kSpec {
					continue
				}
				w := float64(il.w)
				if m.role == roleBackground {
					w *= 0.8
				}
				if w > best[il.to] {
					best[il.to] = w
				}
			}
		}
		// product-like specs asked for also point to their processes
		for _, p := range procs {
			if actions {
				break
			}
			for _, id := range coreOf(p.id) {
				if best[id] < 0.6 {
					best[id] = 0.6
				}
			}
		}
		type cand struct {
			id int32
			w  float64
		}
		var cs []cand
		for id, w := range best {
			cs = append(cs, cand{id, w})
		}
		sort.Slice(cs, func(i, j int) bool {
			if cs[i].w != cs[j].w {
				return cs[i].w > cs[j].w
			}
			return cs[i].id < cs[j].id
		})
		if len(cs) > 0 && cs[0].w >= 0.3 {
			top := cs[0].w
			for _, c := range cs {
				if c.w < top-0.15 {
					break
				}
				for _, id := range coreOf(c.id) {
					if !inCore[id] {
						inCore[id] = true
						a.core = append(a.core, id)
					}
				}
				if v.concepts[c.id].kind == kSpec && !seenWish[c.id] {
					seenWish[c.id] = true
					wl = append(wl, wishAcc{ids: []int32{c.id}, pos: 1 << 30, w: 1.0})
				}
			}
			a.coreW = math.Min(1, top+0.2)
			for _, c := range cs {
				if c.w >= top-0.15 || seenWish[c.id] || c.w < 0.5 {
					continue
				}
				seenWish[c.id] = true
				wl = append(wl, wishAcc{ids: []int32{c.id}, pos: 1 << 30, w: 0.5 * c.w})
			}
		}
	}
	// a part of a metre or more: long-part or large-part capability is a wish
	if a.size >= 1000 && len(a.core) > 0 {
		long := false
		for _, m := range a.ms {
			if c := v.concepts[m.c]; c.kind == kProd && (c.label == "シャフト" || c.label == "フレーム") && m.role != roleExcluded {
				long = c.label == "シャフト"
			}
		}
		lbl := "spec:大物加工"
		if long {
			lbl = "spec:長尺加工"
		}
		if id, ok := v.get(lbl); ok && !seenWish[id] {
			seenWish[id] = true
			wl = append(wl, wishAcc{ids: []int32{id}, pos: 1 << 29, w: 0.5})
		}
	}
	sort.SliceStable(wl, func(i, j int) bool { return wl[i].pos < wl[j].pos })
	for _, w := range wl {
		lbl := make([]string, 0, len(w.ids))
		for _, id := range w.ids {
			lbl = append(lbl, v.concepts[id].label)
		}
		a.wishes = append(a.wishes, wish{alts: w.ids, w: w.w, label: strings.Join(lbl, "・"), outOK: w.out, isProc: true})
	}
	// --- materials (any written outside exclusions; inferred if none)
	seenMat := map[int32]bool{}
	addMat := func(id int32) {
		c := v.concepts[id]
		fam := id
		if c.kind == kGrade {
			for _, p := range c.anc {
				if v.concepts[p].kind == kMat {
					fam = p
					break
				}
			}
		}
		if v.concepts[fam].kind == kMat && !seenMat[fam] {
			seenMat[fam] = true
			a.mats = append(a.mats, fam)
		}
	}
	for _, m := range a.ms {
		k := v.concepts[m.c].kind
		if (k == kMat || k == kGrade) && m.role != roleExcluded {
			addMat(m.c)
		}
	}
	if len(a.mats) == 0 {
		bestW, bestID := 0.0, int32(-1)
		for _, m := range a.ms {
			if m.role == roleExcluded || m.role == roleSelf {
				continue
			}
			for _, il := range v.concepts[m.c].infer {
				if v.concepts[il.to].kind == kMat && float64(il.w) > bestW {
					bestW, bestID = float64(il.w), il.to
				}
			}
		}
		if bestID >= 0 && bestW >= 0.5 {
			addMat(bestID)
		}
	}
	// --- certifications
	for _, m := range a.ms {
		if v.concepts[m.c].kind != kCert || m.role == roleExcluded || m.role == roleSelf {
			continue
		}
		if m.hard {
			if !containsID(a.certHard, m.c) {
				a.certHard = append(a.certHard, m.c)
			}
		} else if !containsID(a.certPref, m.c) && !containsID(a.certHard, m.c) {
			a.certPref = append(a.certPref, m.c)
		}
	}
	// --- markets
	for _, m := range a.ms {
		if v.concepts[m.c].kind != kMkt || m.role == roleExcluded || m.role == roleSelf {
			continue
		}
		if k, _ := findCue(r, m.end, minInt(m.end+3, len(r)), cueMktTail); k >= 0 && k <= m.end+1 {
			if !containsID(a.markets, m.c) {
				a.markets = append(a.markets, m.c)
			}
			continue
		}
		if m.start >= 4 && strings.HasSuffix(string(r[maxInt(0, m.start-8):m.start]), "for ") {
			if !containsID(a.markets, m.c) {
				a.markets = append(a.markets, m.c)
			}
		}
	}
	// --- kind of organization wanted
	for _, cl := range []struct {
		list cueList
		lab  bool
	}{{cueLab, true}, {cueCo, false}} {
		for from := 0; from < len(r); {
			k, cue := findCue(r, from, len(r), cl.list)
			if k < 0 {
				break
			}
			from = k + utf8.RuneCountInString(cue)
			ci := -1
			for i, c := range clauses {
				if k >= c.start && k < c.end {
					ci = i
				}
			}
			if ci < 0 || clauses[ci].self {
				continue
			}
			if e := k + utf8.RuneCountInString(cue); e < len(r) && r[e] == 'ノ' && !isASCIIcue(cue) {
				continue // 工場の設備, 大学の先生 (the head comes after の)
			}
			ex := a.excludedKind(r, k, k+utf8.RuneCountInString(cue), sents[clauses[ci].sent], clauses, ci)
			switch {
			case cl.lab && ex:
				a.noLab = true
			case cl.lab:
				a.wantLab = true
			case ex:
				a.noCo = true
			default:
				a.wantCo = true
			}
		}
	}
	// --- cities
	an.readCities(a, r, sents, clauses, tenantCity)
	// --- quantities, sizes, holes
	a.readNumbers(r, sents, clauses)
	// a hole diameter but no process: small holes are micro machining
	if len(a.core) == 0 && a.hole > 0 && (a.kind == KindRFQ || a.kind == KindPartner || a.kind == KindSearch) {
		lbl := "spec:精密穴加工"
		if a.hole <= 0.5 {
			lbl = "spec:微細穴あけ"
		}
		if id, ok := v.get(lbl); ok {
			for _, p := range v.concepts[id].isa {
				if v.concepts[p].kind == kProc && !containsID(a.core, p) {
					a.core = append(a.core, p)
				}
			}
			if !containsWish(a.wishes, id) {
				a.wishes = append(a.wishes, wish{alts: []int32{id}, w: 1, label: v.concepts[id].label, isProc: true})
			}
			a.coreW = 0.9
		}
	}

	// lot words
	for _, m := range a.ms {
		c := v.concepts[m.c]
		if c.kind != kLot || m.role == roleExcluded || m.role == roleSelf {
			continue
		}
		a.lots |= lotLabels[c.label]
	}
	// --- research topics and, for needs, company capabilities. Each
	// mention gives weight to fields; per field the strongest cue counts fully
	// and further cues a little (w = max + 0.3·rest). A generic method word
	// (シミュレーション) goes to the fields already named, else to its first.
	contrib := map[int32][]float64{}
	var generic []qmention
	for _, m := range a.ms {
		c := v.concepts[m.c]
		rw := 1.0
		switch m.role {
		case roleExcluded:
			continue
		case roleSelf:
			rw = 0.5
		case roleBackground:
			rw = 0.8
		}
		if m.ctx {
			rw *= 0.8
		}
		if c.generic {
			generic = append(generic, m)
			continue
		}
		if c.kind == kTopic {
			contrib[m.c] = append(contrib[m.c], rw)
		}
		for _, tl := range c.topic {
			contrib[tl.to] = append(contrib[tl.to], rw*float64(tl.w))
		}
	}
	for _, m := range generic {
		c := v.concepts[m.c]
		placed := false
		for _, tl := range c.topic[1:] {
			if len(contrib[tl.to]) > 0 {
				contrib[tl.to] = append(contrib[tl.to], float64(tl.w))
				placed = true
			}
		}
		if !placed && len(c.topic) > 0 {
			contrib[c.topic[0].to] = append(contrib[c.topic[0].to], float64(c.topic[0].w))
		}
	}
	maxT := 0.0
	for id, cs := range contrib {
		mx, sum := 0.0, 0.0
		for _, x := range cs {
			sum += x
			mx = math.Max(mx, x)
		}
		w := mx + 0.3*(sum-mx)
		a.topics[id] = w
		maxT = math.Max(maxT, w)
	}
	for id, w := range a.topics {
		if w/maxT < 0.1 {
			delete(a.topics, id)
			continue
		}
		a.topics[id] = math.Sqrt(w / maxT)
	}
	for tid, tw := range a.topics {
		for _, cl := range v.concepts[tid].cap {
			if w := tw * float64(cl.w); w > a.caps[cl.to] {
				a.caps[cl.to] = w
			}
		}
	}
	for _, id := range a.core {
		a.caps[id] = math.Max(a.caps[id], 0.9)
	}
	for _, w := range a.wishes {
		for _, id := range w.alts {
			a.caps[id] = math.Max(a.caps[id], 0.8)
		}
	}
}

func baseKind(v *vocab, id int32) ckind { return v.concepts[id].kind }

func containsWish(ws []wish, id int32) bool {
	for _, w := range ws {
		if containsID(w.alts, id) {
			return true
		}
	}
	return false
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// readCities reads locations: required (日野市内の会社), preferred
// (第一希望、近隣も可), excluded (青梅・町田は除外); the sender's own city is
// ignored.
func (an *docAnalyzer) readCities(a *qa, r []rune, sents []sentInfo, clauses []clauseInfo, tenantCity string) {
	type cm struct {
		name       string
		start, end int
	}
	var found []cm
	seen := map[int]bool{}
	s := string(r)
	for _, ck := range cityKeys {
		k, nk := ck[0], ck[1]
		off := 0
		for {
			i := strings.Index(s[off:], nk)
			if i < 0 {
				break
			}
			bpos := off + i
			off = bpos + len(nk)
			st := utf8.RuneCountInString(s[:bpos])
			en := st + utf8.RuneCountInString(nk)
			if isASCIIcue(nk) && ((bpos > 0 && isASCIILetterByte(s[bpos-1])) || (off < len(s) && isASCIILetterByte(s[off]))) {
				continue
			}
			// 日野 inside 日野台科学技術大学 or a company name: need a city-ish context
			if !isASCIIcue(nk) && !strings.HasSuffix(nk, "市") && !strings.HasSuffix(nk, "町") && !strings.HasSuffix(nk, "村") {
				nx := ""
				if en < len(r) {
					nx = string(r[en:minInt(en+2, len(r))])
				}
				if strings.HasPrefix(nx, "台") || strings.HasPrefix(nx, "大") || strings.HasPrefix(nx, "工") || strings.HasPrefix(nx, "駅") || strings.HasPrefix(nx, "精") || strings.HasPrefix(nx, "製") {
					continue
				}
			}
			overlap := false
			for p := st; p < en; p++ {
				if seen[p] {
					overlap = true
				}
			}
			if overlap {
				continue
			}
			for p := st; p < en; p++ {
				seen[p] = true
			}
			if rc := regionCities(k); rc != nil {
				for _, c := range rc {
					found = append(found, cm{c, st, en})
				}
				continue
			}
			found = append(found, cm{cityByKey[k].Name, st, en})
		}
	}
	// 市内 / local without a name: the tenant's city
	if tenantCity != "" {
		for from := 0; from < len(r); {
			k, _ := findCue(r, from, len(r), cueShinai)
			if k < 0 {
				break
			}
			from = k + 1
			named := false
			for _, f := range found {
				if f.end == k || f.end == k+1 {
					named = true
				}
			}
			if !named {
				found = append(found, cm{tenantCity, k, k + 2})
			}
		}
	}
	sort.Slice(found, func(i, j int) bool { return found[i].start < found[j].start })
	for _, f := range found {
		ci := -1
		for i, c := range clauses {
			if f.start >= c.start && f.start < c.end {
				ci = i
			}
		}
		if ci < 0 {
			continue
		}
		c := clauses[ci]
		if c.self {
			continue
		}
		st := sents[c.sent]
		if a.excluded(r, mention{start: f.start, end: f.end}, st, clauses, ci) {
			if !containsStr(a.cityExcl, f.name) {
				a.cityExcl = append(a.cityExcl, f.name)
			}
			continue
		}
		near := hasCue(r, st.start, st.end, cueNear)
		if c.pref || hasCue(r, c.start, c.end, cueFirstChoice) || near {
			if !containsStr(a.cityPref, f.name) {
				a.cityPref = append(a.cityPref, f.name)
			}
			if near {
				a.nearOK = true
			}
			continue
		}
		if !containsStr(a.cityHard, f.name) {
			a.cityHard = append(a.cityHard, f.name)
		}
	}
}

// cityKeys are the city names, short names and romanisations, longest first,
// with their normalised forms.
var cityKeys = func() [][2]string {
	var keys []string
	for k := range cityByKey {
		if len(k) >= 2 && !isDigit(rune(k[0])) {
			keys = append(keys, k)
		}
	}
	for k := range regions {
		keys = append(keys, k)
	}
	for k := range regionAliases {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if len(keys[i]) != len(keys[j]) {
			return len(keys[i]) > len(keys[j])
		}
		return keys[i] < keys[j]
	})
	out := make([][2]string, 0, len(keys))
	for _, k := range keys {
		if nk := normString(k); nk != "" {
			out = append(out, [2]string{k, nk})
		}
	}
	return out
}()

func containsStr(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

var counters = cues("個", "本", "枚", "台", "セット", "set", "sets", "組", "点", "コ", "ケ", "ヶ", "pcs", "pc", "pieces", "piece", "units", "unit", "nos", "ea", "parts", "ロット", "件", "ショット")

// readNumbers reads the quantity (→ lot classes), the part size and the
// smallest hole.
func (a *qa) readNumbers(r []rune, sents []sentInfo, clauses []clauseInfo) {
	nums := numbers(r)
	clauseAt := func(pos int) int {
		for i, c := range clauses {
			if pos >= c.start && pos < c.end {
				return i
			}
		}
		return -1
	}
	qtySet := false
	for _, x := range nums {
		ci := clauseAt(x.start)
		if ci < 0 {
			continue
		}
		c := clauses[ci]
		after := strings.TrimLeft(x.after, " ")
		before := x.before
		// quantity
		isQty := false
		for _, cn := range counters {
			if strings.HasPrefix(after, cn) {
				if isASCIIcue(cn) && len(after) > len(cn) && isASCIILetterByte(after[len(cn)]) {
					continue
				}
				isQty = true
				break
			}
		}
		if strings.HasSuffix(strings.TrimRight(before, " "), "ロット") || strings.HasSuffix(before, "lot of ") || strings.HasSuffix(before, "batch of ") {
			isQty = true
		}
		if isQty && !qtySet && !c.self && !hasCue(r, c.start, c.end, cueLater) {
			if strings.HasSuffix(before, "件") || strings.HasPrefix(after, "件") || strings.HasPrefix(after, "kg") {
				// orders per month, kilograms: not a part count
			} else {
				qtySet = true
				a.u.Quantity = x.v
				monthly := hasCue([]rune(before), 0, len([]rune(before)), cueMonth) || hasCue([]rune(after), 0, len([]rune(after)), cueMonth)
				yearly := hasCue([]rune(before), 0, len([]rune(before)), cueYear) || hasCue([]rune(after), 0, len([]rune(after)), cueYear)
				a.u.PerMonth = monthly
				q := x.v
				from := strings.Contains(after, "から") || strings.Contains(after, "以上") || strings.Contains(after, "~")
				switch {
				case monthly || yearly:
					if q >= 10000 {
						a.lots |= lotMass
					} else {
						a.lots |= lotSmall | lotMass
					}
				case q <= 10:
					a.lots |= lotProto
					if from {
						a.lots |= lotSmall
					}
				case q < 100:
					a.lots |= lotProto | lotSmall
				case q < 10000:
					a.lots |= lotSmall | lotMass
				default:
					a.lots |= lotMass
				}
			}
			continue
		}
		if isQty {
			continue
		}
		// hole
		unit, _ := lengthUnit(strings.TrimLeft(after, "-"))
		tb := strings.TrimRight(before, " ")
		isPhi := strings.HasSuffix(tb, "φ") || strings.HasSuffix(tb, "直径") || strings.HasSuffix(tb, "径")
		if isPhi && hasCue(r, c.start, c.end, cueHoleCtx) {
			u := unit
			if u == 0 {
				u = 1
			}
			if v := x.v * u; v > 0 && v <= 2 && (a.hole == 0 || v < a.hole) {
				a.hole = v
			}
			continue // a hole's diameter, not the part's size
		}
		// size
		if strings.HasSuffix(tb, "±") || strings.HasSuffix(tb, "+/-") || strings.HasSuffix(tb, "+-") || strings.HasSuffix(tb, "公差") || strings.HasSuffix(tb, "精度") || strings.HasSuffix(tb, "tolerance") {
			// a tolerance: ±0.01mm, ±5μm, 公差0.02
			u := unit
			if u == 0 {
				u = 1
			}
			if v := x.v * u; v > 0 && v < 1 && (a.tol == 0 || v < a.tol) {
				a.tol = v
			}
			continue
		}
		if strings.HasSuffix(tb, "t") && !strings.HasSuffix(tb, "ot") {
			continue
		}
		thick := false
		for _, th := range cueThick {
			if strings.HasSuffix(tb, th) || strings.HasPrefix(after, th) || strings.Contains(after, " "+th) {
				thick = true
			}
		}
		if thick || unit < 0.5 && unit != 0 {
			continue
		}
		dim := strings.HasPrefix(after, "×") || strings.HasPrefix(after, "x") || strings.HasSuffix(tb, "×") || strings.HasSuffix(tb, "x") ||
			strings.HasSuffix(tb, "l") || strings.HasSuffix(tb, "長さ") || strings.HasSuffix(tb, "全長") || strings.HasSuffix(tb, "直径") ||
			strings.HasSuffix(tb, "外径") || strings.HasSuffix(tb, "φ") || strings.HasSuffix(tb, "深さ") || strings.HasSuffix(tb, "幅") ||
			strings.HasSuffix(tb, "高さ") || strings.HasSuffix(tb, "od") || strings.HasSuffix(tb, "length")
		if unit == 0 && dim {
			unit = 1
		}
		if unit == 0 {
			continue
		}
		if v := x.v * unit; v > a.size && v < 100000 {
			a.size = v
		}
	}
}

// buildTerms builds the text-relevance terms: the concepts read (one term
// per concept whatever its spelling, so 陽極酸化 and アルマイト weigh the same)
// and the bigrams of the content words (kagome) that are not concepts, so
// unknown words still match; both weighted by role.
func (an *docAnalyzer) buildTerms(a *qa, text string) {
	r := a.t.r
	masked := make([]bool, len(r))
	roleW := make([]float32, len(r))
	for i := range roleW {
		roleW[i] = 1
	}
	var terms []qterm
	seen := map[int32]float32{}
	for _, m := range a.ms {
		w := float32(1)
		switch m.role {
		case roleExcluded:
			w = 0
		case roleSelf:
			w = 0.3
		case roleBackground:
			w = 0.8
		}
		if m.inf {
			w *= 0.5
		}
		if !m.inf {
			for p := m.start; p < m.end && p < len(r); p++ {
				masked[p] = true
				if w < roleW[p] {
					roleW[p] = w
				}
			}
		}
		if w > seen[m.c] {
			seen[m.c] = w
		}
	}
	for id, w := range seen {
		if w > 0 {
			terms = append(terms, qterm{conceptKey(id), w})
		}
	}
	ts := string(r)
	seenChunk := map[string]bool{}
	for _, ch := range contentChunks(nfkc(text)) {
		n := normalize(ch)
		if len(n.r) < 2 || seenChunk[string(n.r)] || stopChunks[string(n.r)] || englishStop[strings.Trim(string(n.r), ".,;:!?()\"'")] {
			continue
		}
		seenChunk[string(n.r)] = true
		a.u.Terms = append(a.u.Terms, string(n.r))
		k := strings.Index(ts, string(n.r))
		if k < 0 {
			textTerms(n.r, func(key uint64) { terms = append(terms, qterm{key, 1}) })
			continue
		}
		st := utf8.RuneCountInString(ts[:k])
		// bigrams of the unmasked runs of the chunk
		for i := st; i < st+len(n.r) && i < len(r); {
			if masked[i] {
				i++
				continue
			}
			j := i
			for j < st+len(n.r) && j < len(r) && !masked[j] {
				j++
			}
			if j-i >= 2 {
				w := roleW[i]
				if w > 0 {
					textTerms(r[i:j], func(key uint64) { terms = append(terms, qterm{key, w}) })
				}
			}
			i = j
		}
	}
	a.terms = terms
}
