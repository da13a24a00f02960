package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"mieruka/internal/auth"
	"mieruka/internal/errs"
	"mieruka/internal/jp"
	"mieruka/internal/org"
	"mieruka/internal/visit"
)

// The demo city's coordinators' memory: the support agencies and banks of
// the area, the people who visit, and a few years of visits, CompanyIssues,
// consultations and referrals, generated from a fixed seed so that the same
// day gives the same city.
//
// The agencies are the area's real public support bodies, with contacts
// that are made up (…demo.invalid); the banks are fictional. They are not
// published: they are where companies are referred, not the local firms
// the public directory shows.

type agencyDef struct {
	ext, name, kana, city, town string
	kind                        org.Kind
	specialties                 []string
	dept, url                   string
}

var agencyDefs = []agencyDef{
	{"A001", "公益財団法人東京都中小企業振興公社 多摩支社", "トウキョウトチュウショウキギョウシンコウコウシャ タマシシャ", "昭島市", "東町3-6-1", org.KindAgency,
		[]string{"専門家派遣（DX・カーボンニュートラル・BCP）", "販路開拓・展示会出展支援", "助成金", "経営相談"}, "企業支援課", "https://www.tokyo-kosha.or.jp/"},
	{"A002", "地方独立行政法人東京都立産業技術研究センター 多摩テクノプラザ", "トウキョウトリツサンギョウギジュツケンキュウセンター タマテクノプラザ", "八王子市", "旭町9-1", org.KindAgency,
		[]string{"技術相談・依頼試験", "製品開発支援", "IoT・DX導入支援", "大学・研究機関との連携（ニーズ・シーズマッチング）"}, "技術相談窓口", "https://www.iri-tokyo.jp/"},
	{"A003", "東京都事業承継・引継ぎ支援センター", "トウキョウトジギョウショウケイ・ヒキツギシエンセンター", "千代田区", "丸の内2-5-1", org.KindAgency,
		[]string{"事業承継計画の策定支援", "M&A・第三者承継のマッチング", "後継者人材バンク"}, "相談窓口", ""},
	{"A004", "日野市商工会", "ヒノシショウコウカイ", "日野市", "日野本町1-4-15", org.KindAgency,
		[]string{"経営相談", "創業支援", "融資あっせん（マル経融資）", "補助金の申請支援"}, "経営支援課", ""},
	{"A005", "東京都よろず支援拠点", "トウキョウトヨロズシエンキョテン", "千代田区", "神田佐久間町1-9", org.KindAgency,
		[]string{"経営相談", "販路開拓・商品企画", "IT活用・デジタル化"}, "多摩出張相談", ""},
	{"A006", "多摩平の森産業連携センター PlanT", "タマダイラノモリサンギョウレンケイセンター プラント", "日野市", "多摩平2-9", org.KindAgency,
		[]string{"創業支援・インキュベーション", "コワーキング", "起業相談", "産学連携"}, "事務局", ""},
	{"A007", "一般社団法人東京都中小企業診断士協会 多摩支部", "トウキョウトチュウショウキギョウシンダンシキョウカイ タマシブ", "立川市", "曙町2-38-5", org.KindAgency,
		[]string{"BCP（事業継続計画）策定支援", "経営改善計画", "事業承継"}, "支部事務局", ""},
	{"A008", "クール・ネット東京（東京都地球温暖化防止活動推進センター）", "クールネットトウキョウ", "新宿区", "西新宿2-8-1", org.KindAgency,
		[]string{"カーボンニュートラル・脱炭素経営", "省エネ診断", "省エネ設備導入の助成"}, "中小企業支援担当", ""},
	{"A009", "東京しごとセンター多摩", "トウキョウシゴトセンタータマ", "国分寺市", "南町3-22-10", org.KindAgency,
		[]string{"人材採用支援", "若手・シニアの就業支援", "人材育成・定着"}, "企業支援窓口", ""},
	{"B001", "多摩みらい信用金庫 日野支店", "タマミライシンヨウキンコ ヒノシテン", "日野市", "日野本町3-7-2", org.KindBank,
		[]string{"事業資金の融資", "事業承継・M&A支援", "ビジネスマッチング・販路", "経営改善支援"}, "法人営業課", ""},
	{"B002", "株式会社日本政策金融公庫 立川支店（中小企業事業）", "ニッポンセイサクキンユウコウコ タチカワシテン", "立川市", "曙町2-8-3", org.KindBank,
		[]string{"創業融資", "設備資金の融資", "事業承継・集約化の融資"}, "融資課", ""},
	{"B003", "武蔵中央銀行 立川支店", "ムサシチュウオウギンコウ タチカワシテン", "立川市", "錦町1-2-3", org.KindBank,
		[]string{"事業資金の融資", "事業承継・M&A支援", "補助金の活用支援"}, "法人営業部", ""},
}

