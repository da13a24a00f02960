package jp

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ｱ", "あ"}, {"ア", "あ"}, {"あ", "あ"},
		{"ＡＢＣ１２３", "abc123"},
		{"ISO9001", "iso9001"},
		{"ｶﾌﾞｼｷｶﾞｲｼｬ", "かぶしきがいしゃ"},
		{"ヴァイオリン", "ゔぁいおりん"},
		{"ｳﾞｧｲｵﾘﾝ", "ゔぁいおりん"},
		{"日野 製作所", "日野製作所"},
		{"日野・製作所", "日野製作所"},
		{"日野　製作所", "日野製作所"},
		{"ﾋﾉ･ｾｲｻｸｼｮ", "ひのせいさくしょ"},
		{"A-100", "a100"},
		{"Ａ－１００", "a100"},
		{"旭が丘3-12-5", "旭が丘3125"},
		{"コンピューター", "こんぴゅーたー"},
		{"ｺﾝﾋﾟｭｰﾀｰ", "こんぴゅーたー"},
		{"コンピュ－タ－", "こんぴゅーたー"},    // full-width hyphen-minus as long vowel
		{"コンピュ―タ", "こんぴゅーた"},      // horizontal bar
		{"スーパー ハイテン", "すーぱーはいてん"}, // ー before a space is kept
		{"アルミ-5052", "あるみ5052"},   // a dash before a digit is a separator
		{"ーあ", "ーあ"},              // ー is never removed
		{"霞ヶ関", "霞け関"}, {"霞ケ関", "霞け関"}, {"霞が関", "霞が関"},
		{"か゛", "が"}, // a lone voiced mark composes
		{"ヷ", "わ\u3099"},
		{"ヽヾ", "ゝゞ"},
		{"Straße", "straße"},
		{"㈱日野", "(株)日野"},
		{"\xff日野\xfe", "日野"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
	// The point of Fold: all of these find each other.
	same := [][]string{
		{"ｱﾙﾐﾆｳﾑ", "アルミニウム", "あるみにうむ", "ア ル ミ ニ ウ ム"},
		{"日野市", "日野市", "日野 市"},
		{"ＳＵＳ３０４", "sus304", "SUS-304", "SUS 304"},
	}
	for _, group := range same {
		for _, s := range group[1:] {
			if Fold(s) != Fold(group[0]) {
				t.Errorf("Fold(%q) = %q ≠ Fold(%q) = %q", s, Fold(s), group[0], Fold(group[0]))
			}
		}
	}
}

func TestSortKey(t *testing.T) {
	in := []string{"ガクセイ", "カガク", "カイシャ", "パン", "ハン", "バン", "アイ", "アーク"}
	want := []string{"アーク", "アイ", "カイシャ", "カガク", "ガクセイ", "ハン", "バン", "パン"}
	got := slices.Clone(in)
	slices.SortFunc(got, func(a, b string) int { return strings.Compare(SortKey(a), SortKey(b)) })
	if !slices.Equal(got, want) {
		t.Errorf("sorted %v\n got %v\nwant %v", in, got, want)
	}
	// Pairs in dictionary order.
	ordered := [][2]string{
		{"カ", "ガ"}, {"ガ", "パ"}, {"カ", "カア"}, {"カ", "キ"}, {"ガ", "キ"},
		{"アーク", "アアク"},                     // ー before the vowel it stands for
		{"シャク", "シヤク"},                     // small ャ before ヤ at the same place
		{"ワ", "ヲ"}, {"ヲ", "ン"}, {"ン", "A"}, // kana before Latin
		{"A", "b"}, {"b", "C"}, {"Z", "日"}, {"1", "A"},
		{"あ", "ア"},     // tie broken by script
		{"ヴ", "エ"},     // ヴ sorts as ウ
		{"ウ", "ヴ"},     // … after ウ
		{"キュー", "キュウ"}, // ー = ウ here
		{"ハハ", "パパ"},   // voicing compared after all primary letters
		{"パパ", "ハハア"},  // … but primary comes first
		{"ス・パ", "スハ゜"}, // ・ ignored; then composition order only
		{"アイ", "アイ "},  // trailing space ignored, text breaks the tie
		{"", "ア"},
	}
	for _, p := range ordered {
		if SortKey(p[0]) >= SortKey(p[1]) {
			t.Errorf("SortKey(%q) >= SortKey(%q)", p[0], p[1])
		}
	}
	if SortKey("ｶﾞｸｾｲ") != SortKey("ガクセイ") {
		t.Error("half-width and full-width readings differ")
	}
}

