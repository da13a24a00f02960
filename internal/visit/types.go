// Package visit is the coordinators' shared memory of the companies they
// look after (御用聞き and 相談体制): visits with who attended, what was
// talked about (tagged by the five capabilities and the 2023 plan's five
// pillars) and the company's life stage; the issues found (CompanyIssue),
// each with an owner, a due date and the referrals and measures that answer
// it; consultations a company asks for or staff take by phone or at the
// desk; referrals to support agencies and banks with their outcome and
// follow-up; every company's timeline; the planning lists (companies not
// visited for a while, each coordinator's visits and overdue follow-ups), a
// personal iCalendar feed and a daily e-mail digest; counts and exports for
// the council.
//
// Confidentiality: visit notes, issue details and consultation notes are
// for the municipality's staff and coordinators only. Bank staff see the
// visits they attended, without notes. A company's member sees its own
// consultations and referrals — their status — and never internal notes.
// Nothing here is public.
package visit

import (
	"strconv"
	"strings"
	"time"

	"mieruka/internal/jp"
)

// Capability is one of the five capabilities of the Industrial Promotion
// Basic Concept (基盤力・連携力・経営力・技術力・人材力).
type Capability string

const (
	CapFoundation    Capability = "foundation"    // 基盤力
	CapCollaboration Capability = "collaboration" // 連携力
	CapManagement    Capability = "management"    // 経営力
	CapTechnology    Capability = "technology"    // 技術力
	CapPeople        Capability = "people"        // 人材力
)

// Capabilities lists the capabilities in the concept's order; the position
// is the capability's bit in the database.
var Capabilities = []Capability{CapFoundation, CapCollaboration, CapManagement, CapTechnology, CapPeople}

var capabilityLabels = map[Capability][2]string{
	CapFoundation:    {"基盤力", "Foundation"},
	CapCollaboration: {"連携力", "Collaboration"},
	CapManagement:    {"経営力", "Management"},
	CapTechnology:    {"技術力", "Technology"},
	CapPeople:        {"人材力", "People"},
}

// Label names the capability in lang ("en" or Japanese).
func (c Capability) Label(lang string) string { return pick(capabilityLabels[c], lang, string(c)) }

// Pillar is one of the five pillars (柱) of the 2023–2032 Industrial
// Promotion Plan, numbered 1–5.
type Pillar int

// Pillars lists the plan's pillars.
var Pillars = []Pillar{1, 2, 3, 4, 5}

var pillarLabels = map[Pillar][2]string{
	1: {"連携体制の構築と情報発信の強化", "Partnerships and information"},
	2: {"デジタル化への対応と生産性向上", "Digitalisation and productivity"},
	3: {"人材の確保", "Securing people"},
	4: {"操業環境の維持・拡大と事業継続", "Operating environment and business continuity"},
	5: {"事業開発と創業の促進", "New business and start-ups"},
}

// Label names the pillar with its number: "柱1 連携体制の構築と情報発信の強化".
func (p Pillar) Label(lang string) string {
	l, ok := pillarLabels[p]
	if !ok {
		return strconv.Itoa(int(p))
	}
	if lang == "en" {
		return "Pillar " + strconv.Itoa(int(p)) + ": " + l[1]
	}
	return "柱" + strconv.Itoa(int(p)) + " " + l[0]
}

// Short is "柱1" / "P1".
func (p Pillar) Short(lang string) string {
	if lang == "en" {
		return "P" + strconv.Itoa(int(p))
	}
	return "柱" + strconv.Itoa(int(p))
}

// LifeStage is where a company stands in its life cycle.
type LifeStage string

const (
	StageStartup    LifeStage = "startup"    // 創業期
	StageGrowth     LifeStage = "growth"     // 成長期
	StageMature     LifeStage = "mature"     // 成熟期
	StageTransition LifeStage = "transition" // 転換期
	StageSuccession LifeStage = "succession" // 承継期
)

// LifeStages lists the stages in life-cycle order.
var LifeStages = []LifeStage{StageStartup, StageGrowth, StageMature, StageTransition, StageSuccession}

