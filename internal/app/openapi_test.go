package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"mieruka/internal/api"
	"mieruka/internal/httpx"
	"mieruka/internal/store"
)

type openAPIDoc struct {
	OpenAPI    string                              `json:"openapi"`
	Paths      map[string]map[string]openAPIOp     `json:"paths"`
	Components struct{ Schemas map[string]schema } `json:"components"`
}

type openAPIOp struct {
	Responses map[string]struct {
		Content map[string]struct{ Schema schema }
	} `json:"responses"`
	Parameters []struct {
		Name string `json:"name"`
		In   string `json:"in"`
	} `json:"parameters"`
	Security []map[string][]string `json:"security"`
}

type schema struct {
	Ref        string            `json:"$ref"`
	Type       string            `json:"type"`
	Properties map[string]schema `json:"properties"`
	Required   []string          `json:"required"`
	Items      *schema           `json:"items"`
	Enum       []string          `json:"enum"`
}

func loadOpenAPI(t *testing.T) openAPIDoc {
	var doc openAPIDoc
	if err := json.Unmarshal(api.OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	return doc
}

// TestOpenAPIMatchesRoutes: every API route is described, every described
// operation exists, and path parameters agree.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	a := start(t, store.SQLite)
	doc := loadOpenAPI(t)
	described := map[string]bool{}
	for p, ops := range doc.Paths {
		for m, op := range ops {
			key := strings.ToUpper(m) + " " + p
			described[key] = true
			for _, prm := range op.Parameters {
				if prm.In == "path" && !strings.Contains(p, "{"+prm.Name+"}") {
					t.Errorf("%s: path parameter %s is not in the path", key, prm.Name)
				}
			}
			if len(op.Responses) == 0 {
				t.Errorf("%s: no responses", key)
			}
		}
	}
	routes := map[string]bool{}
	for _, rt := range a.m.Router.Routes() {
		if rt.Kind != httpx.API {
			continue
		}
		key := rt.Method + " " + rt.Pattern
		routes[key] = true
		if !described[key] {
			t.Errorf("route %s is not in openapi.json", key)
		}
	}
	for key := range described {
		if !routes[key] {
			t.Errorf("openapi.json describes %s, which the server does not have", key)
		}
	}
	var keys []string
	for k := range routes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	t.Logf("%d API operations match", len(keys))
}

