package jp

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestJSICTable(t *testing.T) {
	count := map[string]int{}
	for _, j := range jsicTable().byCode {
		count[j.Level]++
		if j.Name == "" {
			t.Errorf("%s has no name", j.Code)
		}
		if j.Level != JSICLevelMajor {
			p, ok := LookupJSIC(j.Parent)
			if !ok {
				t.Errorf("%s: parent %q missing", j.Code, j.Parent)
				continue
			}
			if j.Level != JSICLevelMiddle && !strings.HasPrefix(j.Code, p.Code) {
				t.Errorf("%s is not below its parent %s", j.Code, p.Code)
			}
		}
		if (j.Level == JSICLevelMajor || j.Level == JSICLevelMiddle || JSICMajorOf(j.Code) == "E") && j.NameEN == "" {
			t.Errorf("%s (%s) has no English name", j.Code, j.Name)
		}
	}
	want := map[string]int{JSICLevelMajor: 20, JSICLevelMiddle: 99, JSICLevelMinor: 536, JSICLevelDetail: 1473}
	for l, n := range want {
		if count[l] != n {
			t.Errorf("%d %s classes; want %d", count[l], l, n)
		}
	}
	// Every 中分類 01–99 exists.
	for i := 1; i <= 99; i++ {
		c := string([]byte{byte('0' + i/10), byte('0' + i%10)})
		if _, ok := LookupJSIC(c); !ok {
			t.Errorf("中分類 %s missing", c)
		}
	}
}

// The demo data's 細分類 must be present with the same names.
func TestJSICDemoCodes(t *testing.T) {
	b, err := os.ReadFile("../demo/data/taxonomy.json")
	if err != nil {
		t.Fatal(err)
	}
	var tax struct {
		JSIC map[string]string `json:"jsic_codes"`
	}
	if err := json.Unmarshal(b, &tax); err != nil {
		t.Fatal(err)
	}
	if len(tax.JSIC) < 40 {
		t.Fatalf("only %d codes in taxonomy.json", len(tax.JSIC))
	}
	for code, name := range tax.JSIC {
		j, ok := LookupJSIC(code)
		if !ok || j.Name != name || j.Level != JSICLevelDetail || JSICMajorOf(code) != "E" {
			t.Errorf("taxonomy.json %s %s: table has %+v, %v", code, name, j, ok)
		}
	}
}

func TestLookupJSIC(t *testing.T) {
	tests := []struct{ code, name, en, level, parent string }{
		{"E", "製造業", "Manufacturing", JSICLevelMajor, ""},
		{"e", "製造業", "Manufacturing", JSICLevelMajor, ""},
		{"24", "金属製品製造業", "Manufacture of fabricated metal products", JSICLevelMiddle, "E"},
		{"244", "建設用・建築用金属製品製造業（製缶板金業を含む）", "Fabricated constructional and architectural metal products, including fabricated plate work and sheet metal work", JSICLevelMinor, "24"},
		{"2446", "製缶板金業", "Fabricated plate work and sheet metal work", JSICLevelDetail, "244"},
		{"２４４６", "製缶板金業", "Fabricated plate work and sheet metal work", JSICLevelDetail, "244"},
		{"2694", "ロボット製造業", "Robots", JSICLevelDetail, "269"},
		{"G", "情報通信業", "Information and communications", JSICLevelMajor, ""},
		{"39", "情報サービス業", "Information services", JSICLevelMiddle, "G"},
		{"7431", "機械設計業", "", JSICLevelDetail, "743"},
		{"9999", "分類不能の産業", "", JSICLevelDetail, "999"},
	}
	for _, tt := range tests {
		j, ok := LookupJSIC(tt.code)
		if !ok || j.Name != tt.name || j.NameEN != tt.en || j.Level != tt.level || j.Parent != tt.parent {
			t.Errorf("LookupJSIC(%q) = %+v, %v", tt.code, j, ok)
		}
	}
	for _, c := range []string{"", "U", "00", "2447", "24460", "x"} {
		if j, ok := LookupJSIC(c); ok {
			t.Errorf("LookupJSIC(%q) = %+v", c, j)
		}
	}
}

func TestValidateJSIC(t *testing.T) {
	for _, c := range []string{"E", "09", "24", "244", "2446", " 2446 ", "T", "99", "9999", "5811"} {
		if err := ValidateJSIC(c); err != nil {
			t.Errorf("ValidateJSIC(%q) = %v", c, err)
		}
	}
	bad := []struct {
		code string
		want error
	}{
		{"", ErrJSICFormat}, {"2", ErrJSICFormat}, {"24460", ErrJSICFormat}, {"E24", ErrJSICFormat}, {"24-6", ErrJSICFormat},
		{"U", ErrJSICUnknown}, {"00", ErrJSICUnknown}, {"2447", ErrJSICUnknown}, {"238", ErrJSICUnknown}, {"2480", ErrJSICUnknown},
	}
	for _, tt := range bad {
		if err := ValidateJSIC(tt.code); !errors.Is(err, tt.want) {
			t.Errorf("ValidateJSIC(%q) = %v; want %v", tt.code, err, tt.want)
		}
	}
}

func TestJSICHierarchy(t *testing.T) {
	tests := []struct{ code, middle, major string }{
		{"2446", "24", "E"}, {"244", "24", "E"}, {"24", "24", "E"}, {"E", "", "E"},
		{"0111", "01", "A"}, {"3911", "39", "G"}, {"9999", "99", "T"},
		{"2447", "24", ""}, {"x", "", ""},
	}
	for _, tt := range tests {
		if got := JSICMiddle(tt.code); got != tt.middle {
			t.Errorf("JSICMiddle(%q) = %q; want %q", tt.code, got, tt.middle)
		}
		if got := JSICMajorOf(tt.code); got != tt.major {
			t.Errorf("JSICMajorOf(%q) = %q; want %q", tt.code, got, tt.major)
		}
	}
	majors := JSICChildren("")
	if len(majors) != 20 || majors[0].Code != "A" || majors[19].Code != "T" {
		t.Errorf("JSICChildren(\"\") = %v", majors)
	}
	mids := JSICChildren("E")
	if len(mids) != 24 || mids[0].Code != "09" || mids[23].Code != "32" {
		t.Errorf("JSICChildren(E) has %d classes", len(mids))
	}
	var codes []string
	for _, j := range JSICChildren("246") {
		codes = append(codes, j.Code)
	}
	if strings.Join(codes, ",") != "2461,2462,2463,2464,2465,2469" {
		t.Errorf("JSICChildren(246) = %v", codes)
	}
	if JSICChildren("2446") != nil || JSICChildren("nope") != nil {
		t.Error("a 細分類 has children")
	}
}

func FuzzValidateJSIC(f *testing.F) {
	for _, s := range []string{"E", "24", "244", "2446", "２４４６", "2447", "e", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidateJSIC(s)
		j, ok := LookupJSIC(s)
		if (err == nil) != ok {
			t.Fatalf("ValidateJSIC(%q) = %v but LookupJSIC ok = %v", s, err, ok)
		}
		if ok {
			if JSICMajorOf(s) == "" {
				t.Fatalf("%q has no 大分類", s)
			}
			if j.Level != JSICLevelMajor && JSICMiddle(s) != j.Code[:2] {
				t.Fatalf("JSICMiddle(%q) = %q", s, JSICMiddle(s))
			}
		}
	})
}
