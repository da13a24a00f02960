package org

// Kind is what sort of organization a registry entry is.
type Kind string

const (
	KindCompany    Kind = "company"    // 企業
	KindLab        Kind = "lab"        // 研究室
	KindUniversity Kind = "university" // 大学
	KindBank       Kind = "bank"       // 金融機関
	KindAgency     Kind = "agency"     // 支援機関
)

// Kinds lists every organization kind in display order.
var Kinds = []Kind{KindCompany, KindLab, KindUniversity, KindBank, KindAgency}

// Visibility says who may see a group of profile fields.
type Visibility string

const (
	Public   Visibility = "public"   // anyone, including the public directory
	Partners Visibility = "partners" // signed-in users of the municipality
	Staff    Visibility = "staff"    // staff and coordinators of the municipality
)

// Rank orders visibilities so that a viewer with level v sees every group whose
// visibility rank is at most v's rank.
func (v Visibility) Rank() int {
	switch v {
	case Public:
		return 0
	case Partners:
		return 1
	case Staff:
		return 2
	}
	return 3
}

// FieldGroup names a group of profile fields that share one visibility.
type FieldGroup string

const (
	GroupBasic        FieldGroup = "basic"        // name, address, JSIC, 法人番号: always public
	GroupScale        FieldGroup = "scale"        // employees, capital, founding year
	GroupContact      FieldGroup = "contact"      // contact people, phone, e-mail
	GroupCapabilities FieldGroup = "capabilities" // processes, materials, equipment, products …
	GroupPR           FieldGroup = "pr"           // catch phrase, PR text
	GroupStrengths    FieldGroup = "strengths"    // the expert's assessment
	GroupResearch     FieldGroup = "research"     // lab research seeds
	GroupNotes        FieldGroup = "notes"        // internal notes: always staff
)

// FieldGroups lists the groups whose visibility can be chosen, with their defaults.
var FieldGroups = []struct {
	Group   FieldGroup
	Default Visibility
}{
	{GroupScale, Public},
	{GroupContact, Partners},
	{GroupCapabilities, Public},
	{GroupPR, Public},
	{GroupStrengths, Public},
	{GroupResearch, Public},
}

// Address is a structured Japanese address.
type Address struct {
	Prefecture string `json:"prefecture,omitempty"` // 東京都
	City       string `json:"city,omitempty"`       // 日野市
	Town       string `json:"town,omitempty"`       // 町名・番地: 旭が丘3-12-5
	Building   string `json:"building,omitempty"`   // 建物名
	// CityCode is the 全国地方公共団体コード of the place the organization is
	// located in, which may differ from the municipality whose registry holds it.
	CityCode string `json:"city_code,omitempty"`
}

// Contact is a person or desk to reach.
type Contact struct {
	Department string `json:"department,omitempty"`
	Person     string `json:"person,omitempty"`
	Phone      string `json:"phone,omitempty"`
	Fax        string `json:"fax,omitempty"`
	Email      string `json:"email,omitempty"`
}

// Equipment is a machine or instrument the organization has.
type Equipment struct {
	Name      string `json:"name"`
	Count     int    `json:"count,omitempty"`
	Spec      string `json:"spec,omitempty"`
	Shareable bool   `json:"shareable,omitempty"` // labs: available to companies (設備利用)
}

// Product is something the organization makes, optionally with a photo.
type Product struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Photo       string `json:"photo,omitempty"` // image id
}

// Profile is everything an organization publishes or keeps about itself. The
// same shape holds the published version and a member's draft.
type Profile struct {
	// basic (always public)
	Name            string  `json:"name"`
	NameKana        string  `json:"name_kana,omitempty"` // reading in katakana, without the legal form
	NameEN          string  `json:"name_en,omitempty"`
	CorporateNumber string  `json:"corporate_number,omitempty"` // 法人番号
	JSICCode        string  `json:"jsic_code,omitempty"`        // 日本標準産業分類 (2–4 digits)
	PostalCode      string  `json:"postal_code,omitempty"`      // NNN-NNNN
	Address         Address `json:"address"`
	URL             string  `json:"url,omitempty"`
	Representative  string  `json:"representative,omitempty"` // 代表者
	Logo            string  `json:"logo,omitempty"`           // image id

	// scale
	FoundedYear int   `json:"founded_year,omitempty"`
	Employees   int   `json:"employees,omitempty"`
	CapitalYen  int64 `json:"capital_yen,omitempty"`

	// contact
	Contacts []Contact `json:"contacts,omitempty"`

	// capabilities (terms from the municipality's taxonomy, except free lists)
	Processes        []string    `json:"processes,omitempty"`
	Specialties      []string    `json:"specialties,omitempty"`
	Materials        []string    `json:"materials,omitempty"`
	Certifications   []string    `json:"certifications,omitempty"`
	Lot              []string    `json:"lot,omitempty"`
	Markets          []string    `json:"markets,omitempty"`
	MaxWorkpieceSize string      `json:"max_workpiece_size,omitempty"`
	Equipment        []Equipment `json:"equipment,omitempty"`
	Products         []Product   `json:"products,omitempty"`

	// pr
	CatchPhrase string `json:"catch_phrase,omitempty"`
	PRText      string `json:"pr_text,omitempty"`

	// strengths: 専門家による強みの分析, written by coordinators
	Strengths string `json:"strengths,omitempty"`

	// research (labs)
	University     string   `json:"university,omitempty"`
	Faculty        string   `json:"faculty,omitempty"`
	Department     string   `json:"department,omitempty"`
	Lab            string   `json:"lab,omitempty"`
	Head           string   `json:"head,omitempty"`
	HeadKana       string   `json:"head_kana,omitempty"`
	ResearchTopics []string `json:"research_topics,omitempty"`
	Keywords       []string `json:"keywords,omitempty"`
	SeedsText      string   `json:"seeds_text,omitempty"`
	Collaboration  []string `json:"collaboration,omitempty"`

	// notes: internal, staff only
	Notes string `json:"notes,omitempty"`

	// Visibility per field group; a missing group has its default.
	Visibility map[FieldGroup]Visibility `json:"visibility,omitempty"`
}
