package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEveryAuditActionHasALabel: each audit action the code writes
// ("organization.approve", "synonym.save", …) reads as words in Japanese and
// in English on the dashboard and in an organization's history, never as
// its key. The actions are found in the source: every "entity.verb" string
// literal of an audited entity, except the permission names.
func TestEveryAuditActionHasALabel(t *testing.T) {
	role, err := os.ReadFile("../auth/role.go")
	if err != nil {
		t.Fatal(err)
	}
	perms := map[string]bool{}
	for _, m := range regexp.MustCompile(`Permission = "([^"]+)"`).FindAllStringSubmatch(string(role), -1) {
		perms[m[1]] = true
	}
	if !perms["visit.read"] {
		t.Fatal("permission names not found in ../auth/role.go")
	}
	lit := regexp.MustCompile(`"((?:organization|user|token|taxonomy|municipality|visit|company_issue|consultation|referral|calendar_feed|synonym|inquiry)\.[a-z_]+)"`)
	actions := map[string]string{}
	err = filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") || strings.HasSuffix(p, "org_history.go") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
			if !perms[m[1]] {
				actions[m[1]] = p
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(actions) < 30 {
		t.Fatalf("only %d actions found: %v", len(actions), actions)
	}
	for a, where := range actions {
		for _, lang := range []string{"ja", "en"} {
			if actionLabel(a, lang) == a {
				t.Errorf("%s (written in %s) has no %s label", a, where, lang)
			}
		}
	}
}
