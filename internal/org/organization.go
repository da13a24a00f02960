// Package org is the registry: companies, university labs, universities,
// banks and support agencies of a municipality, their profiles (an approved
// version and a member's draft), capabilities, visibility and history.
package org

import (
	"time"
)

// Status says whether an organization is in use.
type Status string

const (
	StatusActive   Status = "active"
	StatusArchived Status = "archived"
)

// DraftStatus is where a member's draft stands.
type DraftStatus string

const (
	DraftNone      DraftStatus = ""
	DraftEditing   DraftStatus = "editing"   // saved, not yet sent for approval
	DraftSubmitted DraftStatus = "submitted" // waiting for staff (承認待ち)
	DraftRejected  DraftStatus = "rejected"  // sent back with a note (差し戻し)
)

// Organization is one registry entry.
type Organization struct {
	ID           int64   `json:"id"`
	Municipality string  `json:"municipality_code"`
	ExternalID   string  `json:"external_id,omitempty"`
	Kind         Kind    `json:"kind"`
	Status       Status  `json:"status"`
	Published    bool    `json:"published"`
	Featured     bool    `json:"featured,omitempty"` // shown on the public home page
	Profile      Profile `json:"profile"`
	Version      int     `json:"version"`

	Draft       *Profile    `json:"draft,omitempty"`
	DraftStatus DraftStatus `json:"draft_status,omitempty"`
	DraftBy     int64       `json:"draft_by,omitempty"`
	DraftAt     *time.Time  `json:"draft_at,omitempty"`
	DraftNote   string      `json:"draft_note,omitempty"`

	PublishedAt   *time.Time `json:"published_at,omitempty"`
	ArchivedAt    *time.Time `json:"archived_at,omitempty"`
	ArchiveReason string     `json:"archive_reason,omitempty"`

	// From the NTA corporate-number data, when it says the corporation closed.
	ClosedOn                 string `json:"closed_on,omitempty"`
	CloseCause               string `json:"close_cause,omitempty"`
	SuccessorCorporateNumber string `json:"successor_corporate_number,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// KindLabel names a kind for people.
func KindLabel(k Kind, lang string) string {
	ja := map[Kind]string{KindCompany: "企業", KindLab: "研究室", KindUniversity: "大学", KindBank: "金融機関", KindAgency: "支援機関"}
	en := map[Kind]string{KindCompany: "Company", KindLab: "Lab", KindUniversity: "University", KindBank: "Financial institution", KindAgency: "Support agency"}
	if lang == "en" {
		return en[k]
	}
	return ja[k]
}

// ValidKind reports whether k is a known kind.
func ValidKind(k Kind) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// VisibilityOf returns the visibility of a field group in the profile.
func (p Profile) VisibilityOf(g FieldGroup) Visibility {
	switch g {
	case GroupBasic:
		return Public
	case GroupNotes:
		return Staff
	}
	if v, ok := p.Visibility[g]; ok {
		return v
	}
	for _, fg := range FieldGroups {
		if fg.Group == g {
			return fg.Default
		}
	}
	return Staff
}

// Visible returns a copy of the profile with every field group that the
// viewer's level may not see emptied. Levels: Public for the public, Partners
// for signed-in members of other organizations, Staff for staff.
func (p Profile) Visible(level Visibility) Profile {
	can := func(g FieldGroup) bool { return p.VisibilityOf(g).Rank() <= level.Rank() }
	out := p
	if !can(GroupScale) {
		out.FoundedYear, out.Employees, out.CapitalYen = 0, 0, 0
	}
	if !can(GroupContact) {
		out.Contacts = nil
	}
	if !can(GroupCapabilities) {
		out.Processes, out.Specialties, out.Materials, out.Certifications = nil, nil, nil, nil
		out.Lot, out.Markets, out.MaxWorkpieceSize, out.Equipment, out.Products = nil, nil, "", nil, nil
	}
	if !can(GroupPR) {
		out.CatchPhrase, out.PRText = "", ""
	}
	if !can(GroupStrengths) {
		out.Strengths = ""
	}
	if !can(GroupResearch) {
		out.ResearchTopics, out.Keywords, out.SeedsText, out.Collaboration = nil, nil, "", nil
	}
	if !can(GroupNotes) {
		out.Notes = ""
	}
	if level != Staff {
		// Which groups are hidden is itself an internal setting.
		out.Visibility = nil
	}
	return out
}

// DisplayName is the name in the language asked for, falling back to Japanese.
func (p Profile) DisplayName(lang string) string {
	if lang == "en" && p.NameEN != "" {
		return p.NameEN
	}
	return p.Name
}

// AddressLine is the address in one line, as written on letters.
func (a Address) Line() string {
	return a.Prefecture + a.City + a.Town + spaced(a.Building)
}

func spaced(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}