// BankOrg is the external id of the demo bank the bank staff account belongs to.
const BankOrg = "B001"

// bankOrgID is the id of the demo bank (0 before it is seeded, which makes
// creating the bank account fail with a clear field error).
func bankOrgID(ctx context.Context, s Services) int64 {
	o, err := s.Organizations.GetByExternalID(ctx, auth.System("demo", Hino), BankOrg)
	if err != nil {
		return 0
	}
	return o.ID
}

var surnames = []string{"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "清水", "山崎", "森", "池田", "橋本", "石川", "小川", "岡田", "長谷川", "村上", "近藤", "坂本"}

// seedAgencies adds the support agencies and banks that are not there yet.
func seedAgencies(ctx context.Context, s Services) error {
	hino := auth.System("demo", Hino)
	for i, d := range agencyDefs {
		if _, err := s.Organizations.GetByExternalID(ctx, hino, d.ext); err == nil {
			continue
		}
		p := org.Profile{Name: d.name, NameKana: d.kana, Address: org.Address{Prefecture: "東京都", City: d.city, Town: d.town}, URL: d.url,
			Specialties: d.specialties,
			Contacts:    []org.Contact{{Department: d.dept, Person: surnames[(i*7)%len(surnames)] + "（デモ）", Phone: fmt.Sprintf("042-000-%04d", 1000+i*37), Email: "contact@" + strings.ToLower(d.ext) + "." + MailHost}},
			Notes:       "デモ用の記録です。連絡先は架空のものです。",
			Visibility:  map[org.FieldGroup]org.Visibility{org.GroupContact: org.Partners},
		}
		if _, err := s.Organizations.Create(ctx, hino, org.NewOrganization{Kind: d.kind, ExternalID: d.ext, Published: false, Profile: p}); err != nil {
			return fmt.Errorf("demo agency %s: %w", d.ext, err)
		}
	}
	return nil
}

// person is someone of the demo who visits companies.
type person struct {
	email, name string
	role        auth.Role
	org         string // the bank's external id, for bank staff
}

var visitors = []person{
	{"coordinator@" + MailHost, "コーディネーター（デモ）", auth.RoleCoordinator, ""},
	{"takahashi@" + MailHost, "高橋 修（工業活性化コーディネーター）", auth.RoleCoordinator, ""},
	{"mori@" + MailHost, "森 由美（課題解決コーディネーター）", auth.RoleCoordinator, ""},
	{"bank@" + MailHost, "金融機関の担当者（デモ）", auth.RoleBank, BankOrg},
}

// seedPeople makes sure the people who visit exist (demo accounts get
// their printed passwords later, in Accounts) and returns their ids.
func seedPeople(ctx context.Context, s Services) ([]int64, error) {
	hino := auth.System("demo", Hino)
	var ids []int64
	for _, p := range visitors {
		u, err := s.Auth.UserByEmail(ctx, p.email)
		if errs.Is(err, errs.NotFound) {
			var orgID int64
			if p.org != "" {
				o, err := s.Organizations.GetByExternalID(ctx, hino, p.org)
				if err != nil {
					return nil, err
				}
				orgID = o.ID
			}
			u, _, err = s.Auth.CreateUser(ctx, hino, auth.NewUser{Email: p.email, Name: p.name, Role: p.role, Municipality: Hino, OrganizationID: orgID})
		}
		if err != nil {
			return nil, fmt.Errorf("demo visitor %s: %w", p.email, err)
		}
		ids = append(ids, u.ID)
	}
	return ids, nil
}

// topic is what a visit is about, with what tends to follow from it.
type topic struct {
	purpose   []string
	caps      []visit.Capability
	pillars   []visit.Pillar
	issues    []string
	agencies  []string // external ids of where such issues are referred
	measure   string
	situation []string
	weight    int
}

var topics = []topic{
	{[]string{"事業承継の意向確認", "後継者の育成状況の確認", "事業承継計画についての相談"}, []visit.Capability{visit.CapManagement, visit.CapPeople}, []visit.Pillar{4},
		[]string{"後継者が決まっていない", "事業承継計画が未策定", "株式の承継と相続税の負担が心配"}, []string{"A003", "B001", "A007"}, "",
		[]string{"社長は%d歳。ご子息は別の会社に勤めており、継ぐかどうかはまだ話し合えていないとのこと。", "専務（ご長男）への承継を%d年後に予定。取引先への引き合わせを少しずつ進めている。", "後継者が見つからない場合は第三者への承継も考えたいとのこと。従業員の雇用を守ることが第一と話されていた。"}, 14},
	{[]string{"生産管理のデジタル化の状況確認", "IoT導入の検討状況の確認", "DX推進についての意見交換"}, []visit.Capability{visit.CapTechnology, visit.CapFoundation}, []visit.Pillar{2},
		[]string{"生産管理が紙とExcelで属人化している", "設備の稼働状況が把握できていない", "見積作成に時間がかかる"}, []string{"A002", "A001", "A005"}, "2-1",
		[]string{"受注から出荷までを紙の指示書で回しており、工程の進み具合は工場長の頭の中にある。", "古い設備にも後付けできる稼働監視の仕組みに関心あり。費用感を知りたいとのこと。", "見積は社長が一人で作っており、繁忙期には回答が遅れて失注することもある。"}, 14},
	{[]string{"新規取引先開拓の状況確認", "展示会出展の意向確認", "販路開拓についての相談"}, []visit.Capability{visit.CapCollaboration}, []visit.Pillar{1},
		[]string{"新規取引先の開拓が進まない", "特定の取引先への依存度が高い", "自社の強みをうまく伝えられていない"}, []string{"A001", "A005", "B001"}, "1-3",
		[]string{"売上の%d割を上位2社が占めており、取引先を広げたいとのこと。", "展示会には出たことがなく、出展の準備や費用の目安を知りたいとのこと。", "ホームページは10年前のまま。PRレポートを営業資料として使いたいとの声があった。"}, 12},
	{[]string{"人材確保の状況確認", "若手人材の採用についての相談", "技能承継の取組状況の確認"}, []visit.Capability{visit.CapPeople}, []visit.Pillar{3},
		[]string{"若手の採用が難しい", "熟練者の技能が若手に伝わっていない", "シニア人材の活用方法を知りたい"}, []string{"A009", "A004"}, "3-3",
		[]string{"求人を出しても応募がほとんどない。高校とのつながりを作りたいとのこと。", "ベテランの%d人が数年で定年を迎える。技能の見える化に取り組みたいとの意向。", "インターンシップの受け入れには前向き。受け入れの体制づくりに不安がある。"}, 11},
	{[]string{"設備投資計画の確認", "資金繰りの状況確認", "設備更新についての相談"}, []visit.Capability{visit.CapFoundation, visit.CapManagement}, []visit.Pillar{4},
		[]string{"設備更新の資金計画が立っていない", "運転資金が不足気味", "補助金の活用方法がわからない"}, []string{"B001", "B002", "B003", "A004"}, "4-3",
		[]string{"主力の%s が導入から20年以上経ち、更新を検討中。", "材料費の値上がりで資金繰りが厳しくなっている。価格転嫁は一部にとどまる。", "ものづくり補助金の申請を検討しているが、事業計画書の書き方がわからないとのこと。"}, 11},
	{[]string{"省エネ・カーボンニュートラルの取組状況の確認", "電気料金高騰への対応についての意見交換"}, []visit.Capability{visit.CapFoundation}, []visit.Pillar{4},
		[]string{"電気代の高騰で利益が圧迫されている", "取引先からCO2排出量の報告を求められている"}, []string{"A008", "A001"}, "4-2",
		[]string{"電気代が前年より%d割ほど上がった。コンプレッサーと空調の更新を検討している。", "大手の取引先からCO2排出量の算定を求められたが、何から始めればよいかわからないとのこと。"}, 7},
	{[]string{"BCP策定状況の確認", "災害への備えについての意見交換"}, []visit.Capability{visit.CapFoundation}, []visit.Pillar{4},
		[]string{"BCPが未策定", "データのバックアップが社内にしかない"}, []string{"A007", "A001"}, "4-2",
		[]string{"取引先の監査でBCPの有無を聞かれた。ひな形から作りたいとのこと。", "浅川に近く、水害時の設備の保護が心配とのこと。"}, 6},
	{[]string{"新製品開発の状況確認", "産学連携についての相談", "自社製品の開発についての意見交換"}, []visit.Capability{visit.CapTechnology, visit.CapCollaboration}, []visit.Pillar{1, 5},
		[]string{"自社製品の開発にあたり大学の知見を得たい", "試作品の評価方法がわからない"}, []string{"A002", "A006"}, "1-6",
		[]string{"下請けだけでなく自社製品を持ちたいとの思いが強い。%s の技術を生かせる分野を探している。", "市内大学の研究室と共同で評価を行いたいとのこと。ニーズ・シーズマッチングを紹介した。"}, 9},
	{[]string{"工場の拡張・移転の意向確認", "操業環境についての意見交換"}, []visit.Capability{visit.CapFoundation}, []visit.Pillar{4},
		[]string{"工場が手狭で移転先を探している", "周辺の住宅化で騒音への苦情がある"}, []string{"A004", "B001"}, "4-1",
		[]string{"受注増で工場が手狭になり、市内での移転・増築先を探している。", "周辺に住宅が増え、早朝の搬入について近隣から声が上がっている。"}, 5},
	{[]string{"第二創業・新事業についての相談", "新規事業の立ち上げ状況の確認"}, []visit.Capability{visit.CapManagement}, []visit.Pillar{5},
		[]string{"新事業の事業計画づくり", "新事業の資金調達"}, []string{"A006", "A004", "B002"}, "5-1",
		[]string{"医療・介護分野への参入を検討している。PlanT での相談会を案内した。", "後継者が中心となって新しい事業部を立ち上げる計画。"}, 5},
	{[]string{"近況の確認（定期訪問）", "定期訪問", "受注状況の確認"}, []visit.Capability{visit.CapFoundation, visit.CapCollaboration}, []visit.Pillar{1},
		nil, nil, "1-5",
		[]string{"受注は前年並みで安定している。", "半導体関連の受注が回復傾向。", "新しい機械を入れて加工の幅が広がった。"}, 20},
	{[]string{"PRレポートの取材", "PRレポートの内容確認"}, []visit.Capability{visit.CapCollaboration, visit.CapTechnology}, []visit.Pillar{1},
		nil, nil, "1-1",
		[]string{"PRレポートの取材。%s の精度と短納期が強みとのこと。", "PRレポートの原稿を確認いただいた。写真の差し替えを希望。"}, 6},
}

var closings = []string{
	"次回は%dか月後をめどに状況を伺う。",
	"支援メニューの資料を後日お送りすることになった。",
	"必要があれば金融機関とも連携して支援する旨を伝えた。",
	"社長からは「いつでも相談に乗ってほしい」とのこと。",
	"工場を見学させていただいた。整理整頓が行き届いている。",
	"次回は工場長にも同席いただく予定。",
}

var consultationDefs = map[visit.Category][]struct{ subject, request string }{
	visit.CatSuccession: {{"事業承継の進め方について", "後継者がおらず、今後どうしたらよいか相談したい。"}, {"M&Aによる承継について", "会社を譲ることも含めて、話を聞いてみたい。"}},
	visit.CatStartup:    {{"市内での創業について", "ものづくり関連で独立を考えている。使える支援を知りたい。"}, {"創業時の資金について", "創業にあたっての融資や補助金について教えてほしい。"}},
	visit.CatFinance:    {{"設備資金の調達について", "設備の入れ替えを考えており、融資の相談先を紹介してほしい。"}, {"運転資金について", "材料費の値上がりで資金繰りが厳しい。相談に乗ってほしい。"}},
	visit.CatSales:      {{"展示会への出展について", "初めて展示会に出たい。支援制度はあるか。"}, {"新規取引先の紹介について", "自社の技術を使ってくれる会社を探している。"}},
	visit.CatDX:         {{"生産管理システムの導入について", "生産管理をデジタル化したいが、何から始めればよいか。"}, {"IoTによる稼働監視について", "古い機械の稼働状況を見える化したい。"}},
	visit.CatCN:         {{"省エネ設備への更新について", "電気代が上がっており、省エネ設備の更新を考えている。"}, {"CO2排出量の算定について", "取引先から排出量の報告を求められた。"}},
	visit.CatBCP:        {{"BCPの作成について", "取引先から求められたのでBCPを作りたい。"}},
	visit.CatPeople:     {{"若手人材の採用について", "なかなか応募がない。採用の方法を相談したい。"}, {"インターンシップの受け入れについて", "学生を受け入れてみたい。"}},
	visit.CatOther:      {{"騒音についての近隣との関係", "近隣からの声にどう対応すればよいか相談したい。"}},
}

var categoryAgencies = map[visit.Category][]string{
	visit.CatSuccession: {"A003", "B001", "A007"}, visit.CatStartup: {"A006", "A004", "B002"}, visit.CatFinance: {"B001", "B002", "B003", "A004"},
	visit.CatSales: {"A001", "A005"}, visit.CatDX: {"A002", "A001", "A005"}, visit.CatCN: {"A008", "A001"}, visit.CatBCP: {"A007", "A001"},
	visit.CatPeople: {"A009", "A004"}, visit.CatOther: {"A004"},
}

// SeedVisits adds the support agencies, the banks and the people who visit,
// and gives the demo city its history of visits, issues, consultations and
// referrals, relative to now (not when the city already has visits).
func SeedVisits(ctx context.Context, s Services, now time.Time) error {
	if err := seedAgencies(ctx, s); err != nil {
		return err
	}
	people, err := seedPeople(ctx, s)
	if err != nil {
		return err
	}
	if s.Visits == nil {
		return nil
	}
	if has, err := s.Visits.HasVisits(ctx, Hino); err != nil || has {
		return err
	}
	hino := auth.System("demo", Hino)
	agencies := map[string]int64{}
	for _, d := range agencyDefs {
		o, err := s.Organizations.GetByExternalID(ctx, hino, d.ext)
		if err != nil {
			return err
		}
		agencies[d.ext] = o.ID
	}
	var companies []org.Organization
	for page := 1; ; page++ {
		res, err := s.Organizations.List(ctx, hino, org.ListQuery{Kind: org.KindCompany, Sort: "id", Page: page, PerPage: 500})
		if err != nil {
			return err
		}
		companies = append(companies, res.Items...)
		if page >= res.Pages() {
			break
		}
	}
	b := generateHistory(companies, people, agencies, now)
	_, err = s.Visits.Import(ctx, hino, b)
	return err
}

// generateHistory writes the demo history: visits from April three fiscal
// years back until today, planned visits for the coming weeks, and
// consultations; issues and referrals follow from what visits found.
func generateHistory(companies []org.Organization, people []int64, agencies map[string]int64, now time.Time) visit.Bulk {
	rng := rand.New(rand.NewPCG(132128, 2023))
	now = now.In(jp.JST)
	today := visit.DateOf(now)
	start := time.Date(jp.FiscalYear(now)-3, time.April, 1, 0, 0, 0, 0, jp.JST)
	coordinator, takahashi, mori, bank := people[0], people[1], people[2], people[3]
	coordinators := []int64{coordinator, coordinator, takahashi, mori}
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	var totalWeight int
	for _, t := range topics {
		totalWeight += t.weight
	}
	pickTopic := func(stage visit.LifeStage) topic {
		if stage == visit.StageSuccession && rng.IntN(3) == 0 {
			return topics[0]
		}
		n := rng.IntN(totalWeight)
		for _, t := range topics {
			if n < t.weight {
				return t
			}
			n -= t.weight
		}
		return topics[len(topics)-1]
	}
	workday := func(t time.Time) time.Time {
		for t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
			t = t.AddDate(0, 0, 1)
		}
		slots := [][2]int{{9, 30}, {10, 0}, {10, 30}, {13, 30}, {14, 0}, {15, 0}, {15, 30}}
		sl := slots[rng.IntN(len(slots))]
		return time.Date(t.Year(), t.Month(), t.Day(), sl[0], sl[1], 0, 0, jp.JST)
	}
	outcomeFor := func(age time.Duration) visit.Outcome {
		days := age.Hours() / 24
		switch r := rng.IntN(100); {
		case days < 21:
			return visit.OutcomeAccepted
		case days < 90:
			if r < 50 {
				return visit.OutcomeInProgress
			} else if r < 80 {
				return visit.OutcomeAccepted
			}
			return visit.OutcomeCompleted
		case r < 68:
			return visit.OutcomeCompleted
		case r < 83:
			return visit.OutcomeFailed
		}
		return visit.OutcomeInProgress
	}
	// Something still open has been followed up and rescheduled: its
	// next date is around today (a few of them overdue), not months back.
	followUp := func(from time.Time, outcome visit.Outcome) visit.Date {
		if !outcome.Open() {
			return ""
		}
		d := visit.DateOf(from.AddDate(0, 0, 14+rng.IntN(60)))
		if d.Before(today.AddDays(-21)) {
			d = today.AddDays(rng.IntN(70) - 14)
		}
		return d
	}
	var b visit.Bulk
	for ci, c := range companies {
		p := c.Profile
		stage := visit.StageMature
		switch {
		case p.FoundedYear >= 2015:
			stage = visit.StageStartup
		case p.FoundedYear > 0 && p.FoundedYear < 1980 && rng.IntN(2) == 0:
			stage = visit.StageSuccession
		case rng.IntN(5) == 0:
			stage = visit.StageTransition
		case p.FoundedYear >= 2000 || rng.IntN(3) == 0:
			stage = visit.StageGrowth
		}
		// How often the city visits this company: a third often, a third
		// now and then, a third hardly ever (they show on the planning list).
		var gap int // days between visits
		switch r := rng.IntN(100); {
		case r < 32:
			gap = 90 + rng.IntN(60)
		case r < 68:
			gap = 300 + rng.IntN(220)
		case r < 84:
			gap = 800 + rng.IntN(400)
		default:
			gap = 0
		}
		owner := coordinators[ci%len(coordinators)]
		rep := surnames[rng.IntN(len(surnames))]
		if gap > 0 {
			t := start.AddDate(0, 0, rng.IntN(gap))
			for t.Before(now.AddDate(0, 0, -1)) {
				at := workday(t)
				if !at.Before(now) {
					break
				}
				tp := pickTopic(stage)
				in := visit.VisitInput{OrganizationID: c.ID, Status: visit.VisitDone, StartsAt: at, Minutes: []int{45, 60, 60, 90, 120}[rng.IntN(5)],
					Purpose: pick(tp.purpose), Capabilities: tp.caps, Pillars: tp.pillars,
					CompanyAttendees: []string{[]string{"代表取締役 ", "専務取締役 ", "工場長 ", "総務部長 "}[rng.IntN(4)] + rep}}
				if rng.IntN(10) < 7 {
					in.LifeStage = stage
				}
				in.AttendeeIDs = []int64{owner}
				if rng.IntN(4) == 0 {
					in.AttendeeIDs = append(in.AttendeeIDs, coordinators[rng.IntN(len(coordinators))])
				}
				// The bank comes along to talk money and succession, and now and then.
				if (tp.measure == "4-3" || tp.purpose[0] == topics[0].purpose[0] || rng.IntN(5) == 0) && rng.IntN(2) == 0 {
					in.AttendeeIDs = append(in.AttendeeIDs, bank)
				}
				in.AttendeeIDs = uniq(in.AttendeeIDs)
				in.Notes = visitNotes(rng, p, tp, stage, pick)
				bv := visit.BulkVisit{Visit: in, CreatedBy: owner}
				if len(tp.issues) > 0 && rng.IntN(100) < 55 {
					n := 1
					if rng.IntN(5) == 0 {
						n = 2
					}
					for k := 0; k < n; k++ {
						bv.Issues = append(bv.Issues, demoIssue(rng, tp, at, now, today, owner, coordinators, agencies, outcomeFor, followUp, k))
					}
				}
				b.Visits = append(b.Visits, bv)
				t = t.AddDate(0, 0, gap*3/4+rng.IntN(gap/2+1))
			}
		}
		// Planned visits in the coming weeks.
		if gap > 0 && gap < 400 && rng.IntN(6) == 0 {
			at := workday(now.AddDate(0, 0, 1+rng.IntN(30)))
			tp := pickTopic(stage)
			in := visit.VisitInput{OrganizationID: c.ID, Status: visit.VisitPlanned, StartsAt: at, Minutes: 60, Purpose: pick(tp.purpose),
				Capabilities: tp.caps, Pillars: tp.pillars, AttendeeIDs: uniq([]int64{owner, coordinator}), Notes: "事前に前回の課題の進み具合を確認しておく。"}
			if rng.IntN(3) == 0 {
				in.AttendeeIDs = append(in.AttendeeIDs, bank)
			}
			b.Visits = append(b.Visits, visit.BulkVisit{Visit: in, CreatedBy: owner})
		}
		// Consultations: a company now and then picks up the phone, writes,
		// or asks through its account.
		if rng.IntN(100) < 28 {
			cats := []visit.Category{visit.CatSuccession, visit.CatStartup, visit.CatFinance, visit.CatFinance, visit.CatSales, visit.CatSales, visit.CatDX, visit.CatDX, visit.CatCN, visit.CatBCP, visit.CatPeople, visit.CatPeople, visit.CatOther}
			cat := cats[rng.IntN(len(cats))]
			def := consultationDefs[cat][rng.IntN(len(consultationDefs[cat]))]
			at := workday(start.Add(time.Duration(rng.Int64N(int64(now.Sub(start)))))).Add(time.Duration(rng.IntN(40)) * time.Minute)
			if at.After(now) {
				at = now.Add(-3 * time.Hour)
			}
			channels := []visit.Channel{visit.ChannelPhone, visit.ChannelPhone, visit.ChannelWalkIn, visit.ChannelEmail, visit.ChannelAccount}
			age := now.Sub(at)
			status := visit.ConsClosed
			switch {
			case age < 10*24*time.Hour:
				status = visit.ConsNew
			case age < 60*24*time.Hour:
				status = visit.ConsInProgress
			}
			bc := visit.BulkConsultation{CreatedBy: owner, Consultation: visit.ConsultationInput{OrganizationID: c.ID, Channel: channels[rng.IntN(len(channels))], Category: cat,
				Subject: def.subject, Request: def.request, Notes: "担当の" + rep + "様から聞き取り。" + pick([]string{"詳しい資料を送付済み。", "来週改めて電話する。", "訪問時に詳しく伺うことにした。"}),
				Status: status, OwnerID: owner, ReceivedAt: at}}
			if status != visit.ConsClosed {
				bc.Consultation.FollowUpOn = visit.DateOf(at.AddDate(0, 0, 7+rng.IntN(21)))
			}
			if status != visit.ConsNew && rng.IntN(10) < 7 {
				ags := categoryAgencies[cat]
				on := visit.DateOf(at.AddDate(0, 0, 2+rng.IntN(10)))
				if on.Time().After(now) {
					on = today
				}
				out := outcomeFor(now.Sub(on.Time()))
				bc.Referrals = append(bc.Referrals, visit.ReferralInput{AgencyID: agencies[ags[rng.IntN(len(ags))]], ReferredOn: on, Outcome: out,
					FollowUpOn: followUp(on.Time(), out), OwnerID: owner, Notes: "先方の窓口に概要を伝え、企業から連絡してもらうことにした。"})
				if bc.Consultation.Status != visit.ConsClosed {
					bc.Consultation.Status = visit.ConsReferred
				}
			}
			b.Consultations = append(b.Consultations, bc)
		}
	}
	return b
}