func TestGojuonRow(t *testing.T) {
	tests := []struct{ in, want string }{
		{"アイ", "あ"}, {"ヴィラ", "あ"}, {"ぉ", "あ"}, {"カブシキガイシャ", "か"}, {"がっこう", "か"},
		{"ｻｲﾀﾏ", "さ"}, {"ジドウシャ", "さ"}, {"ッ", "た"}, {"ニッポン", "な"}, {"パン", "は"},
		{"ミライ", "ま"}, {"ユニーク", "や"}, {"ョ", "や"}, {"ロボット", "ら"}, {"ワタナベ", "わ"},
		{"ヲ", "わ"}, {"ン", "わ"}, {" ・ ヒノ", "は"}, {"ABC", "他"}, {"日野", "他"}, {"ー", "他"}, {"", "他"},
	}
	for _, tt := range tests {
		if got := GojuonRow(tt.in); got != tt.want {
			t.Errorf("GojuonRow(%q) = %q; want %q", tt.in, got, tt.want)
		}
		if !slices.Contains(GojuonRows, GojuonRow(tt.in)) {
			t.Errorf("GojuonRow(%q) not in GojuonRows", tt.in)
		}
	}
	// Rows come in SortKey order.
	for i, r := range GojuonRows[:len(GojuonRows)-2] {
		if SortKey(r) >= SortKey(GojuonRows[i+1]) {
			t.Errorf("row %s sorts after %s", r, GojuonRows[i+1])
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"ｱ", "コンピュ－タ－", "A-100", "か゛", "ヷ", "㈱日野", "\xff", "ア - ク", "ｰｰ", "ー-ー"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Fold(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Fold(%q) = %q is not valid UTF-8", s, out)
		}
		if again := Fold(out); again != out {
			t.Fatalf("Fold not idempotent: %q → %q → %q", s, out, again)
		}
		if strings.ContainsAny(out, " \t\n・") {
			t.Fatalf("Fold(%q) = %q keeps a separator", s, out)
		}
	})
}

func FuzzSortKey(f *testing.F) {
	for _, s := range []string{"ガクセイ", "アーク", "ーア", "ヷ", "ABC", "日野", "\xff", "ャー"} {
		f.Add(s, "カ")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ka, kb := SortKey(a), SortKey(b)
		// Width does not matter, and the order is total and consistent.
		if SortKey(nfkc(a)) != ka {
			t.Fatalf("SortKey(%q) depends on width", a)
		}
		if (ka < kb) == (kb < ka) && ka != kb {
			t.Fatalf("inconsistent order of %q and %q", a, b)
		}
		if ka == kb && nfkc(a) != nfkc(b) {
			t.Fatalf("%q and %q tie", a, b)
		}
		_ = GojuonRow(a)
	})
}

// TestFoldSimpleAgrees: the fast path gives what the full path gives.
func TestFoldSimpleAgrees(t *testing.T) {
	for _, s := range []string{"日野精工", "ホドクボテクノ", "ヴァイオリン", "ヶ丘ヵ", "ゖ", "霞ゕ", "abc123", "ひのまち", "ニッケルめっき", "ー", "", "アトラ精工ー"} {
		fast, ok := foldSimple(s)
		if !ok {
			t.Errorf("%q took the slow path", s)
			continue
		}
		if slow := fold(s); fast != slow {
			t.Errorf("Fold(%q): fast %q, full %q", s, fast, slow)
		}
	}
	for _, s := range []string{"ABC", "ｱｲｳ", "日野 精工", "ＳＵＳ", "㈱日野", "ヷ"} {
		if _, ok := foldSimple(s); ok {
			t.Errorf("%q took the fast path", s)
		}
	}
}

func FuzzFoldSimple(f *testing.F) {
	f.Add("日野精工")
	f.Add("ヴァイオリンヶ")
	f.Fuzz(func(t *testing.T, s string) {
		if fast, ok := foldSimple(s); ok && fast != fold(s) {
			t.Fatalf("Fold(%q): fast %q, full %q", s, fast, fold(s))
		}
	})
}