// validate checks v against the subset of JSON Schema the document uses.
func validate(doc openAPIDoc, s schema, v any, at string) []string {
	if s.Ref != "" {
		name := strings.TrimPrefix(s.Ref, "#/components/schemas/")
		ref, ok := doc.Components.Schemas[name]
		if !ok {
			return []string{at + ": unknown $ref " + s.Ref}
		}
		return validate(doc, ref, v, at)
	}
	var errs []string
	switch s.Type {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want object, got %T", at, v)}
		}
		for _, r := range s.Required {
			if _, ok := m[r]; !ok {
				errs = append(errs, at+": missing required "+r)
			}
		}
		for k, ps := range s.Properties {
			if x, ok := m[k]; ok && x != nil {
				errs = append(errs, validate(doc, ps, x, at+"."+k)...)
			}
		}
	case "array":
		l, ok := v.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want array, got %T", at, v)}
		}
		if s.Items != nil {
			for i, x := range l {
				errs = append(errs, validate(doc, *s.Items, x, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			return []string{fmt.Sprintf("%s: want string, got %T", at, v)}
		}
		if len(s.Enum) > 0 && str != "" {
			found := false
			for _, e := range s.Enum {
				found = found || e == str
			}
			if !found {
				errs = append(errs, fmt.Sprintf("%s: %q not in %v", at, str, s.Enum))
			}
		}
	case "integer":
		if f, ok := v.(float64); !ok || f != float64(int64(f)) {
			errs = append(errs, fmt.Sprintf("%s: want integer, got %v", at, v))
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			errs = append(errs, fmt.Sprintf("%s: want boolean, got %T", at, v))
		}
	}
	return errs
}

// TestOpenAPIResponses calls the API as staff and anonymously and checks
// that answers, including errors, have the documented shapes.
func TestOpenAPIResponses(t *testing.T) {
	a := start(t, store.SQLite)
	doc := loadOpenAPI(t)
	staff := a.token("admin@demo.invalid")
	anon := a.anonymous()
	var one struct {
		Items []struct{ ID int64 } `json:"items"`
	}
	staff.json("GET", "/api/v1/organizations?per_page=1", nil, &one)
	id := fmt.Sprint(one.Items[0].ID)
	calls := []struct {
		c            *client
		method, path string
		body         any
		spec         string // the documented path
	}{
		{anon, "GET", "/api/v1/organizations?per_page=5", nil, "/api/v1/organizations"},
		{anon, "GET", "/api/v1/organizations/C0001", nil, "/api/v1/organizations/{id}"},
		{anon, "GET", "/api/v1/organizations/999999", nil, "/api/v1/organizations/{id}"},
		{anon, "GET", "/api/v1/taxonomy", nil, "/api/v1/taxonomy"},
		{anon, "GET", "/api/v1/municipalities", nil, "/api/v1/municipalities"},
		{anon, "GET", "/api/v1/me", nil, "/api/v1/me"},
		{anon, "POST", "/api/v1/organizations", map[string]any{}, "/api/v1/organizations"},
		{staff, "GET", "/api/v1/me", nil, "/api/v1/me"},
		{staff, "GET", "/api/v1/organizations?per_page=3&status=all", nil, "/api/v1/organizations"},
		{staff, "GET", "/api/v1/organizations?per_page=9999", nil, "/api/v1/organizations"},
		{staff, "GET", "/api/v1/organizations/" + id, nil, "/api/v1/organizations/{id}"},
		{staff, "GET", "/api/v1/organizations/" + id + "/history", nil, "/api/v1/organizations/{id}/history"},
		{staff, "POST", "/api/v1/organizations", map[string]any{"kind": "company", "profile": map[string]any{"name": "", "corporate_number": "1234567890123"}}, "/api/v1/organizations"},
		{staff, "POST", "/api/v1/organizations", map[string]any{"kind": "company", "profile": map[string]any{"name": "株式会社API試験", "name_kana": "エーピーアイシケン"}}, "/api/v1/organizations"},
		{staff, "PUT", "/api/v1/organizations/" + id, map[string]any{"version": 0, "profile": map[string]any{"name": "古い版"}}, "/api/v1/organizations/{id}"},
		{staff, "POST", "/api/v1/organizations/" + id + "/publish", map[string]any{"version": 1}, "/api/v1/organizations/{id}/publish"},
		{staff, "GET", "/api/v1/corporations?q=日野", nil, "/api/v1/corporations"},
		{staff, "GET", "/api/v1/corporations/7123456789012", nil, "/api/v1/corporations/{number}"},
		{staff, "POST", "/api/v1/corporations/sync", nil, "/api/v1/corporations/sync"},
		{staff, "GET", "/api/v1/users", nil, "/api/v1/users"},
		{staff, "POST", "/api/v1/users", map[string]any{"email": "new@demo.invalid", "role": "staff"}, "/api/v1/users"},
		{staff, "GET", "/api/v1/tokens", nil, "/api/v1/tokens"},
		{staff, "POST", "/api/v1/tokens", map[string]any{"name": "x"}, "/api/v1/tokens"},
		{staff, "PUT", "/api/v1/taxonomy/process", map[string]any{"term": "へら絞り", "en": "Metal spinning"}, "/api/v1/taxonomy/{facet}"},
		{staff, "DELETE", "/api/v1/taxonomy/process/" + "存在しない", nil, "/api/v1/taxonomy/{facet}/{term}"},
		{anon, "GET", "/api/v1/search?q=" + url.QueryEscape("ステンレス 切削") + "&process=" + url.QueryEscape("切削"), nil, "/api/v1/search"},
		{anon, "GET", "/api/v1/search?process=" + url.QueryEscape("存在しない工程"), nil, "/api/v1/search"},
		{anon, "GET", "/api/v1/search?limit=x", nil, "/api/v1/search"},
		{anon, "POST", "/api/v1/match", map[string]any{"text": "φ3mmの微細穴あけができるステンレス精密切削。ISO9001必須"}, "/api/v1/match"},
		{anon, "POST", "/api/v1/match", map[string]any{"kind": "nonsense", "text": "x"}, "/api/v1/match"},
		{anon, "POST", "/api/v1/joint-groups", map[string]any{"text": "切削のあと、めっきと組立までお願いできる会社"}, "/api/v1/joint-groups"},
		{anon, "GET", "/api/v1/organizations/C0001/similar", nil, "/api/v1/organizations/{id}/similar"},
		{anon, "GET", "/api/v1/synonyms", nil, "/api/v1/synonyms"},
		{staff, "PUT", "/api/v1/synonyms", map[string]any{"canonical": "アルマイト", "variants": []string{"アルマイ"}}, "/api/v1/synonyms"},
		{staff, "PUT", "/api/v1/synonyms", map[string]any{"canonical": "", "variants": []string{}}, "/api/v1/synonyms"},
		{staff, "GET", "/api/v1/synonyms", nil, "/api/v1/synonyms"},
		{staff, "DELETE", "/api/v1/synonyms/" + url.PathEscape("ない語"), nil, "/api/v1/synonyms/{canonical}"},
	}
	for _, c := range calls {
		var body any
		st := c.c.json(c.method, c.path, c.body, &body)
		op, ok := doc.Paths[c.spec][strings.ToLower(c.method)]
		if !ok {
			t.Errorf("%s %s is not documented", c.method, c.spec)
			continue
		}
		resp, ok := op.Responses[fmt.Sprint(st)]
		if !ok {
			t.Errorf("%s %s answered %d, which is not documented", c.method, c.path, st)
			continue
		}
		mt, ok := resp.Content["application/json"]
		if !ok {
			if body != nil && st != http.StatusNoContent {
				t.Errorf("%s %s %d: a JSON body where none is documented", c.method, c.path, st)
			}
			continue
		}
		for _, e := range validate(doc, mt.Schema, body, "$") {
			t.Errorf("%s %s %d: %s", c.method, c.path, st, e)
		}
	}
}