var stageLabels = map[LifeStage][2]string{
	StageStartup: {"創業期", "Start-up"}, StageGrowth: {"成長期", "Growth"}, StageMature: {"成熟期", "Mature"},
	StageTransition: {"転換期", "Transition"}, StageSuccession: {"承継期", "Succession"},
}

// Label names the stage.
func (s LifeStage) Label(lang string) string { return pick(stageLabels[s], lang, string(s)) }

// critical reports whether a company at this stage should be visited
// before others of the planning list: succession or a change of course is
// when a company closes or moves away unless someone helps in time.
func (s LifeStage) critical() bool { return s == StageSuccession || s == StageTransition }

// VisitStatus says whether a visit is planned, done or called off.
type VisitStatus string

const (
	VisitPlanned   VisitStatus = "planned"
	VisitDone      VisitStatus = "done"
	VisitCancelled VisitStatus = "cancelled"
)

// VisitStatuses lists the statuses.
var VisitStatuses = []VisitStatus{VisitPlanned, VisitDone, VisitCancelled}

var visitStatusLabels = map[VisitStatus][2]string{VisitPlanned: {"予定", "Planned"}, VisitDone: {"実施済み", "Done"}, VisitCancelled: {"中止", "Cancelled"}}

// Label names the status.
func (s VisitStatus) Label(lang string) string { return pick(visitStatusLabels[s], lang, string(s)) }

// IssueStatus is where a CompanyIssue stands (未着手・対応中・解決・見送り).
type IssueStatus string

const (
	IssueOpen       IssueStatus = "open"
	IssueInProgress IssueStatus = "in_progress"
	IssueResolved   IssueStatus = "resolved"
	IssueDropped    IssueStatus = "dropped"
)

// IssueStatuses lists the statuses.
var IssueStatuses = []IssueStatus{IssueOpen, IssueInProgress, IssueResolved, IssueDropped}

var issueStatusLabels = map[IssueStatus][2]string{IssueOpen: {"未着手", "Not started"}, IssueInProgress: {"対応中", "In progress"}, IssueResolved: {"解決", "Resolved"}, IssueDropped: {"見送り", "Dropped"}}

// Label names the status.
func (s IssueStatus) Label(lang string) string { return pick(issueStatusLabels[s], lang, string(s)) }

// Active reports whether the issue still needs work.
func (s IssueStatus) Active() bool { return s == IssueOpen || s == IssueInProgress }

// Category classifies a consultation.
type Category string

const (
	CatSuccession Category = "succession" // 事業承継・M&A
	CatStartup    Category = "startup"    // 創業
	CatFinance    Category = "finance"    // 資金
	CatSales      Category = "sales"      // 販路
	CatDX         Category = "dx"         // DX
	CatCN         Category = "cn"         // カーボンニュートラル
	CatBCP        Category = "bcp"        // BCP
	CatPeople     Category = "people"     // 人材
	CatOther      Category = "other"
)

// Categories lists the categories.
var Categories = []Category{CatSuccession, CatStartup, CatFinance, CatSales, CatDX, CatCN, CatBCP, CatPeople, CatOther}

var categoryLabels = map[Category][2]string{
	CatSuccession: {"事業承継・M&A", "Succession, M&A"}, CatStartup: {"創業", "Start-up"}, CatFinance: {"資金", "Finance"},
	CatSales: {"販路開拓", "Sales channels"}, CatDX: {"DX・デジタル化", "DX, digitalisation"}, CatCN: {"カーボンニュートラル", "Carbon neutrality"},
	CatBCP: {"BCP・事業継続", "BCP, continuity"}, CatPeople: {"人材", "People"}, CatOther: {"その他", "Other"},
}

// Label names the category.
func (c Category) Label(lang string) string { return pick(categoryLabels[c], lang, string(c)) }