func demoIssue(rng *rand.Rand, tp topic, at, now time.Time, today visit.Date, owner int64, coordinators []int64, agencies map[string]int64,
	outcomeFor func(time.Duration) visit.Outcome, followUp func(time.Time, visit.Outcome) visit.Date, k int) visit.BulkIssue {
	title := tp.issues[(rng.IntN(len(tp.issues))+k)%len(tp.issues)]
	age := now.Sub(at)
	due := visit.DateOf(at.AddDate(0, 1+rng.IntN(4), 0))
	status := visit.IssueOpen
	var resolvedAt *time.Time
	switch r := rng.IntN(100); {
	case age < 30*24*time.Hour:
		if r < 40 {
			status = visit.IssueInProgress
		}
	case age < 200*24*time.Hour:
		switch {
		case r < 45:
			status = visit.IssueResolved
		case r < 55:
			status = visit.IssueDropped
		case r < 85:
			status = visit.IssueInProgress
		}
	default:
		switch {
		case r < 76:
			status = visit.IssueResolved
		case r < 90:
			status = visit.IssueDropped
		case r < 96:
			status = visit.IssueInProgress
		}
	}
	// An issue still open after its first due date got a new one.
	if status.Active() && due.Before(today.AddDays(-21)) {
		due = today.AddDays(rng.IntN(80) - 12)
	}
	if !status.Active() {
		t := at.AddDate(0, 0, 20+rng.IntN(150))
		if t.After(now) {
			t = now.Add(-24 * time.Hour)
		}
		resolvedAt = &t
	}
	if rng.IntN(3) == 0 {
		owner = coordinators[rng.IntN(len(coordinators))]
	}
	bi := visit.BulkIssue{CreatedAt: at.Add(3 * time.Hour), ResolvedAt: resolvedAt, Issue: visit.IssueInput{Title: title, Capabilities: tp.caps, Pillars: tp.pillars,
		Status: status, OwnerID: owner, DueOn: due, Detail: "訪問時に把握。" + []string{"社長も優先度が高いと認識している。", "まずは情報提供から始める。", "他社の事例を紹介すると関心を示された。"}[rng.IntN(3)]}}
	if tp.measure != "" {
		bi.Issue.Measures = []string{tp.measure}
	}
	if len(tp.agencies) > 0 && status != visit.IssueDropped && rng.IntN(10) < 6 {
		on := visit.DateOf(at.AddDate(0, 0, 3+rng.IntN(20)))
		if on.Time().After(now) {
			on = today
		}
		out := outcomeFor(now.Sub(on.Time()))
		if status == visit.IssueResolved && out.Open() {
			out = visit.OutcomeCompleted
		}
		bi.Referrals = append(bi.Referrals, visit.ReferralInput{AgencyID: agencies[tp.agencies[rng.IntN(len(tp.agencies))]], Measure: tp.measure, ReferredOn: on,
			Outcome: out, FollowUpOn: followUp(on.Time(), out), OwnerID: owner,
			Notes: []string{"担当者に企業の概要を伝えた。", "企業から直接連絡してもらうことにした。", "初回の面談に同席する予定。"}[rng.IntN(3)]})
		if bi.Issue.Status == visit.IssueOpen {
			bi.Issue.Status = visit.IssueInProgress // being referred is being worked on
		}
	}
	return bi
}

