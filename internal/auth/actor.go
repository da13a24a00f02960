package auth

// Actor is who performs a request or a command. Services take it as their
// first argument after the context and decide with it; they never read HTTP.
type Actor struct {
	UserID         int64
	Email          string
	Name           string
	Role           Role
	Municipality   string // 全国地方公共団体コード the actor belongs to (or, anonymous, is browsing)
	OrganizationID int64  // for members: their own organization
	IP             string
	Lang           string
	// System names a non-human actor ("nta", "demo", "cli"); Role is then admin.
	System string
}

// Anonymous is a visitor of a municipality's public pages.
func Anonymous(municipality string) Actor {
	return Actor{Role: RoleAnonymous, Municipality: municipality}
}

// System is a command-line or background actor with full rights in one
// municipality (or, with municipality "", for national reference data).
func System(name, municipality string) Actor {
	return Actor{Role: RoleAdmin, Municipality: municipality, System: name, Email: "system:" + name}
}

// SignedIn reports whether the actor is a user or the system.
func (a Actor) SignedIn() bool { return a.Role != RoleAnonymous }

// Can reports whether the actor holds the permission.
func (a Actor) Can(p Permission) bool { return a.Role.Can(p) }

// Label is how the actor appears in history and the audit log.
func (a Actor) Label() string {
	if a.System != "" {
		return "system:" + a.System
	}
	if a.Email != "" {
		return a.Email
	}
	return "anonymous"
}