// Keywords are the words an agency's specialties contain when it handles
// the category (the directory suggests those agencies first).
func (c Category) Keywords() []string {
	switch c {
	case CatSuccession:
		return []string{"事業承継", "M&A", "承継"}
	case CatStartup:
		return []string{"創業", "起業", "インキュベーション"}
	case CatFinance:
		return []string{"融資", "資金", "補助金", "保証"}
	case CatSales:
		return []string{"販路", "展示会", "商談", "マッチング"}
	case CatDX:
		return []string{"DX", "デジタル", "IT", "IoT"}
	case CatCN:
		return []string{"カーボンニュートラル", "省エネ", "脱炭素"}
	case CatBCP:
		return []string{"BCP", "事業継続", "防災"}
	case CatPeople:
		return []string{"人材", "採用", "育成"}
	}
	return nil
}

// tags are the pillars and capabilities a consultation of the category
// counts under, so that consultations and the referrals answering them show
// in the council's tables beside visits and issues.
func (c Category) tags() (caps []Capability, pillars []Pillar) {
	switch c {
	case CatSuccession:
		return []Capability{CapManagement}, []Pillar{4}
	case CatStartup:
		return []Capability{CapManagement}, []Pillar{5}
	case CatFinance:
		return []Capability{CapManagement}, []Pillar{4}
	case CatSales:
		return []Capability{CapCollaboration}, []Pillar{1}
	case CatDX:
		return []Capability{CapTechnology}, []Pillar{2}
	case CatCN, CatBCP:
		return []Capability{CapFoundation}, []Pillar{4}
	case CatPeople:
		return []Capability{CapPeople}, []Pillar{3}
	}
	return nil, nil
}

// Channel is how a consultation came in.
type Channel string

const (
	ChannelAccount Channel = "account" // the company's own account
	ChannelPhone   Channel = "phone"
	ChannelWalkIn  Channel = "walk_in"
	ChannelEmail   Channel = "email"
	ChannelVisit   Channel = "visit" // raised during a visit
)

// Channels lists the channels.
var Channels = []Channel{ChannelPhone, ChannelWalkIn, ChannelEmail, ChannelVisit, ChannelAccount}

var channelLabels = map[Channel][2]string{ChannelAccount: {"企業アカウントから", "From the company's account"}, ChannelPhone: {"電話", "Phone"}, ChannelWalkIn: {"来庁", "At the desk"}, ChannelEmail: {"メール", "E-mail"}, ChannelVisit: {"訪問時", "During a visit"}}

// Label names the channel.
func (c Channel) Label(lang string) string { return pick(channelLabels[c], lang, string(c)) }

// ConsultationStatus is where a consultation stands.
type ConsultationStatus string

const (
	ConsNew        ConsultationStatus = "new"
	ConsInProgress ConsultationStatus = "in_progress"
	ConsReferred   ConsultationStatus = "referred"
	ConsClosed     ConsultationStatus = "closed"
)

// ConsultationStatuses lists the statuses.
var ConsultationStatuses = []ConsultationStatus{ConsNew, ConsInProgress, ConsReferred, ConsClosed}

var consStatusLabels = map[ConsultationStatus][2]string{ConsNew: {"受付", "Received"}, ConsInProgress: {"対応中", "In progress"}, ConsReferred: {"紹介済み", "Referred"}, ConsClosed: {"完了", "Closed"}}

// Label names the status.
func (s ConsultationStatus) Label(lang string) string {
	return pick(consStatusLabels[s], lang, string(s))
}

// Outcome is what came of a referral (受付済・対応中・完了・不調).
type Outcome string

const (
	OutcomeAccepted   Outcome = "accepted"
	OutcomeInProgress Outcome = "in_progress"
	OutcomeCompleted  Outcome = "completed"
	OutcomeFailed     Outcome = "failed"
)

// Outcomes lists the outcomes.
var Outcomes = []Outcome{OutcomeAccepted, OutcomeInProgress, OutcomeCompleted, OutcomeFailed}

var outcomeLabels = map[Outcome][2]string{OutcomeAccepted: {"受付済", "Accepted"}, OutcomeInProgress: {"対応中", "In progress"}, OutcomeCompleted: {"完了", "Completed"}, OutcomeFailed: {"不調", "Did not work out"}}

