package jp

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalizeReading(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ｶﾌﾞｼｷｶﾞｲｼｬ ﾋﾉｾｲｻｸｼｮ", "カブシキガイシャ ヒノセイサクショ"},
		{"ひの　せいさくしょ", "ヒノ セイサクショ"},
		{"  ヒノ \t\n セイサクショ  ", "ヒノ セイサクショ"},
		{"ゔぁいおりん", "ヴァイオリン"},
		{"ﾋﾉ･ｾｲｻｸｼｮ", "ヒノ・セイサクショ"},
		{"ｺﾝﾋﾟｭｰﾀｰ", "コンピューター"},
		{"ゝゞ", "ヽヾ"},
		{"わ\u3099", "ヷ"},
		{"ＡＢＣ", "ABC"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := NormalizeReading(tt.in); got != tt.want {
			t.Errorf("NormalizeReading(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsKatakanaReading(t *testing.T) {
	for _, s := range []string{"ヒノセイサクショ", "ひのせいさくしょ", "ｶﾌﾞｼｷｶﾞｲｼｬ", "ヒノ・セイサクショ", "コンピューター", "ヒノ セイサクショ", "ヴ"} {
		if !IsKatakanaReading(s) {
			t.Errorf("IsKatakanaReading(%q) = false", s)
		}
	}
	for _, s := range []string{"", " ", "ー", "・", "日野", "ヒノ製作所", "ABC", "ヒノ1"} {
		if IsKatakanaReading(s) {
			t.Errorf("IsKatakanaReading(%q) = true", s)
		}
	}
}

func TestStripLegalForm(t *testing.T) {
	tests := []struct{ in, want string }{
		{"株式会社日野製作所", "日野製作所"},
		{"日野製作所株式会社", "日野製作所"},
		{"株式会社 日野製作所", "日野製作所"},
		{"株式会社　日野製作所", "日野製作所"},
		{"㈱日野製作所", "日野製作所"},
		{"(株)日野製作所", "日野製作所"},
		{"（株）日野製作所", "日野製作所"},
		{"日野製作所（株）", "日野製作所"},
		{"日野製作所(株)", "日野製作所"},
		{"(有)日野精工", "日野精工"},
		{"㈲日野精工", "日野精工"},
		{"有限会社日野精工", "日野精工"},
		{"合同会社ヒノラボ", "ヒノラボ"},
		{"一般社団法人日野産業振興会", "日野産業振興会"},
		{"公益財団法人東京都中小企業振興公社", "東京都中小企業振興公社"},
		{"特定非営利活動法人ものづくり支援", "ものづくり支援"},
		{"国立大学法人東京農工大学", "東京農工大学"},
		{"学校法人日野学園", "日野学園"},
		{"地方独立行政法人東京都立産業技術研究センター", "東京都立産業技術研究センター"},
		{"独立行政法人中小企業基盤整備機構", "中小企業基盤整備機構"},
		{"医療法人社団日野会", "日野会"},
		{"株式会社", "株式会社"},
		{"日野株式会社製作所", "日野株式会社製作所"}, // only at the edges
		{"  日野製作所  ", "日野製作所"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := StripLegalForm(tt.in); got != tt.want {
			t.Errorf("StripLegalForm(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizePostalCode(t *testing.T) {
	for _, in := range []string{"1910011", "191-0011", "〒１９１－００１１", "191ー0011", "〒191-0011", " 191 0011 ", "１９１００１１", "〒 191‐0011"} {
		if got, err := NormalizePostalCode(in); err != nil || got != "191-0011" {
			t.Errorf("NormalizePostalCode(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "191001", "19100111", "1910-011", "191--0011", "191-001a", "〒", "abc-defg", "-1910011", "1910011-"} {
		if got, err := NormalizePostalCode(in); err != ErrPostalCode {
			t.Errorf("NormalizePostalCode(%q) = %q, %v; want ErrPostalCode", in, got, err)
		}
	}
}

func FuzzNormalizeReading(f *testing.F) {
	for _, s := range []string{"ｶﾌﾞｼｷｶﾞｲｼｬ", "ひの　せいさくしょ", "わ\u3099", "う゛", "\xff", " ・ "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeReading(s)
		if !utf8.ValidString(n) {
			t.Fatalf("NormalizeReading(%q) = %q is not valid UTF-8", s, n)
		}
		if NormalizeReading(n) != n {
			t.Fatalf("not idempotent: %q → %q → %q", s, n, NormalizeReading(n))
		}
		if n != strings.TrimSpace(n) || strings.Contains(n, "  ") {
			t.Fatalf("NormalizeReading(%q) = %q has stray spaces", s, n)
		}
		_ = IsKatakanaReading(s)
		if s2 := StripLegalForm(s); len(s2) > len(s) {
			t.Fatalf("StripLegalForm(%q) = %q grew", s, s2)
		}
	})
}

func FuzzNormalizePostalCode(f *testing.F) {
	for _, s := range []string{"1910011", "191-0011", "〒１９１－００１１", "191ー0011", "1910-011"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizePostalCode(s)
		if err != nil {
			if err != ErrPostalCode {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if len(got) != 8 || got[3] != '-' || !isASCIIDigits(got[:3]) || !isASCIIDigits(got[4:]) {
			t.Fatalf("NormalizePostalCode(%q) = %q", s, got)
		}
		if again, err := NormalizePostalCode(got); err != nil || again != got {
			t.Fatalf("not idempotent: %q → %q → %q, %v", s, got, again, err)
		}
	})
}
