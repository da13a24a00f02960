package jp

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestLocalGovCheckDigit(t *testing.T) {
	// formats.md: 日野市, 八王子市, 東京都, 千代田区, and the two edge remainders.
	for _, code := range []string{"132128", "132012", "130001", "131016", "012050", "012131"} {
		got, err := LocalGovCheckDigit(code[:5])
		if err != nil || got != int(code[5]-'0') {
			t.Errorf("LocalGovCheckDigit(%q) = %d, %v; want %c", code[:5], got, err, code[5])
		}
		if err := ValidateLocalGovCode(code); err != nil {
			t.Errorf("ValidateLocalGovCode(%q) = %v", code, err)
		}
	}
	for _, bad := range []string{"", "1321", "132123", "1321a"} {
		if _, err := LocalGovCheckDigit(bad); err == nil {
			t.Errorf("LocalGovCheckDigit(%q): want error", bad)
		}
	}
}

func TestValidateLocalGovCode(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"13212", ErrLocalGovCodeLength},
		{"1321288", ErrLocalGovCodeLength},
		{"13212x", ErrLocalGovCodeDigits},
		{"１３２１２８", ErrLocalGovCodeDigits},
		{"132127", ErrLocalGovCodeCheckDigit},
		{"000000", ErrLocalGovCodePrefecture},
		{"480001", ErrLocalGovCodePrefecture},
	}
	for _, tt := range tests {
		if err := ValidateLocalGovCode(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("ValidateLocalGovCode(%q) = %v; want %v", tt.in, err, tt.want)
		}
	}
}

func TestLocalGovCodeFromNTA(t *testing.T) {
	tests := []struct{ pref, city, want string }{
		{"13", "212", "132128"},
		{"13", "201", "132012"},
		{"13", "000", "130001"},
		{"1", "205", "012050"},
		{" 01 ", "213", "012131"},
	}
	for _, tt := range tests {
		got, err := LocalGovCodeFromNTA(tt.pref, tt.city)
		if err != nil || got != tt.want {
			t.Errorf("LocalGovCodeFromNTA(%q, %q) = %q, %v; want %q", tt.pref, tt.city, got, err, tt.want)
		}
	}
	for _, bad := range [][2]string{{"13", "21"}, {"131", "212"}, {"1x", "212"}, {"48", "212"}, {"", ""}} {
		if got, err := LocalGovCodeFromNTA(bad[0], bad[1]); err == nil {
			t.Errorf("LocalGovCodeFromNTA(%q, %q) = %q; want error", bad[0], bad[1], got)
		}
	}
}

func TestMunicipalityTable(t *testing.T) {
	codes := MunicipalityCodes()
	if len(codes) != 1+23+26+4 {
		t.Fatalf("%d municipalities; want 東京都 + 23 wards + 26 cities + 4 towns/villages", len(codes))
	}
	for _, c := range codes {
		if err := ValidateLocalGovCode(c); err != nil {
			t.Errorf("%s: %v", c, err)
		}
	}
	for _, tt := range []struct{ code, ja, en string }{
		{"132128", "日野市", "Hino City"},
		{"132012", "八王子市", "Hachioji City"},
		{"130001", "東京都", "Tokyo"},
		{"131016", "千代田区", "Chiyoda City"},
	} {
		ja, en, ok := MunicipalityName(tt.code)
		if !ok || ja != tt.ja || en != tt.en {
			t.Errorf("MunicipalityName(%q) = %q, %q, %v", tt.code, ja, en, ok)
		}
	}
	if _, _, ok := MunicipalityName("132127"); ok {
		t.Error("MunicipalityName accepted a code with a wrong check digit")
	}
}

func TestMunicipalityCodeByName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"日野市", "132128"},
		{"東京都日野市", "132128"},
		{" 八王子市 ", "132012"},
		{"東京都", "130001"},
		{"西多摩郡瑞穂町", "133035"},
		{"東京都西多摩郡奥多摩町", "133086"},
		{"あきる野市", "132284"},
		{"Hino", "132128"},
		{"hino city", "132128"},
		{"ＨＩＮＯ　ＣＩＴＹ", "132128"},
		{"Hinohara Village", "133078"},
	}
	for _, tt := range tests {
		if got, ok := MunicipalityCodeByName(tt.in); !ok || got != tt.want {
			t.Errorf("MunicipalityCodeByName(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
	for _, name := range []string{"", "日野", "横浜市", "東京"} {
		if got, ok := MunicipalityCodeByName(name); ok {
			t.Errorf("MunicipalityCodeByName(%q) = %q; want not found", name, got)
		}
	}
	// Every name in the table resolves to its own code.
	for _, c := range MunicipalityCodes() {
		ja, en, _ := MunicipalityName(c)
		if got, _ := MunicipalityCodeByName(ja); got != c {
			t.Errorf("%s (%s) resolves to %s", ja, c, got)
		}
		if got, _ := MunicipalityCodeByName(en); got != c {
			t.Errorf("%s (%s) resolves to %s", en, c, got)
		}
	}
}

func TestNeighbours(t *testing.T) {
	code := func(name string) string {
		c, ok := MunicipalityCodeByName(name)
		if !ok {
			t.Fatalf("no code for %s", name)
		}
		return c
	}
	var want []string
	for _, n := range []string{"八王子市", "立川市", "府中市", "国立市", "多摩市", "昭島市"} {
		want = append(want, code(n))
	}
	slices.Sort(want)
	if got := Neighbours("132128"); !slices.Equal(got, want) {
		t.Errorf("Neighbours(日野市) = %v; want %v", got, want)
	}
	// Symmetric, irreflexive, and every municipality but 東京都 has a neighbour.
	for _, c := range MunicipalityCodes() {
		ns := Neighbours(c)
		if c == "130001" {
			if len(ns) != 0 {
				t.Errorf("東京都 has neighbours %v", ns)
			}
			continue
		}
		if len(ns) == 0 {
			t.Errorf("%s has no neighbours", c)
		}
		for _, n := range ns {
			if n == c || !slices.Contains(Neighbours(n), c) {
				t.Errorf("border %s–%s is not symmetric", c, n)
			}
		}
	}
	if Neighbours("999999") != nil {
		t.Error("unknown code has neighbours")
	}
	// The result is a copy.
	ns := Neighbours("132128")
	ns[0] = "x"
	if strings.HasPrefix(Neighbours("132128")[0], "x") {
		t.Error("Neighbours leaks its table")
	}
}

func FuzzValidateLocalGovCode(f *testing.F) {
	for _, s := range []string{"132128", "132012", "130001", "012050", "１３２１２８", "13212"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidateLocalGovCode(s)
		if err == nil {
			d, err := LocalGovCheckDigit(s[:5])
			if err != nil || int(s[5]-'0') != d {
				t.Fatalf("accepted %q", s)
			}
		} else if e := (*Error)(nil); !errors.As(err, &e) {
			t.Fatalf("%q: %v is not *Error", s, err)
		}
		if len(s) >= 5 {
			if code, err := LocalGovCodeFromNTA(s[:2], s[2:5]); err == nil && ValidateLocalGovCode(code) != nil {
				t.Fatalf("LocalGovCodeFromNTA built invalid %q", code)
			}
		}
		if code, ok := MunicipalityCodeByName(s); ok {
			if _, _, ok := MunicipalityName(code); !ok {
				t.Fatalf("%q → %q has no name", s, code)
			}
		}
	})
}
