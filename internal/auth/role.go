// Package auth knows who is acting and what they may do: users and their
// roles, passwords, sessions, API tokens, the permission table and the
// append-only audit log.
package auth

// Role is what a user is to the municipality.
type Role string

const (
	RoleAdmin       Role = "admin"       // manages users and settings, and everything staff do
	RoleStaff       Role = "staff"       // 産業振興課 職員: runs the registry, approves, imports
	RoleCoordinator Role = "coordinator" // コーディネーター: reads and edits the registry
	RoleMember      Role = "member"      // a company's or lab's own account
	RoleBank        Role = "bank"        // 金融機関の担当者: bank staff who co-visit companies; tied to a bank organization
	RoleAnonymous   Role = ""            // the public
)

// Roles lists the roles of signed-in users, most powerful first.
var Roles = []Role{RoleAdmin, RoleStaff, RoleCoordinator, RoleBank, RoleMember}

// AllRoles adds the anonymous public to Roles; permission tests walk it.
var AllRoles = append(append([]Role{}, Roles...), RoleAnonymous)

// Valid reports whether r is a role a user can have.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Label is the role's name for people.
func (r Role) Label(lang string) string {
	en := map[Role]string{RoleAdmin: "Administrator", RoleStaff: "Staff", RoleCoordinator: "Coordinator", RoleBank: "Bank staff", RoleMember: "Organization member", RoleAnonymous: "Public"}
	ja := map[Role]string{RoleAdmin: "管理者", RoleStaff: "職員", RoleCoordinator: "コーディネーター", RoleBank: "金融機関の担当者", RoleMember: "企業・研究室の担当者", RoleAnonymous: "一般"}
	if lang == "en" {
		return en[r]
	}
	return ja[r]
}

// Permission is a capability a route or service call needs.
type Permission string

const (
	PermPublic         Permission = "public"          // anyone, signed in or not
	PermSignedIn       Permission = "signed_in"       // any signed-in user
	PermRegistryRead   Permission = "registry.read"   // every organization, every field
	PermRegistryEdit   Permission = "registry.edit"   // create and edit organizations directly
	PermRegistryManage Permission = "registry.manage" // approve drafts, archive, import, export, taxonomy
	PermOwnProfile     Permission = "own_profile"     // a member's own organization, as drafts
	PermUsersManage    Permission = "users.manage"    // accounts of the municipality
	// Company visits and consultations (internal/visit). Visit notes and
	// consultation details are confidential to the municipality's staff and
	// coordinators; bank staff see only the visits they attended; members
	// see their own consultations and referrals without internal notes.
	PermVisitRead     Permission = "visit.read"     // every visit, CompanyIssue, consultation, referral, timeline, planning
	PermVisitEdit     Permission = "visit.edit"     // record and edit them
	PermVisitAttended Permission = "visit.attended" // the visit list and pages (bank staff: the visits they attended), calendar feeds
	PermVisitReport   Permission = "visit.report"   // counts and exports for the council
	PermConsultations Permission = "consultations"  // consultations and referrals (members: their own, without notes); ask for advice
)

// grants is the permission table: which roles hold which permission.
var grants = map[Permission][]Role{
	PermPublic:         {RoleAdmin, RoleStaff, RoleCoordinator, RoleBank, RoleMember, RoleAnonymous},
	PermSignedIn:       {RoleAdmin, RoleStaff, RoleCoordinator, RoleBank, RoleMember},
	PermRegistryRead:   {RoleAdmin, RoleStaff, RoleCoordinator},
	PermRegistryEdit:   {RoleAdmin, RoleStaff, RoleCoordinator},
	PermRegistryManage: {RoleAdmin, RoleStaff},
	PermOwnProfile:     {RoleMember},
	PermUsersManage:    {RoleAdmin},
	PermVisitRead:      {RoleAdmin, RoleStaff, RoleCoordinator},
	PermVisitEdit:      {RoleAdmin, RoleStaff, RoleCoordinator},
	PermVisitAttended:  {RoleAdmin, RoleStaff, RoleCoordinator, RoleBank},
	PermVisitReport:    {RoleAdmin, RoleStaff},
	PermConsultations:  {RoleAdmin, RoleStaff, RoleCoordinator, RoleMember},
}

// Can reports whether the role holds the permission.
func (r Role) Can(p Permission) bool {
	for _, x := range grants[p] {
		if x == r {
			return true
		}
	}
	return false
}

// Permissions lists every permission, for the permission tests.
func Permissions() []Permission {
	out := make([]Permission, 0, len(grants))
	for p := range grants {
		out = append(out, p)
	}
	return out
}