// visitNotes writes a visit's notes as a coordinator would: who was met,
// the business, what the topic brought up, what comes next.
func visitNotes(rng *rand.Rand, p org.Profile, tp topic, stage visit.LifeStage, pick func([]string) string) string {
	var b strings.Builder
	if len(p.Markets) > 0 && len(p.Processes) > 0 {
		product := "部品"
		if len(p.Products) > 0 {
			product = p.Products[rng.IntN(len(p.Products))].Name
		}
		fmt.Fprintf(&b, "%s向けの%sが主力で、%sを中心に手がけている。", p.Markets[rng.IntN(len(p.Markets))], product, p.Processes[0])
	}
	s := pick(tp.situation)
	if strings.Contains(s, "%d") {
		n := 2 + rng.IntN(6)
		if strings.Contains(s, "歳") {
			n = 62 + rng.IntN(16)
		}
		s = fmt.Sprintf(s, n)
	} else if strings.Contains(s, "%s") {
		thing := "マシニングセンタ"
		if len(p.Equipment) > 0 {
			thing = p.Equipment[rng.IntN(len(p.Equipment))].Name
		} else if len(p.Processes) > 0 {
			thing = p.Processes[0]
		}
		s = fmt.Sprintf(s, thing)
	}
	b.WriteString(s)
	if stage == visit.StageSuccession && tp.purpose[0] != topics[0].purpose[0] && rng.IntN(3) == 0 {
		b.WriteString("事業承継についてはまだ具体的な話は出ていない。")
	}
	b.WriteString("\n\n")
	c := pick(closings)
	if strings.Contains(c, "%d") {
		c = fmt.Sprintf(c, 3+rng.IntN(4))
	}
	b.WriteString(c)
	return b.String()
}

func uniq(ids []int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