// Label names the outcome.
func (o Outcome) Label(lang string) string { return pick(outcomeLabels[o], lang, string(o)) }

// Open reports whether the referral still needs following up.
func (o Outcome) Open() bool { return o == OutcomeAccepted || o == OutcomeInProgress }

// Measure is a measure (施策・事業) of the Industrial Promotion Plan that can
// answer a CompanyIssue or a referral. The plan's own package will own
// measures once it exists; until then this catalogue of the 2023 plan's
// measures (seed 003) is what visits link to, by code.
type Measure struct {
	Code   string `json:"code"`
	Pillar Pillar `json:"pillar"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
}

// Label names the measure.
func (m Measure) Label(lang string) string {
	if lang == "en" && m.NameEN != "" {
		return m.NameEN
	}
	return m.Name
}

// Measures is the catalogue of measures, by pillar.
var Measures = []Measure{
	{"1-1", 1, "製品・技術のみえる化（PRレポート・市内企業紹介サイト）", "Making products and technologies visible (PR reports)"},
	{"1-2", 1, "新製品・新技術開発等支援（事業拡大支援事業・ものづくり産業開発支援事業）", "Support for new products and technologies"},
	{"1-3", 1, "販路開拓支援事業", "Sales channel development"},
	{"1-4", 1, "共同受注組織の立ち上げと受注促進", "Joint order-receiving groups"},
	{"1-5", 1, "企業との関係構築（連携コーディネート）", "Building relationships (coordination)"},
	{"1-6", 1, "ニーズ・シーズマッチング", "Needs–seeds matching"},
	{"1-7", 1, "企業力ステップアップ事業", "Company step-up programme"},
	{"2-1", 2, "外部支援機関活用支援（専門家派遣事業（デジタル化））", "Expert dispatch (digitalisation)"},
	{"2-2", 2, "デジタル化啓発・促進事業", "Promoting digitalisation"},
	{"2-3", 2, "次世代リーダー育成講座（デジタル化）", "Next-generation leaders course (digital)"},
	{"3-1", 3, "次世代ものづくり人材支援（ものづくりの楽しさ応援プロジェクト）", "Next-generation manufacturing talent"},
	{"3-2", 3, "働きやすい企業の表彰制度", "Awards for good workplaces"},
	{"3-3", 3, "人材支援関係事業", "Talent support"},
	{"4-1", 4, "企業立地支援事業・地域共生推進事業", "Location support and living with neighbours"},
	{"4-2", 4, "専門家派遣事業（カーボンニュートラル・事業継続計画）", "Expert dispatch (carbon neutrality, BCP)"},
	{"4-3", 4, "利子補給・保証料補助", "Interest and guarantee fee subsidies"},
	{"5-1", 5, "多摩平の森産業連携センターPlanTの運営（創業支援）", "PlanT incubation centre (start-ups)"},
	{"5-2", 5, "地域課題テーマ解決型ビジネスコンテスト", "Business contest on local challenges"},
	{"5-3", 5, "生活課題産業化（リビングラボ）", "Living lab"},
}

// MeasureByCode finds a measure of the catalogue.
func MeasureByCode(code string) (Measure, bool) {
	for _, m := range Measures {
		if m.Code == code {
			return m, true
		}
	}
	return Measure{}, false
}

func pick(l [2]string, lang, fallback string) string {
	if l[0] == "" {
		return fallback
	}
	if lang == "en" {
		return l[1]
	}
	return l[0]
}

// capBits and pillarBits turn tag lists into the database's bit sets.
func capBits(cs []Capability) int {
	n := 0
	for _, c := range cs {
		for i, x := range Capabilities {
			if c == x {
				n |= 1 << i
			}
		}
	}
	return n
}

func capsOf(bits int) []Capability {
	out := []Capability{}
	for i, c := range Capabilities {
		if bits&(1<<i) != 0 {
			out = append(out, c)
		}
	}
	return out
}

func pillarBits(ps []Pillar) int {
	n := 0
	for _, p := range ps {
		if p >= 1 && p <= 5 {
			n |= 1 << (p - 1)
		}
	}
	return n
}

func pillarsOf(bits int) []Pillar {
	out := []Pillar{}
	for _, p := range Pillars {
		if bits&(1<<(p-1)) != 0 {
			out = append(out, p)
		}
	}
	return out
}

// Date is a calendar day in Japan time, written YYYY-MM-DD ("" for none),
// for due dates and follow-ups: such dates have no time of day, and as text
// they compare and sort correctly in both databases.
type Date string

const dateLayout = "2006-01-02"

// DateOf is the Japanese calendar day of t.
func DateOf(t time.Time) Date { return Date(t.In(jp.JST).Format(dateLayout)) }

// Time is the start of the day in Japan time (zero for no date).
func (d Date) Time() time.Time {
	t, err := time.ParseInLocation(dateLayout, string(d), jp.JST)
	if err != nil {
		return time.Time{}
	}
	return t
}

// IsZero reports whether there is no date.
func (d Date) IsZero() bool { return d == "" }

// Before reports whether d is a date before e.
func (d Date) Before(e Date) bool { return d != "" && string(d) < string(e) }

// AddDays is the date n days later.
func (d Date) AddDays(n int) Date {
	t := d.Time()
	if t.IsZero() {
		return d
	}
	return DateOf(t.AddDate(0, 0, n))
}

// Format writes the date as the product does: 西暦 with 和暦, or English.
func (d Date) Format(lang string) string {
	t := d.Time()
	if t.IsZero() {
		return ""
	}
	if lang == "en" {
		return t.Format("2 Jan 2006")
	}
	return jp.FormatDateBoth(t)
}

// parseDate reads a date as people type it (2025-06-03, 2025/6/3, 令和7年6月3日 …).
func parseDate(s string) (Date, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	if t, err := time.ParseInLocation(dateLayout, s, jp.JST); err == nil {
		return DateOf(t), true
	}
	t, err := jp.ParseDate(s)
	if err != nil {
		return "", false
	}
	return Date(t.Format(dateLayout)), true
}

// FiscalYearLabel names 年度 fy: "令和7年度（2025年度）" or "FY2025 (Reiwa 7)".
func FiscalYearLabel(fy int, lang string) string {
	if lang == "en" {
		return jp.FormatFiscalYearEN(fy)
	}
	return jp.FormatFiscalYear(fy)
}

var weekdayJA = []string{"日", "月", "火", "水", "木", "金", "土"}

// DateLabel writes a visit's day: 西暦 with 和暦, or English.
func (v Visit) DateLabel(lang string) string {
	t := v.StartsAt.In(jp.JST)
	if lang == "en" {
		return t.Format("Mon 2 Jan 2006")
	}
	return jp.FormatDateBoth(t)
}

// TimeLabel writes a visit's weekday and hours: "（木）14:00〜15:30".
func (v Visit) TimeLabel(lang string) string {
	s, e := v.StartsAt.In(jp.JST), v.EndsAt().In(jp.JST)
	if lang == "en" {
		return s.Format("15:04") + "–" + e.Format("15:04")
	}
	return "（" + weekdayJA[s.Weekday()] + "）" + s.Format("15:04") + "〜" + e.Format("15:04")
}

// ShortDate writes a time's day briefly, for tables: "2025/6/5（木）".
func ShortDate(t time.Time, lang string) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(jp.JST)
	if lang == "en" {
		return t.Format("2 Jan 2006")
	}
	return t.Format("2006/1/2") + "（" + weekdayJA[t.Weekday()] + "）"
}

// Hours writes a visit's hours: "14:00〜15:30".
func (v Visit) Hours(lang string) string {
	s, e := v.StartsAt.In(jp.JST), v.EndsAt().In(jp.JST)
	if lang == "en" {
		return s.Format("15:04") + "–" + e.Format("15:04")
	}
	return s.Format("15:04") + "〜" + e.Format("15:04")
}
